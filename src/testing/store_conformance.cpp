#include <calltrack/testing/store_conformance.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::testing {

namespace {

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

Account account(const char* id, const char* agency_id = nullptr) {
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
                      NumberStatus status = NumberStatus::active) {
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

/// A distinct event for each `i`, at minute `i`.
Event event(int i) {
    return events::PlanChanged{AccountId("a1"), Plan{"plan-" + std::to_string(i), {}}, at(i)};
}

/// A distinct host effect for each `i`, at minute `i`.
HostEffect effect(int i) {
    HostEffect e{};
    e.kind = i % 2 == 0 ? EffectKind::stop_swapping : EffectKind::refund_balance;
    e.account = AccountId("a1");
    e.amount = usd(100 * i);
    e.at = at(i);
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

template <class T>
RecordWrite<T> write(T value, Version expected) {
    return RecordWrite<T>{std::move(value), expected};
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
template <class T>
std::string show(const Versioned<T>& r) {
    return show(r.value) + "@v" + std::to_string(r.version);
}
template <class T>
std::string show(const std::optional<T>& v) {
    return v ? show(*v) : std::string("nothing");
}
template <class T>
std::string show(const std::vector<T>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) text += "; ";
        text += show(values[i]);
    }
    return text + "]";
}

std::string show_error(const boost::system::error_code& ec) {
    return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + " ("
           + ec.message() + ")";
}

// --- one check's bookkeeping ------------------------------------------------------------------

/// Thrown to end a check early, after its failure has been recorded.
struct CheckAborted {};

class Check {
  public:
    Check(Store& store, std::string name, std::vector<ConformanceFailure>& failures)
        : store_(store), name_(std::move(name)), failures_(failures) {}

    Store& store() { return store_; }

    void fail(std::string detail) { failures_.push_back({name_, std::move(detail)}); }

    [[noreturn]] void abort(std::string detail) {
        fail(std::move(detail));
        throw CheckAborted{};
    }

    void expect(bool ok, const std::string& detail) {
        if (!ok) fail(detail);
    }

    template <class T>
    void expect_equal(const T& got, const T& want, const std::string& what) {
        if (got == want) return;
        std::string detail = what + ": expected " + show(want) + ", got " + show(got);
        if (show(want) == show(got)) detail += " (they differ in fields not shown)";
        fail(std::move(detail));
    }

    /// The value of a call that must succeed; a failed call ends the check.
    template <class T>
    T get(result<T> r, const std::string& call) {
        if (!r) abort(call + " failed: " + show_error(r.error()));
        return std::move(r).value();
    }

    /// A commit the check relies on; a refusal ends the check.
    void commit(const CommitBatch& batch, const std::string& what) {
        const auto r = store_.commit(batch);
        if (!r) abort("commit(" + what + ") failed: " + show_error(r.error()));
    }

    /// A commit that must be refused as a concurrency conflict; anything else ends the check.
    void expect_conflict(const CommitBatch& batch, const std::string& what) {
        const auto r = store_.commit(batch);
        if (r) abort("commit(" + what + ") succeeded; expected errc::concurrency_conflict");
        if (r.error() != errc::concurrency_conflict) {
            abort("commit(" + what + ") failed with " + show_error(r.error())
                  + "; expected errc::concurrency_conflict");
        }
    }

    // Reads, each ending the check if the store reports an error.
    std::optional<Versioned<Agency>> agency(const char* id) {
        return get(store_.load_agency(AgencyId(id)), std::string("load_agency(") + id + ")");
    }
    std::optional<Versioned<Account>> account(const char* id) {
        return get(store_.load_account(AccountId(id)), std::string("load_account(") + id + ")");
    }
    std::optional<Versioned<TrackingNumber>> number(const char* id) {
        return get(store_.load_number(NumberId(id)), std::string("load_number(") + id + ")");
    }
    std::optional<Versioned<UserGrants>> grants(const char* user) {
        return get(store_.load_grants(UserId(user)), std::string("load_grants(") + user + ")");
    }
    std::vector<Versioned<TrackingNumber>> numbers_of(const char* id) {
        return get(store_.load_numbers_of(AccountId(id)),
                   std::string("load_numbers_of(") + id + ")");
    }
    std::vector<Versioned<Account>> sub_accounts(const char* id) {
        return get(store_.load_sub_accounts(AgencyId(id)),
                   std::string("load_sub_accounts(") + id + ")");
    }
    std::optional<NumberId> by_phone(const char* text) {
        return get(store_.find_number_by_phone(phone(text)),
                   std::string("find_number_by_phone(") + text + ")");
    }
    std::vector<Deadline> due(Time t, std::size_t limit) {
        return get(store_.due_deadlines(t, limit),
                   "due_deadlines(" + format_time(t) + ", " + std::to_string(limit) + ")");
    }
    std::vector<Deadline> deadlines_of(const std::string& subject) {
        auto found = get(store_.deadlines_of(subject), "deadlines_of(" + subject + ")");
        // The contract does not order deadlines_of; compare as sets.
        std::sort(found.begin(), found.end());
        return found;
    }
    std::vector<StoredEvent> stream(const std::string& id, Version after = 0) {
        return get(store_.read_stream(id, after),
                   "read_stream(" + id + ", " + std::to_string(after) + ")");
    }
    std::vector<StoredEvent> all(std::uint64_t after, std::size_t limit) {
        return get(store_.read_all(after, limit),
                   "read_all(" + std::to_string(after) + ", " + std::to_string(limit) + ")");
    }
    std::optional<Time> last_event_time() {
        return get(store_.last_event_time(), "last_event_time()");
    }
    std::vector<OutboxEntry> pending(std::size_t limit) {
        return get(store_.pending_effects(limit), "pending_effects(" + std::to_string(limit) + ")");
    }
    void acknowledge(std::uint64_t up_to) {
        const auto r = store_.acknowledge_effects(up_to);
        if (!r) {
            abort("acknowledge_effects(" + std::to_string(up_to)
                  + ") failed: " + show_error(r.error()));
        }
    }
    std::optional<IdempotencyRecord> idempotency(const std::string& key) {
        return get(store_.find_idempotency(key), "find_idempotency(" + key + ")");
    }

  private:
    Store& store_;
    std::string name_;
    std::vector<ConformanceFailure>& failures_;
};

template <class T>
std::optional<Versioned<T>> at_version(T value, Version version) {
    return Versioned<T>{std::move(value), version};
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
std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = first; i <= last; ++i) out.push_back(i);
    return out;
}

// --- records ----------------------------------------------------------------------------------

void absent_records_read_as_nothing(Check& c) {
    c.expect_equal(c.agency("g1"), std::optional<Versioned<Agency>>(), "load_agency(g1)");
    c.expect_equal(c.account("a1"), std::optional<Versioned<Account>>(), "load_account(a1)");
    c.expect_equal(c.number("n1"), std::optional<Versioned<TrackingNumber>>(), "load_number(n1)");
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(), "load_grants(u1)");
    c.expect_equal(c.numbers_of("a1"), {}, "load_numbers_of(a1)");
    c.expect_equal(c.sub_accounts("g1"), {}, "load_sub_accounts(g1)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001)");
}

