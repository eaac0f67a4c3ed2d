#include <calltrack/sqlite_store.hpp>

#include <calltrack/json.hpp>
#include <calltrack/window.hpp>

#include <calltrack/detail/json_document.hpp>

#include <sqlite3.h>
#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>
#include "connection.hpp"

namespace calltrack {

using sqlite_detail::at;
using sqlite_detail::errc_of;
using sqlite_detail::in_quotes;
using sqlite_detail::is_stored_time;
using sqlite_detail::limit_of;
using sqlite_detail::Lock;
using sqlite_detail::max_micros;
using sqlite_detail::micros_of;
using sqlite_detail::Query;
using sqlite_detail::Sql;
using sqlite_detail::sql_text;
using sqlite_detail::time_of;
using sqlite_detail::to_int64;

namespace {

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

// --- versioned reads -----------------------------------------------------------------------------

namespace {

/// A stored JSON text back into its value; text that does not decode is corruption, named by
/// table and key in `error`.
template <class T, class Decode>
result<T> decode(const std::string& json, Decode&& from_json, const char* table,
                 const std::string& key, std::string& error) {
    JsonDiagnostic diagnostic;
    auto value = from_json(json, &diagnostic);
    if (value) return std::move(value).value();
    error = std::string(table) + " row " + in_quotes(key) + " holds JSON calltrack cannot read: "
            + (diagnostic.field.empty() ? std::string() : diagnostic.field + ": ")
            + (diagnostic.problem.empty() ? value.error().message() : diagnostic.problem);
    return errc::store_corrupt;
}

template <class T, class Decode>
result<Versioned<T>> decode_record(const std::pair<Version, std::string>& raw, Decode&& from_json,
                                   const char* table, const std::string& key, std::string& error) {
    auto value = decode<T>(raw.second, from_json, table, key, error);
    if (!value) return value.error();
    return Versioned<T>{std::move(value).value(), raw.first};
}

const auto agency_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return agency_from_json(text, d);
};
const auto account_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return account_from_json(text, d);
};
const auto number_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return number_from_json(text, d);
};
const auto grants_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return grants_from_json(text, d);
};
const auto event_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return event_from_json(text, d);
};
const auto effect_decoder = [](std::string_view text, JsonDiagnostic* d) {
    return effect_from_json(text, d);
};

}  // namespace

result<std::optional<SqliteStore::RawRecord>> SqliteStore::read_record(std::size_t which,
                                                                       const std::string& key) {
    auto statement = prepare(which);
    if (!statement) return statement.error();
    Query q(statement.value());
    q.bind(1, key);
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<RawRecord>();
    if (rc != SQLITE_ROW) return fail(rc, sql_text[which]);
    return std::optional<RawRecord>(RawRecord(q.uint64(0), q.text(1)));
}

result<std::vector<SqliteStore::RawRecord>> SqliteStore::read_records(std::size_t which,
                                                                      const std::string& key) {
    auto statement = prepare(which);
    if (!statement) return statement.error();
    Query q(statement.value());
    q.bind(1, key);
    std::vector<RawRecord> rows;
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) rows.emplace_back(q.uint64(0), q.text(1));
    if (rc != SQLITE_DONE) return fail(rc, sql_text[which]);
    return rows;
}

result<std::optional<Versioned<Agency>>> SqliteStore::load_agency(const AgencyId& id) {
    const Lock lock(mutex_);
    auto raw = read_record(at(Sql::load_agency), id.str());
    if (!raw) return raw.error();
    if (!raw.value()) return std::optional<Versioned<Agency>>();
    auto record =
        decode_record<Agency>(*raw.value(), agency_decoder, "agencies", id.str(), last_error_);
    if (!record) return record.error();
    return std::optional<Versioned<Agency>>(std::move(record).value());
}

result<std::optional<Versioned<Account>>> SqliteStore::load_account(const AccountId& id) {
    const Lock lock(mutex_);
    auto raw = read_record(at(Sql::load_account), id.str());
    if (!raw) return raw.error();
    if (!raw.value()) return std::optional<Versioned<Account>>();
    auto record =
        decode_record<Account>(*raw.value(), account_decoder, "accounts", id.str(), last_error_);
    if (!record) return record.error();
    return std::optional<Versioned<Account>>(std::move(record).value());
}

result<std::optional<Versioned<TrackingNumber>>> SqliteStore::load_number(const NumberId& id) {
    const Lock lock(mutex_);
    auto raw = read_record(at(Sql::load_number), id.str());
    if (!raw) return raw.error();
    if (!raw.value()) return std::optional<Versioned<TrackingNumber>>();
    auto record = decode_record<TrackingNumber>(*raw.value(), number_decoder, "numbers", id.str(),
                                                last_error_);
    if (!record) return record.error();
    return std::optional<Versioned<TrackingNumber>>(std::move(record).value());
}

