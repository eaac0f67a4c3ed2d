#pragma once

// A Store that forwards every call to another: the base of a test double that changes one or two
// calls (a commit that lands but reports failure, a hook run before the first commit) and must
// pass every other call through unchanged. Derive, override what changes, and call the base for
// the rest:
//
//     class LandsButFails final : public calltrack::testing::ForwardingStore {
//       public:
//         using ForwardingStore::ForwardingStore;
//         calltrack::result<void> commit(const calltrack::CommitBatch& batch) override {
//             auto landed = ForwardingStore::commit(batch);
//             if (!landed) return landed;
//             return calltrack::errc::store_unavailable;
//         }
//     };
//
// Header-only, so it adds nothing to a library's symbols.

#include <calltrack/store.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calltrack::testing {

class ForwardingStore : public Store {
  public:
    /// Forwards to `inner`, which must outlive this wrapper.
    explicit ForwardingStore(Store& inner) : inner_(inner) {}
    ForwardingStore(const ForwardingStore&) = delete;
    ForwardingStore& operator=(const ForwardingStore&) = delete;
    ~ForwardingStore() override = default;

    result<std::optional<Versioned<Agency>>> load_agency(const AgencyId& id) override {
        return inner_.load_agency(id);
    }
    result<std::optional<Versioned<Account>>> load_account(const AccountId& id) override {
        return inner_.load_account(id);
    }
    result<std::optional<Versioned<TrackingNumber>>> load_number(const NumberId& id) override {
        return inner_.load_number(id);
    }
    result<std::optional<Versioned<UserGrants>>> load_grants(const UserId& user) override {
        return inner_.load_grants(user);
    }
    result<std::vector<Versioned<TrackingNumber>>> load_numbers_of(
        const AccountId& account) override {
        return inner_.load_numbers_of(account);
    }
    result<std::vector<Versioned<Account>>> load_sub_accounts(const AgencyId& agency) override {
        return inner_.load_sub_accounts(agency);
    }
    result<std::vector<Versioned<Account>>> load_incoming_transfers(
        const AgencyId& agency) override {
        return inner_.load_incoming_transfers(agency);
    }
    result<std::vector<Versioned<UserGrants>>> load_grants_on(const Scope& scope) override {
        return inner_.load_grants_on(scope);
    }
    result<std::optional<NumberId>> find_number_by_phone(const PhoneNumber& phone) override {
        return inner_.find_number_by_phone(phone);
    }
    result<void> commit(const CommitBatch& batch) override { return inner_.commit(batch); }
    result<std::vector<Deadline>> due_deadlines(Time t, std::size_t limit) override {
        return inner_.due_deadlines(t, limit);
    }
    result<std::vector<Deadline>> deadlines_of(const std::string& subject) override {
        return inner_.deadlines_of(subject);
    }
    result<std::vector<Deadline>> claim_due_deadlines(Time t, std::size_t limit,
                                                      const std::string& worker,
                                                      Time lease_until) override {
        return inner_.claim_due_deadlines(t, limit, worker, lease_until);
    }
    result<std::vector<StoredEvent>> read_stream(const StreamId& stream, Version after) override {
        return inner_.read_stream(stream, after);
    }
    result<std::vector<StoredEvent>> read_all(std::uint64_t after, std::size_t limit) override {
        return inner_.read_all(after, limit);
    }
    result<std::optional<Time>> last_event_time() override { return inner_.last_event_time(); }
    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit) override {
        return inner_.pending_effects(limit);
    }
    result<void> acknowledge_effects(std::uint64_t up_to) override {
        return inner_.acknowledge_effects(up_to);
    }
    result<std::vector<OutboxEntry>> claim_effects(std::size_t limit, const std::string& consumer,
                                                   Time now, Time lease_until) override {
        return inner_.claim_effects(limit, consumer, now, lease_until);
    }
    result<void> acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) override {
        return inner_.acknowledge_claimed_effects(sequences);
    }
    result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key) override {
        return inner_.find_idempotency(key);
    }

  protected:
    Store& inner() noexcept { return inner_; }

  private:
    Store& inner_;
};

}  // namespace calltrack::testing
