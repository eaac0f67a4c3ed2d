#pragma once

// A test double for the error paths: wraps any Store, counts every call made through it, and makes
// chosen calls fail with errc::store_unavailable, as a store whose database went away would. A
// failed call is not forwarded, so a failed commit writes nothing. Like spdlog's failing_sink, it
// ships with the library so that hosts can test their own handling of storage failures too.
//
//     calltrack::InMemoryStore memory;
//     calltrack::testing::FaultInjectingStore store(memory);
//     store.fail_call(3);  // the third call from now fails; the others are forwarded
//
// Thread-safe: the counting and the schedule are guarded by a mutex (calls are forwarded outside
// it), so it may wrap a store that several threads share.

#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace calltrack::testing {

class CALLTRACK_TESTING_API FaultInjectingStore final : public Store {
  public:
    /// Forwards to `inner`, which must outlive this wrapper.
    explicit FaultInjectingStore(Store& inner) : inner_(inner) {}
    FaultInjectingStore(const FaultInjectingStore&) = delete;
    FaultInjectingStore& operator=(const FaultInjectingStore&) = delete;
    ~FaultInjectingStore() override = default;

    /// The n-th call from now (1: the next one) fails with errc::store_unavailable and is not
    /// forwarded. Several can be scheduled; n == 0 schedules nothing.
    void fail_call(std::uint64_t n);
    /// The next n calls are forwarded; every call after them fails until heal().
    void fail_every_call_after(std::uint64_t n);
    /// Cancels every scheduled failure; later calls are forwarded.
    void heal();

    /// How many calls were made through this wrapper, reads and writes alike, failed or not.
    std::uint64_t calls() const;
    /// How many of them failed because a failure was scheduled.
    std::uint64_t failed_calls() const;

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
    /// Counts one call; true if it is scheduled to fail.
    bool count_call();

    Store& inner_;
    mutable std::mutex mutex_;
    std::uint64_t calls_ = 0;
    std::uint64_t failed_calls_ = 0;
    std::set<std::uint64_t> failing_calls_;      ///< by call number, counted from the first
    std::optional<std::uint64_t> failing_from_;  ///< every call from this number fails
};

}  // namespace calltrack::testing
