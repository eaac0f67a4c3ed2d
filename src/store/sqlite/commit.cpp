// The one write: commit(), which checks every version a batch names, then writes its records,
// events, deadline changes, outbox entries and idempotency receipt in one transaction (inside a
// group, one savepoint), and undoes its changes to the counters when it is refused. Every batch
// is whole or absent whatever fails (the [crash] and [io-fault] tests hold it to that), a promise
// easier to check when the write is read alone.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace calltrack {

using sqlite_detail::at;
using sqlite_detail::in_quotes;
using sqlite_detail::Lock;
using sqlite_detail::micros_of;
using sqlite_detail::Query;
using sqlite_detail::Sql;
using sqlite_detail::sql_text;
using sqlite_detail::to_int64;

// --- the one write -------------------------------------------------------------------------------

namespace {

const std::string& key_of(const Agency& a) {
    return a.id.str();
}
const std::string& key_of(const Account& a) {
    return a.id.str();
}
const std::string& key_of(const TrackingNumber& n) {
    return n.id.str();
}
const std::string& key_of(const UserGrants& g) {
    return g.user.str();
}

/// The idempotency receipt's events and effects, as one JSON object of canonical texts.
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

}  // namespace

// Every written record must meet the version it names, as it would be after the batch's earlier
// writes (the same record twice in one batch names 0 then 1, or v then v + 1); and the
// idempotency key must be new: a receipt under it means another writer won the race.
result<void> SqliteStore::check_versions(const CommitBatch& batch) {
    std::string refusal;
    const auto check = [&](const auto& writes, Sql which, const char* table) -> result<bool> {
        std::map<std::string, Version> staged;
        for (const auto& write : writes) {
            const std::string& key = key_of(write.value);
            Version current = 0;
            if (const auto s = staged.find(key); s != staged.end()) {
                current = s->second;
            } else {
                CALLTRACK_SQLITE_QUERY(q, which);
                q.bind(1, key);
                const int rc = q.step();
                if (rc == SQLITE_ROW) {
                    current = q.uint64(0);
                } else if (rc != SQLITE_DONE) {
                    return fail(rc, sql_text[at(which)]);
                }
            }
            if (write.expected_version != current) {
                refusal = std::string(table) + " row " + in_quotes(key) + " is at version "
                          + std::to_string(current) + ", the batch expected "
                          + std::to_string(write.expected_version);
                return false;
            }
            // A batch that writes one record of a table (the usual case) has no earlier write to
            // look up: the map is kept only when there is more than one.
            if (writes.size() > 1) staged[key] = current + 1;
        }
        return true;
    };
    const auto refused = [&](const result<bool>& matched) -> std::optional<result<void>> {
        if (!matched) return result<void>(matched.error());
        if (matched.value()) return std::nullopt;
        last_error_ = refusal;
        return result<void>(errc::concurrency_conflict);
    };
    if (auto r = refused(check(batch.agencies, Sql::agency_version, "agencies"))) return *r;
    if (auto r = refused(check(batch.accounts, Sql::account_version, "accounts"))) return *r;
    if (auto r = refused(check(batch.numbers, Sql::number_version, "numbers"))) return *r;
    if (auto r = refused(check(batch.grants, Sql::grants_version, "grants"))) return *r;
    if (batch.idempotency) {
        CALLTRACK_SQLITE_QUERY(q, Sql::idempotency_exists);
        q.bind(1, batch.idempotency->key);
        const int rc = q.step();
        if (rc == SQLITE_ROW) {
            last_error_ = "idempotency key " + in_quotes(batch.idempotency->key) + " is taken";
            return errc::concurrency_conflict;
        }
        if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::idempotency_exists)]);
    }
    return boost::outcome_v2::success();
}

