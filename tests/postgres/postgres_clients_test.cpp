// Many client processes writing one PostgreSQL schema through their own engines (issue 11): 8
// processes x 2,000 commands on 50 shared CTM sub-accounts. Each process is this test binary
// forked, with its own PostgresStore and Engine opened after the fork; it reports what it did
// through a pipe, and the parent checks the store against the sum of the reports.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <calltrack/engine.hpp>
#include <calltrack/observer.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/replay.hpp>
#include <calltrack/verify.hpp>

#include "forked.hpp"
#include "lifecycle_fixture.hpp"
#include "postgres_server.hpp"
#include "random_seed.hpp"
#include "shared_accounts.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace ct = calltrack;
namespace c = calltrack::commands;
namespace shared = calltrack::testing::shared_accounts;
using calltrack::testing::TestSchemas;
using namespace calltrack::testing::forked;

namespace {

constexpr int clients = 8;
constexpr int commands_per_client = 2'000;

/// What one client process did. Plain data, written to the pipe whole.
struct ClientReport {
    std::array<std::int64_t, shared::count> adjusted_cents{};  ///< accepted adjustments, summed
    std::array<std::uint64_t, shared::kinds> accepted{};
    std::array<std::uint64_t, shared::kinds> refused{};  ///< by the rules (already paused, ...)
    /// Commands whose conflicts outlasted the engine's own retries, executed again by the client.
    std::uint64_t client_retries = 0;
    std::uint64_t engine_retries = 0;  ///< conflicts the engine itself reloaded and retried
    std::uint64_t unexpected = 0;      ///< any other failure; the first one's words below
    char first_unexpected[240] = {};
};

/// Counts the engine's own conflict retries: proof that the clients really contended.
class RetryCounter final : public ct::EngineObserver {
  public:
    void conflict_retried(const ct::ConflictRetried&) override { ++retries; }
    std::uint64_t retries = 0;
};

/// One client: `commands_per_client` random commands, each retried on a conflict until it is
/// accepted or refused by the rules.
ClientReport run_client(ct::Engine& engine, std::uint32_t seed) {
    ClientReport report;
    std::mt19937 random(seed);
    const auto note_unexpected = [&](const std::string& what) {
        if (report.unexpected++ == 0) {
            std::strncpy(report.first_unexpected, what.c_str(), sizeof report.first_unexpected - 1);
        }
    };
    for (int i = 0; i < commands_per_client; ++i) {
        const shared::Pick pick = shared::pick(random);
        for (int attempt = 0;; ++attempt) {
            auto done = engine.execute(shared::actor_for(pick.kind), pick.command);
            if (done) {
                ++report.accepted[pick.kind];
                if (pick.kind == shared::adjust) report.adjusted_cents[pick.account] += pick.cents;
                break;
            }
            const ct::Refused& why = done.error();
            if (why == ct::errc::concurrency_conflict && attempt < 50) {
                ++report.client_retries;  // the engine reloaded and decided again 8 times
                continue;
            }
            if (!why.refusals().empty()) {
                ++report.refused[pick.kind];
            } else {
                note_unexpected(why.message() + " " + why.problem());
            }
            break;
        }
    }
    return report;
}

/// Every sequence 1..n once, and every stream's versions 1..n without a gap, in `log`.
void require_gapless(const std::vector<ct::StoredEvent>& log) {
    std::map<ct::StreamId, ct::Version> last_version;
    for (std::size_t i = 0; i < log.size(); ++i) {
        INFO("event #" << log[i].sequence << " of stream " << log[i].stream);
        REQUIRE(log[i].sequence == i + 1);
        ct::Version& last = last_version[log[i].stream];
        REQUIRE(log[i].stream_version == last + 1);
        last = log[i].stream_version;
    }
}

}  // namespace

