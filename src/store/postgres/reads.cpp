// Everything the store answers without writing a record: the versioned records, the deadlines,
// the event log, the outbox (and its acknowledgement, a one-statement mark of entries as sent)
// and the idempotency receipts. Each read is one statement, so it sees one snapshot. Each decodes
// stored JSON and rows back into values and calls anything it cannot read corruption, naming the
// table and key.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

using postgres_detail::deadline_of;
using postgres_detail::in_quotes;
using postgres_detail::is_stored_time;
using postgres_detail::Lock;
using postgres_detail::max_micros;
using postgres_detail::micros_of;
using postgres_detail::outbox_entry_of;
using postgres_detail::Params;
using postgres_detail::Rows;
using postgres_detail::Sql;
using postgres_detail::time_of;
using postgres_detail::to_int64;

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
/// An event stored before audit records has '' (schema 2's default): no actor recorded.
const auto audit_decoder = [](std::string_view text, JsonDiagnostic* d) -> result<Audit> {
    if (text.empty()) return Audit{};
    return audit_from_json(text, d);
};

/// Row `i` of an events query whose columns from `first` on are stream_version, json,
/// policy_version, audit and hash.
result<StoredEvent> stored_event(const Rows& r, int i, StreamId stream, int first,
                                 std::string& error) {
    const std::uint64_t sequence = r.uint64(i, 0);
    auto event = decode<Event>(r.text(i, first + 1), event_decoder, "events",
                               std::to_string(sequence), error);
    if (!event) return event.error();
    auto audit = decode<Audit>(r.text(i, first + 3), audit_decoder, "events",
                               std::to_string(sequence), error);
    if (!audit) return audit.error();
    return StoredEvent{sequence,
                       std::move(stream),
                       r.uint64(i, first),
                       std::move(event).value(),
                       r.text(i, first + 2),
                       std::move(audit).value(),
                       r.text(i, first + 4)};
}

/// Every row of (version, json) as versioned records.
template <class T, class Decode>
result<std::vector<Versioned<T>>> records_of(const Rows& rows, Decode&& from_json,
                                             const char* table, const std::string& key,
                                             std::string& error) {
    std::vector<Versioned<T>> found;
    found.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        auto value = decode<T>(rows.text(i, 1), from_json, table, key, error);
        if (!value) return value.error();
        found.push_back(Versioned<T>{std::move(value).value(), rows.uint64(i, 0)});
    }
    return found;
}

// `Connection` is PostgresStore::Impl, a private name these helpers cannot spell.
template <class T, class Connection, class Decode>
result<std::optional<Versioned<T>>> one_record(Connection& s, Sql which, const std::string& key,
                                               Decode&& from_json, const char* table) {
    if (auto connected = s.ensure_connected(); !connected) return connected.error();
    auto rows = s.run(which, {key});
    if (!rows) return rows.error();
    auto found = records_of<T>(rows.value(), from_json, table, key, s.last_error);
    if (!found) return found.error();
    if (found.value().empty()) return std::optional<Versioned<T>>();
    return std::optional<Versioned<T>>(std::move(found.value().front()));
}

template <class T, class Connection, class Decode>
result<std::vector<Versioned<T>>> some_records(Connection& s, Sql which, const std::string& key,
                                               Decode&& from_json, const char* table,
                                               const std::string& what) {
    if (auto connected = s.ensure_connected(); !connected) return connected.error();
    auto rows = s.run(which, {key});
    if (!rows) return rows.error();
    return records_of<T>(rows.value(), from_json, table, what, s.last_error);
}

}  // namespace

// --- versioned reads -----------------------------------------------------------------------------

result<std::optional<Versioned<Agency>>> PostgresStore::load_agency(const AgencyId& id) {
    const Lock lock(impl_->mutex);
    return one_record<Agency>(*impl_, Sql::load_agency, id.str(), agency_decoder, "agencies");
}

result<std::optional<Versioned<Account>>> PostgresStore::load_account(const AccountId& id) {
    const Lock lock(impl_->mutex);
    return one_record<Account>(*impl_, Sql::load_account, id.str(), account_decoder, "accounts");
}

