// What SqliteStore costs over SQLite itself. Each commit writes one account record (a version
// bump), two events and one outbox entry. The raw baseline writes the same rows (the same JSON
// text, already serialised) into the same schema with the same pragmas, one transaction per
// commit, so SqliteStore's overhead (serialising, checking versions, numbering events) is the
// ratio of the two. Items are commits (batches); /0 is synchronous=FULL, /1 is NORMAL. The
// rates are per wall-clock second (UseRealTime): a commit's cost is mostly waiting for the disk.
// BM_SqliteEngineGroupExecute measures commands: Engine::execute over SqliteStore, 1,000 per group
// (see the section at the end).
//
//   ./build/release/bench/calltrack_bench --benchmark_filter=Sqlite
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/sqlite_store.hpp>

#include <benchmark/benchmark.h>

#include <sqlite3.h>
#include <unistd.h>
#include "batch.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace ct = calltrack;
namespace fs = std::filesystem;
using namespace calltrack::bench;

namespace {

/// A fresh database file under the temporary directory, removed with its WAL afterwards.
class TempDatabase {
  public:
    TempDatabase() {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path()
               / ("calltrack-bench-" + std::to_string(static_cast<long>(::getpid())) + "-"
                  + std::to_string(counter++));
        fs::create_directories(dir_);
    }
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;
    ~TempDatabase() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    std::string path() const { return (dir_ / "bench.db").string(); }

