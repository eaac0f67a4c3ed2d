// A client killed with SIGKILL at random points while its engine commits to PostgreSQL (issue 11),
// as tests/sqlite_store_test.cpp does for SqliteStore: each command is whole or absent. The client
// is this test binary forked; it executes numbered commands under the idempotency keys cmd-1,
// cmd-2, ... one after another, so the receipts the store holds must be a prefix of them, and the
// log after the seed must be exactly those receipts' events, in order.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <calltrack/decide.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/replay.hpp>
#include <calltrack/verify.hpp>

#include "forked.hpp"
#include "postgres_server.hpp"
#include "random_seed.hpp"
#include "shared_accounts.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>

namespace ct = calltrack;
namespace shared = calltrack::testing::shared_accounts;
using calltrack::testing::literal;
using calltrack::testing::TestSchemas;
using namespace calltrack::testing::forked;

namespace {

/// The accounts the client cycles through: each takes pause, adjust, resume, close, reactivate in
/// turn, every one of which its state then allows, so a refusal is a failure of the test.
constexpr std::size_t crash_accounts = 5;
constexpr std::size_t steps[] = {shared::pause, shared::adjust, shared::resume, shared::close,
                                 shared::reactivate};

std::string key_of(std::uint64_t n) {
    return "cmd-" + std::to_string(n);
}

std::size_t kind_of(std::uint64_t n) {
    return steps[((n - 1) / crash_accounts) % std::size(steps)];
}

ct::Command numbered_command(std::uint64_t n) {
    return shared::command_of(kind_of(n), (n - 1) % crash_accounts, -static_cast<std::int64_t>(n));
}

/// The client: executes command `first`, `first + 1`, ... until it is killed, writing each
/// number the engine reported committed to `report_fd`. It never returns.
[[noreturn]] void execute_until_killed(const std::string& uri, const std::string& schema,
                                       const std::string& name, std::uint64_t first,
                                       int report_fd) {
    ct::PostgresOptions options;
    options.schema = schema;
    options.application_name = name;
    auto opened = ct::PostgresStore::open(uri, options);
    if (!opened) ::_exit(10);
    ct::ManualClock clock(shared::now());
    ct::Engine engine(shared::policy(), clock, *opened.value());
    for (std::uint64_t n = first;; ++n) {
        const auto done =
            engine.execute(shared::actor_for(kind_of(n)), numbered_command(n), key_of(n));
        if (!done) ::_exit(12);
        // Non-blocking: a full pipe drops a report, which only makes the parent's bound weaker.
        (void)!::write(report_fd, &n, sizeof n);
    }
}

}  // namespace

