// Many processes on one PostgreSQL schema (issue 11): workers that share one sweep of due
// deadlines, consumers that share the outbox, a consumer killed mid-drain, and waiting for new
// effects with LISTEN. Each worker or consumer is this test binary forked, with a connection of
// its own opened after the fork; a child reports through a pipe and ends with _exit, so that it
// never touches the parent's connections or Catch2's state.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <calltrack/engine.hpp>
#include <calltrack/policy.hpp>

#include "forked.hpp"
#include "paused_accounts.hpp"
#include "postgres_server.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ct = calltrack;
namespace paused = calltrack::testing::paused_accounts;
using calltrack::testing::TestSchemas;
using namespace calltrack::testing::forked;

namespace {

// --- one sweep, several workers -----------------------------------------------------------------

/// What one worker of a shared sweep reports.
struct WorkerReport {
    std::uint64_t fired = 0;  ///< pause_maximum_reached events its sweep committed
    int complete = 0;         ///< 1: its sweep stopped with nothing left it could claim
};

struct SweepOutcome {
    double seconds = 0;  ///< from the start signal to the last worker's end
    std::vector<WorkerReport> reports;
    std::vector<int> exit_codes;
};

/// `workers` processes, each an engine with a worker name over its own connection, advance at
/// once through one sweep of the deadlines already due in `schema`.
SweepOutcome sweep_with(const std::string& uri, const std::string& schema, int workers,
                        std::size_t batch) {
    StartLine line;
    Pipe reports;
    std::vector<pid_t> children;
    for (int w = 0; w < workers; ++w) {
        children.push_back(fork_child([&, w]() -> int {
            auto store = open_store(uri, schema);
            if (!store) return 2;
            ct::ManualClock clock(paused::all_due());
            ct::EngineOptions options;
            options.worker = "w" + std::to_string(w);
            options.advance_batch = batch;
            ct::Engine engine(ct::policies::callrail(), clock, *store, options);
            if (!line.wait()) return 3;
            const ct::Sweep sweep = engine.advance();
            WorkerReport report;
            report.complete = sweep ? 1 : 0;
            for (const ct::Event& e : sweep.events()) {
                if (std::holds_alternative<ct::events::PauseMaximumReached>(e)) ++report.fired;
            }
            write_all(reports.write_end, &report, sizeof report);
            return sweep ? 0 : 4;
        }));
    }
    const auto start = line.start(workers);
    SweepOutcome outcome;
    for (const pid_t pid : children) outcome.exit_codes.push_back(exit_code_of(pid));
    outcome.seconds = seconds_since(start);
    for (int w = 0; w < workers; ++w) {
        WorkerReport report;
        if (read_all(reports.read_end, &report, sizeof report)) outcome.reports.push_back(report);
    }
    return outcome;
}

std::string shares(const SweepOutcome& outcome) {
    std::string text;
    for (const auto& r : outcome.reports) {
        text += (text.empty() ? "" : " + ") + std::to_string(r.fired);
    }
    return text;
}

// --- the outbox, several consumers --------------------------------------------------------------

ct::HostEffect effect_of(std::size_t account, std::size_t i) {
    ct::HostEffect e;
    e.kind = i % 2 == 0 ? ct::EffectKind::stop_swapping : ct::EffectKind::resume_swapping;
    e.account = ct::AccountId("acct-" + std::to_string(account));
    e.at = ct::parse_time(paused::paused_at).value() + boost::posix_time::seconds(i);
    return e;
}

/// `count` effects of `accounts` accounts, interleaved, committed five at a time.
void seed_effects(ct::Store& store, std::size_t count, std::size_t accounts) {
    for (std::size_t first = 0; first < count; first += 5) {
        ct::CommitBatch batch;
        for (std::size_t i = first; i < count && i < first + 5; ++i) {
            batch.effects.push_back(effect_of((i * 7) % accounts, i));
        }
        REQUIRE(store.commit(batch));
    }
}

/// One delivery, as a consumer writes it to the shared log: who, which entry, whose.
struct Delivery {
    std::string consumer;
    std::uint64_t sequence;
    std::string owner;
};

/// Appends one line per delivery with O_APPEND, so that lines of several processes keep the order
/// in which they were written.
class DeliveryLog {
  public:
    explicit DeliveryLog(std::string path) : path_(std::move(path)) {}
    void write(const std::string& consumer, const ct::OutboxEntry& entry) const {
        const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0) return;
        const std::string line = consumer + " " + std::to_string(entry.sequence) + " "
                                 + ct::effect_owner(entry.effect) + "\n";
        write_all(fd, line.data(), line.size());
        ::close(fd);
    }
    std::vector<Delivery> read() const {
        std::vector<Delivery> out;
        std::ifstream in(path_);
        Delivery d;
        while (in >> d.consumer >> d.sequence >> d.owner) out.push_back(d);
        return out;
    }
    ~DeliveryLog() { std::remove(path_.c_str()); }
    DeliveryLog(const DeliveryLog&) = delete;
    DeliveryLog& operator=(const DeliveryLog&) = delete;

