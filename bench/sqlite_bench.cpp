// What SqliteStore costs over SQLite itself. Each commit writes one account record (a version
// bump), two events and one outbox entry. The raw baseline writes the same rows (the same JSON
// text, already serialised) into the same schema with the same pragmas, one transaction per
// commit, so SqliteStore's overhead (serialising, checking versions, numbering events) is the
// ratio of the two. Items are commits (batches); /0 is synchronous=FULL, /1 is NORMAL. The
// rates are per wall-clock second (UseRealTime): a commit's cost is mostly waiting for the disk.
//
//   ./build/release/bench/calltrack_bench --benchmark_filter=Sqlite
#include <calltrack/json.hpp>
#include <calltrack/sqlite_store.hpp>

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ct = calltrack;
namespace fs = std::filesystem;

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

ct::Time at(int minute) {
    return ct::parse_time("2020-09-15T10:00:00Z").value() + boost::posix_time::minutes(minute);
}

ct::Account bench_account() {
    ct::Account a;
    a.id = ct::AccountId("acme");
    a.plan = ct::Plan{"pro", {"form_tracking"}};
    a.charges = ct::Charges{ct::Charge::subscription, ct::Charge::usage};
    a.balance.available = ct::Money(1250, ct::Currency::parse("USD").value());
    a.timeline.opened_at = at(0);
    return a;
}

ct::Event bench_event(int i) {
    return ct::events::TrackingPaused{ct::AccountId("acme"), std::nullopt, at(i)};
}

ct::HostEffect bench_effect() {
    ct::HostEffect e{};
    e.kind = ct::EffectKind::stop_swapping;
    e.account = ct::AccountId("acme");
    e.at = at(1);
    return e;
}

/// Batch n (from 1): the account at version n, two events, one effect.
ct::CommitBatch bench_batch(const ct::Account& account, std::uint64_t n) {
    ct::CommitBatch batch;
    batch.accounts.push_back(ct::RecordWrite<ct::Account>{account, n - 1});
    batch.events.push_back(ct::AppendEvent{"account:acme", bench_event(1)});
    batch.events.push_back(ct::AppendEvent{"account:acme", bench_event(2)});
    batch.effects.push_back(bench_effect());
    return batch;
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

}  // namespace