result<std::optional<Versioned<UserGrants>>> SqliteStore::load_grants(const UserId& user) {
    const Lock lock(mutex_);
    auto raw = read_record(at(Sql::load_grants), user.str());
    if (!raw) return raw.error();
    if (!raw.value()) return std::optional<Versioned<UserGrants>>();
    auto grants = decode<std::vector<RoleGrant>>(raw.value()->second, grants_decoder, "grants",
                                                 user.str(), last_error_);
    if (!grants) return grants.error();
    return std::optional<Versioned<UserGrants>>(
        Versioned<UserGrants>{UserGrants{user, std::move(grants).value()}, raw.value()->first});
}

result<std::vector<Versioned<TrackingNumber>>> SqliteStore::load_numbers_of(
    const AccountId& account) {
    const Lock lock(mutex_);
    auto rows = read_records(at(Sql::load_numbers_of), account.str());
    if (!rows) return rows.error();
    std::vector<Versioned<TrackingNumber>> found;
    found.reserve(rows.value().size());
    for (const auto& raw : rows.value()) {
        auto record = decode_record<TrackingNumber>(raw, number_decoder, "numbers",
                                                    "of account " + account.str(), last_error_);
        if (!record) return record.error();
        found.push_back(std::move(record).value());
    }
    return found;
}

result<std::vector<Versioned<Account>>> SqliteStore::load_sub_accounts(const AgencyId& agency) {
    const Lock lock(mutex_);
    auto rows = read_records(at(Sql::load_sub_accounts), agency.str());
    if (!rows) return rows.error();
    std::vector<Versioned<Account>> found;
    found.reserve(rows.value().size());
    for (const auto& raw : rows.value()) {
        auto record = decode_record<Account>(raw, account_decoder, "accounts",
                                             "of agency " + agency.str(), last_error_);
        if (!record) return record.error();
        found.push_back(std::move(record).value());
    }
    return found;
}

