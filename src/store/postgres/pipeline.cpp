// libpq's pipeline mode (PostgreSQL 14 and newer): a write's statements sent together with one
// Sync, so that the server runs them back to back and the client waits for the network once.
// The server runs the steps in order and, after the first that fails, skips every step up to the
// Sync (PGRES_PIPELINE_ABORTED); an explicit transaction stays open and failed, and the caller
// rolls it back. Statements are prepared before the pipeline starts, one round trip each, the
// first time a connection uses them, so that a pipeline's results are the steps' results alone.

#include "connection.hpp"

#include <string>
#include <utility>

namespace calltrack {

using postgres_detail::is_success;
using postgres_detail::Rows;
using postgres_detail::Step;

result<std::vector<Rows>> PostgresStore::Impl::run_pipeline(const std::vector<Step>& steps) {
    for (const Step& step : steps) {
        if (const std::string* bad = postgres_detail::with_nul(step.params))
            return refuse_nul(*bad);
        if (step.text != nullptr) continue;
        const std::size_t i = postgres_detail::at(step.which);
        if (prepared[i]) continue;
        const std::string name = "calltrack_" + std::to_string(i);
        Rows made(PQprepare(conn, name.c_str(), sql[i].c_str(), 0, nullptr));
        if (!is_success(made.get())) return fail(made.get(), sql[i]);
        prepared[i] = true;
    }
    if (PQenterPipelineMode(conn) != 1) return fail(nullptr, "entering pipeline mode");

    // Sending stops at the first step libpq cannot queue (a lost connection); what was queued is
    // still synced and read, so that the connection leaves pipeline mode cleanly.
    std::size_t sent = 0;
    std::vector<const char*> values;
    for (const Step& step : steps) {
        values.clear();
        for (const auto& p : step.params) values.push_back(p ? p->c_str() : nullptr);
        int queued = 0;
        if (step.text != nullptr) {
            queued = PQsendQueryParams(conn, step.text, 0, nullptr, nullptr, nullptr, nullptr, 0);
        } else {
            const std::string name = "calltrack_" + std::to_string(postgres_detail::at(step.which));
            queued = PQsendQueryPrepared(conn, name.c_str(), static_cast<int>(values.size()),
                                         values.data(), nullptr, nullptr, 0);
        }
        if (queued != 1) break;
        ++sent;
    }
    const bool synced = PQpipelineSync(conn) == 1;

    // The first failure is judged once every result is read: by then libpq knows whether the
    // connection is still there, and a lost one is store_unavailable whatever the result says.
    std::vector<Rows> rows;
    rows.reserve(sent);
    std::optional<std::size_t> failed_at;
    Rows failure;
    bool is_lost = false;
    for (std::size_t index = 0; index < sent && !is_lost; ++index) {
        Rows result(PQgetResult(conn));
        if (result.get() == nullptr) {  // the connection went away mid-pipeline
            if (!failed_at) failed_at = index;
            is_lost = true;
            break;
        }
        const ExecStatusType status = PQresultStatus(result.get());
        if (status != PGRES_PIPELINE_ABORTED && !is_success(result.get()) && !failed_at) {
            failed_at = index;
            failure = std::move(result);
        }
        // Each step's results end with a null; a step that fails ends the same way.
        while (PGresult* more = PQgetResult(conn)) PQclear(more);
        rows.push_back(std::move(result));
        is_lost = PQstatus(conn) == CONNECTION_BAD;
    }
    bool is_synced = false;
    if (synced && !is_lost && PQstatus(conn) == CONNECTION_OK) {
        Rows sync(PQgetResult(conn));
        is_synced = sync.get() != nullptr && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
    }
    std::optional<boost::system::error_code> first_failure;
    if (failed_at) {
        const Step& step = steps[*failed_at];
        first_failure = fail(
            failure.get(), step.text != nullptr ? step.text : sql[postgres_detail::at(step.which)]);
    } else if (sent < steps.size() || !is_synced) {
        first_failure = fail(nullptr, "sending a pipeline");
    }
    // Leaving pipeline mode needs every result read; a connection in an unknown state cannot be
    // trusted with the next call, so it is dropped and the next call reconnects.
    if (PQexitPipelineMode(conn) != 1) {
        if (!first_failure) first_failure = fail(nullptr, "leaving pipeline mode");
        PQfinish(conn);
        conn = nullptr;
    }
    if (first_failure) return *first_failure;
    return rows;
}

}  // namespace calltrack