// The writes, in the contract's order: records, events, deadline changes (removals first, so a
// batch may move a deadline), outbox entries, the idempotency receipt.
result<void> SqliteStore::write_batch(const CommitBatch& batch, Counters& counters,
                                      CounterUndo& undo,
                                      std::optional<std::int64_t>& latest_event_at) {
    const auto done = [this](Query& q, Sql which) -> result<void> {
        const int rc = q.step();
        if (rc != SQLITE_DONE) return fail(rc, sql_text[at(which)]);
        return boost::outcome_v2::success();
    };
    const auto version_of = [](Version expected) { return to_int64(expected + 1); };

    for (const auto& write : batch.agencies) {
        CALLTRACK_SQLITE_QUERY(q, Sql::write_agency);
        q.bind(1, write.value.id.str()).bind(2, version_of(write.expected_version));
        q.bind(3, to_json(write.value));
        if (auto r = done(q, Sql::write_agency); !r) return r;
    }
    for (const auto& write : batch.accounts) {
        CALLTRACK_SQLITE_QUERY(q, Sql::write_account);
        q.bind(1, write.value.id.str()).bind(2, version_of(write.expected_version));
        if (write.value.agency) {
            q.bind(3, write.value.agency->str());
        } else {
            q.bind_null(3);
        }
        if (const auto& transfer = write.value.pending_transfer) {
            q.bind(4, transfer->to.str());
        } else {
            q.bind_null(4);
        }
        q.bind(5, to_json(write.value));
        if (auto r = done(q, Sql::write_account); !r) return r;
    }
    for (const auto& write : batch.numbers) {
        const TrackingNumber& number = write.value;
        CALLTRACK_SQLITE_QUERY(q, Sql::write_number);
        q.bind(1, number.id.str()).bind(2, version_of(write.expected_version));
        q.bind(3, number.account.str()).bind(4, number.number.e164());
        q.bind(5, std::int64_t{is_on_account(number) ? 1 : 0}).bind(6, to_json(number));
        if (auto r = done(q, Sql::write_number); !r) return r;
    }
    for (const auto& write : batch.grants) {
        CALLTRACK_SQLITE_QUERY(q, Sql::write_grants);
        q.bind(1, write.value.user.str()).bind(2, version_of(write.expected_version));
        q.bind(3, to_json(write.value.grants));
        if (auto r = done(q, Sql::write_grants); !r) return r;
        CALLTRACK_SQLITE_QUERY(clear, Sql::clear_grant_scopes);
        clear.bind(1, write.value.user.str());
        if (auto r = done(clear, Sql::clear_grant_scopes); !r) return r;
        for (const auto& grant : write.value.grants) {
            CALLTRACK_SQLITE_QUERY(add, Sql::add_grant_scope);
            add.bind(1, scope_subject(grant.scope)).bind(2, write.value.user.str());
            if (auto r = done(add, Sql::add_grant_scope); !r) return r;
        }
    }

    if (!batch.events.empty() && !counters.last_sequence) {
        CALLTRACK_SQLITE_QUERY(q, Sql::last_sequence);
        const int rc = q.step();
        if (rc == SQLITE_ROW) {
            counters.last_sequence = q.int64(0);
            counters.last_hash = q.text(1);
        } else if (rc == SQLITE_DONE) {
            counters.last_sequence = 0;
            counters.last_hash = std::string(chain_start);
        } else {
            return fail(rc, sql_text[at(Sql::last_sequence)]);
        }
    }
    for (const AppendEvent& append : batch.events) {
        auto version = counters.stream_versions.find(append.stream);
        if (version == counters.stream_versions.end()) {
            CALLTRACK_SQLITE_QUERY(q, Sql::last_stream_version);
            q.bind(1, append.stream);
            const int rc = q.step();
            if (rc != SQLITE_ROW) return fail(rc, sql_text[at(Sql::last_stream_version)]);
            version = counters.stream_versions.emplace(append.stream, q.int64(0)).first;
        }
        const auto time = micros_of(event_time(append.event));
        if (!time) {
            last_error_ = "an event of stream " + in_quotes(append.stream) + " has no time";
            return errc::invalid_time;
        }
        if (!latest_event_at || *latest_event_at < *time) latest_event_at = time;
        undo.stream_versions.emplace_back(&version->second, version->second);
        StoredEvent stored{static_cast<std::uint64_t>(++*counters.last_sequence),
                           append.stream,
                           static_cast<Version>(++version->second),
                           append.event,
                           append.policy_version,
                           append.audit};
        stored.hash = chain_hash(counters.last_hash, stored);
        CALLTRACK_SQLITE_QUERY(q, Sql::append_event);
        q.bind(1, *counters.last_sequence).bind(2, append.stream).bind(3, version->second);
        q.bind(4, to_json(append.event)).bind(5, append.policy_version);
        q.bind(6, to_json(append.audit)).bind(7, stored.hash);
        if (auto r = done(q, Sql::append_event); !r) return r;
        counters.last_hash = std::move(stored.hash);
    }

    const auto bind_deadline = [this](Query& q, const Deadline& d) -> result<void> {
        const auto time = micros_of(d.at);
        if (!time) {
            last_error_ = "a " + std::string(to_string(d.kind)) + " deadline of " + d.subject
                          + " has no time";
            return errc::invalid_time;
        }
        q.bind(1, *time).bind(2, std::int64_t{static_cast<int>(d.kind)}).bind(3, d.subject);
        return boost::outcome_v2::success();
    };
    for (const Deadline& d : batch.deadlines_removed) {
        CALLTRACK_SQLITE_QUERY(q, Sql::remove_deadline);
        if (auto r = bind_deadline(q, d); !r) return r;
        if (auto r = done(q, Sql::remove_deadline); !r) return r;
    }
    for (const Deadline& d : batch.deadlines_added) {
        CALLTRACK_SQLITE_QUERY(q, Sql::add_deadline);
        if (auto r = bind_deadline(q, d); !r) return r;
        if (auto r = done(q, Sql::add_deadline); !r) return r;
    }

    if (!batch.effects.empty() && !counters.last_outbox_sequence) {
        CALLTRACK_SQLITE_QUERY(q, Sql::last_outbox_sequence);
        const int rc = q.step();
        if (rc != SQLITE_ROW) return fail(rc, sql_text[at(Sql::last_outbox_sequence)]);
        counters.last_outbox_sequence = q.int64(0);
    }
    for (const HostEffect& effect : batch.effects) {
        CALLTRACK_SQLITE_QUERY(q, Sql::add_effect);
        q.bind(1, ++*counters.last_outbox_sequence).bind(2, to_json(effect));
        q.bind(3, effect_owner(effect));
        if (auto r = done(q, Sql::add_effect); !r) return r;
    }

    if (batch.idempotency) {
        CALLTRACK_SQLITE_QUERY(q, Sql::add_idempotency);
        q.bind(1, batch.idempotency->key).bind(2, batch.idempotency->fingerprint);
        q.bind(3, receipt_json(*batch.idempotency));
        if (auto r = done(q, Sql::add_idempotency); !r) return r;
    }
    return boost::outcome_v2::success();
}