  private:
    fs::path dir_;
};

ct::SqliteOptions options_for(std::int64_t arg) {
    ct::SqliteOptions options;
    options.synchronous = arg == 0 ? ct::SqliteSynchronous::full : ct::SqliteSynchronous::normal;
    return options;
}

const char* label_for(std::int64_t arg) {
    return arg == 0 ? "synchronous=FULL" : "synchronous=NORMAL";
}

std::unique_ptr<ct::SqliteStore> open_store(const std::string& path, std::int64_t arg) {
    auto store = ct::SqliteStore::open(path, options_for(arg));
    if (!store) throw std::runtime_error("cannot open " + path + ": " + store.error().message());
    return std::move(store).value();
}

void BM_SqliteStoreCommit(benchmark::State& state) {
    TempDatabase db;
    auto store = open_store(db.path(), state.range(0));
    const ct::Account account = bench_account();
    std::uint64_t n = 0;
    for (auto _ : state) {
        const auto committed = store->commit(bench_batch(account, ++n));
        if (!committed) state.SkipWithError(store->last_error().c_str());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(label_for(state.range(0)));
}
BENCHMARK(BM_SqliteStoreCommit)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

/// Group commit: 1,000 batches per transaction. Items are batches.
void BM_SqliteStoreGroupCommit(benchmark::State& state) {
    constexpr int batches_per_group = 1000;
    TempDatabase db;
    auto store = open_store(db.path(), state.range(0));
    const ct::Account account = bench_account();
    std::uint64_t n = 0;
    for (auto _ : state) {
        if (!store->begin_group()) state.SkipWithError(store->last_error().c_str());
        for (int i = 0; i < batches_per_group; ++i) {
            if (!store->commit(bench_batch(account, ++n))) {
                state.SkipWithError(store->last_error().c_str());
            }
        }
        if (!store->end_group()) state.SkipWithError(store->last_error().c_str());
    }
    state.SetItemsProcessed(state.iterations() * batches_per_group);
    state.SetLabel(label_for(state.range(0)));
}
BENCHMARK(BM_SqliteStoreGroupCommit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// --- the raw SQLite baseline ---------------------------------------------------------------------

/// The same rows through bare prepared statements: no serialising, no version checks, the
/// numbers kept in memory.
class RawWriter {
  public:
    RawWriter(const std::string& path, std::int64_t arg) {
        // SqliteStore creates the schema, so both write into identical tables and indexes.
        open_store(path, arg).reset();
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                            nullptr)
            != SQLITE_OK) {
            throw std::runtime_error("cannot open " + path);
        }
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode = WAL");
        exec(arg == 0 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        exec("PRAGMA foreign_keys = OFF");
        begin_ = prepare("BEGIN IMMEDIATE");
        commit_ = prepare("COMMIT");
        account_ = prepare(
            "INSERT INTO accounts (id, version, agency, json) VALUES (?1, ?2, NULL, ?3) "
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json");
        event_ = prepare(
            "INSERT INTO events (sequence, stream, stream_version, json) VALUES (?1, ?2, ?3, ?4)");
        effect_ = prepare("INSERT INTO outbox (sequence, json) VALUES (?1, ?2)");
        account_json_ = ct::to_json(bench_account());
        event_json_[0] = ct::to_json(bench_event(1));
        event_json_[1] = ct::to_json(bench_event(2));
        effect_json_ = ct::to_json(bench_effect());
    }
    RawWriter(const RawWriter&) = delete;
    RawWriter& operator=(const RawWriter&) = delete;
    ~RawWriter() {
        for (sqlite3_stmt* s : {begin_, commit_, account_, event_, effect_}) sqlite3_finalize(s);
        sqlite3_close(db_);
    }

    void begin() { run(begin_); }
    void commit() { run(commit_); }

    void write_batch() {
        ++version_;
        sqlite3_bind_text(account_, 1, "acme", -1, SQLITE_STATIC);
        sqlite3_bind_int64(account_, 2, version_);
        bind_text(account_, 3, account_json_);
        run(account_);
        for (const std::string& json : event_json_) {
            sqlite3_bind_int64(event_, 1, ++sequence_);
            sqlite3_bind_text(event_, 2, "account:acme", -1, SQLITE_STATIC);
            sqlite3_bind_int64(event_, 3, sequence_);
            bind_text(event_, 4, json);
            run(event_);
        }
        sqlite3_bind_int64(effect_, 1, version_);
        bind_text(effect_, 2, effect_json_);
        run(effect_);
    }

  private:
    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
        return s;
    }
    static void bind_text(sqlite3_stmt* s, int i, const std::string& text) {
        sqlite3_bind_text64(s, i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    void run(sqlite3_stmt* s) {
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    sqlite3_stmt* account_ = nullptr;
    sqlite3_stmt* event_ = nullptr;
    sqlite3_stmt* effect_ = nullptr;
    std::string account_json_;
    std::string event_json_[2];
    std::string effect_json_;
    std::int64_t version_ = 0;
    std::int64_t sequence_ = 0;
};

void BM_SqliteRawCommit(benchmark::State& state) {
    TempDatabase db;
    RawWriter raw(db.path(), state.range(0));
    for (auto _ : state) {
        raw.begin();
        raw.write_batch();
        raw.commit();
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(label_for(state.range(0)));
}
BENCHMARK(BM_SqliteRawCommit)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

/// The raw baseline of group commit: 1,000 batches in one transaction.
void BM_SqliteRawGroupCommit(benchmark::State& state) {
    constexpr int batches_per_group = 1000;
    TempDatabase db;
    RawWriter raw(db.path(), state.range(0));
    for (auto _ : state) {
        raw.begin();
        for (int i = 0; i < batches_per_group; ++i) raw.write_batch();
        raw.commit();
    }
    state.SetItemsProcessed(state.iterations() * batches_per_group);
    state.SetLabel(label_for(state.range(0)));
}
BENCHMARK(BM_SqliteRawGroupCommit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// --- commands per second: the engine over SqliteStore ----------------------------------------
// What the aim names: Engine::execute of simple commands, 1,000 per group. A small
// population (100 agencies of 20 sub-accounts with 5 onsite dynamic numbers each, under the CTM
// policy) is built through Engine::execute itself, so the store holds exactly what the engine
// writes, events and all. Each command then alternates PauseTracking on a random unpaused
// sub-account with ResumeTracking on a random paused one, as the agency's administrator, so every
// command is allowed and commits one event and one outbox entry: per command the engine makes 9
// store calls (2 last_event_time, due_deadlines, load_account, 2 deadlines_of, load_agency,
// load_numbers_of, commit). Items are commands.

constexpr std::size_t engine_agencies = 100;
constexpr std::size_t engine_subs_per_agency = 20;
constexpr std::size_t engine_numbers_per_sub = 5;
constexpr int commands_per_group = 1000;

std::string numbered(const char* prefix, std::size_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "%s%07zu", prefix, n);
    return text;
}

ct::Confirmation clicked() {
    ct::Confirmation c;
    c.clicked = true;
    return c;
}

/// The engine and the population it built, over `store`.
class EnginePopulation {
  public:
    explicit EnginePopulation(ct::Store& store)
        : clock_(ct::parse_time("2024-01-01T00:00:00Z").value()),
          engine_(ct::policies::ctm(), clock_, store) {
        const ct::Currency usd = ct::Currency::parse("USD").value();
        const ct::PhoneNumber forwarding = ct::PhoneNumber::parse("+14045550100").value();
        const ct::Actor support{ct::UserId("support"),
                                {ct::RoleGrant{ct::Role::support, ct::Platform{}}}};
        auto* sqlite = dynamic_cast<ct::SqliteStore*>(&store);
        for (std::size_t g = 0; g < engine_agencies; ++g) {
            if (sqlite != nullptr) check(sqlite->begin_group().has_value(), "begin_group");
            const ct::AgencyId agency(numbered("ag", g));
            run(support, ct::commands::CreateAgency{agency, usd});
            const ct::RoleGrant admin{ct::Role::agency_administrator, agency};
            const ct::UserId admin_id(numbered("adm", g));
            run(support, ct::commands::GrantRole{admin_id, admin});
            admins_.push_back(ct::Actor{admin_id, {admin}});
            for (std::size_t s = 0; s < engine_subs_per_agency; ++s) {
                const std::size_t a = g * engine_subs_per_agency + s;
                accounts_.emplace_back(numbered("ac", a));
                run(support,
                    ct::commands::OpenAccount{accounts_.back(), agency, ct::Plan{"Pro", {}}, usd});
                for (std::size_t k = 0; k < engine_numbers_per_sub; ++k) {
                    const std::size_t n = a * engine_numbers_per_sub + k;
                    char phone[32];
                    std::snprintf(phone, sizeof phone, "+1%010zu", std::size_t{2'000'000'000} + n);
                    run(support, ct::commands::AddTrackingNumber{
                                     ct::NumberId(numbered("n", n)), accounts_.back(),
                                     ct::PhoneNumber::parse(phone).value(), forwarding,
                                     ct::NumberSource::onsite_dynamic});
                }
            }
            if (sqlite != nullptr) check(sqlite->end_group().has_value(), "end_group");
        }
        paused_.assign(accounts_.size(), false);
    }

    /// The next command: a pause or a resume, alternately.
    bool execute_next() {
        ct::result<ct::Receipt, ct::Refused> r = ct::errc::invalid_state;
        std::uniform_int_distribution<std::size_t> pick(0, accounts_.size() - 1);
        if (pause_next_ || paused_list_.empty()) {
            std::size_t i = pick(rng_);
            while (paused_[i]) i = pick(rng_);
            r = engine_.execute(admin_of(i),
                                ct::commands::PauseTracking{accounts_[i], std::nullopt, clicked()});
            paused_[i] = true;
            paused_list_.push_back(i);
        } else {
            const std::size_t k =
                std::uniform_int_distribution<std::size_t>(0, paused_list_.size() - 1)(rng_);
            const std::size_t i = paused_list_[k];
            r = engine_.execute(admin_of(i),
                                ct::commands::ResumeTracking{accounts_[i], std::nullopt, {}});
            paused_[i] = false;
            paused_list_[k] = paused_list_.back();
            paused_list_.pop_back();
        }
        pause_next_ = !pause_next_;
        return r.has_value();
    }

    std::size_t accounts() const { return accounts_.size(); }

  private:
    static void check(bool ok, const char* what) {
        if (!ok) throw std::runtime_error(std::string("engine population: ") + what + " failed");
    }
    void run(const ct::Actor& actor, const ct::Command& command) {
        const auto r = engine_.execute(actor, command);
        if (!r) throw std::runtime_error("engine population refused: " + r.error().message());
    }
    const ct::Actor& admin_of(std::size_t account) const {
        return admins_[account / engine_subs_per_agency];
    }

    ct::ManualClock clock_;
    ct::Engine engine_;
    std::vector<ct::Actor> admins_;
    std::vector<ct::AccountId> accounts_;
    std::vector<bool> paused_;
    std::vector<std::size_t> paused_list_;
    std::mt19937 rng_{20240101};
    bool pause_next_ = true;
};

/// Engine::execute over SqliteStore, 1,000 commands per group. Items are commands.
void BM_SqliteEngineGroupExecute(benchmark::State& state) {
    TempDatabase db;
    auto store = open_store(db.path(), state.range(0));
    EnginePopulation population(*store);
    for (auto _ : state) {
        if (!store->begin_group()) state.SkipWithError(store->last_error().c_str());
        for (int i = 0; i < commands_per_group; ++i) {
            if (!population.execute_next()) {
                state.SkipWithError(("execute failed: " + store->last_error()).c_str());
                break;
            }
        }
        if (!store->end_group()) state.SkipWithError(store->last_error().c_str());
    }
    state.SetItemsProcessed(state.iterations() * commands_per_group);
    state.counters["accounts"] = static_cast<double>(population.accounts());
    state.SetLabel(label_for(state.range(0)));
}
BENCHMARK(BM_SqliteEngineGroupExecute)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// The same commands over an InMemoryStore of the same population: what the engine costs
/// without SQLite, the ceiling for the figure above.
void BM_SqliteEngineInMemoryReference(benchmark::State& state) {
    ct::InMemoryStore store;
    EnginePopulation population(store);
    for (auto _ : state) {
        for (int i = 0; i < commands_per_group; ++i) {
            if (!population.execute_next()) {
                state.SkipWithError("execute failed");
                break;
            }
        }
    }
    state.SetItemsProcessed(state.iterations() * commands_per_group);
    state.counters["accounts"] = static_cast<double>(population.accounts());
}
BENCHMARK(BM_SqliteEngineInMemoryReference)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