  private:
    std::string path_;
};

std::string log_path(const char* what) {
    return "/tmp/calltrack-pg-" + std::string(what) + "-" + std::to_string(::getpid()) + ".log";
}

/// Per owner, the sequences in the order they were delivered.
std::map<std::string, std::vector<std::uint64_t>> by_owner(const std::vector<Delivery>& log) {
    std::map<std::string, std::vector<std::uint64_t>> out;
    for (const auto& d : log) out[d.owner].push_back(d.sequence);
    return out;
}

}  // namespace

TEST_CASE("4 processes advancing one sweep of 10,000 deadlines fire each exactly once",
          "[postgres][claims][processes]") {
    constexpr std::size_t count = 10'000;
    TestSchemas schemas;
    const std::string schema = schemas.fresh("sweep");
    auto store = open_store(schemas.uri(), schema);
    REQUIRE(store);
    const auto seeding = Steady::now();
    paused::seed(*store, count);
    const double seeded = seconds_since(seeding);

    const SweepOutcome outcome = sweep_with(schemas.uri(), schema, 4, 250);
    std::cout << "postgres sweep: seeded " << count << " deadlines in " << seeded << " s; 4 workers"
              << " fired them in " << outcome.seconds << " s (" << shares(outcome) << ")\n";
    CHECK(outcome.exit_codes == std::vector<int>{0, 0, 0, 0});
    REQUIRE(outcome.reports.size() == 4);
    std::uint64_t total = 0;
    for (const auto& r : outcome.reports) {
        CHECK(r.complete == 1);
        total += r.fired;
    }
    CHECK(total == count);
    const auto per_account = paused::fired_per_account(*store, count);
    const auto wrong =
        std::count_if(per_account.begin(), per_account.end(), [](std::size_t n) { return n != 1; });
    CHECK(wrong == 0);
    CHECK(store->due_deadlines(paused::all_due(), 10).value().empty());
}

// A figure, not a test that CI runs: `calltrack_postgres_tests "[.benchmark]"`.
TEST_CASE("benchmark: one sweep of 10,000 deadlines by 1, 2 and 4 worker processes",
          "[.benchmark][postgres][claims]") {
    constexpr std::size_t count = 10'000;
    for (const int workers : {1, 2, 4}) {
        TestSchemas schemas;
        const std::string schema = schemas.fresh("bench");
        auto store = open_store(schemas.uri(), schema);
        REQUIRE(store);
        paused::seed(*store, count);
        const SweepOutcome outcome = sweep_with(schemas.uri(), schema, workers, 250);
        std::cout << workers << " worker(s): " << outcome.seconds << " s (" << shares(outcome)
                  << ")\n";
        const auto per_account = paused::fired_per_account(*store, count);
        CHECK(std::all_of(per_account.begin(), per_account.end(),
                          [](std::size_t n) { return n == 1; }));
    }
}

