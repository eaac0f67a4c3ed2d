// The one write: commit(), one READ COMMITTED transaction (inside a group, one savepoint) that
// writes every record only if it is still at the version the batch names (a conditional UPDATE,
// or an INSERT that does nothing when the row exists), then the idempotency receipt, the deadline
// changes, and last the events and outbox entries, numbered under the log_head row lock so that
// sequences follow commit order. Any refusal or failure rolls the whole write back.
// docs/postgres.md explains the order. The statements go in two pipelines (pipeline.cpp), since
// the events' sequences, stream versions and hashes depend on what the first one's log_head
// update and stream reads return; a batch without events or effects still takes two round trips,
// as its COMMIT must wait for the versions to be checked.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace calltrack {

using postgres_detail::in_quotes;
using postgres_detail::Lock;
using postgres_detail::micros_of;
using postgres_detail::Params;
using postgres_detail::Sql;
using postgres_detail::Step;

namespace {

/// The idempotency receipt's events and effects, as one JSON object of canonical texts (the same
/// text SqliteStore stores).
std::string receipt_json(const IdempotencyRecord& record) {
    std::string out = "{\"events\":[";
    for (std::size_t i = 0; i < record.events.size(); ++i) {
        if (i != 0) out += ',';
        out += to_json(record.events[i]);
    }
    out += "],\"effects\":[";
    for (std::size_t i = 0; i < record.effects.size(); ++i) {
        if (i != 0) out += ',';
        out += to_json(record.effects[i]);
    }
    out += "]}";
    return out;
}

std::optional<std::string> text_or_null(const std::optional<AgencyId>& id) {
    if (!id) return std::nullopt;
    return id->str();
}

/// One record write as the statement that makes it and the statement that reads its version.
struct Write {
    Sql statement;
    Sql version_of;
    const char* table;
    std::string key;
    Version expected;
    Params params;
};

std::string number(std::int64_t v) {
    return std::to_string(v);
}
std::string number(Version v) {
    return std::to_string(postgres_detail::to_int64(v));
}

void add(std::vector<Write>& out, const RecordWrite<Agency>& w) {
    const std::string json = to_json(w.value);
    if (w.expected_version == 0) {
        out.push_back({Sql::insert_agency,
                       Sql::agency_version,
                       "agencies",
                       w.value.id.str(),
                       0,
                       {w.value.id.str(), json}});
    } else {
        out.push_back({Sql::update_agency,
                       Sql::agency_version,
                       "agencies",
                       w.value.id.str(),
                       w.expected_version,
                       {w.value.id.str(), number(w.expected_version), json}});
    }
}

void add(std::vector<Write>& out, const RecordWrite<Account>& w) {
    const Account& a = w.value;
    std::optional<std::string> transfer_to;
    if (a.pending_transfer) transfer_to = a.pending_transfer->to.str();
    const std::string json = to_json(a);
    if (w.expected_version == 0) {
        out.push_back({Sql::insert_account,
                       Sql::account_version,
                       "accounts",
                       a.id.str(),
                       0,
                       {a.id.str(), text_or_null(a.agency), transfer_to, json}});
    } else {
        out.push_back(
            {Sql::update_account,
             Sql::account_version,
             "accounts",
             a.id.str(),
             w.expected_version,
             {a.id.str(), number(w.expected_version), text_or_null(a.agency), transfer_to, json}});
    }
}

void add(std::vector<Write>& out, const RecordWrite<TrackingNumber>& w) {
    const TrackingNumber& n = w.value;
    const std::string on_account = is_on_account(n) ? "true" : "false";
    const std::string json = to_json(n);
    if (w.expected_version == 0) {
        out.push_back({Sql::insert_number,
                       Sql::number_version,
                       "numbers",
                       n.id.str(),
                       0,
                       {n.id.str(), n.account.str(), n.number.e164(), on_account, json}});
    } else {
        out.push_back({Sql::update_number,
                       Sql::number_version,
                       "numbers",
                       n.id.str(),
                       w.expected_version,
                       {n.id.str(), number(w.expected_version), n.account.str(), n.number.e164(),
                        on_account, json}});
    }
}

void add(std::vector<Write>& out, const RecordWrite<UserGrants>& w) {
    const std::string json = to_json(w.value.grants);
    if (w.expected_version == 0) {
        out.push_back({Sql::insert_grants,
                       Sql::grants_version,
                       "grants",
                       w.value.user.str(),
                       0,
                       {w.value.user.str(), json}});
    } else {
        out.push_back({Sql::update_grants,
                       Sql::grants_version,
                       "grants",
                       w.value.user.str(),
                       w.expected_version,
                       {w.value.user.str(), number(w.expected_version), json}});
    }
}

}  // namespace

