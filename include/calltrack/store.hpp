#pragma once

// The one interface through which calltrack persists. A host supplies its own implementation or
// uses InMemoryStore (default) or SqliteStore. docs/storage.md states the contract;
// calltrack/testing/store_conformance.hpp proves an implementation meets it.
//
// The contract in short:
// - Records (agencies, accounts, tracking numbers, a user's grants) are read with the version
//   they were written at. Versions start at 1 and grow by 1 with each write.
// - commit(batch) is atomic and optimistic: every written record names the version it was read
//   at (0: it must not exist yet). If any differs, nothing is written and the result is
//   errc::concurrency_conflict. Otherwise every record, event, deadline change, outbox entry and
//   the idempotency record are written together, or (on failure) none of them.
// - Events are appended to per-stream logs (an account's, an agency's, a user's) with
//   per-stream versions, and to one global order (the sequence) used for audit and replay, each
//   stored with its audit record and chained by hash to the one before (chain_hash).
// - Deadlines are an ordered index: due_deadlines(t, n) returns the first n at or before t,
//   ordered by (time, kind, subject). Several workers share a sweep with claim_due_deadlines:
//   each claims due deadlines under a lease, and passes over those another worker holds.
// - The outbox delivers host effects in sequence order, at least once, until acknowledged. One
//   consumer reads pending_effects and acknowledges up to a sequence; several consumers each
//   claim_effects under a lease, which keeps one owner's effects with one consumer at a time, in
//   order, and acknowledge what they claimed.
// - Every method is safe to call from several threads at once: engines may share a store.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/audit.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/state.hpp>
#include <calltrack/tracking_number.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calltrack {

using Version = std::uint64_t;

template <class T>
struct Versioned {
    T value;
    Version version = 0;
    CALLTRACK_FIELDS(Versioned, value, version)
};

/// A user's role grants, stored as one record.
struct UserGrants {
    UserId user;
    std::vector<RoleGrant> grants;
    CALLTRACK_FIELDS(UserGrants, user, grants)
};

/// A record to write, with the version it was read at (0: it must not exist yet).
template <class T>
struct RecordWrite {
    T value;
    Version expected_version = 0;
};

/// The stream an event belongs to: "account:<id>", "agency:<id>" or "user:<id>".
using StreamId = std::string;

struct StoredEvent {
    std::uint64_t sequence = 0;  ///< position in the global order, from 1
    StreamId stream;
    Version stream_version = 0;  ///< position in its stream, from 1
    Event event;
    /// The policy version the event was decided under (PolicyVersion::version); empty for an
    /// event stored before versions were recorded.
    std::string policy_version = {};
    /// Who acted, under which roles, with which confirmation.
    Audit audit = {};
    /// chain_hash() of this event and the one before it in the global order, set by the store
    /// when it assigns the sequence: a removed, reordered or edited event breaks the chain there.
    std::string hash = {};
    CALLTRACK_FIELDS(StoredEvent, sequence, stream, stream_version, event, policy_version, audit,
                     hash)
};

/// The hash of the global order's first event's predecessor: none.
inline constexpr std::string_view chain_start = "";

/// SHA-256, as 64 lower-case hex digits, of `previous` (the hash of the event before `event` in
/// the global order, or chain_start) and of `event`'s canonical text without its own hash: every
/// store sets StoredEvent::hash to this as it appends, and verify_log() recomputes it.
CALLTRACK_API std::string chain_hash(std::string_view previous, const StoredEvent& event);

struct OutboxEntry {
    std::uint64_t sequence = 0;  ///< delivery order, from 1
    HostEffect effect;
    CALLTRACK_FIELDS(OutboxEntry, sequence, effect)
};

/// Whose effect this is, for the outbox's order per owner: "account:<id>" when the effect names
/// an account, otherwise "agency:<id>" when it names an agency, otherwise "" (one owner for all
/// such effects). Stores keep it with each outbox entry, so that claim_effects can keep one
/// owner's effects with one consumer at a time.
CALLTRACK_API std::string effect_owner(const HostEffect& effect);

/// What execute() returned the first time a key was used, so a repeat returns it unchanged.
struct IdempotencyRecord {
    std::string key;
    std::string fingerprint;  ///< identifies the command and actor; a different one is refused
    std::vector<Event> events;
    std::vector<HostEffect> effects;
    CALLTRACK_FIELDS(IdempotencyRecord, key, fingerprint, events, effects)
};

struct AppendEvent {
    StreamId stream;
    Event event;
    std::string policy_version = {};  ///< stored with the event: see StoredEvent
    Audit audit = {};                 ///< stored with the event: see StoredEvent
};

/// Everything one command changes, committed atomically.
struct CommitBatch {
    std::vector<RecordWrite<Agency>> agencies;
    std::vector<RecordWrite<Account>> accounts;
    std::vector<RecordWrite<TrackingNumber>> numbers;
    std::vector<RecordWrite<UserGrants>> grants;
    std::vector<AppendEvent> events;
    std::vector<Deadline> deadlines_added;
    std::vector<Deadline> deadlines_removed;
    std::vector<HostEffect> effects;
    std::optional<IdempotencyRecord> idempotency;