TEST_CASE("a consumer killed mid-drain: the next one delivers everything not acknowledged",
          "[postgres][claims][processes]") {
    constexpr std::size_t count = 200;
    constexpr std::size_t accounts = 20;
    TestSchemas schemas;
    const std::string schema = schemas.fresh("drain");
    auto store = open_store(schemas.uri(), schema);
    REQUIRE(store);
    seed_effects(*store, count, accounts);
    const DeliveryLog log(log_path("drain"));
    const ct::Time t0 = paused::all_due();
    const auto lease = boost::posix_time::minutes(1);

    // The first consumer delivers in claims of 25, acknowledging every 10 it delivered; after 73
    // it has 3 delivered and not acknowledged, and more leased and not delivered. Killed.
    Pipe ready;
    const pid_t first = fork_child([&]() -> int {
        auto mine = open_store(schemas.uri(), schema);
        if (!mine) return 2;
        std::vector<std::uint64_t> done;
        std::set<std::uint64_t> seen;
        std::size_t delivered = 0;
        for (;;) {
            auto claimed = mine->claim_effects(25, "c1", t0, t0 + lease);
            if (!claimed || claimed.value().empty()) return 3;
            for (const auto& entry : claimed.value()) {
                // A claim returns this consumer's own unacknowledged leases again: an idempotent
                // handler passes over what it has carried out.
                if (!seen.insert(entry.sequence).second) continue;
                log.write("c1", entry);
                done.push_back(entry.sequence);
                if (done.size() == 10) {
                    if (!mine->acknowledge_claimed_effects(done)) return 4;
                    done.clear();
                }
                if (++delivered == 73) {
                    const char one = 1;
                    write_all(ready.write_end, &one, 1);
                    for (;;) ::pause();
                }
            }
        }
    });
    char signal = 0;
    REQUIRE(read_all(ready.read_end, &signal, 1));
    REQUIRE(::kill(first, SIGKILL) == 0);
    CHECK(exit_code_of(first) == -SIGKILL);

    const auto killed = log.read();
    REQUIRE(killed.size() == 73);
    std::set<std::uint64_t> acknowledged;
    for (std::size_t i = 0; i < 70; ++i) acknowledged.insert(killed[i].sequence);
    auto pending = store->pending_effects(1000);
    REQUIRE(pending);
    CHECK(pending.value().size() == count - 70);
    for (const auto& entry : pending.value()) {
        CHECK(acknowledged.count(entry.sequence) == 0);
    }

    // The next consumer: while c1's lease runs it gets only owners c1 did not hold; once the
    // lease has run out, everything else, each owner's oldest first.
    std::size_t before_expiry = 0;
    {
        auto early = store->claim_effects(1000, "c2", t0 + boost::posix_time::seconds(30),
                                          t0 + boost::posix_time::seconds(31));
        REQUIRE(early);
        before_expiry = early.value().size();
        CHECK(before_expiry < pending.value().size());
    }
    const ct::Time later = t0 + lease;
    for (;;) {
        auto claimed = store->claim_effects(30, "c2", later, later + lease);
        REQUIRE(claimed);
        if (claimed.value().empty()) break;
        std::vector<std::uint64_t> done;
        for (const auto& entry : claimed.value()) {
            log.write("c2", entry);
            done.push_back(entry.sequence);
        }
        REQUIRE(store->acknowledge_claimed_effects(done));
    }
    CHECK(store->pending_effects(1000).value().empty());

    const auto all = log.read();
    std::set<std::uint64_t> delivered;
    std::vector<Delivery> second;
    for (const auto& d : all) {
        delivered.insert(d.sequence);
        if (d.consumer == "c2") second.push_back(d);
    }
    CHECK(delivered.size() == count);
    CHECK(*delivered.begin() == 1);
    CHECK(*delivered.rbegin() == count);
    // Everything not acknowledged, and nothing acknowledged, exactly once, in order per owner.
    CHECK(second.size() == count - 70);
    for (const auto& d : second) CHECK(acknowledged.count(d.sequence) == 0);
    for (const auto& [owner, sequences] : by_owner(second)) {
        INFO(owner);
        CHECK(std::is_sorted(sequences.begin(), sequences.end()));
        CHECK(std::set<std::uint64_t>(sequences.begin(), sequences.end()).size()
              == sequences.size());
    }
}

