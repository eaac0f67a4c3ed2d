// Several engines sharing one sweep, and several consumers sharing the outbox, through the engine
// (EngineOptions::worker, Engine::claim_effects) over an InMemoryStore: given due deadlines,
// when engines with worker names advance at once, then each deadline fires exactly once; given a
// worker that died holding claims, its deadlines wait for the lease and are not lost. The
// PostgreSQL tests prove the same across processes.

#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>

#include <catch2/catch.hpp>

#include "paused_accounts.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ct = calltrack;
namespace paused = calltrack::testing::paused_accounts;

namespace {

ct::EngineOptions as_worker(const std::string& name, std::size_t batch) {
    ct::EngineOptions options;
    options.worker = name;
    options.advance_batch = batch;
    return options;
}

std::size_t count_fired(const ct::Sweep& sweep) {
    return static_cast<std::size_t>(
        std::count_if(sweep.events().begin(), sweep.events().end(), [](const ct::Event& e) {
            return std::holds_alternative<ct::events::PauseMaximumReached>(e);
        }));
}

ct::HostEffect stop_swapping_on(const char* account, int minute) {
    ct::HostEffect e;
    e.kind = ct::EffectKind::stop_swapping;
    e.account = ct::AccountId(account);
    e.at = ct::parse_time(paused::paused_at).value() + boost::posix_time::minutes(minute);
    return e;
}

std::vector<std::uint64_t> claim_sequences(const ct::result<std::vector<ct::OutboxEntry>>& r) {
    REQUIRE(r);
    std::vector<std::uint64_t> out;
    for (const auto& entry : r.value()) out.push_back(entry.sequence);
    return out;
}

}  // namespace

TEST_CASE("four engines with worker names advancing at once fire each due deadline once",
          "[engine][claims]") {
    constexpr std::size_t count = 2000;
    ct::InMemoryStore store;
    paused::seed(store, count);
    ct::ManualClock clock(paused::all_due());

    std::vector<std::size_t> fired(4, 0);
    std::vector<bool> complete(4, false);
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
            ct::Engine engine(ct::policies::callrail(), clock, store,
                              as_worker("w" + std::to_string(w), 50));
            const ct::Sweep sweep = engine.advance();
            complete[w] = static_cast<bool>(sweep);
            fired[w] = count_fired(sweep);
        });
    }
    for (auto& t : workers) t.join();

    for (std::size_t w = 0; w < 4; ++w) {
        INFO("worker " << w << " fired " << fired[w]);
        CHECK(complete[w]);
    }
    std::size_t total = 0;
    for (const std::size_t n : fired) total += n;
    CHECK(total == count);
    const auto per_account = paused::fired_per_account(store, count);
    CHECK(
        std::all_of(per_account.begin(), per_account.end(), [](std::size_t n) { return n == 1; }));
    CHECK(store.due_deadlines(clock.now(), 10).value().empty());
}

TEST_CASE("a worker that dies holding claims delays its deadlines by the lease and loses none",
          "[engine][claims]") {
    ct::InMemoryStore store;
    paused::seed(store, 10);
    ct::ManualClock clock(paused::all_due());
    const auto lease = boost::posix_time::minutes(5);
    // "dead" claimed three deadlines, then stopped: no commit of its will end those claims.
    const auto held = store.claim_due_deadlines(clock.now(), 3, "dead", clock.now() + lease);
    REQUIRE(held);
    REQUIRE(held.value().size() == 3);

    ct::EngineOptions options = as_worker("live", 1000);
    options.claim_lease = lease;
    ct::Engine engine(ct::policies::callrail(), clock, store, options);
    const ct::Sweep first = engine.advance();
    REQUIRE(first);
    CHECK(count_fired(first) == 7);
    CHECK(store.due_deadlines(clock.now(), 10).value() == held.value());

    REQUIRE(clock.advance(lease - boost::posix_time::microseconds(1)));
    const ct::Sweep early = engine.advance();
    REQUIRE(early);
    CHECK(count_fired(early) == 0);

    REQUIRE(clock.advance(boost::posix_time::microseconds(1)));
    const ct::Sweep taken_over = engine.advance();
    REQUIRE(taken_over);
    CHECK(count_fired(taken_over) == 3);
    const auto per_account = paused::fired_per_account(store, 10);
    CHECK(
        std::all_of(per_account.begin(), per_account.end(), [](std::size_t n) { return n == 1; }));
}

TEST_CASE("an engine without a worker name sweeps as one sweeper: it reads due_deadlines",
          "[engine][claims]") {
    ct::InMemoryStore store;
    paused::seed(store, 4);
    ct::ManualClock clock(paused::all_due());
    REQUIRE(
        store.claim_due_deadlines(clock.now(), 2, "other", clock.now() + ct::Duration(1, 0, 0)));
    ct::Engine engine(ct::policies::callrail(), clock, store);
    const ct::Sweep sweep = engine.advance();
    REQUIRE(sweep);
    CHECK(count_fired(sweep) == 4);
}

TEST_CASE("two consumers claiming through their engines share the outbox, one account each",
          "[engine][claims]") {
    ct::InMemoryStore store;
    ct::CommitBatch batch;
    batch.effects = {stop_swapping_on("a1", 1), stop_swapping_on("a2", 2),
                     stop_swapping_on("a1", 3), stop_swapping_on("a2", 4)};
    REQUIRE(store.commit(batch));
    ct::ManualClock clock(ct::parse_time(paused::paused_at).value());
    ct::Engine engine(ct::policies::callrail(), clock, store);

    CHECK(claim_sequences(engine.claim_effects("c1", 1)) == std::vector<std::uint64_t>{1});
    CHECK(claim_sequences(engine.claim_effects("c2", 10)) == std::vector<std::uint64_t>{2, 4});
    REQUIRE(engine.acknowledge_claimed_effects({1}));
    CHECK(claim_sequences(engine.claim_effects("c1", 10)) == std::vector<std::uint64_t>{3});
    REQUIRE(engine.acknowledge_claimed_effects({2, 3, 4}));
    CHECK(engine.pending_effects().value().empty());

    // A lease that runs out passes the owner on.
    ct::CommitBatch more;
    more.effects = {stop_swapping_on("a3", 5)};
    REQUIRE(store.commit(more));
    CHECK(claim_sequences(engine.claim_effects("c1", 10, boost::posix_time::minutes(1)))
          == std::vector<std::uint64_t>{5});
    CHECK(claim_sequences(engine.claim_effects("c2", 10)).empty());
    REQUIRE(clock.advance(boost::posix_time::minutes(1)));
    CHECK(claim_sequences(engine.claim_effects("c2", 10)) == std::vector<std::uint64_t>{5});
}
