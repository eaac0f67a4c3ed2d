// Costs of the lifecycle engine over a large InMemoryStore: the pure core's check, the engine's
// check, execute throughput, advance with nothing due and with 10,000 due, and an agency cancel
// cascade. docs/performance.md records the figures and how to reproduce them.
//
// The store holds N accounts (default 1,000,000; lower it with CALLTRACK_BENCH_ACCOUNTS), shaped
// as agencies of 20 sub-accounts with 5 tracking numbers each. It is seeded once per process by
// committing the records straight to the store, the records the engine itself would have
// written (checked against an engine-built agency before seeding), but without their events.
#include <calltrack/decide.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/testing/fault_injecting_store.hpp>

#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace calltrack;

constexpr std::size_t subs_per_agency = 20;
constexpr std::size_t numbers_per_account = 5;
constexpr std::size_t cascade_subs = 1000;
constexpr std::size_t cascade_numbers_per_sub = 20;
constexpr std::uint32_t random_seed = 20240101;

// --- small helpers ---------------------------------------------------------------------------

Time t0() {
    return parse_time("2024-01-01T00:00:00Z").value();
}

Currency usd() {
    return Currency::parse("USD").value();
}

std::string numbered(const char* prefix, std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "%s%07zu", prefix, n);
    return text;
}

/// A distinct E.164 number for every index: +1 and ten digits from 2000000000.
PhoneNumber phone_for(std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "+1%010zu", std::size_t{2'000'000'000} + n);
    return PhoneNumber::parse(text).value();
}

const PhoneNumber& forwarding() {
    static const PhoneNumber p = PhoneNumber::parse("+14045550100").value();
    return p;
}

Confirmation clicked() {
    Confirmation c;
    c.clicked = true;
    return c;
}

/// VmRSS of this process, in bytes.
std::size_t rss_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::size_t accounts_from_env() {
    std::size_t n = 1'000'000;
    if (const char* text = std::getenv("CALLTRACK_BENCH_ACCOUNTS")) {
        n = static_cast<std::size_t>(std::strtoull(text, nullptr, 10));
    }
    // Whole agencies only, and at least ten of them.
    if (n < 10 * subs_per_agency) n = 10 * subs_per_agency;
    return n / subs_per_agency * subs_per_agency;
}

const Policy& ctm() {
    static const Policy p = policies::ctm();
    return p;
}

/// One clock for every engine here: the store refuses a reading earlier than its last event.
ManualClock& bench_clock() {
    static ManualClock c(t0());
    return c;
}

// --- the records the engine writes when provisioning ----------------------------------------
// The same values decide() and evolve() give for CreateAgency, OpenAccount, AddTrackingNumber
// and GrantRole at t0; verify_seed_matches_engine() proves it before any seeding.

Agency make_agency(const AgencyId& id) {
    Agency a;
    a.id = id;
    a.charges = ctm().charges.agency_active;
    a.balance = Balance{Money::zero(usd()), BalanceStatus::in_use, std::nullopt};
    a.created_at = t0();
    return a;
}

Account make_account(const AccountId& id, const AgencyId& agency) {
    Account a;
    a.id = id;
    a.agency = agency;
    a.plan = Plan{"Pro", {}};
    a.charges = ctm().charges.active;
    a.balance = Balance{Money::zero(usd()), BalanceStatus::in_use, std::nullopt};
    a.timeline.opened_at = t0();
    return a;
}

TrackingNumber make_number(const NumberId& id, const AccountId& account, PhoneNumber phone) {
    return TrackingNumber{id,
                          account,
                          std::move(phone),
                          forwarding(),
                          NumberSource::onsite_dynamic,
                          NumberStatus::active,
                          false,
                          false,
                          std::nullopt};
}

RoleGrant admin_grant(const AgencyId& agency) {
    return RoleGrant{Role::agency_administrator, agency};
}

/// Names of one agency's records: its id, its administrator, its sub-accounts, their numbers.
struct AgencyLayout {
    AgencyId agency;
    UserId admin;
    std::vector<AccountId> accounts;
    std::vector<std::vector<std::pair<NumberId, PhoneNumber>>> numbers;
};

/// Agency `i` of the main population: sub-accounts 20i..20i+19, numbers 5 per sub-account.
AgencyLayout population_agency(std::size_t i) {
    AgencyLayout l;
    l.agency = AgencyId(numbered("ag", i));
    l.admin = UserId(numbered("adm", i));
    for (std::size_t s = 0; s < subs_per_agency; ++s) {
        const std::size_t account = i * subs_per_agency + s;
        l.accounts.emplace_back(numbered("ac", account));
        l.numbers.emplace_back();
        for (std::size_t k = 0; k < numbers_per_account; ++k) {
            const std::size_t number = account * numbers_per_account + k;
            l.numbers.back().emplace_back(NumberId(numbered("n", number)), phone_for(number));
        }
    }
    return l;
}

/// Cascade agency `c`: 1,000 sub-accounts of 20 numbers each, numbered apart from the population.
AgencyLayout cascade_agency(std::size_t c) {
    AgencyLayout l;
    l.agency = AgencyId(numbered("cg", c));
    l.admin = UserId(numbered("cadm", c));
    for (std::size_t s = 0; s < cascade_subs; ++s) {
        const std::size_t account = c * cascade_subs + s;
        l.accounts.emplace_back(numbered("ca", account));
        l.numbers.emplace_back();
        for (std::size_t k = 0; k < cascade_numbers_per_sub; ++k) {
            const std::size_t number = account * cascade_numbers_per_sub + k;
            l.numbers.back().emplace_back(NumberId(numbered("cn", number)),
                                          phone_for(500'000'000 + number));
        }
    }
    return l;
}

/// The agency's records, each written at expected version 0, as the engine's commits would; the
/// agency once more, unchanged, as the administrator's grant writes its scope's record.
void add_records(CommitBatch& batch, const AgencyLayout& l) {
    batch.agencies.push_back({make_agency(l.agency), 0});
    batch.agencies.push_back({make_agency(l.agency), 1});
    for (std::size_t s = 0; s < l.accounts.size(); ++s) {
        batch.accounts.push_back({make_account(l.accounts[s], l.agency), 0});
        for (const auto& [id, phone] : l.numbers[s]) {
            batch.numbers.push_back({make_number(id, l.accounts[s], phone), 0});
        }
    }
    batch.grants.push_back({UserGrants{l.admin, {admin_grant(l.agency)}}, 0});
}

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "engine_bench: %s\n", what.c_str());
    std::abort();
}