void empty_store_has_no_events_deadlines_or_effects(Check& c) {
    c.expect_equal(c.stream("account:a1"), {}, "read_stream(account:a1)");
    c.expect_equal(c.all(0, 100), {}, "read_all(0, 100)");
    c.expect_equal(c.last_event_time(), std::optional<Time>(), "last_event_time()");
    c.expect_equal(c.due(at(1000000), 100), {}, "due_deadlines(far future)");
    c.expect_equal(c.deadlines_of("account:a1"), {}, "deadlines_of(account:a1)");
    c.expect_equal(c.pending(100), {}, "pending_effects(100)");
    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(), "find_idempotency(k1)");
}

void new_record_reads_back_at_version_1(Check& c) {
    CommitBatch batch;
    batch.agencies.push_back(write(agency("g1"), 0));
    batch.accounts.push_back(write(account("a1", "g1"), 0));
    batch.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    batch.grants.push_back(write(grants("u1"), 0));
    c.commit(batch, "four new records");

    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 1), "load_agency(g1)");
    c.expect_equal(c.account("a1"), at_version(account("a1", "g1"), 1), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)");
    c.expect_equal(c.grants("u1"), at_version(grants("u1"), 1), "load_grants(u1)");
}

void each_write_adds_1_to_the_version(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");

    Agency g = agency("g1");
    Account a = account("a1");
    TrackingNumber n = number("n1", "a1", "+14045550001");
    UserGrants u = grants("u1");
    for (Version v = 1; v <= 2; ++v) {
        g.cancel_reasons.push_back("too expensive");
        a.plan.name = "plan-" + std::to_string(v);
        n.status = v == 1 ? NumberStatus::held : NumberStatus::active;
        u.grants.push_back(RoleGrant{Role::support, Platform{}});
        CommitBatch next;
        next.agencies.push_back(write(g, v));
        next.accounts.push_back(write(a, v));
        next.numbers.push_back(write(n, v));
        next.grants.push_back(write(u, v));
        c.commit(next, "four records read at version " + std::to_string(v));

        const std::string after = " after the write at version " + std::to_string(v);
        c.expect_equal(c.agency("g1"), at_version(g, v + 1), "load_agency(g1)" + after);
        c.expect_equal(c.account("a1"), at_version(a, v + 1), "load_account(a1)" + after);
        c.expect_equal(c.number("n1"), at_version(n, v + 1), "load_number(n1)" + after);
        c.expect_equal(c.grants("u1"), at_version(u, v + 1), "load_grants(u1)" + after);
    }
}

void stale_version_is_refused(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");
    CommitBatch second = first;
    for (auto& w : second.agencies) w.expected_version = 1;
    for (auto& w : second.accounts) w.expected_version = 1;
    for (auto& w : second.numbers) w.expected_version = 1;
    for (auto& w : second.grants) w.expected_version = 1;
    c.commit(second, "four records at version 1");

    Agency g = agency("g1");
    g.status = AgencyStatus::canceled;
    Account a = account("a1");
    a.status = AccountStatus::canceled;
    TrackingNumber n = number("n1", "a1", "+14045550001", NumberStatus::released);
    UserGrants u = grants("u1");
    u.grants.clear();

    CommitBatch stale_agency;
    stale_agency.agencies.push_back(write(g, 1));
    c.expect_conflict(stale_agency, "agency g1 at stale version 1");
    CommitBatch stale_account;
    stale_account.accounts.push_back(write(a, 1));
    c.expect_conflict(stale_account, "account a1 at stale version 1");
    CommitBatch stale_number;
    stale_number.numbers.push_back(write(n, 1));
    c.expect_conflict(stale_number, "number n1 at stale version 1");
    CommitBatch stale_grants;
    stale_grants.grants.push_back(write(u, 1));
    c.expect_conflict(stale_grants, "grants of u1 at stale version 1");

    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 2), "load_agency(g1)");
    c.expect_equal(c.account("a1"), at_version(account("a1"), 2), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 2),
                   "load_number(n1)");
    c.expect_equal(c.grants("u1"), at_version(grants("u1"), 2), "load_grants(u1)");
}

void expected_0_on_an_existing_record_is_refused(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");

    Account again = account("a1");
    again.plan.name = "second";
    CommitBatch duplicate_account;
    duplicate_account.accounts.push_back(write(again, 0));
    c.expect_conflict(duplicate_account, "account a1 again at version 0");
    CommitBatch duplicate_agency;
    duplicate_agency.agencies.push_back(write(agency("g1"), 0));
    c.expect_conflict(duplicate_agency, "agency g1 again at version 0");
    CommitBatch duplicate_number;
    duplicate_number.numbers.push_back(write(number("n1", "a1", "+14045550002"), 0));
    c.expect_conflict(duplicate_number, "number n1 again at version 0");
    CommitBatch duplicate_grants;
    duplicate_grants.grants.push_back(write(grants("u1"), 0));
    c.expect_conflict(duplicate_grants, "grants of u1 again at version 0");

    c.expect_equal(c.account("a1"), at_version(account("a1"), 1), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)");
}

void expected_version_on_an_absent_record_is_refused(Check& c) {
    CommitBatch agencies;
    agencies.agencies.push_back(write(agency("g1"), 1));
    c.expect_conflict(agencies, "absent agency g1 at version 1");
    CommitBatch accounts;
    accounts.accounts.push_back(write(account("a1"), 3));
    c.expect_conflict(accounts, "absent account a1 at version 3");
    CommitBatch numbers;
    numbers.numbers.push_back(write(number("n1", "a1", "+14045550001"), 1));
    c.expect_conflict(numbers, "absent number n1 at version 1");
    CommitBatch user_grants;
    user_grants.grants.push_back(write(grants("u1"), 1));
    c.expect_conflict(user_grants, "absent grants of u1 at version 1");

    c.expect_equal(c.agency("g1"), std::optional<Versioned<Agency>>(), "load_agency(g1)");
    c.expect_equal(c.account("a1"), std::optional<Versioned<Account>>(), "load_account(a1)");
    c.expect_equal(c.number("n1"), std::optional<Versioned<TrackingNumber>>(), "load_number(n1)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001)");
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(), "load_grants(u1)");
}

