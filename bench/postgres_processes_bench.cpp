// PostgresStore over several processes (issue 11): commands per second through Engine::execute
// with 1, 4 and 8 client processes, and one sweep of 10,000 due deadlines by 1 and 4 worker
// processes. Each client or worker is this program forked, with its own connection opened after
// the fork; they start together at a pipe, and the time is from the start to the last one's end
// (manual time, one iteration each: a run is seconds long).
//
//   ./build/release/bench/calltrack_postgres_bench --benchmark_filter='Clients|Sweep'
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/postgres_store.hpp>

#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include "postgres_bench_server.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace ct = calltrack;
using namespace calltrack::bench;

namespace {

using Steady = std::chrono::steady_clock;

const ct::Currency& usd() {
    static const ct::Currency c = ct::Currency::parse("USD").value();
    return c;
}

ct::Time start_time() {
    static const ct::Time t = ct::parse_time("2024-03-01T09:00:00Z").value();
    return t;
}

/// Forks `processes` children running `child(index)` (its return value is the exit code), starts
/// them together, and returns the seconds from the start to the last one's end; `report` gets
/// what each child wrote to its pipe (one uint64).
template <class Child>
double run_processes(int processes, Child child, std::uint64_t* report_sum) {
    int ready[2];
    int go[2];
    int reports[2];
    if (::pipe(ready) != 0 || ::pipe(go) != 0 || ::pipe(reports) != 0) {
        throw std::runtime_error("pipe");
    }
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork");
        if (pid == 0) {
            int code = 100;
            try {
                code = child(p, ready[1], go[0], reports[1]);
            } catch (...) {
                code = 101;
            }
            ::_exit(code);
        }
        children.push_back(pid);
    }
    for (int p = 0; p < processes; ++p) {
        char c = 0;
        if (::read(ready[0], &c, 1) != 1) throw std::runtime_error("a child did not start");
    }
    const auto started = Steady::now();
    const std::string signals(static_cast<std::size_t>(processes), 'g');
    if (::write(go[1], signals.data(), signals.size()) != static_cast<ssize_t>(signals.size())) {
        throw std::runtime_error("cannot start the children");
    }
    bool all_ok = true;
    for (const pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        all_ok = all_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    *report_sum = 0;
    for (int p = 0; p < processes; ++p) {
        std::uint64_t n = 0;
        if (::read(reports[0], &n, sizeof n) == sizeof n) *report_sum += n;
    }
    for (int fd : {ready[0], ready[1], go[0], go[1], reports[0], reports[1]}) ::close(fd);
    if (!all_ok) throw std::runtime_error("a child failed");
    return seconds;
}

/// A child's handshake: ready, then wait for the start.
bool wait_for_start(int ready_fd, int go_fd) {
    const char one = 1;
    if (::write(ready_fd, &one, 1) != 1) return false;
    char c = 0;
    return ::read(go_fd, &c, 1) == 1;
}

// --- commands per second ---------------------------------------------------------------------

/// Each client adjusts the balance of an account of its own, so the figure is throughput, not
/// conflicts (tests/postgres/postgres_clients_test.cpp has those).
void BM_PostgresEngineClients(benchmark::State& state) {
    const int clients = static_cast<int>(state.range(0));
    constexpr int per_client = 500;
    Schema schema("clients");
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    {
        auto store = schema.open();
        ct::ManualClock clock(start_time());
        ct::Engine engine(ct::policies::ctm(), clock, *store);
        for (int p = 0; p < clients; ++p) {
            const ct::commands::OpenAccount open{ct::AccountId("client-" + std::to_string(p)),
                                                 std::nullopt, ct::Plan{"Pro", {}}, usd()};
            if (!engine.execute(support, open)) throw std::runtime_error("seeding the accounts");
        }
    }
    for (auto _ : state) {
        std::uint64_t done = 0;
        const double seconds = run_processes(
            clients,
            [&](int p, int ready, int go, int report) -> int {
                auto store = schema.open();
                ct::ManualClock clock(start_time());
                ct::Engine engine(ct::policies::ctm(), clock, *store);
                const ct::commands::AdjustBalance credit{
                    ct::AccountId("client-" + std::to_string(p)), ct::Money(1, usd())};
                if (!wait_for_start(ready, go)) return 2;
                std::uint64_t n = 0;
                for (int i = 0; i < per_client; ++i) {
                    if (!engine.execute(support, credit)) return 3;
                    ++n;
                }
                return ::write(report, &n, sizeof n) == sizeof n ? 0 : 4;
            },
            &done);
        state.SetIterationTime(seconds);
        state.counters["commands"] = static_cast<double>(done);
        state.counters["commands_per_s"] = static_cast<double>(done) / seconds;
    }
}
BENCHMARK(BM_PostgresEngineClients)
    ->Arg(1)
    ->Arg(4)
    ->Arg(8)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// --- one sweep, several workers ----------------------------------------------------------------

ct::Time paused_at() {
    static const ct::Time t = ct::parse_time("2020-09-01T00:00:00Z").value();
    return t;
}

/// `count` paused CallRail accounts, each with its pause maximum, committed in groups of 500
/// batches (as tests/support/paused_accounts.hpp seeds them, without the test framework).
void seed_paused(ct::PostgresStore& store, std::size_t count) {
    ct::InMemoryStore memory;
    ct::ManualClock clock(paused_at());
    ct::Engine engine(ct::policies::callrail(), clock, memory);
    const ct::AccountId tpl("tpl");
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    const bool ok =
        engine.execute(support,
                       ct::commands::OpenAccount{tpl, std::nullopt, ct::Plan{"Pro", {}}, usd()})
        && engine.execute(
            support,
            ct::commands::GrantRole{ct::UserId("ann"), ct::RoleGrant{ct::Role::administrator, tpl}})
        && engine.execute(engine.actor(ct::UserId("ann")).value(),
                          ct::commands::PauseAccount{tpl, ct::Confirmation::click()});
    if (!ok) throw std::runtime_error("pausing the template account");
    const auto loaded = memory.load_account(tpl);
    const auto deadlines = memory.deadlines_of(ct::deadline_subject(tpl));
    if (!loaded || !loaded.value() || !deadlines || deadlines.value().size() != 1) {
        throw std::runtime_error("the template account has no pause maximum");
    }
    const ct::Account account = loaded.value()->value;
    const ct::Deadline due = deadlines.value().front();
    if (!store.begin_group()) throw std::runtime_error(store.last_error());
    for (std::size_t i = 0; i < count; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "acct-%05zu", i);
        ct::Account copy = account;
        copy.id = ct::AccountId(id);
        ct::CommitBatch batch;
        batch.accounts.push_back({copy, 0});
        batch.deadlines_added.push_back(
            ct::Deadline{due.at, ct::DeadlineKind::pause_maximum, ct::deadline_subject(copy.id)});
        if (!store.commit(batch)) throw std::runtime_error(store.last_error());
    }
    if (!store.end_group()) throw std::runtime_error(store.last_error());
}