void commit_or_fail(Store& store, const CommitBatch& batch) {
    if (auto r = store.commit(batch); !r) fail("seed commit failed: " + r.error().message());
}

/// Builds agency 0 through Engine::execute in one store and by add_records() in another, and
/// aborts unless every record, version and index answer is the same.
void verify_seed_matches_engine() {
    const AgencyLayout l = population_agency(0);
    const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};

    InMemoryStore by_engine;
    ManualClock clock(t0());
    Engine engine(ctm(), clock, by_engine);
    auto run = [&](const Command& c) {
        if (auto r = engine.execute(support, c); !r) {
            fail("engine seeding refused: " + r.error().message());
        }
    };
    run(commands::CreateAgency{l.agency, usd()});
    for (std::size_t s = 0; s < l.accounts.size(); ++s) {
        run(commands::OpenAccount{l.accounts[s], l.agency, Plan{"Pro", {}}, usd()});
        for (const auto& [id, phone] : l.numbers[s]) {
            run(commands::AddTrackingNumber{id, l.accounts[s], phone, forwarding(),
                                            NumberSource::onsite_dynamic});
        }
    }
    run(commands::GrantRole{l.admin, admin_grant(l.agency)});

    InMemoryStore direct;
    CommitBatch batch;
    add_records(batch, l);
    commit_or_fail(direct, batch);

    auto same = [](auto a, auto b, const std::string& what) {
        if (!a || !b || a.value() != b.value())
            fail("seeded record differs from engine's: " + what);
    };
    same(by_engine.load_agency(l.agency), direct.load_agency(l.agency), l.agency.str());
    same(by_engine.load_grants(l.admin), direct.load_grants(l.admin), l.admin.str());
    same(by_engine.load_sub_accounts(l.agency), direct.load_sub_accounts(l.agency), "subs");
    for (std::size_t s = 0; s < l.accounts.size(); ++s) {
        const AccountId& a = l.accounts[s];
        same(by_engine.load_account(a), direct.load_account(a), a.str());
        same(by_engine.load_numbers_of(a), direct.load_numbers_of(a), a.str() + " numbers");
        same(by_engine.deadlines_of(deadline_subject(a)), direct.deadlines_of(deadline_subject(a)),
             a.str() + " deadlines");
        for (const auto& [id, phone] : l.numbers[s]) {
            same(by_engine.find_number_by_phone(phone), direct.find_number_by_phone(phone),
                 phone.e164());
        }
    }
}