// The state every "refused batch" check starts from: g1 with sub-account a1, number n1, one
// event, one deadline, one pending effect.
void commit_baseline(Check& c) {
    CommitBatch base;
    base.agencies.push_back(write(agency("g1"), 0));
    base.accounts.push_back(write(account("a1", "g1"), 0));
    base.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    base.events.push_back(append("account:a1", 1));
    base.deadlines_added.push_back(deadline(100, DeadlineKind::data_purge, "account:a1"));
    base.effects.push_back(effect(1));
    c.commit(base, "the starting records");
}

// Everything a refused batch might have left behind, compared with the baseline.
void expect_baseline_only(Check& c, const std::string& after) {
    const std::string when = " after " + after;
    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 1), "load_agency(g1)" + when);
    c.expect_equal(c.account("a1"), at_version(account("a1", "g1"), 1), "load_account(a1)" + when);
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)" + when);
    c.expect_equal(c.agency("g2"), std::optional<Versioned<Agency>>(), "load_agency(g2)" + when);
    c.expect_equal(c.account("a2"), std::optional<Versioned<Account>>(), "load_account(a2)" + when);
    c.expect_equal(c.number("n2"), std::optional<Versioned<TrackingNumber>>(),
                   "load_number(n2)" + when);
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(),
                   "load_grants(u1)" + when);
    c.expect_equal(c.grants("u2"), std::optional<Versioned<UserGrants>>(),
                   "load_grants(u2)" + when);
    c.expect_equal(c.sub_accounts("g1"), {at_version(account("a1", "g1"), 1).value()},
                   "load_sub_accounts(g1)" + when);
    c.expect_equal(c.sub_accounts("g2"), {}, "load_sub_accounts(g2)" + when);
    c.expect_equal(c.numbers_of("a2"), {}, "load_numbers_of(a2)" + when);
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(NumberId("n1")),
                   "find_number_by_phone(+14045550001)" + when);
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550002)" + when);
    c.expect_equal(sequences_of(c.all(0, 100)), {1}, "read_all(0, 100) sequences" + when);
    c.expect_equal(c.stream("account:a2"), {}, "read_stream(account:a2)" + when);
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(1)), "last_event_time()" + when);
    c.expect_equal(c.due(at(1000000), 100), {deadline(100, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(far future)" + when);
    c.expect_equal(sequences_of(c.pending(100)), {1}, "pending_effects(100) sequences" + when);
    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(),
                   "find_idempotency(k1)" + when);
}

// A batch touching every part of the store; `stale` names the record kind given a stale version.
CommitBatch batch_touching_everything(const std::string& stale) {
    CommitBatch b;
    b.agencies.push_back(write(agency("g2"), 0));
    Account moved = account("a1", "g2");
    moved.plan.name = "moved";
    b.accounts.push_back(write(moved, 1));
    b.accounts.push_back(write(account("a2", "g1"), 0));
    b.numbers.push_back(write(number("n2", "a2", "+14045550002"), 0));
    b.numbers.push_back(write(number("n1", "a1", "+14045550001", NumberStatus::released), 1));
    b.grants.push_back(write(grants("u2"), 0));
    b.events.push_back(append("account:a2", 2));
    b.events.push_back(append("account:a1", 3));
    b.deadlines_removed.push_back(deadline(100, DeadlineKind::data_purge, "account:a1"));
    b.deadlines_added.push_back(deadline(50, DeadlineKind::restore_window_closes, "account:a2"));
    b.effects.push_back(effect(2));
    b.effects.push_back(effect(3));
    b.idempotency = idempotency("k1", "cancel a1");
    // The stale write goes first in its list, so that a store that stops at the first mismatch
    // and one that checks everything are tested alike; the writes after it are valid.
    if (stale == "agency") {
        b.agencies.insert(b.agencies.begin(), write(agency("g1"), 7));
    } else if (stale == "account") {
        b.accounts.insert(b.accounts.begin(), write(account("a9"), 1));
    } else if (stale == "number") {
        b.numbers.insert(b.numbers.begin(), write(number("n1", "a1", "+14045550001"), 0));
    } else {
        b.grants.push_back(write(grants("u1"), 2));
    }
    return b;
}

void refused_commit_writes_nothing(Check& c) {
    commit_baseline(c);
    c.expect_conflict(batch_touching_everything("grants"), "a batch whose last write is stale");
    expect_baseline_only(c, "the refused batch");

    // Nothing of the refused batch used up a sequence number.
    CommitBatch next;
    next.events.push_back(append("account:a1", 4));
    next.effects.push_back(effect(4));
    c.commit(next, "one event and one effect");
    c.expect_equal(sequences_of(c.all(0, 100)), {1, 2}, "read_all(0, 100) sequences");
    c.expect_equal(stream_versions_of(c.stream("account:a1")), {1, 2},
                   "read_stream(account:a1) versions");
    c.expect_equal(sequences_of(c.pending(100)), {1, 2}, "pending_effects(100) sequences");
}

void conflict_in_any_record_kind_refuses_the_batch(Check& c) {
    commit_baseline(c);
    for (const char* kind : {"agency", "account", "number", "grants"}) {
        c.expect_conflict(batch_touching_everything(kind),
                          std::string("a batch with a stale ") + kind + " write");
        expect_baseline_only(c, std::string("the batch with a stale ") + kind + " write");
    }
    // The same batch without the stale write is accepted whole.
    CommitBatch valid = batch_touching_everything("grants");
    valid.grants.pop_back();
    c.commit(valid, "the batch without its stale write");
    c.expect_equal(c.account("a1"), at_version(valid.accounts[0].value, 2), "load_account(a1)");
    c.expect_equal(c.sub_accounts("g2"), {at_version(valid.accounts[0].value, 2).value()},
                   "load_sub_accounts(g2)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001) after n1 was released");
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(NumberId("n2")),
                   "find_number_by_phone(+14045550002)");
    c.expect_equal(sequences_of(c.all(0, 100)), {1, 2, 3}, "read_all(0, 100) sequences");
    c.expect_equal(c.due(at(1000000), 100),
                   {deadline(50, DeadlineKind::restore_window_closes, "account:a2")},
                   "due_deadlines(far future)");
    c.expect_equal(sequences_of(c.pending(100)), {1, 2, 3}, "pending_effects(100) sequences");
    c.expect_equal(c.idempotency("k1"),
                   std::optional<IdempotencyRecord>(idempotency("k1", "cancel a1")),
                   "find_idempotency(k1)");
}