TEST_CASE("a client killed with SIGKILL mid-command leaves every command whole or absent",
          "[postgres][crash][processes]") {
    const std::uint32_t seed =
        ct::testing::announced_seed("postgres crash test", "CALLTRACK_CRASH_SEED");
    INFO("CALLTRACK_CRASH_SEED=" << seed);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> delay_ms(10, 150);

    TestSchemas schemas;
    const std::string schema = schemas.fresh("crash");
    auto store = open_store(schemas.uri(), schema);
    REQUIRE(store);
    shared::seed(*store);
    const auto seeded = store->read_all(0, 1'000'000);
    REQUIRE(seeded);
    const std::size_t seeded_events = seeded.value().size();
    const auto seeded_outbox = store->pending_effects(1'000'000);
    REQUIRE(seeded_outbox);
    const std::size_t seeded_effects = seeded_outbox.value().size();
    // The state the log must make, kept by applying each committed command's receipt: after every
    // kill the client's accounts must be stored exactly so. The whole log is replayed and
    // verified every few kills and after the last, which is what costs.
    const auto seeded_state = ct::replay(*store);
    REQUIRE(seeded_state);
    ct::State expected_state = seeded_state.value();

    constexpr int kills = 20;
    std::uint64_t committed = 0;  // commands 1..committed are in the store
    std::vector<ct::Event> expected_events;
    std::size_t expected_effects = 0;
    int unreported_commits = 0;  // kills that landed after COMMIT, before the client heard of it
    const auto started = Steady::now();

    for (int kill_number = 1; kill_number <= kills; ++kill_number) {
        INFO("kill " << kill_number);
        const std::string name =
            "ct-crash-" + std::to_string(::getpid()) + "-" + std::to_string(kill_number);
        int reports[2];
        REQUIRE(::pipe(reports) == 0);
        REQUIRE(::fcntl(reports[1], F_SETFL, O_NONBLOCK) == 0);
        std::cout.flush();
        std::cerr.flush();
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(reports[0]);
            execute_until_killed(schemas.uri(), schema, name, committed + 1, reports[1]);
        }
        ::close(reports[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        REQUIRE(::kill(child, SIGKILL) == 0);
        REQUIRE(exit_code_of(child) == -SIGKILL);

        std::uint64_t reported = committed;
        for (std::uint64_t n = 0; ::read(reports[0], &n, sizeof n) == sizeof n;) reported = n;
        ::close(reports[0]);

        // Until the killed client's backend has gone, its last transaction may still commit; once
        // it has, that transaction is committed or rolled back for good.
        const std::string still_there =
            "SELECT count(*) FROM pg_stat_activity WHERE "
            "application_name = "
            + literal(name);
        for (int wait = 0; schemas.raw().exec(still_there) != "0"; ++wait) {
            REQUIRE(wait < 1000);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }

        // The receipts are a prefix: everything reported, and at most the one command in flight.
        std::uint64_t found = committed;
        for (;;) {
            const auto receipt = store->find_idempotency(key_of(found + 1));
            REQUIRE(receipt);
            if (!receipt.value()) break;
            ++found;
            expected_events.insert(expected_events.end(), receipt.value()->events.begin(),
                                   receipt.value()->events.end());
            ct::apply(expected_state, receipt.value()->events);
            expected_effects += receipt.value()->effects.size();
        }
        INFO("commands in the store: " << found << ", the client reported " << reported);
        CHECK(found >= reported);
        CHECK(found <= reported + 1);
        if (found == reported + 1) ++unreported_commits;
        const auto after_gap = store->find_idempotency(key_of(found + 2));
        REQUIRE(after_gap);
        CHECK_FALSE(after_gap.value());
        committed = found;

        // Whole or absent: the log after the seed is those commands' events, nothing more.
        const auto log = store->read_all(seeded_events, 1'000'000);
        REQUIRE(log);
        REQUIRE(log.value().size() == expected_events.size());
        for (std::size_t i = 0; i < expected_events.size(); ++i) {
            INFO("event #" << log.value()[i].sequence);
            CHECK(log.value()[i].event == expected_events[i]);
        }
        const auto outbox = store->pending_effects(1'000'000);
        REQUIRE(outbox);
        CHECK(outbox.value().size() == seeded_effects + expected_effects);

        for (std::size_t a = 0; a < crash_accounts; ++a) {
            const auto loaded = store->load_account(shared::account(a));
            REQUIRE(loaded);
            REQUIRE(loaded.value());
            CHECK(loaded.value()->value == expected_state.accounts.at(shared::account(a)));
        }

        // The chain is whole, and replaying the log gives every stored record.
        if (kill_number % 5 != 0) continue;
        const auto verified = ct::verify_log(*store);
        REQUIRE(verified);
        INFO(verified.value().problem);
        CHECK(verified.value().is_intact());
        const auto replayed = ct::replay(*store);
        REQUIRE(replayed);
        shared::require_records_match(*store, replayed.value());
    }
    std::cout << "postgres crash test: " << kills << " kills, " << committed
              << " commands committed, " << unreported_commits
              << " committed unreported (killed after COMMIT), "
              << static_cast<long>(seconds_since(started) * 1000) << " ms\n";
    // Every kill must have let the client get somewhere, or the test proves nothing.
    CHECK(committed >= static_cast<std::uint64_t>(kills));
}