    bool empty() const noexcept {
        return agencies.empty() && accounts.empty() && numbers.empty() && grants.empty()
               && events.empty() && deadlines_added.empty() && deadlines_removed.empty()
               && effects.empty() && !idempotency;
    }
};

class CALLTRACK_API Store {
  public:
    virtual ~Store() = default;

    // --- versioned reads --------------------------------------------------------------------
    virtual result<std::optional<Versioned<Agency>>> load_agency(const AgencyId& id) = 0;
    virtual result<std::optional<Versioned<Account>>> load_account(const AccountId& id) = 0;
    virtual result<std::optional<Versioned<TrackingNumber>>> load_number(const NumberId& id) = 0;
    virtual result<std::optional<Versioned<UserGrants>>> load_grants(const UserId& user) = 0;
    /// The grants of every user who holds a role on exactly this scope, in user id order: who
    /// else holds a role that only one user may hold there.
    virtual result<std::vector<Versioned<UserGrants>>> load_grants_on(const Scope& scope) = 0;
    /// Every tracking number of the account, in id order.
    virtual result<std::vector<Versioned<TrackingNumber>>> load_numbers_of(
        const AccountId& account) = 0;
    /// Every sub-account of the agency, in id order.
    virtual result<std::vector<Versioned<Account>>> load_sub_accounts(const AgencyId& agency) = 0;
    /// Every account with a transfer pending to the agency (Account::pending_transfer->to), in id
    /// order: the side that would receive a sub-account sees the request there.
    virtual result<std::vector<Versioned<Account>>> load_incoming_transfers(
        const AgencyId& agency) = 0;
    /// The tracking number a phone number routes as while it is on an account, if any.
    virtual result<std::optional<NumberId>> find_number_by_phone(const PhoneNumber& phone) = 0;

    // --- the one write ----------------------------------------------------------------------
    virtual result<void> commit(const CommitBatch& batch) = 0;

    // --- deadlines ----------------------------------------------------------------------------
    /// The first `limit` deadlines at or before `t`, in (time, kind, subject) order.
    virtual result<std::vector<Deadline>> due_deadlines(Time t, std::size_t limit) = 0;
    /// The pending deadlines of one subject ("account:<id>" or "agency:<id>").
    virtual result<std::vector<Deadline>> deadlines_of(const std::string& subject) = 0;
    /// Claims for `worker`, until `lease_until`, the first `limit` deadlines at or before `t`
    /// that no other worker holds, in (time, kind, subject) order, and returns them. Another
    /// worker holds a deadline while its claim's lease_until is after `t`; a claim that has
    /// expired by `t` is taken over, and `worker`'s own claims are returned again, renewed. The
    /// commit that removes a deadline ends its claim. due_deadlines() ignores claims.
    virtual result<std::vector<Deadline>> claim_due_deadlines(Time t, std::size_t limit,
                                                              const std::string& worker,
                                                              Time lease_until) = 0;

    // --- events -------------------------------------------------------------------------------
    /// One stream's events with stream_version > after, in order.
    virtual result<std::vector<StoredEvent>> read_stream(const StreamId& stream,
                                                         Version after = 0) = 0;
    /// Events with sequence > after, in order, at most `limit`.
    virtual result<std::vector<StoredEvent>> read_all(std::uint64_t after, std::size_t limit) = 0;
    /// The latest time of any committed event; nullopt while there is none.
    virtual result<std::optional<Time>> last_event_time() = 0;

    // --- outbox -------------------------------------------------------------------------------
    /// Unacknowledged effects in sequence order, at most `limit`.
    virtual result<std::vector<OutboxEntry>> pending_effects(std::size_t limit) = 0;
    /// Marks every entry with sequence <= up_to as delivered.
    virtual result<void> acknowledge_effects(std::uint64_t up_to) = 0;
    /// Leases to `consumer`, until `lease_until`, at most `limit` unacknowledged entries, in
    /// sequence order, and returns them: the oldest entries of the owners (effect_owner) none of
    /// whose unacknowledged entries another consumer holds under a lease that is after `now`. So
    /// each owner's effects go to one consumer at a time, in order; an expired lease is taken
    /// over, and `consumer`'s own leases are returned again, renewed.
    virtual result<std::vector<OutboxEntry>> claim_effects(std::size_t limit,
                                                           const std::string& consumer, Time now,
                                                           Time lease_until) = 0;
    /// Marks exactly the entries with these sequences as delivered, whoever leased them; a
    /// sequence acknowledged already, or of no entry, changes nothing.
    virtual result<void> acknowledge_claimed_effects(
        const std::vector<std::uint64_t>& sequences) = 0;

    // --- idempotency --------------------------------------------------------------------------
    virtual result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key) = 0;

  protected:
    Store() = default;
    Store(const Store&) = default;
    Store& operator=(const Store&) = default;
};

}  // namespace calltrack