void record_written_twice_in_one_batch_is_checked_in_order(Check& c) {
    Account second = account("a1");
    second.plan.name = "second";
    CommitBatch twice;
    twice.accounts.push_back(write(account("a1"), 0));
    twice.accounts.push_back(write(second, 1));
    c.commit(twice, "account a1 at version 0, then at version 1");
    c.expect_equal(c.account("a1"), at_version(second, 2), "load_account(a1)");

    Account third = account("a1");
    third.plan.name = "third";
    CommitBatch same_version;
    same_version.accounts.push_back(write(third, 2));
    same_version.accounts.push_back(write(third, 2));
    c.expect_conflict(same_version, "account a1 twice at version 2");
    c.expect_equal(c.account("a1"), at_version(second, 2), "load_account(a1) after the refusal");
}

void empty_batch_commits_and_changes_nothing(Check& c) {
    c.commit(CommitBatch{}, "an empty batch");
    c.expect_equal(c.all(0, 100), {}, "read_all(0, 100)");
    c.expect_equal(c.pending(100), {}, "pending_effects(100)");
    c.expect_equal(c.last_event_time(), std::optional<Time>(), "last_event_time()");
}

// --- sub-accounts, numbers, phone index ---------------------------------------------------------

void numbers_of_an_account_in_id_order(Check& c) {
    CommitBatch b;
    b.numbers.push_back(write(number("n3", "a1", "+14045550003"), 0));
    b.numbers.push_back(write(number("n1", "a1", "+14045550001", NumberStatus::released), 0));
    b.numbers.push_back(write(number("n4", "a2", "+14045550004"), 0));
    b.numbers.push_back(write(number("n2", "a1", "+14045550002", NumberStatus::held), 0));
    c.commit(b, "numbers n3, n1, n4, n2");
    c.expect_equal(c.numbers_of("a1"),
                   {*at_version(number("n1", "a1", "+14045550001", NumberStatus::released), 1),
                    *at_version(number("n2", "a1", "+14045550002", NumberStatus::held), 1),
                    *at_version(number("n3", "a1", "+14045550003"), 1)},
                   "load_numbers_of(a1)");
    c.expect_equal(c.numbers_of("a2"), {*at_version(number("n4", "a2", "+14045550004"), 1)},
                   "load_numbers_of(a2)");

    CommitBatch update;
    update.numbers.push_back(write(number("n2", "a1", "+14045550002"), 1));
    c.commit(update, "n2 reactivated");
    c.expect_equal(c.numbers_of("a1"),
                   {*at_version(number("n1", "a1", "+14045550001", NumberStatus::released), 1),
                    *at_version(number("n2", "a1", "+14045550002"), 2),
                    *at_version(number("n3", "a1", "+14045550003"), 1)},
                   "load_numbers_of(a1) after n2 was written again");
}

void sub_accounts_of_an_agency_in_id_order(Check& c) {
    CommitBatch b;
    b.agencies.push_back(write(agency("g1"), 0));
    b.agencies.push_back(write(agency("g2"), 0));
    b.accounts.push_back(write(account("x3", "g1"), 0));
    b.accounts.push_back(write(account("s1"), 0));
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.accounts.push_back(write(account("x2", "g2"), 0));
    c.commit(b, "agencies g1 and g2, sub-accounts x3, x1, x2, standalone s1");
    c.expect_equal(c.sub_accounts("g1"),
                   {*at_version(account("x1", "g1"), 1), *at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1)");
    c.expect_equal(c.sub_accounts("g2"), {*at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2)");
    c.expect_equal(c.sub_accounts("g3"), {}, "load_sub_accounts(g3)");
}

void moved_sub_account_appears_under_its_new_agency_only(Check& c) {
    CommitBatch b;
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.accounts.push_back(write(account("x2", "g2"), 0));
    b.accounts.push_back(write(account("x3", "g1"), 0));
    c.commit(b, "sub-accounts x1 and x3 of g1, x2 of g2");

    CommitBatch transfer;
    transfer.accounts.push_back(write(account("x1", "g2"), 1));
    c.commit(transfer, "x1 moved to g2");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1) after x1 moved to g2");
    c.expect_equal(c.sub_accounts("g2"),
                   {*at_version(account("x1", "g2"), 2), *at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2) after x1 moved to g2");

    CommitBatch standalone;
    standalone.accounts.push_back(write(account("x1"), 2));
    c.commit(standalone, "x1 made standalone");
    c.expect_equal(c.sub_accounts("g2"), {*at_version(account("x2", "g2"), 1)},
                   "load_sub_accounts(g2) after x1 became standalone");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(account("x3", "g1"), 1)},
                   "load_sub_accounts(g1) after x1 became standalone");
}

void phone_finds_numbers_on_an_account(Check& c) {
    CommitBatch b;
    b.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    b.numbers.push_back(write(number("n2", "a1", "+14045550002", NumberStatus::held), 0));
    b.numbers.push_back(
        write(number("n3", "a2", "+14045550003", NumberStatus::port_out_pending), 0));
    c.commit(b, "an active, a held and a port-out-pending number");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(NumberId("n1")),
                   "find_number_by_phone(+14045550001), active");
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(NumberId("n2")),
                   "find_number_by_phone(+14045550002), held");
    c.expect_equal(c.by_phone("+14045550003"), std::optional<NumberId>(NumberId("n3")),
                   "find_number_by_phone(+14045550003), port-out pending");
    c.expect_equal(c.by_phone("+14045550009"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550009), never added");
}

void phone_lookup_follows_the_number_status(Check& c) {
    const char* p = "+14045550001";
    const std::pair<NumberStatus, bool> steps[] = {
        {NumberStatus::active, true},           {NumberStatus::released, false},
        {NumberStatus::active, true},           {NumberStatus::held, true},
        {NumberStatus::port_out_pending, true}, {NumberStatus::ported_out, false},
    };
    Version version = 0;
    for (const auto& [status, found] : steps) {
        CommitBatch b;
        b.numbers.push_back(write(number("n1", "a1", p, status), version++));
        c.commit(b, std::string("n1 ") + std::string(to_string(status)));
        c.expect_equal(c.by_phone(p),
                       found ? std::optional<NumberId>(NumberId("n1")) : std::nullopt,
                       std::string("find_number_by_phone(") + p + ") once n1 is "
                           + std::string(to_string(status)));
    }
}

