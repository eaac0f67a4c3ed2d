// Everything the store answers without writing a record: the versioned records, the deadlines,
// the event log, the outbox (and its acknowledgement, a one-statement mark of entries as sent)
// and the idempotency receipts. Each read decodes stored JSON and rows back into values and
// calls anything it cannot read corruption, naming the table and key; that shared decoding is why
// they are one file, apart from the commit that writes them.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

using sqlite_detail::at;
using sqlite_detail::deadline_of;
using sqlite_detail::in_quotes;
using sqlite_detail::is_stored_time;
using sqlite_detail::limit_of;
using sqlite_detail::Lock;
using sqlite_detail::max_micros;
using sqlite_detail::micros_of;
using sqlite_detail::outbox_entry_of;
using sqlite_detail::Query;
using sqlite_detail::Sql;
using sqlite_detail::sql_text;
using sqlite_detail::time_of;
using sqlite_detail::to_int64;

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
/// An event stored before audit records has '' (schema 4's default): no actor recorded.
const auto audit_decoder = [](std::string_view text, JsonDiagnostic* d) -> result<Audit> {
    if (text.empty()) return Audit{};
    return audit_from_json(text, d);
};

/// The events row the query stands on, its columns from `first` on being stream_version, json,
/// policy_version, audit and hash.
result<StoredEvent> stored_event(Query& q, std::uint64_t sequence, StreamId stream, int first,
                                 std::string& error) {
    auto event =
        decode<Event>(q.text(first + 1), event_decoder, "events", std::to_string(sequence), error);
    if (!event) return event.error();
    auto audit =
        decode<Audit>(q.text(first + 3), audit_decoder, "events", std::to_string(sequence), error);
    if (!audit) return audit.error();
    return StoredEvent{
        sequence,          std::move(stream),        q.uint64(first),  std::move(event).value(),
        q.text(first + 2), std::move(audit).value(), q.text(first + 4)};
}

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

result<std::vector<Versioned<UserGrants>>> SqliteStore::load_grants_on(const Scope& scope) {
    const Lock lock(mutex_);
    const std::size_t which = at(Sql::load_grants_on);
    auto statement = prepare(which);
    if (!statement) return statement.error();
    Query q(statement.value());
    q.bind(1, scope_subject(scope));
    std::vector<Versioned<UserGrants>> found;
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        UserId user(q.text(0));
        auto grants = decode<std::vector<RoleGrant>>(q.text(2), grants_decoder, "grants",
                                                     user.str(), last_error_);
        if (!grants) return grants.error();
        found.push_back(Versioned<UserGrants>{
            UserGrants{std::move(user), std::move(grants).value()}, q.uint64(1)});
    }
    if (rc != SQLITE_DONE) return fail(rc, sql_text[which]);
    return found;
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

result<std::vector<Versioned<Account>>> SqliteStore::read_accounts(std::size_t which,
                                                                   const std::string& key,
                                                                   const std::string& what) {
    auto rows = read_records(which, key);
    if (!rows) return rows.error();
    std::vector<Versioned<Account>> found;
    found.reserve(rows.value().size());
    for (const auto& raw : rows.value()) {
        auto record = decode_record<Account>(raw, account_decoder, "accounts", what, last_error_);
        if (!record) return record.error();
        found.push_back(std::move(record).value());
    }
    return found;
}

result<std::vector<Versioned<Account>>> SqliteStore::load_sub_accounts(const AgencyId& agency) {
    const Lock lock(mutex_);
    return read_accounts(at(Sql::load_sub_accounts), agency.str(), "of agency " + agency.str());
}

result<std::vector<Versioned<Account>>> SqliteStore::load_incoming_transfers(
    const AgencyId& agency) {
    const Lock lock(mutex_);
    return read_accounts(at(Sql::load_incoming_transfers), agency.str(),
                         "with a transfer to agency " + agency.str());
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

// --- deadlines -----------------------------------------------------------------------------------

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
        auto stored = stored_event(q, q.uint64(0), stream, 1, last_error_);
        if (!stored) return stored.error();
        found.push_back(std::move(stored).value());
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
        auto stored = stored_event(q, q.uint64(0), q.text(1), 2, last_error_);
        if (!stored) return stored.error();
        found.push_back(std::move(stored).value());
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
        auto entry = outbox_entry_of(q.uint64(0), q.text(1), last_error_);
        if (!entry) return entry.error();
        pending.push_back(std::move(entry).value());
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