result<void> SqliteStore::raise_last_event_at(std::int64_t micros) {
    CALLTRACK_SQLITE_QUERY(q, Sql::raise_last_event_at);
    q.bind(1, micros);
    const int rc = q.step();
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::raise_last_event_at)]);
    return boost::outcome_v2::success();
}

result<void> SqliteStore::commit(const CommitBatch& batch) {
    const Lock lock(mutex_);
    return commit_locked(batch);
}

// Outside a group: one transaction. BEGIN IMMEDIATE takes the write lock before the versions are
// read, so no other connection can commit between the check and the writes; a lock held longer
// than busy_timeout is a concurrency_conflict, retryable like a stale version.
// Inside a group: one savepoint, so a refused batch is undone alone, and its changes to the
// group's counters with it. The group writes meta.last_event_at once, when it commits.
result<void> SqliteStore::commit_locked(const CommitBatch& batch) {
    if (batch.empty()) return boost::outcome_v2::success();
    const bool grouped = group_depth_ > 0;
    if (grouped && is_group_lost_) {
        last_error_ = "an earlier failure rolled the group back; end it and start again";
        return errc::store_unavailable;
    }
    if (auto begun = run(at(grouped ? Sql::savepoint : Sql::begin_immediate)); !begun) {
        return begun.error();
    }
    Counters alone;
    Counters& counters = grouped ? *group_counters_ : alone;
    CounterUndo undo(counters);
    std::optional<std::int64_t> latest_event_at;
    auto written = check_versions(batch);
    if (written) written = write_batch(batch, counters, undo, latest_event_at);
    if (written && !grouped && latest_event_at) written = raise_last_event_at(*latest_event_at);
    if (written) {
        written = run(at(grouped ? Sql::release : Sql::commit));
        if (written) {
            if (grouped && latest_event_at) {
                auto& pending = counters.pending_last_event_at;
                pending = std::max(pending.value_or(*latest_event_at), *latest_event_at);
            }
            return written;
        }
    }

    undo.restore(counters);
    const auto error = written.error();
    const std::string reason = last_error_;
    if (sqlite3_get_autocommit(db_) != 0) {
        // SQLite has already rolled the whole transaction back (an I/O error, a full disk).
        if (grouped) {
            is_group_lost_ = true;
            drop_group_counters();
        }
    } else if (grouped) {
        (void)run(at(Sql::rollback_to));
        (void)run(at(Sql::release));
    } else {
        (void)run(at(Sql::rollback));
    }
    last_error_ = reason;
    return error;
}

}  // namespace calltrack