// --- the seeded population ---------------------------------------------------------------------

struct Population {
    std::unique_ptr<InMemoryStore> store = std::make_unique<InMemoryStore>();
    std::size_t accounts = 0;
    std::size_t agencies = 0;
    double seed_seconds = 0;
    double seed_cpu_seconds =
        0;  ///< process CPU time, which other load on the machine inflates less
    double bytes_per_account = 0;
    /// Sub-accounts [0, head) are for check and execute; [head, accounts) for canceling.
    std::size_t head = 0;
    /// Filled after the memory figure is taken, so that it does not count them.
    std::vector<AccountId> account_ids;
    std::vector<Actor> admins;  ///< per agency: its agency administrator

    const Actor& admin_of(std::size_t account) const { return admins[account / subs_per_agency]; }
};

/// How many sub-accounts the due-deadline benchmark cancels per round, its iterations, and how
/// many rounds the tail of the population is kept for (so that repetitions still find fresh ones).
constexpr int due_iterations = 3;
constexpr std::size_t due_rounds_reserved = 10;
std::size_t due_count(std::size_t accounts) {
    return std::min<std::size_t>(10'000, accounts / (10 * due_rounds_reserved));
}

std::unique_ptr<Population> seed(std::size_t accounts) {
    accounts = std::max(accounts / subs_per_agency, std::size_t{1}) * subs_per_agency;
    auto p = std::make_unique<Population>();
    p->accounts = accounts;
    p->agencies = accounts / subs_per_agency;
    p->head = accounts - due_rounds_reserved * due_count(accounts);

    const std::size_t rss_before = rss_bytes();
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    constexpr std::size_t agencies_per_commit = 10;
    for (std::size_t first = 0; first < p->agencies; first += agencies_per_commit) {
        CommitBatch batch;
        for (std::size_t i = first; i < std::min(first + agencies_per_commit, p->agencies); ++i) {
            add_records(batch, population_agency(i));
        }
        commit_or_fail(*p->store, batch);
    }
    p->seed_seconds = seconds_since(start);
    p->seed_cpu_seconds =
        static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
    const std::size_t rss_after = rss_bytes();
    p->bytes_per_account =
        static_cast<double>(rss_after - rss_before) / static_cast<double>(accounts);

    p->account_ids.reserve(accounts);
    for (std::size_t i = 0; i < accounts; ++i) p->account_ids.emplace_back(numbered("ac", i));
    p->admins.reserve(p->agencies);
    for (std::size_t i = 0; i < p->agencies; ++i) {
        const AgencyId agency(numbered("ag", i));
        p->admins.push_back(Actor{UserId(numbered("adm", i)), {admin_grant(agency)}});
    }
    std::fprintf(stderr,
                 "engine_bench: seeded %zu accounts (%zu agencies, %zu numbers) in %.2f s "
                 "(%.2f s CPU); RSS %.1f -> %.1f MiB, %.0f bytes per account\n",
                 accounts, p->agencies, accounts * numbers_per_account, p->seed_seconds,
                 p->seed_cpu_seconds, static_cast<double>(rss_before) / 1048576.0,
                 static_cast<double>(rss_after) / 1048576.0, p->bytes_per_account);
    return p;
}

/// The main population of N accounts, seeded on first use.
Population& population() {
    static const std::unique_ptr<Population> p = [] {
        const std::size_t n = accounts_from_env();
        std::fprintf(stderr,
                     "engine_bench: N = %zu accounts (CALLTRACK_BENCH_ACCOUNTS), "
                     "std::mt19937 seed %u\n",
                     n, random_seed);
        verify_seed_matches_engine();
        return seed(n);
    }();
    return *p;
}

/// A population of N / 10 accounts, to compare against.
Population& tenth_population() {
    static const std::unique_ptr<Population> p = seed(accounts_from_env() / 10);
    return *p;
}

/// Allocations made between start() and stop(), summed over every start/stop pair.
class AllocationMeter {
  public:
    void start() { begin_ = bench::allocation_count(); }
    void stop() { total_ += bench::allocation_count() - begin_; }
    double per(benchmark::IterationCount n) const {
        return n == 0 ? 0.0 : static_cast<double>(total_) / static_cast<double>(n);
    }

  private:
    std::uint64_t begin_ = 0;
    std::uint64_t total_ = 0;
};

void report_population(benchmark::State& state, const Population& p) {
    state.counters["accounts"] = static_cast<double>(p.accounts);
}

/// How many Store calls `operation` makes through an engine, counted by a wrapper. Run outside
/// the timed loop: the wrapper adds a mutex of its own to every call.
template <class F>
double store_calls(Store& store, F&& operation) {
    calltrack::testing::FaultInjectingStore counting(store);
    Engine engine(ctm(), bench_clock(), counting);
    operation(engine);
    return static_cast<double>(counting.calls());
}

// --- seeding ----------------------------------------------------------------------------------

/// Reports the seeding of the main population: its time (as the iteration time) and memory.
void BM_SeedStore(benchmark::State& state) {
    const Population& p = population();
    for (auto _ : state) state.SetIterationTime(p.seed_seconds);
    report_population(state, p);
    state.counters["numbers"] = static_cast<double>(p.accounts * numbers_per_account);
    state.counters["bytes_per_account"] = p.bytes_per_account;
    state.counters["cpu_s"] = p.seed_cpu_seconds;
}
BENCHMARK(BM_SeedStore)
    ->Name("seed store")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

// --- (a) the pure core ----------------------------------------------------------------------

/// One agency, one sub-account with five onsite dynamic numbers, and its administrator's grant,
/// built by decide() and apply() as the engine would.
State small_state() {
    const AgencyLayout l = population_agency(0);
    const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
    State s;
    auto run = [&](const Command& c) {
        auto events = decide(s, c, support, ctm(), t0());
        if (!events) fail("pure seeding refused: " + events.error().message());
        calltrack::apply(s, events.value());
    };
    run(commands::CreateAgency{l.agency, usd()});
    run(commands::OpenAccount{l.accounts[0], l.agency, Plan{"Pro", {}}, usd()});
    for (const auto& [id, phone] : l.numbers[0]) {
        run(commands::AddTrackingNumber{id, l.accounts[0], phone, forwarding(),
                                        NumberSource::onsite_dynamic});
    }
    run(commands::GrantRole{l.admin, admin_grant(l.agency)});
    return s;
}

void BM_PureCheck(benchmark::State& state) {
    const State s = small_state();
    const Actor admin{UserId(numbered("adm", 0)), {admin_grant(AgencyId(numbered("ag", 0)))}};
    const Command pause = commands::PauseTracking{AccountId(numbered("ac", 0)), {}, clicked()};
    const Time now = t0();
    if (!check(s, pause, admin, ctm(), now).is_allowed()) {
        state.SkipWithError("the pause is refused");
        return;
    }
    AllocationMeter allocs;
    allocs.start();
    for (auto _ : state) {
        Verdict v = check(s, pause, admin, ctm(), now);
        benchmark::DoNotOptimize(v);
    }
    allocs.stop();
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
}
BENCHMARK(BM_PureCheck)->Name("(a) pure check PauseTracking");

/// decide() on the same state, for comparison with check(): it also builds the events.
void BM_PureDecide(benchmark::State& state) {
    const State s = small_state();
    const Actor admin{UserId(numbered("adm", 0)), {admin_grant(AgencyId(numbered("ag", 0)))}};
    const Command pause = commands::PauseTracking{AccountId(numbered("ac", 0)), {}, clicked()};
    const Time now = t0();
    AllocationMeter allocs;
    allocs.start();
    for (auto _ : state) {
        auto events = decide(s, pause, admin, ctm(), now);
        benchmark::DoNotOptimize(events);
    }
    allocs.stop();
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
}
BENCHMARK(BM_PureDecide)->Name("(a') pure decide PauseTracking");

// --- (b) Engine::check against the big store ----------------------------------------------------

void BM_EngineCheck(benchmark::State& state) {
    Population& p = population();
    Engine engine(ctm(), bench_clock(), *p.store);
    std::mt19937 rng(random_seed);
    std::uniform_int_distribution<std::size_t> pick(0, p.head - 1);
    AllocationMeter allocs;
    allocs.start();
    for (auto _ : state) {
        const std::size_t i = pick(rng);
        auto verdict = engine.check(
            p.admin_of(i), commands::PauseTracking{p.account_ids[i], std::nullopt, clicked()});
        if (!verdict || !verdict.value().is_allowed()) {
            state.SkipWithError("check failed or refused");
            break;
        }
        benchmark::DoNotOptimize(verdict);
    }
    allocs.stop();
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
    state.counters["store_calls_per_iter"] = store_calls(*p.store, [&](Engine& e) {
        (void)e.check(p.admin_of(0), commands::PauseTracking{p.account_ids[0], {}, clicked()});
    });
    report_population(state, p);
}
BENCHMARK(BM_EngineCheck)->Name("(b) Engine::check PauseTracking");

// --- (c) Engine::execute throughput ------------------------------------------------------------

/// Alternates PauseTracking on a random unpaused sub-account with ResumeTracking on a random
/// paused one, so every command is allowed and each commits one event. With argument 1 every
/// command carries a fresh idempotency key, which adds the key lookup, the command's JSON
/// fingerprint and the stored receipt.
void BM_EngineExecute(benchmark::State& state) {
    const bool with_key = state.range(0) != 0;
    static std::uint64_t key_counter = 0;
    auto key = [&]() -> std::optional<std::string> {
        if (!with_key) return std::nullopt;
        return "req-" + std::to_string(++key_counter);
    };
    Population& p = population();
    Engine engine(ctm(), bench_clock(), *p.store);
    std::mt19937 rng(random_seed + 1);
    std::uniform_int_distribution<std::size_t> pick(0, p.head - 1);
    static std::vector<bool> paused(p.head, false);
    static std::vector<std::size_t> paused_list;
    AllocationMeter allocs;
    allocs.start();
    bool pause_next = true;
    for (auto _ : state) {
        result<Receipt, Refused> r = errc::invalid_state;
        if (pause_next || paused_list.empty()) {
            std::size_t i = pick(rng);
            while (paused[i]) i = pick(rng);
            r = engine.execute(p.admin_of(i),
                               commands::PauseTracking{p.account_ids[i], std::nullopt, clicked()},
                               key());
            paused[i] = true;
            paused_list.push_back(i);
        } else {
            const std::size_t k =
                std::uniform_int_distribution<std::size_t>(0, paused_list.size() - 1)(rng);
            const std::size_t i = paused_list[k];
            r = engine.execute(p.admin_of(i),
                               commands::ResumeTracking{p.account_ids[i], std::nullopt, {}}, key());
            paused[i] = false;
            paused_list[k] = paused_list.back();
            paused_list.pop_back();
        }
        pause_next = !pause_next;
        if (!r) {
            state.SkipWithError(("execute failed: " + r.error().message()).c_str());
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    allocs.stop();
    state.SetItemsProcessed(state.iterations());
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
    // One pause and one resume of an account not paused now, which leaves it as it was.
    std::size_t i = 0;
    while (paused[i]) ++i;
    state.counters["store_calls_per_iter"] =
        store_calls(
            *p.store,
            [&](Engine& e) {
                const auto a = e.execute(
                    p.admin_of(i), commands::PauseTracking{p.account_ids[i], {}, clicked()}, key());
                const auto b = e.execute(p.admin_of(i),
                                         commands::ResumeTracking{p.account_ids[i], {}, {}}, key());
                if (!a || !b) fail("counted execute failed");
            })
        / 2;
    report_population(state, p);
}
BENCHMARK(BM_EngineExecute)
    ->Name("(c) Engine::execute Pause/ResumeTracking")
    ->ArgName("idempotency_key")
    ->Arg(0)
    ->Arg(1)
    ->MinTime(2.0);

// --- (e) advance firing 10,000 due deadlines --------------------------------------------------

/// Each iteration, untimed: fires whatever earlier iterations left pending, closes the next
/// 10,000 sub-accounts from the tail of the population through execute at time t, and moves the
/// clock to t + 14 days, when exactly their number-restore windows close. Timed: the one
/// advance() call that fires them.
void BM_AdvanceDue(benchmark::State& state) {
    Population& p = population();
    ManualClock& clock = bench_clock();
    Engine engine(ctm(), clock, *p.store);
    const std::size_t due = due_count(p.accounts);
    static std::size_t next = p.head;
    AllocationMeter allocs;
    std::size_t fired = 0;
    for (auto _ : state) {
        if (next + due > p.accounts) {
            state.SkipWithError("out of sub-accounts to close; raise due_rounds_reserved");
            break;
        }
        state.PauseTiming();
        clock.advance(boost::posix_time::hours(24 * 100)).value();
        if (!engine.advance()) fail("draining advance failed");
        for (std::size_t k = 0; k < due; ++k, ++next) {
            auto r = engine.execute(p.admin_of(next),
                                    commands::CloseSubAccount{p.account_ids[next], clicked()});
            if (!r) fail("close failed: " + r.error().message());
        }
        clock.advance(boost::posix_time::hours(24 * 14)).value();
        const auto pending = p.store->due_deadlines(clock.now(), 10 * due).value().size();
        if (pending != due) fail("expected " + std::to_string(due) + " due deadlines");
        state.ResumeTiming();

        allocs.start();
        const auto start = std::chrono::steady_clock::now();
        auto events = engine.advance();
        const double elapsed = seconds_since(start);
        allocs.stop();

        state.SetIterationTime(elapsed);
        if (!events) fail("advance failed: " + events.error().message());
        fired = events.value().size();
    }
    state.counters["due"] = static_cast<double>(due);
    state.counters["events_fired"] = static_cast<double>(fired);
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
    report_population(state, p);
}
BENCHMARK(BM_AdvanceDue)
    ->Name("(e) Engine::advance 10,000 due")
    ->Iterations(due_iterations)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// --- (d) advance with nothing due ------------------------------------------------------------

/// Argument 1: the main population; 10: a population a tenth its size.
void BM_AdvanceNothingDue(benchmark::State& state) {
    Population& p = state.range(0) == 1 ? population() : tenth_population();
    Engine engine(ctm(), bench_clock(), *p.store);
    if (!engine.advance()) fail("draining advance failed");
    const auto pending = p.store->due_deadlines(Time(boost::posix_time::max_date_time), 1'000'000);
    AllocationMeter allocs;
    allocs.start();
    for (auto _ : state) {
        auto events = engine.advance();
        if (!events || !events.value().empty()) {
            state.SkipWithError("advance failed or fired");
            break;
        }
        benchmark::DoNotOptimize(events);
    }
    allocs.stop();
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
    state.counters["pending_deadlines"] = static_cast<double>(pending.value().size());
    state.counters["store_calls_per_iter"] =
        store_calls(*p.store, [](Engine& e) { (void)e.advance(); });
    report_population(state, p);
}
BENCHMARK(BM_AdvanceNothingDue)->Name("(d) Engine::advance nothing due, N / arg")->Arg(1)->Arg(10);

// --- (f) agency cancel cascade ------------------------------------------------------------------

/// Each iteration, untimed: commits a fresh agency of 1,000 sub-accounts × 20 numbers into the
/// main store. Timed: the one execute(CancelAgency) that cancels it with every sub-account.
void BM_CancelAgencyCascade(benchmark::State& state) {
    Population& p = population();
    Engine engine(ctm(), bench_clock(), *p.store);
    static std::size_t next = 0;
    AllocationMeter allocs;
    std::size_t events_count = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const AgencyLayout l = cascade_agency(next++);
        CommitBatch batch;
        add_records(batch, l);
        commit_or_fail(*p.store, batch);
        if (!engine.advance()) fail("draining advance failed");
        const Actor admin{l.admin, {admin_grant(l.agency)}};
        const Command cancel = commands::CancelAgency{l.agency, clicked()};
        state.ResumeTiming();

        allocs.start();
        const auto start = std::chrono::steady_clock::now();
        auto r = engine.execute(admin, cancel);
        const double elapsed = seconds_since(start);
        allocs.stop();

        state.SetIterationTime(elapsed);
        if (!r) fail("cancel agency failed: " + r.error().message());
        events_count = r.value().events.size();
    }
    state.counters["events"] = static_cast<double>(events_count);
    state.counters["allocs_per_iter"] = allocs.per(state.iterations());
    report_population(state, p);
}
BENCHMARK(BM_CancelAgencyCascade)
    ->Name("(f) Engine::execute CancelAgency 1,000 subs x 20 numbers")
    ->Iterations(5)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
