#pragma once

// What every part of the store conformance suite shares: the test values, how values are shown in
// failure details, one check's bookkeeping, and each contract part's list of checks. The suite is
// split by the part of the Store contract a check proves (records, indexes, events, deadlines,
// outbox), so that a store author reading a failure finds its check beside the others of the same
// promise; this header is what those files have in common, and store_conformance.cpp puts their
// lists back together in the order they run.

#include <calltrack/testing/store_conformance.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::testing::conformance {

// --- test values, built from the public types ------------------------------------------------

Time at(int minutes);
PhoneNumber phone(const char* text);
Money usd(std::int64_t cents);
Agency agency(const char* id);
Account account(const char* id, const char* agency_id = nullptr);
TrackingNumber number(const char* id, const char* account_id, const char* phone_text,
                      NumberStatus status = NumberStatus::active);
UserGrants grants(const char* user);

/// A distinct event for each `i`, at minute `i`.
Event event(int i);

/// A distinct host effect for each `i`, at minute `i`.
HostEffect effect(int i);
/// effect(i) on another account: its owner is "account:<account_id>".
HostEffect effect_of(int i, const char* account_id);

Deadline deadline(int minute, DeadlineKind kind, const char* subject);
IdempotencyRecord idempotency(const char* key, const char* fingerprint);

template <class T>
RecordWrite<T> write(T value, Version expected) {
    return RecordWrite<T>{std::move(value), expected};
}

AppendEvent append(const char* stream, int i);

// --- how values are shown in failure details --------------------------------------------------

std::string show(const std::string& s);
std::string show(std::uint64_t n);
std::string show(const NumberId& id);
std::string show(Time t);
std::string show(const Deadline& d);
std::string show(const StoredEvent& e);
std::string show(const HostEffect& e);
std::string show(const OutboxEntry& e);
std::string show(const Event& e);
std::string show(const Audit& a);
std::string show(const IdempotencyRecord& r);
std::string show(const Agency& a);
std::string show(const Account& a);
std::string show(const TrackingNumber& n);
std::string show(const UserGrants& g);
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

std::string show_error(const boost::system::error_code& ec);

// --- one check's bookkeeping ------------------------------------------------------------------

/// Thrown to end a check early, after its failure has been recorded.
struct CheckAborted {};

class Check {
  public:
    Check(Store& store, std::string name, std::vector<ConformanceFailure>& failures)
        : store_(store), name_(std::move(name)), failures_(failures) {}

    Store& store() { return store_; }

    void fail(std::string detail);

    [[noreturn]] void abort(std::string detail);

    void expect(bool ok, const std::string& detail);

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
    void commit(const CommitBatch& batch, const std::string& what);

    /// A commit that must be refused as a concurrency conflict; anything else ends the check.
    void expect_conflict(const CommitBatch& batch, const std::string& what);

    // Reads, each ending the check if the store reports an error.
    std::optional<Versioned<Agency>> agency(const char* id);
    std::optional<Versioned<Account>> account(const char* id);
    std::optional<Versioned<TrackingNumber>> number(const char* id);
    std::optional<Versioned<UserGrants>> grants(const char* user);
    std::vector<Versioned<UserGrants>> grants_on(const Scope& scope);
    std::vector<Versioned<TrackingNumber>> numbers_of(const char* id);
    std::vector<Versioned<Account>> sub_accounts(const char* id);
    std::vector<Versioned<Account>> incoming_transfers(const char* id);
    std::optional<NumberId> by_phone(const char* text);
    std::vector<Deadline> due(Time t, std::size_t limit);
    std::vector<Deadline> deadlines_of(const std::string& subject);
    std::vector<Deadline> claim(Time t, std::size_t limit, const std::string& worker,
                                Time lease_until);
    std::vector<StoredEvent> stream(const std::string& id, Version after = 0);
    std::vector<StoredEvent> all(std::uint64_t after, std::size_t limit);
    std::optional<Time> last_event_time();
    std::vector<OutboxEntry> pending(std::size_t limit);
    void acknowledge(std::uint64_t up_to);
    std::vector<OutboxEntry> claim_effects(std::size_t limit, const std::string& consumer, Time now,
                                           Time lease_until);
    void acknowledge_claimed(const std::vector<std::uint64_t>& sequences);
    std::optional<IdempotencyRecord> idempotency(const std::string& key);

  private:
    Store& store_;
    std::string name_;
    std::vector<ConformanceFailure>& failures_;
};

template <class T>
std::optional<Versioned<T>> at_version(T value, Version version) {
    return Versioned<T>{std::move(value), version};
}

std::vector<std::uint64_t> sequences_of(const std::vector<StoredEvent>& events);
std::vector<std::uint64_t> stream_versions_of(const std::vector<StoredEvent>& events);
std::vector<std::uint64_t> sequences_of(const std::vector<OutboxEntry>& entries);

// --- each contract part's checks --------------------------------------------------------------

struct CheckDefinition {
    const char* name;
    void (*run)(Check&);
};

// One part of the contract each, its checks in the order they run; conformance_<part>.cpp holds
// them.
std::vector<CheckDefinition> record_checks();
std::vector<CheckDefinition> number_checks();  ///< sub-accounts, numbers and the phone index
std::vector<CheckDefinition> event_checks();
std::vector<CheckDefinition> deadline_checks();
std::vector<CheckDefinition> claim_checks();   ///< deadline claims and outbox leases
std::vector<CheckDefinition> outbox_checks();  ///< the outbox, then idempotency

}  // namespace calltrack::testing::conformance
