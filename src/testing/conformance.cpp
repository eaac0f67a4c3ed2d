// The definitions behind conformance.hpp: the test values, how values are shown, and one check's
// bookkeeping. They are shared by every part of the suite and written once here, so that a value
// or a failure message reads the same whichever part of the contract a check belongs to.

#include "conformance.hpp"

#include <calltrack/json.hpp>

#include <algorithm>

namespace calltrack::testing::conformance {

// --- test values, built from the public types ------------------------------------------------

Time at(int minutes) {
    static const Time start = parse_time("2024-01-01T00:00:00Z").value();
    return start + boost::posix_time::minutes(minutes);
}

PhoneNumber phone(const char* text) {
    return PhoneNumber::parse(text).value();
}

Money usd(std::int64_t cents) {
    return Money(cents, Currency::parse("USD").value());
}

Agency agency(const char* id) {
    Agency a;
    a.id = AgencyId(id);
    a.charges = Charges{Charge::subscription, Charge::usage};
    a.balance.available = usd(5000);
    a.created_at = at(0);
    return a;
}

Account account(const char* id, const char* agency_id) {
    Account a;
    a.id = AccountId(id);
    if (agency_id != nullptr) a.agency = AgencyId(agency_id);
    a.plan = Plan{"starter", {"form_tracking"}};
    a.charges = Charges{Charge::subscription, Charge::number_renewals, Charge::usage};
    a.balance.available = usd(1250);
    a.timeline.opened_at = at(0);
    return a;
}

TrackingNumber number(const char* id, const char* account_id, const char* phone_text,
                      NumberStatus status) {
    return TrackingNumber{NumberId(id),
                          AccountId(account_id),
                          phone(phone_text),
                          phone("+14045550100"),
                          NumberSource::onsite_dynamic,
                          status,
                          false,
                          false,
                          std::nullopt};
}

UserGrants grants(const char* user) {
    return UserGrants{UserId(user), {RoleGrant{Role::administrator, AccountId("a1")}}};
}

Event event(int i) {
    return events::PlanChanged{AccountId("a1"), Plan{"plan-" + std::to_string(i), {}}, at(i)};
}

HostEffect effect(int i) {
    HostEffect e{};
    e.kind = i % 2 == 0 ? EffectKind::stop_swapping : EffectKind::refund_balance;
    e.account = AccountId("a1");
    // Only a refund has an amount: a store may keep no more of an effect than its kind holds.
    if (e.kind == EffectKind::refund_balance) e.amount = usd(100 * i);
    e.at = at(i);
    return e;
}

HostEffect effect_of(int i, const char* account_id) {
    HostEffect e = effect(i);
    e.account = AccountId(account_id);
    return e;
}

Deadline deadline(int minute, DeadlineKind kind, const char* subject) {
    return Deadline{at(minute), kind, subject};
}

IdempotencyRecord idempotency(const char* key, const char* fingerprint) {
    IdempotencyRecord r;
    r.key = key;
    r.fingerprint = fingerprint;
    r.events = {event(1), event(2)};
    r.effects = {effect(1)};
    return r;
}

AppendEvent append(const char* stream, int i) {
    return AppendEvent{stream, event(i)};
}

// --- how values are shown in failure details --------------------------------------------------

std::string show(const std::string& s) {
    return s;
}
std::string show(std::uint64_t n) {
    return std::to_string(n);
}
std::string show(const NumberId& id) {
    return id.str();
}
std::string show(Time t) {
    return format_time(t);
}
std::string show(const Deadline& d) {
    return format_time(d.at) + " " + std::string(to_string(d.kind)) + " " + d.subject;
}
std::string show(const StoredEvent& e) {
    return "#" + std::to_string(e.sequence) + " " + e.stream + "@"
           + std::to_string(e.stream_version) + " " + describe(e.event);
}
// Shown without describe(HostEffect), so that the suite needs nothing of the engine: the kind as
// its number, and the fields the checks vary.
std::string show(const HostEffect& e) {
    std::string text = "effect kind=" + std::to_string(static_cast<int>(e.kind));
    if (e.account) text += " account=" + e.account->str();
    if (e.number) text += " number=" + e.number->str();
    if (e.amount) text += " amount=" + to_string(*e.amount);
    return text + " at=" + format_time(e.at);
}
std::string show(const OutboxEntry& e) {
    return "#" + std::to_string(e.sequence) + " " + show(e.effect);
}
std::string show(const Event& e) {
    return describe(e);
}
std::string show(const Audit& a) {
    return to_json(a);
}
std::string show(const IdempotencyRecord& r) {
    return "key=" + r.key + " fingerprint=" + r.fingerprint + " events="
           + std::to_string(r.events.size()) + " effects=" + std::to_string(r.effects.size());
}
std::string show(const Agency& a) {
    return a.id.str() + "{status=" + std::string(to_string(a.status))
           + " reasons=" + std::to_string(a.cancel_reasons.size()) + "}";
}
std::string show(const Account& a) {
    return a.id.str() + "{agency=" + (a.agency ? a.agency->str() : "none") + " plan=" + a.plan.name
           + " status=" + std::string(to_string(a.status)) + "}";
}
std::string show(const TrackingNumber& n) {
    return n.id.str() + "{account=" + n.account.str() + " phone=" + n.number.e164()
           + " status=" + std::string(to_string(n.status)) + "}";
}
std::string show(const UserGrants& g) {
    return g.user.str() + "{grants=" + std::to_string(g.grants.size()) + "}";
}

std::string show_error(const boost::system::error_code& ec) {
    return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + " ("
           + ec.message() + ")";
}

// --- one check's bookkeeping ------------------------------------------------------------------

void Check::fail(std::string detail) {
    failures_.push_back({name_, std::move(detail)});
}

void Check::abort(std::string detail) {
    fail(std::move(detail));
    throw CheckAborted{};
}

void Check::expect(bool ok, const std::string& detail) {
    if (!ok) fail(detail);
}

void Check::commit(const CommitBatch& batch, const std::string& what) {
    const auto r = store_.commit(batch);
    if (!r) abort("commit(" + what + ") failed: " + show_error(r.error()));
}

void Check::expect_conflict(const CommitBatch& batch, const std::string& what) {
    const auto r = store_.commit(batch);
    if (r) abort("commit(" + what + ") succeeded; expected errc::concurrency_conflict");
    if (r.error() != errc::concurrency_conflict) {
        abort("commit(" + what + ") failed with " + show_error(r.error())
              + "; expected errc::concurrency_conflict");
    }
}

std::optional<Versioned<Agency>> Check::agency(const char* id) {
    return get(store_.load_agency(AgencyId(id)), std::string("load_agency(") + id + ")");
}
std::optional<Versioned<Account>> Check::account(const char* id) {
    return get(store_.load_account(AccountId(id)), std::string("load_account(") + id + ")");
}
std::optional<Versioned<TrackingNumber>> Check::number(const char* id) {
    return get(store_.load_number(NumberId(id)), std::string("load_number(") + id + ")");
}
std::optional<Versioned<UserGrants>> Check::grants(const char* user) {
    return get(store_.load_grants(UserId(user)), std::string("load_grants(") + user + ")");
}
std::vector<Versioned<UserGrants>> Check::grants_on(const Scope& scope) {
    return get(store_.load_grants_on(scope), "load_grants_on(" + to_string(scope) + ")");
}
std::vector<Versioned<TrackingNumber>> Check::numbers_of(const char* id) {
    return get(store_.load_numbers_of(AccountId(id)), std::string("load_numbers_of(") + id + ")");
}
std::vector<Versioned<Account>> Check::sub_accounts(const char* id) {
    return get(store_.load_sub_accounts(AgencyId(id)),
               std::string("load_sub_accounts(") + id + ")");
}
std::vector<Versioned<Account>> Check::incoming_transfers(const char* id) {
    return get(store_.load_incoming_transfers(AgencyId(id)),
               std::string("load_incoming_transfers(") + id + ")");
}
std::optional<NumberId> Check::by_phone(const char* text) {
    return get(store_.find_number_by_phone(phone(text)),
               std::string("find_number_by_phone(") + text + ")");
}
std::vector<Deadline> Check::due(Time t, std::size_t limit) {
    return get(store_.due_deadlines(t, limit),
               "due_deadlines(" + format_time(t) + ", " + std::to_string(limit) + ")");
}
std::vector<Deadline> Check::deadlines_of(const std::string& subject) {
    auto found = get(store_.deadlines_of(subject), "deadlines_of(" + subject + ")");
    // The contract does not order deadlines_of; compare as sets.
    std::sort(found.begin(), found.end());
    return found;
}
std::vector<StoredEvent> Check::stream(const std::string& id, Version after) {
    return get(store_.read_stream(id, after),
               "read_stream(" + id + ", " + std::to_string(after) + ")");
}
std::vector<StoredEvent> Check::all(std::uint64_t after, std::size_t limit) {
    return get(store_.read_all(after, limit),
               "read_all(" + std::to_string(after) + ", " + std::to_string(limit) + ")");
}
std::optional<Time> Check::last_event_time() {
    return get(store_.last_event_time(), "last_event_time()");
}
std::vector<OutboxEntry> Check::pending(std::size_t limit) {
    return get(store_.pending_effects(limit), "pending_effects(" + std::to_string(limit) + ")");
}
std::vector<Deadline> Check::claim(Time t, std::size_t limit, const std::string& worker,
                                   Time lease_until) {
    return get(store_.claim_due_deadlines(t, limit, worker, lease_until),
               "claim_due_deadlines(" + format_time(t) + ", " + std::to_string(limit) + ", "
                   + worker + ", " + format_time(lease_until) + ")");
}

std::vector<OutboxEntry> Check::claim_effects(std::size_t limit, const std::string& consumer,
                                              Time now, Time lease_until) {
    return get(store_.claim_effects(limit, consumer, now, lease_until),
               "claim_effects(" + std::to_string(limit) + ", " + consumer + ", " + format_time(now)
                   + ", " + format_time(lease_until) + ")");
}

void Check::acknowledge_claimed(const std::vector<std::uint64_t>& sequences) {
    const auto r = store_.acknowledge_claimed_effects(sequences);
    if (!r) {
        abort("acknowledge_claimed_effects(" + show(sequences)
              + ") failed: " + show_error(r.error()));
    }
}

void Check::acknowledge(std::uint64_t up_to) {
    const auto r = store_.acknowledge_effects(up_to);
    if (!r) {
        abort("acknowledge_effects(" + std::to_string(up_to)
              + ") failed: " + show_error(r.error()));
    }
}
std::optional<IdempotencyRecord> Check::idempotency(const std::string& key) {
    return get(store_.find_idempotency(key), "find_idempotency(" + key + ")");
}

std::vector<std::uint64_t> sequences_of(const std::vector<StoredEvent>& events) {
    std::vector<std::uint64_t> out;
    for (const auto& e : events) out.push_back(e.sequence);
    return out;
}
std::vector<std::uint64_t> stream_versions_of(const std::vector<StoredEvent>& events) {
    std::vector<std::uint64_t> out;
    for (const auto& e : events) out.push_back(e.stream_version);
    return out;
}
std::vector<std::uint64_t> sequences_of(const std::vector<OutboxEntry>& entries) {
    std::vector<std::uint64_t> out;
    for (const auto& e : entries) out.push_back(e.sequence);
    return out;
}

}  // namespace calltrack::testing::conformance