void released_phone_is_found_under_its_new_number(Check& c) {
    const char* p = "+14045550001";
    CommitBatch add;
    add.numbers.push_back(write(number("n1", "a1", p), 0));
    c.commit(add, "n1");
    CommitBatch release;
    release.numbers.push_back(write(number("n1", "a1", p, NumberStatus::released), 1));
    c.commit(release, "n1 released");
    CommitBatch reuse;
    reuse.numbers.push_back(write(number("n2", "a2", p), 0));
    c.commit(reuse, "n2 with n1's phone number");
    c.expect_equal(c.by_phone(p), std::optional<NumberId>(NumberId("n2")),
                   std::string("find_number_by_phone(") + p + ")");
}

void rewritten_records_stay_indexed_once(Check& c) {
    const char* p = "+14045550001";
    CommitBatch b;
    b.accounts.push_back(write(account("x1", "g1"), 0));
    b.numbers.push_back(write(number("n1", "x1", p), 0));
    c.commit(b, "sub-account x1 of g1 with number n1");

    // Neither the agency nor the account and phone number change: the indexes answer as before,
    // with the new values.
    Account renamed = account("x1", "g1");
    renamed.plan.name = "renamed";
    TrackingNumber forwarded = number("n1", "x1", p);
    forwarded.forwarding_destination = phone("+14045550199");
    CommitBatch again;
    again.accounts.push_back(write(renamed, 1));
    again.numbers.push_back(write(forwarded, 1));
    c.commit(again, "x1 and n1 written again, indexed fields unchanged");
    c.expect_equal(c.sub_accounts("g1"), {*at_version(renamed, 2)},
                   "load_sub_accounts(g1) after x1 was written again");
    c.expect_equal(c.numbers_of("x1"), {*at_version(forwarded, 2)},
                   "load_numbers_of(x1) after n1 was written again");
    c.expect_equal(c.by_phone(p), std::optional<NumberId>(NumberId("n1")),
                   std::string("find_number_by_phone(") + p + ") after n1 was written again");
}

void number_moved_or_renumbered_is_indexed_anew(Check& c) {
    const char* p1 = "+14045550001";
    const char* p2 = "+14045550002";
    CommitBatch b;
    b.numbers.push_back(write(number("n1", "a1", p1), 0));
    c.commit(b, "n1 on a1 as " + std::string(p1));

    CommitBatch moved;
    moved.numbers.push_back(write(number("n1", "a2", p2), 1));
    c.commit(moved, "n1 moved to a2 as " + std::string(p2));
    c.expect_equal(c.numbers_of("a1"), {}, "load_numbers_of(a1) after n1 moved to a2");
    c.expect_equal(c.numbers_of("a2"), {*at_version(number("n1", "a2", p2), 2)},
                   "load_numbers_of(a2) after n1 moved to a2");
    c.expect_equal(c.by_phone(p1), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p1 + ") after n1 moved to " + p2);
    c.expect_equal(c.by_phone(p2), std::optional<NumberId>(NumberId("n1")),
                   std::string("find_number_by_phone(") + p2 + ") after n1 moved to " + p2);

    // Released and renumbered in one write: off the phone index under either number.
    CommitBatch released;
    released.numbers.push_back(write(number("n1", "a2", p1, NumberStatus::released), 2));
    c.commit(released, "n1 released as " + std::string(p1));
    c.expect_equal(c.by_phone(p1), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p1 + ") after n1 was released");
    c.expect_equal(c.by_phone(p2), std::optional<NumberId>(),
                   std::string("find_number_by_phone(") + p2 + ") after n1 was released");
}

// --- events -------------------------------------------------------------------------------------

void events_are_numbered_per_stream_and_globally(Check& c) {
    CommitBatch first;
    first.events = {append("account:a1", 1), append("agency:g1", 2), append("account:a1", 3),
                    append("user:u1", 4)};
    c.commit(first, "four events on three streams");
    CommitBatch second;
    second.events = {append("account:a1", 5), append("agency:g1", 6)};
    c.commit(second, "two more events");

    const auto all = c.all(0, 100);
    c.expect_equal(sequences_of(all), range(1, 6), "read_all(0, 100) sequences");
    c.expect_equal(stream_versions_of(all), {1, 1, 2, 1, 3, 2}, "read_all(0, 100) stream versions");
    std::vector<std::string> streams;
    for (const auto& e : all) streams.push_back(e.stream);
    c.expect_equal(streams,
                   {"account:a1", "agency:g1", "account:a1", "user:u1", "account:a1", "agency:g1"},
                   "read_all(0, 100) streams");
    const auto a1 = c.stream("account:a1");
    c.expect_equal(sequences_of(a1), {1, 3, 5}, "read_stream(account:a1) sequences");
    c.expect_equal(stream_versions_of(a1), {1, 2, 3}, "read_stream(account:a1) versions");
}

void stored_events_read_back_equal(Check& c) {
    const std::vector<Event> written = {
        events::AccountCanceled{AccountId("a1"),
                                CancelKind::agency_cascade,
                                {"too expensive", "moved vendor"},
                                at(60 * 24 * 30),
                                std::nullopt,
                                at(5)},
        events::NumberReleased{NumberId("n1"), AccountId("a1"), at(5)},
        events::BillingChanged{BalanceOwner{AccountId("a1")}, Charges{Charge::usage}, true, at(5)},
        events::RoleGranted{UserId("u1"), RoleGrant{Role::agency_administrator, AgencyId("g1")},
                            at(6)},
        events::TrackingNumberAdded{NumberId("n2"), AccountId("a1"), phone("+14045550002"),
                                    phone("+14045550100"), NumberSource::offsite, at(7)},
    };
    CommitBatch b;
    for (const auto& e : written) b.events.push_back(AppendEvent{"account:a1", e});
    c.commit(b, "five kinds of event");

    std::vector<Event> from_all;
    for (const auto& e : c.all(0, 100)) from_all.push_back(e.event);
    c.expect_equal(from_all, written, "events from read_all(0, 100)");
    std::vector<Event> from_stream;
    for (const auto& e : c.stream("account:a1")) from_stream.push_back(e.event);
    c.expect_equal(from_stream, written, "events from read_stream(account:a1)");
}

