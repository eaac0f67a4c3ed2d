#pragma once

// The default Store: everything in memory, nothing survives the process. Complete against the
// contract in store.hpp (it passes calltrack::testing::run_store_conformance) and safe to share
// between threads: one mutex guards every call, so two engines in two threads may use one store.
//
// Costs: record reads are O(log n); due_deadlines is O(log n + k) for k due deadlines, and
// claim_due_deadlines O(k log n) for the k due deadlines it returns or passes over; claim_effects
// reads every unacknowledged entry;
// read_stream and read_all cost in proportion to what they return; commit costs in proportion to
// the size of the batch. Reads return copies.

#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace calltrack {

class CALLTRACK_API InMemoryStore final : public Store {
  public:
    InMemoryStore() = default;
    InMemoryStore(const InMemoryStore&) = delete;
    InMemoryStore& operator=(const InMemoryStore&) = delete;
    ~InMemoryStore() override = default;

    result<std::optional<Versioned<Agency>>> load_agency(const AgencyId& id) override;
    result<std::optional<Versioned<Account>>> load_account(const AccountId& id) override;
    result<std::optional<Versioned<TrackingNumber>>> load_number(const NumberId& id) override;
    result<std::optional<Versioned<UserGrants>>> load_grants(const UserId& user) override;
    result<std::vector<Versioned<UserGrants>>> load_grants_on(const Scope& scope) override;
    result<std::vector<Versioned<TrackingNumber>>> load_numbers_of(
        const AccountId& account) override;
    result<std::vector<Versioned<Account>>> load_sub_accounts(const AgencyId& agency) override;
    result<std::vector<Versioned<Account>>> load_incoming_transfers(
        const AgencyId& agency) override;
    result<std::optional<NumberId>> find_number_by_phone(const PhoneNumber& phone) override;

    result<void> commit(const CommitBatch& batch) override;

    result<std::vector<Deadline>> due_deadlines(Time t, std::size_t limit) override;
    result<std::vector<Deadline>> deadlines_of(const std::string& subject) override;
    result<std::vector<Deadline>> claim_due_deadlines(Time t, std::size_t limit,
                                                      const std::string& worker,
                                                      Time lease_until) override;

    result<std::vector<StoredEvent>> read_stream(const StreamId& stream,
                                                 Version after = 0) override;
    result<std::vector<StoredEvent>> read_all(std::uint64_t after, std::size_t limit) override;
    result<std::optional<Time>> last_event_time() override;

    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit) override;
    result<void> acknowledge_effects(std::uint64_t up_to) override;
    result<std::vector<OutboxEntry>> claim_effects(std::size_t limit, const std::string& consumer,
                                                   Time now, Time lease_until) override;
    result<void> acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) override;

    result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key) override;

  private:
    bool versions_match(const CommitBatch& batch) const;
    std::vector<Versioned<Account>> accounts_in(
        const std::map<AgencyId, std::set<AccountId>>& index, const AgencyId& agency) const;
    void write_account(const RecordWrite<Account>& write);
    void write_number(const RecordWrite<TrackingNumber>& write);
    void write_grants(const RecordWrite<UserGrants>& write);
    void append_event(const AppendEvent& append);
    /// Sets the hash of the first `count` events of the log that have none yet.
    void hash_through(std::size_t count);

    mutable std::mutex mutex_;

    std::map<AgencyId, Versioned<Agency>> agencies_;
    std::map<AccountId, Versioned<Account>> accounts_;
    std::map<NumberId, Versioned<TrackingNumber>> numbers_;
    std::map<UserId, Versioned<UserGrants>> grants_;

    // Indexes, kept up to date from the committed records.
    std::map<AccountId, std::set<NumberId>> numbers_by_account_;
    std::map<AgencyId, std::set<AccountId>> sub_accounts_by_agency_;
    std::map<AgencyId, std::set<AccountId>> incoming_transfers_by_agency_;
    /// "account:<id>", "agency:<id>" or "platform" → the users holding a role there.
    std::map<std::string, std::set<UserId>> users_by_scope_;
    /// Numbers on an account (is_on_account) by phone number. A set, so that two records that
    /// claim one phone number (which the core never produces) still answer deterministically.
    std::map<PhoneNumber, std::set<NumberId>> numbers_by_phone_;

    /// Who holds a deadline or an outbox entry, and until when.
    struct Lease {
        std::string holder;
        Time until;
    };
    /// An unacknowledged outbox entry, with its owner (effect_owner) and its lease, if any.
    struct Pending {
        OutboxEntry entry;
        std::string owner;
        std::optional<Lease> lease;
    };

    std::set<Deadline> deadlines_;
    std::map<std::string, std::set<Deadline>> deadlines_by_subject_;
    /// The claims on pending deadlines; a deadline's claim goes with it.
    std::map<Deadline, Lease> deadline_claims_;

    /// The global log: the event with sequence s is events_[s - 1]. A deque, so appending never
    /// moves the events already stored.
    std::deque<StoredEvent> events_;
    /// Each stream's events as indexes into events_: stream_version v is at [v - 1]. Hashed:
    /// streams are only ever looked up by name, never walked in order.
    std::unordered_map<StreamId, std::vector<std::size_t>> streams_;
    std::optional<Time> last_event_time_;
    /// How many events, from the first, have their hash set.
    std::size_t hashed_ = 0;

    /// Unacknowledged entries, by sequence.
    std::map<std::uint64_t, Pending> outbox_;
    std::uint64_t last_effect_sequence_ = 0;
    std::uint64_t acknowledged_up_to_ = 0;

    std::map<std::string, IdempotencyRecord> idempotency_;
};

}  // namespace calltrack