result<void> PostgresStore::commit(const CommitBatch& batch) {
    const Lock lock(impl_->mutex);
    return impl_->commit(batch);
}

result<void> PostgresStore::Impl::commit(const CommitBatch& batch) {
    if (batch.empty()) return boost::outcome_v2::success();

    // Everything that can be refused without the database is refused before it is reached.
    std::optional<std::int64_t> latest_event_at;
    for (const AppendEvent& append : batch.events) {
        const auto time = micros_of(event_time(append.event));
        if (!time) {
            last_error = "an event of stream " + in_quotes(append.stream) + " has no time";
            return errc::invalid_time;
        }
        if (!latest_event_at || *latest_event_at < *time) latest_event_at = time;
    }
    const auto deadline_params = [this](const Deadline& d) -> result<Params> {
        const auto time = micros_of(d.at);
        if (!time) {
            last_error = "a " + std::string(to_string(d.kind)) + " deadline of " + d.subject
                         + " has no time";
            return errc::invalid_time;
        }
        return Params{number(*time), std::to_string(static_cast<int>(d.kind)), d.subject};
    };
    std::vector<Params> removed;
    std::vector<Params> added;
    for (const Deadline& d : batch.deadlines_removed) {
        auto p = deadline_params(d);
        if (!p) return p.error();
        removed.push_back(std::move(p).value());
    }
    for (const Deadline& d : batch.deadlines_added) {
        auto p = deadline_params(d);
        if (!p) return p.error();
        added.push_back(std::move(p).value());
    }
    std::vector<Write> writes;
    for (const auto& w : batch.agencies) add(writes, w);
    for (const auto& w : batch.accounts) add(writes, w);
    for (const auto& w : batch.numbers) add(writes, w);
    for (const auto& w : batch.grants) add(writes, w);

    if (auto connected = ensure_connected(); !connected) return connected.error();
    const auto abandon = [this](boost::system::error_code error) -> result<void> {
        abandon_write();
        return error;
    };

    // The first pipeline: 1. the records, each only at the version the batch names. A
    // conditional UPDATE that waits for another writer's row lock re-reads the row once that
    // writer commits, so "0 rows" means the version moved: a conflict, whoever committed first.
    // Each written user's scopes follow the last of its writes in the batch. 2. The receipt: a key
    // already taken means another writer committed this command first. 3. Deadlines: removals
    // first, so a batch may move one. 4. The log_head update, last, so that its row lock is held
    // only from here to COMMIT and nothing after it can wait for another lock, and each stream's
    // last version, read under that lock.
    std::vector<Step> first;
    first.push_back(Step{Sql::count, {}, begin_write_text()});
    for (const Write& w : writes) first.push_back(Step{w.statement, w.params});
    for (const auto& w : batch.grants) {
        const std::string& user = w.value.user.str();
        first.push_back(Step{Sql::clear_grant_scopes, {user}});
        for (const RoleGrant& grant : w.value.grants) {
            first.push_back(Step{Sql::add_grant_scope, {scope_subject(grant.scope), user}});
        }
    }
    std::optional<std::size_t> receipt_step;
    if (batch.idempotency) {
        const IdempotencyRecord& r = *batch.idempotency;
        receipt_step = first.size();
        first.push_back(Step{Sql::add_idempotency, {r.key, r.fingerprint, receipt_json(r)}});
    }
    for (const Params& p : removed) first.push_back(Step{Sql::remove_deadline, p});
    for (const Params& p : added) first.push_back(Step{Sql::add_deadline, p});
    const bool appends = !batch.events.empty() || !batch.effects.empty();
    const std::size_t head_step = first.size();
    std::vector<std::string> streams;  // in the order of their first event
    if (appends) {
        first.push_back(
            Step{Sql::advance_log_head,
                 {std::to_string(batch.events.size()), std::to_string(batch.effects.size()),
                  latest_event_at ? std::optional<std::string>(number(*latest_event_at))
                                  : std::nullopt}});
        for (const AppendEvent& append : batch.events) {
            if (std::find(streams.begin(), streams.end(), append.stream) != streams.end()) continue;
            streams.push_back(append.stream);
            first.push_back(Step{Sql::last_stream_version, {append.stream}});
        }
    }

    auto checked = run_pipeline(first);
    if (!checked) return abandon(checked.error());
    const std::vector<Rows>& rows = checked.value();
    for (std::size_t i = 0; i < writes.size(); ++i) {
        if (rows[1 + i].affected() == 1) continue;
        // With nothing of this write left to keep, the row's version is read for the message.
        abandon_write();
        const Write& w = writes[i];
        auto current = run(w.version_of, {w.key});
        const std::string now = !current                      ? std::string("unknown")
                                : current.value().size() == 0 ? std::string("0")
                                                              : current.value().text(0, 0);
        last_error = std::string(w.table) + " row " + in_quotes(w.key) + " is at version " + now
                     + ", the batch expected " + std::to_string(w.expected);
        return make_error_code(errc::concurrency_conflict);
    }
    if (receipt_step && rows[*receipt_step].affected() != 1) {
        last_error = "idempotency key " + in_quotes(batch.idempotency->key) + " is taken";
        return abandon(make_error_code(errc::concurrency_conflict));
    }
    // The COMMIT had to wait for the versions to be checked: a second round trip.
    if (!appends) {
        if (auto done = exec_script(end_write_text()); !done) return abandon(done.error());
        return boost::outcome_v2::success();
    }

    // The second pipeline: the events, numbered from the log_head row and chained onto its last
    // hash (no other commit can append between this read and this commit's end), the chain's
    // new last link, the outbox entries, the notification (delivered when, and only if, this
    // transaction commits), and the end of the write.
    const Rows& head = rows[head_step];
    if (head.size() != 1) return abandon(corrupt("log_head is not one row"));
    std::int64_t sequence = head.int64(0, 0) - static_cast<std::int64_t>(batch.events.size());
    std::int64_t outbox = head.int64(0, 1) - static_cast<std::int64_t>(batch.effects.size());
    std::string previous = head.text(0, 2);
    std::map<std::string, std::int64_t> stream_versions;
    for (std::size_t i = 0; i < streams.size(); ++i) {
        stream_versions.emplace(streams[i], rows[head_step + 1 + i].int64(0, 0));
    }
    std::vector<Step> second;
    for (const AppendEvent& append : batch.events) {
        std::int64_t& version = stream_versions[append.stream];
        StoredEvent stored{static_cast<std::uint64_t>(++sequence),
                           append.stream,
                           static_cast<Version>(++version),
                           append.event,
                           append.policy_version,
                           append.audit};
        stored.hash = chain_hash(previous, stored);
        second.push_back(
            Step{Sql::append_event,
                 {number(sequence), append.stream, number(version), append.policy_version,
                  to_json(append.event), to_json(append.audit), stored.hash}});
        previous = std::move(stored.hash);
    }
    if (!batch.events.empty()) second.push_back(Step{Sql::set_last_hash, {previous}});
    for (const HostEffect& effect : batch.effects) {
        second.push_back(
            Step{Sql::add_effect, {number(++outbox), to_json(effect), effect_owner(effect)}});
    }
    if (!batch.effects.empty() && options.notify_effects) {
        second.push_back(Step{Sql::notify_effects, {effects_channel, number(outbox)}});
    }
    second.push_back(Step{Sql::count, {}, end_write_text()});
    if (auto done = run_pipeline(second); !done) return abandon(done.error());
    return boost::outcome_v2::success();
}

}  // namespace calltrack