void read_stream_returns_versions_after(Check& c) {
    CommitBatch b;
    for (int i = 1; i <= 5; ++i) b.events.push_back(append("account:a1", i));
    b.events.push_back(append("account:a2", 6));
    c.commit(b, "five events on account:a1, one on account:a2");

    c.expect_equal(stream_versions_of(c.stream("account:a1", 0)), {1, 2, 3, 4, 5},
                   "read_stream(account:a1, 0) versions");
    const auto after_2 = c.stream("account:a1", 2);
    c.expect_equal(stream_versions_of(after_2), {3, 4, 5}, "read_stream(account:a1, 2) versions");
    std::vector<Event> events_after_2;
    for (const auto& e : after_2) events_after_2.push_back(e.event);
    c.expect_equal(events_after_2, {event(3), event(4), event(5)},
                   "read_stream(account:a1, 2) events");
    c.expect_equal(c.stream("account:a1", 5), {}, "read_stream(account:a1, 5)");
    c.expect_equal(c.stream("account:a1", 9), {}, "read_stream(account:a1, 9)");
    c.expect_equal(sequences_of(c.stream("account:a2")), {6}, "read_stream(account:a2) sequences");
    c.expect_equal(c.stream("account:zz"), {}, "read_stream(account:zz)");
}

void read_all_pages_by_after_and_limit(Check& c) {
    CommitBatch first;
    for (int i = 1; i <= 4; ++i) {
        first.events.push_back(append(i % 2 == 0 ? "account:a1" : "agency:g1", i));
    }
    c.commit(first, "four events");
    CommitBatch second;
    for (int i = 5; i <= 7; ++i) second.events.push_back(append("user:u1", i));
    c.commit(second, "three more events");

    c.expect_equal(sequences_of(c.all(0, 3)), {1, 2, 3}, "read_all(0, 3) sequences");
    c.expect_equal(sequences_of(c.all(3, 3)), {4, 5, 6}, "read_all(3, 3) sequences");
    c.expect_equal(sequences_of(c.all(6, 3)), {7}, "read_all(6, 3) sequences");
    c.expect_equal(c.all(7, 3), {}, "read_all(7, 3)");
    c.expect_equal(c.all(0, 0), {}, "read_all(0, 0)");
    c.expect_equal(c.all(100, 10), {}, "read_all(100, 10)");

    std::vector<StoredEvent> paged;
    std::uint64_t after = 0;
    for (int page = 0; page < 10; ++page) {
        const auto chunk = c.all(after, 2);
        if (chunk.empty()) break;
        paged.insert(paged.end(), chunk.begin(), chunk.end());
        after = chunk.back().sequence;
    }
    c.expect_equal(paged, c.all(0, 100), "read_all in pages of 2, against read_all(0, 100)");
}

void last_event_time_is_the_latest_event_time(Check& c) {
    CommitBatch first;
    first.events = {append("account:a1", 10), append("account:a1", 30), append("account:a2", 20)};
    c.commit(first, "events at minutes 10, 30, 20");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(30)), "last_event_time()");

    CommitBatch earlier;
    earlier.events = {append("account:a3", 25)};
    c.commit(earlier, "an event at minute 25");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(30)),
                   "last_event_time() after an earlier event");

    CommitBatch later;
    later.events = {append("account:a3", 40)};
    c.commit(later, "an event at minute 40");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(40)),
                   "last_event_time() after a later event");
}

// --- deadlines ----------------------------------------------------------------------------------

void due_deadlines_in_time_kind_subject_order(Check& c) {
    using K = DeadlineKind;
    CommitBatch first;
    first.deadlines_added = {
        deadline(20, K::data_purge, "account:b"),
        deadline(10, K::reactivation_window_closes, "account:z"),
        deadline(10, K::restore_window_closes, "account:y"),
        deadline(20, K::data_purge, "account:a"),
    };
    c.commit(first, "four deadlines");
    CommitBatch second;
    second.deadlines_added = {
        deadline(30, K::pause_maximum, "account:c"),
        deadline(10, K::pause_maximum, "agency:g"),
        deadline(20, K::agency_reactivation_window_closes, "agency:g"),
        deadline(10, K::reactivation_window_closes, "account:m"),
    };
    c.commit(second, "four more deadlines");

    c.expect_equal(c.due(at(100), 100),
                   {
                       deadline(10, K::pause_maximum, "agency:g"),
                       deadline(10, K::restore_window_closes, "account:y"),
                       deadline(10, K::reactivation_window_closes, "account:m"),
                       deadline(10, K::reactivation_window_closes, "account:z"),
                       deadline(20, K::agency_reactivation_window_closes, "agency:g"),
                       deadline(20, K::data_purge, "account:a"),
                       deadline(20, K::data_purge, "account:b"),
                       deadline(30, K::pause_maximum, "account:c"),
                   },
                   "due_deadlines(minute 100, 100)");
}