result<std::optional<NumberId>> SqliteStore::find_number_by_phone(const PhoneNumber& phone) {
    const Lock lock(mutex_);
    CALLTRACK_SQLITE_QUERY(q, Sql::find_number_by_phone);
    q.bind(1, phone.e164());
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<NumberId>();
    if (rc != SQLITE_ROW) return fail(rc, sql_text[at(Sql::find_number_by_phone)]);
    auto id = NumberId::parse(q.text(0));
    if (!id) return corrupt("numbers row with phone " + phone.e164() + " has a malformed id");
    return std::optional<NumberId>(std::move(id).value());
}

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
        q.bind(4, to_json(write.value));
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
    }

    if (!batch.events.empty() && !counters.last_sequence) {
        CALLTRACK_SQLITE_QUERY(q, Sql::last_sequence);
        const int rc = q.step();
        if (rc != SQLITE_ROW) return fail(rc, sql_text[at(Sql::last_sequence)]);
        counters.last_sequence = q.int64(0);
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
        CALLTRACK_SQLITE_QUERY(q, Sql::append_event);
        q.bind(1, ++*counters.last_sequence).bind(2, append.stream).bind(3, ++version->second);
        q.bind(4, to_json(append.event));
        if (auto r = done(q, Sql::append_event); !r) return r;
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

// --- group commit --------------------------------------------------------------------------------

result<void> SqliteStore::begin_group() {
    const Lock lock(mutex_);
    if (group_depth_ > 0) {
        ++group_depth_;
        return boost::outcome_v2::success();
    }
    if (auto begun = run(at(Sql::begin_immediate)); !begun) return begun.error();
    group_depth_ = 1;
    is_group_lost_ = false;
    drop_group_counters();
    return boost::outcome_v2::success();
}

result<void> SqliteStore::end_group() {
    const Lock lock(mutex_);
    return end_group_locked();
}

result<void> SqliteStore::end_group_locked() {
    if (group_depth_ == 0) {
        last_error_ = "end_group without begin_group";
        return errc::invalid_state;
    }
    if (--group_depth_ > 0) return boost::outcome_v2::success();
    const std::optional<std::int64_t> latest_event_at = group_counters_->pending_last_event_at;
    drop_group_counters();
    if (is_group_lost_) {
        is_group_lost_ = false;
        return errc::store_unavailable;
    }
    auto committed = latest_event_at ? raise_last_event_at(*latest_event_at)
                                     : result<void>(boost::outcome_v2::success());
    if (committed) committed = run(at(Sql::commit));
    if (!committed) {
        const std::string reason = last_error_;
        if (sqlite3_get_autocommit(db_) == 0) (void)run(at(Sql::rollback));
        last_error_ = reason;
        return committed.error();
    }
    return boost::outcome_v2::success();
}

result<void> SqliteStore::rollback_group() {
    const Lock lock(mutex_);
    return rollback_group_locked();
}

// Rolling back drops the whole group, however deeply nested the call.
result<void> SqliteStore::rollback_group_locked() {
    if (group_depth_ == 0) {
        last_error_ = "rollback_group without begin_group";
        return errc::invalid_state;
    }
    group_depth_ = 0;
    is_group_lost_ = false;
    drop_group_counters();
    if (sqlite3_get_autocommit(db_) != 0) return boost::outcome_v2::success();
    return run(at(Sql::rollback));
}

bool SqliteStore::is_in_group() const {
    const Lock lock(mutex_);
    return group_depth_ > 0;
}

SqliteStore::Group::Group(Group&& other) noexcept : store_(std::exchange(other.store_, nullptr)) {}

SqliteStore::Group::~Group() {
    if (store_ != nullptr) (void)store_->rollback_group();
}

result<void> SqliteStore::Group::commit() {
    if (store_ == nullptr) return errc::invalid_state;
    return std::exchange(store_, nullptr)->end_group();
}

result<SqliteStore::Group> SqliteStore::group() {
    if (auto begun = begin_group(); !begun) return begun.error();
    return Group(*this);
}

// --- deadlines -----------------------------------------------------------------------------------

namespace {

constexpr int last_deadline_kind = static_cast<int>(DeadlineKind::refund_window_closes);

/// A deadlines row back into its Deadline; a row calltrack never writes is corruption, named by
/// its key (at, kind, subject) in `error`.
result<Deadline> deadline_of(std::int64_t micros, std::int64_t kind, std::string subject,
                             std::string& error) {
    const auto key = [&] {
        return "deadlines row (" + std::to_string(micros) + ", " + std::to_string(kind) + ", "
               + in_quotes(subject) + ")";
    };
    if (kind < 0 || kind > last_deadline_kind) {
        error = key() + ": unknown kind " + std::to_string(kind);
        return errc::store_corrupt;
    }
    if (!is_stored_time(micros)) {
        error = key() + ": the time is outside the calendar calltrack writes";
        return errc::store_corrupt;
    }
    return Deadline{time_of(micros), static_cast<DeadlineKind>(kind), std::move(subject)};
}

}  // namespace

result<std::vector<Deadline>> SqliteStore::due_deadlines(Time t, std::size_t limit) {
    const Lock lock(mutex_);
    std::vector<Deadline> due;
    if (limit == 0) return due;
    // "Not a date time" compares as not-before anything in ptime, so every deadline is due.
    const std::int64_t until = micros_of(t).value_or(max_micros);
    CALLTRACK_SQLITE_QUERY(q, Sql::due_deadlines);
    q.bind(1, until).bind(2, limit_of(limit));
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        auto d = deadline_of(q.int64(0), q.int64(1), q.text(2), last_error_);
        if (!d) return d.error();
        due.push_back(std::move(d).value());
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::due_deadlines)]);
    return due;
}

result<std::vector<Deadline>> SqliteStore::deadlines_of(const std::string& subject) {
    const Lock lock(mutex_);
    std::vector<Deadline> found;
    CALLTRACK_SQLITE_QUERY(q, Sql::deadlines_of);
    q.bind(1, subject);
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        auto d = deadline_of(q.int64(0), q.int64(1), subject, last_error_);
        if (!d) return d.error();
        found.push_back(std::move(d).value());
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::deadlines_of)]);
    return found;
}

// --- events --------------------------------------------------------------------------------------

result<std::vector<StoredEvent>> SqliteStore::read_stream(const StreamId& stream, Version after) {
    const Lock lock(mutex_);
    std::vector<StoredEvent> found;
    CALLTRACK_SQLITE_QUERY(q, Sql::read_stream);
    q.bind(1, stream).bind(2, to_int64(after));
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        const std::uint64_t sequence = q.uint64(0);
        auto event = decode<Event>(q.text(2), event_decoder, "events", std::to_string(sequence),
                                   last_error_);
        if (!event) return event.error();
        found.push_back(StoredEvent{sequence, stream, q.uint64(1), std::move(event).value()});
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::read_stream)]);
    return found;
}

result<std::vector<StoredEvent>> SqliteStore::read_all(std::uint64_t after, std::size_t limit) {
    const Lock lock(mutex_);
    std::vector<StoredEvent> found;
    if (limit == 0) return found;
    CALLTRACK_SQLITE_QUERY(q, Sql::read_all);
    q.bind(1, to_int64(after)).bind(2, limit_of(limit));
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        const std::uint64_t sequence = q.uint64(0);
        auto event = decode<Event>(q.text(3), event_decoder, "events", std::to_string(sequence),
                                   last_error_);
        if (!event) return event.error();
        found.push_back(StoredEvent{sequence, q.text(1), q.uint64(2), std::move(event).value()});
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::read_all)]);
    return found;
}