result<std::optional<Versioned<TrackingNumber>>> PostgresStore::load_number(const NumberId& id) {
    const Lock lock(impl_->mutex);
    return one_record<TrackingNumber>(*impl_, Sql::load_number, id.str(), number_decoder,
                                      "numbers");
}

result<std::optional<Versioned<UserGrants>>> PostgresStore::load_grants(const UserId& user) {
    const Lock lock(impl_->mutex);
    auto grants = one_record<std::vector<RoleGrant>>(*impl_, Sql::load_grants, user.str(),
                                                     grants_decoder, "grants");
    if (!grants) return grants.error();
    if (!grants.value()) return std::optional<Versioned<UserGrants>>();
    return std::optional<Versioned<UserGrants>>(Versioned<UserGrants>{
        UserGrants{user, std::move(grants.value()->value)}, grants.value()->version});
}

result<std::vector<Versioned<UserGrants>>> PostgresStore::load_grants_on(const Scope& scope) {
    const Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::load_grants_on, {scope_subject(scope)});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    std::vector<Versioned<UserGrants>> found;
    found.reserve(static_cast<std::size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i) {
        auto user = UserId::parse(r.text(i, 0));
        if (!user) return impl_->corrupt("grant_scopes row with a malformed user id");
        auto grants = decode<std::vector<RoleGrant>>(r.text(i, 2), grants_decoder, "grants",
                                                     user.value().str(), impl_->last_error);
        if (!grants) return grants.error();
        found.push_back(Versioned<UserGrants>{
            UserGrants{std::move(user).value(), std::move(grants).value()}, r.uint64(i, 1)});
    }
    return found;
}

result<std::vector<Versioned<TrackingNumber>>> PostgresStore::load_numbers_of(
    const AccountId& account) {
    const Lock lock(impl_->mutex);
    return some_records<TrackingNumber>(*impl_, Sql::load_numbers_of, account.str(), number_decoder,
                                        "numbers", "of account " + account.str());
}

result<std::vector<Versioned<Account>>> PostgresStore::load_sub_accounts(const AgencyId& agency) {
    const Lock lock(impl_->mutex);
    return some_records<Account>(*impl_, Sql::load_sub_accounts, agency.str(), account_decoder,
                                 "accounts", "of agency " + agency.str());
}

result<std::vector<Versioned<Account>>> PostgresStore::load_incoming_transfers(
    const AgencyId& agency) {
    const Lock lock(impl_->mutex);
    return some_records<Account>(*impl_, Sql::load_incoming_transfers, agency.str(),
                                 account_decoder, "accounts", "transferring to " + agency.str());
}

result<std::optional<NumberId>> PostgresStore::find_number_by_phone(const PhoneNumber& phone) {
    const Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::find_number_by_phone, {phone.e164()});
    if (!rows) return rows.error();
    if (rows.value().size() == 0) return std::optional<NumberId>();
    auto id = NumberId::parse(rows.value().text(0, 0));
    if (!id)
        return impl_->corrupt("numbers row with phone " + phone.e164() + " has a malformed id");
    return std::optional<NumberId>(std::move(id).value());
}

// --- deadlines -----------------------------------------------------------------------------------

result<std::vector<Deadline>> PostgresStore::due_deadlines(Time t, std::size_t limit) {
    const Lock lock(impl_->mutex);
    std::vector<Deadline> due;
    if (limit == 0) return due;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    // "Not a date time" compares as not-before anything in ptime, so every deadline is due.
    const std::int64_t until = micros_of(t).value_or(max_micros);
    auto rows =
        impl_->run(Sql::due_deadlines, {std::to_string(until), std::to_string(to_int64(limit))});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto d = deadline_of(r.int64(i, 0), r.int64(i, 1), r.text(i, 2), impl_->last_error);
        if (!d) return d.error();
        due.push_back(std::move(d).value());
    }
    return due;
}

result<std::vector<Deadline>> PostgresStore::deadlines_of(const std::string& subject) {
    const Lock lock(impl_->mutex);
    std::vector<Deadline> found;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::deadlines_of, {subject});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto d = deadline_of(r.int64(i, 0), r.int64(i, 1), subject, impl_->last_error);
        if (!d) return d.error();
        found.push_back(std::move(d).value());
    }
    return found;
}