void deadline_exactly_at_t_is_due(Check& c) {
    CommitBatch b;
    b.deadlines_added = {deadline(10, DeadlineKind::data_purge, "account:a1")};
    c.commit(b, "a deadline at minute 10");
    const Time t = at(10);
    const auto one_us = boost::posix_time::microseconds(1);
    c.expect_equal(c.due(t - one_us, 10), {}, "due_deadlines(one microsecond before it)");
    c.expect_equal(c.due(t, 10), {deadline(10, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(exactly its time)");

    CommitBatch later;
    later.deadlines_added = {Deadline{t + one_us, DeadlineKind::pause_maximum, "account:a2"}};
    c.commit(later, "a deadline one microsecond later");
    c.expect_equal(c.due(t, 10), {deadline(10, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(exactly the first one's time)");
}

void due_deadlines_respects_the_limit(Check& c) {
    CommitBatch b;
    for (int i = 5; i >= 1; --i) {
        b.deadlines_added.push_back(deadline(i, DeadlineKind::data_purge, "account:a1"));
    }
    b.deadlines_added.push_back(deadline(500, DeadlineKind::data_purge, "account:a1"));
    c.commit(b, "six deadlines, five of them due");
    c.expect_equal(c.due(at(100), 2),
                   {deadline(1, DeadlineKind::data_purge, "account:a1"),
                    deadline(2, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(minute 100, 2)");
    c.expect_equal(c.due(at(100), 0), {}, "due_deadlines(minute 100, 0)");
    c.expect_equal(c.due(at(100), 10).size(), std::size_t{5},
                   "due_deadlines(minute 100, 10) count");
}

void removed_deadlines_are_gone(Check& c) {
    const Deadline d1 = deadline(10, DeadlineKind::data_purge, "account:a1");
    const Deadline d2 = deadline(20, DeadlineKind::refund_window_closes, "account:a1");
    const Deadline d3 = deadline(30, DeadlineKind::pause_maximum, "account:a2");
    CommitBatch add;
    add.deadlines_added = {d1, d2, d3};
    c.commit(add, "three deadlines");
    CommitBatch remove;
    remove.deadlines_removed = {d2};
    c.commit(remove, "d2 removed");
    c.expect_equal(c.due(at(100), 10), {d1, d3}, "due_deadlines(minute 100, 10)");
    c.expect_equal(c.deadlines_of("account:a1"), {d1}, "deadlines_of(account:a1)");

    CommitBatch absent;
    absent.deadlines_removed = {d2, deadline(40, DeadlineKind::data_purge, "account:zz")};
    c.commit(absent, "deadlines that are not pending removed");
    c.expect_equal(c.due(at(100), 10), {d1, d3}, "due_deadlines(minute 100, 10) after that");
}

void batch_removes_deadlines_before_adding(Check& c) {
    const Deadline d1 = deadline(10, DeadlineKind::data_purge, "account:a1");
    const Deadline d2 = deadline(20, DeadlineKind::restore_window_closes, "account:a2");
    const Deadline d2_later = deadline(90, DeadlineKind::restore_window_closes, "account:a2");
    CommitBatch add;
    add.deadlines_added = {d1, d2};
    c.commit(add, "two deadlines");
    CommitBatch change;
    change.deadlines_removed = {d1, d2};
    change.deadlines_added = {d1, d2_later};
    c.commit(change, "d1 removed and added again, d2 moved later");
    c.expect_equal(c.due(at(100), 10), {d1, d2_later}, "due_deadlines(minute 100, 10)");
}

void deadlines_of_lists_one_subject(Check& c) {
    const Deadline a1_purge = deadline(30, DeadlineKind::data_purge, "account:a1");
    const Deadline a1_refund = deadline(10, DeadlineKind::refund_window_closes, "account:a1");
    const Deadline g1 = deadline(20, DeadlineKind::agency_reactivation_window_closes, "agency:g1");
    const Deadline a2 = deadline(5, DeadlineKind::pause_maximum, "account:a2");
    CommitBatch b;
    b.deadlines_added = {a1_purge, g1, a2, a1_refund};
    c.commit(b, "four deadlines of three subjects");
    c.expect_equal(c.deadlines_of("account:a1"), {a1_refund, a1_purge}, "deadlines_of(account:a1)");
    c.expect_equal(c.deadlines_of("agency:g1"), {g1}, "deadlines_of(agency:g1)");
    c.expect_equal(c.deadlines_of("account:zz"), {}, "deadlines_of(account:zz)");
    c.expect_equal(c.deadlines_of("account:a"), {}, "deadlines_of(account:a), a prefix of a1");
}

// --- outbox -------------------------------------------------------------------------------------

void outbox_delivers_in_sequence_order(Check& c) {
    CommitBatch first;
    first.effects = {effect(1), effect(2), effect(3)};
    c.commit(first, "three effects");
    CommitBatch second;
    second.effects = {effect(4), effect(5)};
    c.commit(second, "two more effects");
    c.expect_equal(c.pending(100),
                   {OutboxEntry{1, effect(1)}, OutboxEntry{2, effect(2)}, OutboxEntry{3, effect(3)},
                    OutboxEntry{4, effect(4)}, OutboxEntry{5, effect(5)}},
                   "pending_effects(100)");
}

void acknowledge_removes_exactly_the_entries_up_to(Check& c) {
    CommitBatch b;
    b.effects = {effect(1), effect(2), effect(3), effect(4), effect(5)};
    c.commit(b, "five effects");
    c.acknowledge(2);
    c.expect_equal(sequences_of(c.pending(100)), {3, 4, 5}, "pending_effects(100) after ack 2");
    c.acknowledge(2);
    c.expect_equal(sequences_of(c.pending(100)), {3, 4, 5},
                   "pending_effects(100) after ack 2 again");
    c.acknowledge(1);
    c.expect_equal(sequences_of(c.pending(100)), {3, 4, 5},
                   "pending_effects(100) after ack 1 (earlier)");
    c.acknowledge(5);
    c.expect_equal(c.pending(100), {}, "pending_effects(100) after ack 5");
}

void pending_effects_respects_the_limit(Check& c) {
    CommitBatch b;
    b.effects = {effect(1), effect(2), effect(3), effect(4), effect(5)};
    c.commit(b, "five effects");
    c.expect_equal(c.pending(2), {OutboxEntry{1, effect(1)}, OutboxEntry{2, effect(2)}},
                   "pending_effects(2)");
    c.expect_equal(c.pending(0), {}, "pending_effects(0)");
}

void unacknowledged_effects_are_delivered_again(Check& c) {
    CommitBatch b;
    b.effects = {effect(1), effect(2), effect(3)};
    c.commit(b, "three effects");
    const auto first = c.pending(100);
    c.expect_equal(c.pending(100), first, "pending_effects(100) read twice");
    c.acknowledge(1);
    c.expect_equal(c.pending(100), {OutboxEntry{2, effect(2)}, OutboxEntry{3, effect(3)}},
                   "pending_effects(100) after ack 1");
    c.expect_equal(c.pending(100), {OutboxEntry{2, effect(2)}, OutboxEntry{3, effect(3)}},
                   "pending_effects(100) after ack 1, read again");
}

void acknowledging_past_the_end_keeps_later_effects(Check& c) {
    CommitBatch b;
    b.effects = {effect(1), effect(2)};
    c.commit(b, "two effects");
    c.acknowledge(10);
    c.expect_equal(c.pending(100), {}, "pending_effects(100) after ack 10");
    CommitBatch later;
    later.effects = {effect(3)};
    c.commit(later, "one more effect");
    const auto pending = c.pending(100);
    c.expect(
        pending.size() == 1 && pending[0].effect == effect(3),
        "pending_effects(100) after the new commit: expected the new effect, got " + show(pending));
}

void outbox_sequence_numbers_are_never_reused(Check& c) {
    CommitBatch b;
    b.effects = {effect(1), effect(2)};
    c.commit(b, "two effects");
    c.acknowledge(2);
    CommitBatch later;
    later.effects = {effect(3)};
    c.commit(later, "one more effect");
    c.expect_equal(c.pending(100), {OutboxEntry{3, effect(3)}},
                   "pending_effects(100) after everything before was acknowledged");
}

// --- idempotency --------------------------------------------------------------------------------

void idempotency_record_reads_back_equal(Check& c) {
    CommitBatch b;
    b.events = {append("account:a1", 1), append("account:a1", 2)};
    b.effects = {effect(1)};
    b.idempotency = idempotency("k1", "cancel_account a1 by u1");
    c.commit(b, "a command's events with its idempotency record");
    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(*b.idempotency),
                   "find_idempotency(k1)");
    c.expect_equal(c.idempotency("k2"), std::optional<IdempotencyRecord>(), "find_idempotency(k2)");
}

void duplicate_idempotency_key_is_refused(Check& c) {
    CommitBatch first;
    first.accounts.push_back(write(account("a1"), 0));
    first.events = {append("account:a1", 1)};
    first.idempotency = idempotency("k1", "first");
    c.commit(first, "a command under key k1");

    CommitBatch second;
    second.accounts.push_back(write(account("a2"), 0));
    second.events = {append("account:a2", 2)};
    second.effects = {effect(2)};
    second.idempotency = idempotency("k1", "second");
    c.expect_conflict(second, "another command under key k1");

    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(*first.idempotency),
                   "find_idempotency(k1)");
    c.expect_equal(c.account("a2"), std::optional<Versioned<Account>>(),
                   "load_account(a2) after the refusal");
    c.expect_equal(sequences_of(c.all(0, 100)), {1}, "read_all(0, 100) sequences");
    c.expect_equal(c.pending(100), {}, "pending_effects(100)");
}

// --- the table ----------------------------------------------------------------------------------

struct CheckDefinition {
    const char* name;
    void (*run)(Check&);
};

const CheckDefinition all_checks[] = {
    {"absent_records_read_as_nothing", absent_records_read_as_nothing},
    {"empty_store_has_no_events_deadlines_or_effects",
     empty_store_has_no_events_deadlines_or_effects},
    {"new_record_reads_back_at_version_1", new_record_reads_back_at_version_1},
    {"each_write_adds_1_to_the_version", each_write_adds_1_to_the_version},
    {"stale_version_is_refused", stale_version_is_refused},
    {"expected_0_on_an_existing_record_is_refused", expected_0_on_an_existing_record_is_refused},
    {"expected_version_on_an_absent_record_is_refused",
     expected_version_on_an_absent_record_is_refused},
    {"refused_commit_writes_nothing", refused_commit_writes_nothing},
    {"conflict_in_any_record_kind_refuses_the_batch",
     conflict_in_any_record_kind_refuses_the_batch},
    {"record_written_twice_in_one_batch_is_checked_in_order",
     record_written_twice_in_one_batch_is_checked_in_order},
    {"empty_batch_commits_and_changes_nothing", empty_batch_commits_and_changes_nothing},
    {"numbers_of_an_account_in_id_order", numbers_of_an_account_in_id_order},
    {"sub_accounts_of_an_agency_in_id_order", sub_accounts_of_an_agency_in_id_order},
    {"moved_sub_account_appears_under_its_new_agency_only",
     moved_sub_account_appears_under_its_new_agency_only},
    {"phone_finds_numbers_on_an_account", phone_finds_numbers_on_an_account},
    {"phone_lookup_follows_the_number_status", phone_lookup_follows_the_number_status},
    {"released_phone_is_found_under_its_new_number", released_phone_is_found_under_its_new_number},
    {"rewritten_records_stay_indexed_once", rewritten_records_stay_indexed_once},
    {"number_moved_or_renumbered_is_indexed_anew", number_moved_or_renumbered_is_indexed_anew},
    {"events_are_numbered_per_stream_and_globally", events_are_numbered_per_stream_and_globally},
    {"stored_events_read_back_equal", stored_events_read_back_equal},
    {"read_stream_returns_versions_after", read_stream_returns_versions_after},
    {"read_all_pages_by_after_and_limit", read_all_pages_by_after_and_limit},
    {"last_event_time_is_the_latest_event_time", last_event_time_is_the_latest_event_time},
    {"due_deadlines_in_time_kind_subject_order", due_deadlines_in_time_kind_subject_order},
    {"deadline_exactly_at_t_is_due", deadline_exactly_at_t_is_due},
    {"due_deadlines_respects_the_limit", due_deadlines_respects_the_limit},
    {"removed_deadlines_are_gone", removed_deadlines_are_gone},
    {"batch_removes_deadlines_before_adding", batch_removes_deadlines_before_adding},
    {"deadlines_of_lists_one_subject", deadlines_of_lists_one_subject},
    {"outbox_delivers_in_sequence_order", outbox_delivers_in_sequence_order},
    {"acknowledge_removes_exactly_the_entries_up_to",
     acknowledge_removes_exactly_the_entries_up_to},
    {"pending_effects_respects_the_limit", pending_effects_respects_the_limit},
    {"unacknowledged_effects_are_delivered_again", unacknowledged_effects_are_delivered_again},
    {"acknowledging_past_the_end_keeps_later_effects",
     acknowledging_past_the_end_keeps_later_effects},
    {"outbox_sequence_numbers_are_never_reused", outbox_sequence_numbers_are_never_reused},
    {"idempotency_record_reads_back_equal", idempotency_record_reads_back_equal},
    {"duplicate_idempotency_key_is_refused", duplicate_idempotency_key_is_refused},
};

}  // namespace

std::vector<ConformanceFailure> run_store_conformance(
    const std::function<std::unique_ptr<Store>()>& make_store) {
    std::vector<ConformanceFailure> failures;
    for (const auto& definition : all_checks) {
        std::unique_ptr<Store> store = make_store ? make_store() : nullptr;
        if (!store) {
            failures.push_back({definition.name, "make_store returned no store"});
            continue;
        }
        Check check(*store, definition.name, failures);
        try {
            definition.run(check);
        } catch (const CheckAborted&) {
            // Recorded already.
        } catch (const std::exception& e) {
            check.fail(std::string("the store threw: ") + e.what());
        } catch (...) {
            check.fail("the store threw something that is not a std::exception");
        }
    }
    return failures;
}

std::vector<std::string> store_conformance_checks() {
    std::vector<std::string> names;
    for (const auto& definition : all_checks) names.emplace_back(definition.name);
    return names;
}

}  // namespace calltrack::testing