TEST_CASE("3 consumer processes drain the outbox at once: each effect once, in order per account",
          "[postgres][claims][processes]") {
    constexpr std::size_t count = 600;
    TestSchemas schemas;
    const std::string schema = schemas.fresh("consumers");
    auto store = open_store(schemas.uri(), schema);
    REQUIRE(store);
    seed_effects(*store, count, 30);
    const DeliveryLog log(log_path("consumers"));
    const ct::Time t0 = paused::all_due();

    std::vector<pid_t> children;
    for (int c = 0; c < 3; ++c) {
        children.push_back(fork_child([&, c]() -> int {
            auto mine = open_store(schemas.uri(), schema);
            if (!mine) return 2;
            const std::string name = "c" + std::to_string(c);
            for (int empty = 0; empty < 3;) {
                auto claimed = mine->claim_effects(20, name, t0, t0 + boost::posix_time::hours(1));
                if (!claimed) return 3;
                if (claimed.value().empty()) {
                    ++empty;  // the others may still hold owners with more to come
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    continue;
                }
                empty = 0;
                std::vector<std::uint64_t> done;
                for (const auto& entry : claimed.value()) {
                    log.write(name, entry);
                    done.push_back(entry.sequence);
                }
                if (!mine->acknowledge_claimed_effects(done)) return 4;
            }
            return 0;
        }));
    }
    for (const pid_t pid : children) CHECK(exit_code_of(pid) == 0);
    CHECK(store->pending_effects(1000).value().empty());

    const auto all = log.read();
    CHECK(all.size() == count);
    std::set<std::uint64_t> delivered;
    std::map<std::string, std::size_t> per_consumer;
    for (const auto& d : all) {
        delivered.insert(d.sequence);
        ++per_consumer[d.consumer];
    }
    CHECK(delivered.size() == count);
    for (const auto& [owner, sequences] : by_owner(all)) {
        INFO(owner);
        CHECK(std::is_sorted(sequences.begin(), sequences.end()));
    }
    std::cout << "postgres outbox: 3 consumers delivered " << per_consumer["c0"] << " + "
              << per_consumer["c1"] << " + " << per_consumer["c2"] << " effects\n";
}

TEST_CASE("wait_for_effects wakes when another connection commits effects, and only then",
          "[postgres][claims][listen]") {
    TestSchemas schemas;
    const std::string schema = schemas.fresh("listen");
    auto waiter = open_store(schemas.uri(), schema);
    auto writer = open_store(schemas.uri(), schema);
    REQUIRE(waiter);
    REQUIRE(writer);
    CHECK(waiter->effects_channel().rfind("calltrack_effects_", 0) == 0);
    CHECK(waiter->effects_channel() == writer->effects_channel());

    // The first call only begins to listen, and says to look.
    const auto first = waiter->wait_for_effects(std::chrono::milliseconds(5000));
    REQUIRE(first);
    CHECK(first.value());
    const auto idle = waiter->wait_for_effects(std::chrono::milliseconds(200));
    REQUIRE(idle);
    CHECK_FALSE(idle.value());

    // A commit without effects announces nothing.
    ct::CommitBatch deadline_only;
    deadline_only.deadlines_added.push_back(
        ct::Deadline{paused::all_due(), ct::DeadlineKind::data_purge, "account:x"});
    REQUIRE(writer->commit(deadline_only));
    const auto quiet = waiter->wait_for_effects(std::chrono::milliseconds(300));
    REQUIRE(quiet);
    CHECK_FALSE(quiet.value());

    std::thread commit_later([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        ct::CommitBatch batch;
        batch.effects.push_back(effect_of(1, 1));
        REQUIRE(writer->commit(batch));
    });
    const auto start = Steady::now();
    const auto woken = waiter->wait_for_effects(std::chrono::milliseconds(10'000));
    const double took = seconds_since(start);
    commit_later.join();
    REQUIRE(woken);
    CHECK(woken.value());
    CHECK(took < 5.0);
    CHECK(waiter->pending_effects(10).value().size() == 1);

    // With notify_effects off, a commit announces nothing.
    ct::PostgresOptions silent;
    silent.schema = schema;
    silent.notify_effects = false;
    auto quiet_writer = ct::PostgresStore::open(schemas.uri(), silent);
    REQUIRE(quiet_writer);
    ct::CommitBatch unannounced;
    unannounced.effects.push_back(effect_of(2, 2));
    REQUIRE(quiet_writer.value()->commit(unannounced));
    const auto unheard = waiter->wait_for_effects(std::chrono::milliseconds(300));
    REQUIRE(unheard);
    CHECK_FALSE(unheard.value());
}