void BM_PostgresSweepWorkers(benchmark::State& state) {
    const int workers = static_cast<int>(state.range(0));
    constexpr std::size_t count = 10'000;
    const ct::Time all_due =
        paused_at() + boost::posix_time::hours(24 * 182) + boost::posix_time::minutes(1);
    for (auto _ : state) {
        // Manual time: the seeding is not in the figure.
        Schema schema("sweep");
        {
            auto store = schema.open();
            seed_paused(*store, count);
        }
        std::uint64_t fired = 0;
        const double seconds = run_processes(
            workers,
            [&](int w, int ready, int go, int report) -> int {
                auto store = schema.open();
                ct::ManualClock clock(all_due);
                ct::EngineOptions options;
                options.worker = "w" + std::to_string(w);
                options.advance_batch = 250;
                ct::Engine engine(ct::policies::callrail(), clock, *store, options);
                if (!wait_for_start(ready, go)) return 2;
                const ct::Sweep sweep = engine.advance();
                if (!sweep) return 3;
                std::uint64_t n = 0;
                for (const ct::Event& e : sweep.events()) {
                    if (std::holds_alternative<ct::events::PauseMaximumReached>(e)) ++n;
                }
                return ::write(report, &n, sizeof n) == sizeof n ? 0 : 4;
            },
            &fired);
        if (fired != count) state.SkipWithError("the sweep did not fire every deadline once");
        state.SetIterationTime(seconds);
        state.counters["deadlines_per_s"] = static_cast<double>(fired) / seconds;
    }
}
BENCHMARK(BM_PostgresSweepWorkers)
    ->Arg(1)
    ->Arg(4)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
