// What PostgresStore costs over libpq itself, and how it scales over processes (issue 11).
//
// The raw baseline writes the rows one PostgresStore::commit of bench_batch() writes (batch.hpp:
// the account's version bump, two events with their hashes, one outbox entry, the log_head
// counters), from JSON serialised once, with prepared statements in one pipeline: one round trip
// and one WAL flush per transaction, the best libpq can do. The store serialises, hashes, checks
// versions, reads log_head and the stream's last version, and takes two round trips. The store
// runs with notify_effects off, since the baseline sends no NOTIFY: the same rows, nothing more.
// Both connections commit with synchronous_commit=on on a server with fsync on.
//
// The server and the schemas: postgres_bench_server.hpp. postgres_processes_bench.cpp has the
// figures over several client processes and sweep workers.
//
//   ./build/release/bench/calltrack_postgres_bench
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/postgres_store.hpp>

#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.hpp"
#include "postgres_bench_server.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ct = calltrack;
using namespace calltrack::bench;

namespace {

// --- raw libpq beside PostgresStore --------------------------------------------------------------

/// The rows of bench_batch(n), written by hand in one pipeline per transaction.
class RawWriter {
  public:
    explicit RawWriter(const Schema& schema) : raw_(Server::get().uri()) {
        const std::string s = identifier(schema.name());
        raw_.prepare("account", "UPDATE " + s + ".accounts SET version = version + 1, json = $2 "
                                 "WHERE id = $1 AND version = $3");
        raw_.prepare("event", "INSERT INTO " + s + ".events (sequence, stream, stream_version, "
                               "policy_version, json, audit, hash) VALUES ($1, $2, $3, '', $4, "
                               "'{}', $5)");
        raw_.prepare("effect",
                     "INSERT INTO " + s + ".outbox (sequence, json, owner) VALUES ($1, $2, $3)");
        raw_.prepare("head", "UPDATE " + s + ".log_head SET last_sequence = $1, "
                              "last_outbox_sequence = $2, last_event_at = $3, last_hash = $4");
        raw_.prepare("begin", "BEGIN ISOLATION LEVEL READ COMMITTED");
        raw_.prepare("commit", "COMMIT");
        account_json_ = ct::to_json(bench_account());
        event_json_[0] = ct::to_json(bench_event(1));
        event_json_[1] = ct::to_json(bench_event(2));
        effect_json_ = ct::to_json(bench_effect());
    }

    /// `batches` batches in one transaction, one round trip.
    void write(int batches) {
        if (PQenterPipelineMode(raw_.get()) != 1) throw std::runtime_error("pipeline mode");
        send("begin", {});
        for (int b = 0; b < batches; ++b) {
            ++version_;
            send("account", {"acme", account_json_, std::to_string(version_ - 1)});
            for (const std::string& json : event_json_) {
                send("event", {std::to_string(++sequence_), "account:acme",
                               std::to_string(++stream_version_), json, hash_});
            }
            send("effect", {std::to_string(++outbox_), effect_json_, "account:acme"});
        }
        send("head",
             {std::to_string(sequence_), std::to_string(outbox_), "1600164120000000", hash_});
        send("commit", {});
        PQpipelineSync(raw_.get());
        for (;;) {
            PGresult* r = PQgetResult(raw_.get());
            if (r == nullptr) continue;
            const ExecStatusType status = PQresultStatus(r);
            PQclear(r);
            if (status == PGRES_PIPELINE_SYNC) break;
            if (status != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(raw_.get()));
        }
        PQexitPipelineMode(raw_.get());
    }

  private:
    void send(const char* name, const std::vector<std::string>& params) {
        std::vector<const char*> values;
        for (const auto& p : params) values.push_back(p.c_str());
        if (PQsendQueryPrepared(raw_.get(), name, static_cast<int>(values.size()), values.data(),
                                nullptr, nullptr, 0)
            != 1) {
            throw std::runtime_error(PQerrorMessage(raw_.get()));
        }
    }

    Raw raw_;
    std::string account_json_;
    std::string event_json_[2];
    std::string effect_json_;
    const std::string hash_ = std::string(64, 'a');
    std::uint64_t version_ = 1;
    std::uint64_t sequence_ = 0;
    std::uint64_t stream_version_ = 0;
    std::uint64_t outbox_ = 0;
};

/// A store holding acme at version 1, its connection committing with synchronous_commit=on.
std::unique_ptr<ct::PostgresStore> seeded(const Schema& schema, bool notify) {
    auto store = schema.open(notify);
    ct::CommitBatch first;
    first.accounts.push_back(ct::RecordWrite<ct::Account>{bench_account(), 0});
    if (!store->commit(first)) throw std::runtime_error(store->last_error());
    return store;
}

/// Batches per transaction: 1 (a single command's commit) or a group.
void BM_PostgresRawCommit(benchmark::State& state) {
    const int per_transaction = static_cast<int>(state.range(0));
    Schema schema("raw");
    auto store = seeded(schema, false);
    RawWriter writer(schema);
    for (auto _ : state) writer.write(per_transaction);
    state.SetItemsProcessed(state.iterations() * per_transaction);
}
BENCHMARK(BM_PostgresRawCommit)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PostgresStoreCommit(benchmark::State& state) {
    const int per_transaction = static_cast<int>(state.range(0));
    Schema schema("store");
    auto store = seeded(schema, false);
    const ct::Account account = bench_account();
    std::uint64_t n = 1;
    for (auto _ : state) {
        if (per_transaction > 1 && !store->begin_group()) {
            state.SkipWithError(store->last_error().c_str());
        }
        for (int i = 0; i < per_transaction; ++i) {
            if (!store->commit(bench_batch(account, ++n))) {
                state.SkipWithError(store->last_error().c_str());
                break;
            }
        }
        if (per_transaction > 1 && !store->end_group()) {
            state.SkipWithError(store->last_error().c_str());
        }
    }
    state.SetItemsProcessed(state.iterations() * per_transaction);
}
BENCHMARK(BM_PostgresStoreCommit)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