TEST_CASE("8 processes x 2,000 commands on 50 shared accounts: no lost update, no gap, replayable",
          "[postgres][processes][clients]") {
    const std::uint32_t seed =
        ct::testing::announced_seed("clients test", "CALLTRACK_CLIENTS_SEED");
    INFO("CALLTRACK_CLIENTS_SEED=" << seed);

    TestSchemas schemas;
    const std::string schema = schemas.fresh("clients");
    auto store = open_store(schemas.uri(), schema);
    REQUIRE(store);
    shared::seed(*store);
    const auto before = store->read_all(0, 1'000'000);
    REQUIRE(before);
    const std::size_t seeded_events = before.value().size();

    StartLine line;
    Pipe reports;
    std::vector<pid_t> children;
    for (int p = 0; p < clients; ++p) {
        children.push_back(fork_child([&, p]() -> int {
            auto own = open_store(schemas.uri(), schema);
            if (!own) return 2;
            // One instant for every client: no reading is ever before another's stored event.
            ct::ManualClock clock(shared::now());
            RetryCounter retries;
            ct::EngineOptions options;
            options.observer = &retries;
            ct::Engine engine(shared::policy(), clock, *own, options);
            if (!line.wait()) return 3;
            ClientReport report = run_client(engine, seed + static_cast<std::uint32_t>(p));
            report.engine_retries = retries.retries;
            write_all(reports.write_end, &report, sizeof report);
            return 0;
        }));
    }
    const auto start = line.start(clients);
    for (const pid_t pid : children) CHECK(exit_code_of(pid) == 0);
    const double seconds = seconds_since(start);

    ClientReport total;
    for (int p = 0; p < clients; ++p) {
        ClientReport r;
        REQUIRE(read_all(reports.read_end, &r, sizeof r));
        INFO("client " << p << ": " << r.first_unexpected);
        CHECK(r.unexpected == 0);
        for (std::size_t a = 0; a < shared::count; ++a)
            total.adjusted_cents[a] += r.adjusted_cents[a];
        for (std::size_t k = 0; k < shared::kinds; ++k) {
            total.accepted[k] += r.accepted[k];
            total.refused[k] += r.refused[k];
        }
        total.client_retries += r.client_retries;
        total.engine_retries += r.engine_retries;
    }
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;
    for (std::size_t k = 0; k < shared::kinds; ++k) {
        std::cout << "  " << shared::kind_names[k] << ": " << total.accepted[k] << " accepted, "
                  << total.refused[k] << " refused\n";
        CHECK(total.accepted[k] > 0);  // every kind of command really ran
        accepted += total.accepted[k];
        refused += total.refused[k];
    }
    std::cout << "clients test: " << clients << " x " << commands_per_client << " commands in "
              << seconds << " s: " << accepted << " accepted, " << refused << " refused, "
              << total.engine_retries << " conflicts retried by the engines, "
              << total.client_retries << " commands executed again by their clients\n";
    CHECK(total.engine_retries > 0);  // the clients did write the same accounts at once
    CHECK(accepted + refused == static_cast<std::uint64_t>(clients) * commands_per_client);

    // No lost update: each balance is the seed's debit plus every adjustment a client saw accepted.
    for (std::size_t a = 0; a < shared::count; ++a) {
        const auto loaded = store->load_account(shared::account(a));
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        INFO("account " << shared::account(a));
        CHECK(loaded.value()->value.balance.available.minor_units()
              == shared::seed_cents + total.adjusted_cents[a]);
    }

    // The log: gapless, and holding exactly the accepted commands' events.
    const auto log = store->read_all(0, 1'000'000);
    REQUIRE(log);
    require_gapless(log.value());
    const std::vector<std::uint64_t> logged = shared::count_by_kind(log.value(), seeded_events);
    for (std::size_t k = 0; k < shared::kinds; ++k) {
        INFO(shared::kind_names[k]);
        CHECK(logged[k] == total.accepted[k]);
    }

    // Replaying every event gives the stored records, and the chain is whole.
    const auto replayed = ct::replay(*store);
    REQUIRE(replayed);
    shared::require_records_match(*store, replayed.value());
    const auto verified = ct::verify_log(*store);
    REQUIRE(verified);
    INFO(verified.value().problem);
    CHECK(verified.value().is_intact());
    CHECK(verified.value().events == log.value().size());
}