// Inside a group the stored value is read once (no other connection can change it while the
// group holds the write lock) and raised by the group's released batches, whose own write of it
// waits for the group's COMMIT.
result<std::optional<Time>> SqliteStore::last_event_time() {
    const Lock lock(mutex_);
    const bool grouped = group_depth_ > 0 && !is_group_lost_;
    std::optional<std::int64_t> micros;
    if (grouped && group_counters_->stored_last_event_at) {
        micros = *group_counters_->stored_last_event_at;
    } else {
        CALLTRACK_SQLITE_QUERY(q, Sql::last_event_at);
        const int rc = q.step();
        if (rc == SQLITE_ROW) {
            micros = q.int64(0);
        } else if (rc != SQLITE_DONE) {
            return fail(rc, sql_text[at(Sql::last_event_at)]);
        }
        if (grouped) group_counters_->stored_last_event_at = micros;
    }
    if (grouped) {
        if (const auto pending = group_counters_->pending_last_event_at) {
            micros = std::max(micros.value_or(*pending), *pending);
        }
    }
    if (!micros) return std::optional<Time>();
    if (!is_stored_time(*micros)) {
        last_error_ = "meta row 'last_event_at' holds " + std::to_string(*micros)
                      + ", outside the calendar calltrack writes";
        return errc::store_corrupt;
    }
    return std::optional<Time>(time_of(*micros));
}

// --- outbox --------------------------------------------------------------------------------------

result<std::vector<OutboxEntry>> SqliteStore::pending_effects(std::size_t limit) {
    const Lock lock(mutex_);
    std::vector<OutboxEntry> pending;
    if (limit == 0) return pending;
    CALLTRACK_SQLITE_QUERY(q, Sql::pending_effects);
    q.bind(1, limit_of(limit));
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        const std::uint64_t sequence = q.uint64(0);
        auto effect = decode<HostEffect>(q.text(1), effect_decoder, "outbox",
                                         std::to_string(sequence), last_error_);
        if (!effect) return effect.error();
        pending.push_back(OutboxEntry{sequence, std::move(effect).value()});
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::pending_effects)]);
    return pending;
}

// Only entries that exist are marked: a watermark past the last sequence does not swallow
// effects committed later.
result<void> SqliteStore::acknowledge_effects(std::uint64_t up_to) {
    const Lock lock(mutex_);
    CALLTRACK_SQLITE_QUERY(q, Sql::acknowledge_effects);
    q.bind(1, to_int64(up_to));
    const int rc = q.step();
    if (rc != SQLITE_DONE) return fail(rc, sql_text[at(Sql::acknowledge_effects)]);
    return boost::outcome_v2::success();
}

// --- idempotency ---------------------------------------------------------------------------------

result<std::optional<IdempotencyRecord>> SqliteStore::find_idempotency(const std::string& key) {
    const Lock lock(mutex_);
    CALLTRACK_SQLITE_QUERY(q, Sql::find_idempotency);
    q.bind(1, key);
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<IdempotencyRecord>();
    if (rc != SQLITE_ROW) return fail(rc, sql_text[at(Sql::find_idempotency)]);

    IdempotencyRecord record;
    record.key = key;
    record.fingerprint = q.text(0);
    const std::string text = q.text(1);
    const auto bad = [&](const std::string& what) -> result<std::optional<IdempotencyRecord>> {
        return corrupt("idempotency row " + in_quotes(key) + ": " + what);
    };
    nlohmann::json receipt;
    if (const auto failure = detail::parse_document(text, receipt)) {
        return bad((failure->field.empty() ? std::string() : failure->field + ": ")
                   + failure->problem);
    }
    if (!receipt.is_object()) return bad("not a JSON object");
    const auto events = receipt.find("events");
    const auto effects = receipt.find("effects");
    if (events == receipt.end() || !events->is_array()) return bad("no \"events\" array");
    if (effects == receipt.end() || !effects->is_array()) return bad("no \"effects\" array");
    for (const auto& element : *events) {
        auto event = decode<Event>(element.dump(), event_decoder, "idempotency", key, last_error_);
        if (!event) return event.error();
        record.events.push_back(std::move(event).value());
    }
    for (const auto& element : *effects) {
        auto effect =
            decode<HostEffect>(element.dump(), effect_decoder, "idempotency", key, last_error_);
        if (!effect) return effect.error();
        record.effects.push_back(std::move(effect).value());
    }
    return std::optional<IdempotencyRecord>(std::move(record));
}

}  // namespace calltrack