// --- events --------------------------------------------------------------------------------------

result<std::vector<StoredEvent>> PostgresStore::read_stream(const StreamId& stream, Version after) {
    const Lock lock(impl_->mutex);
    std::vector<StoredEvent> found;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::read_stream, {stream, std::to_string(to_int64(after))});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto stored = stored_event(r, i, stream, 1, impl_->last_error);
        if (!stored) return stored.error();
        found.push_back(std::move(stored).value());
    }
    return found;
}

// Safe for a reader that pages with the last sequence it read: sequences are handed out under the
// log_head row lock, so a commit holding a lower sequence has committed before a higher one can
// be handed out, let alone seen (docs/postgres.md, "The global order").
result<std::vector<StoredEvent>> PostgresStore::read_all(std::uint64_t after, std::size_t limit) {
    const Lock lock(impl_->mutex);
    std::vector<StoredEvent> found;
    if (limit == 0) return found;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::read_all,
                           {std::to_string(to_int64(after)), std::to_string(to_int64(limit))});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto stored = stored_event(r, i, r.text(i, 1), 2, impl_->last_error);
        if (!stored) return stored.error();
        found.push_back(std::move(stored).value());
    }
    return found;
}

result<std::optional<Time>> PostgresStore::last_event_time() {
    const Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::last_event_at);
    if (!rows) return rows.error();
    if (rows.value().size() != 1) return impl_->corrupt("log_head is not one row");
    if (rows.value().is_null(0, 0)) return std::optional<Time>();
    const std::int64_t micros = rows.value().int64(0, 0);
    if (!is_stored_time(micros)) {
        return impl_->corrupt("log_head.last_event_at holds " + std::to_string(micros)
                              + ", outside the calendar calltrack writes");
    }
    return std::optional<Time>(time_of(micros));
}

// --- outbox --------------------------------------------------------------------------------------

result<std::vector<OutboxEntry>> PostgresStore::pending_effects(std::size_t limit) {
    const Lock lock(impl_->mutex);
    std::vector<OutboxEntry> pending;
    if (limit == 0) return pending;
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::pending_effects, {std::to_string(to_int64(limit))});
    if (!rows) return rows.error();
    const Rows& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        auto entry = outbox_entry_of(r.uint64(i, 0), r.text(i, 1), impl_->last_error);
        if (!entry) return entry.error();
        pending.push_back(std::move(entry).value());
    }
    return pending;
}

// Only entries that exist are marked: a watermark past the last sequence does not swallow effects
// committed later.
result<void> PostgresStore::acknowledge_effects(std::uint64_t up_to) {
    const Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::acknowledge_effects, {std::to_string(to_int64(up_to))});
    if (!rows) return rows.error();
    return boost::outcome_v2::success();
}

// --- idempotency ---------------------------------------------------------------------------------

result<std::optional<IdempotencyRecord>> PostgresStore::find_idempotency(const std::string& key) {
    const Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::find_idempotency, {key});
    if (!rows) return rows.error();
    if (rows.value().size() == 0) return std::optional<IdempotencyRecord>();

    IdempotencyRecord record;
    record.key = key;
    record.fingerprint = rows.value().text(0, 0);
    const std::string text = rows.value().text(0, 1);
    const auto bad = [&](const std::string& what) -> result<std::optional<IdempotencyRecord>> {
        return impl_->corrupt("idempotency row " + in_quotes(key) + ": " + what);
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
        auto event =
            decode<Event>(element.dump(), event_decoder, "idempotency", key, impl_->last_error);
        if (!event) return event.error();
        record.events.push_back(std::move(event).value());
    }
    for (const auto& element : *effects) {
        auto effect = decode<HostEffect>(element.dump(), effect_decoder, "idempotency", key,
                                         impl_->last_error);
        if (!effect) return effect.error();
        record.effects.push_back(std::move(effect).value());
    }
    return std::optional<IdempotencyRecord>(std::move(record));
}

}  // namespace calltrack
