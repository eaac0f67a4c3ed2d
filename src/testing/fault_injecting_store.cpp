#include <calltrack/testing/fault_injecting_store.hpp>

namespace calltrack::testing {

namespace {
using Lock = std::lock_guard<std::mutex>;
}  // namespace

void FaultInjectingStore::fail_call(std::uint64_t n) {
    const Lock lock(mutex_);
    if (n != 0) failing_calls_.insert(calls_ + n);
}

void FaultInjectingStore::fail_every_call_after(std::uint64_t n) {
    const Lock lock(mutex_);
    failing_from_ = calls_ + n + 1;
}

void FaultInjectingStore::heal() {
    const Lock lock(mutex_);
    failing_calls_.clear();
    failing_from_.reset();
}

std::uint64_t FaultInjectingStore::calls() const {
    const Lock lock(mutex_);
    return calls_;
}

std::uint64_t FaultInjectingStore::failed_calls() const {
    const Lock lock(mutex_);
    return failed_calls_;
}

bool FaultInjectingStore::count_call() {
    const Lock lock(mutex_);
    const std::uint64_t call = ++calls_;
    const bool fails = failing_calls_.erase(call) != 0 || (failing_from_ && call >= *failing_from_);
    if (fails) ++failed_calls_;
    return fails;
}

result<std::optional<Versioned<Agency>>> FaultInjectingStore::load_agency(const AgencyId& id) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_agency(id);
}

result<std::optional<Versioned<Account>>> FaultInjectingStore::load_account(const AccountId& id) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_account(id);
}

result<std::optional<Versioned<TrackingNumber>>> FaultInjectingStore::load_number(
    const NumberId& id) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_number(id);
}

result<std::optional<Versioned<UserGrants>>> FaultInjectingStore::load_grants(const UserId& user) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_grants(user);
}

result<std::vector<Versioned<TrackingNumber>>> FaultInjectingStore::load_numbers_of(
    const AccountId& account) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_numbers_of(account);
}

result<std::vector<Versioned<Account>>> FaultInjectingStore::load_sub_accounts(
    const AgencyId& agency) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_sub_accounts(agency);
}

result<std::vector<Versioned<Account>>> FaultInjectingStore::load_incoming_transfers(
    const AgencyId& agency) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_incoming_transfers(agency);
}

result<std::vector<Versioned<UserGrants>>> FaultInjectingStore::load_grants_on(const Scope& scope) {
    if (count_call()) return errc::store_unavailable;
    return inner_.load_grants_on(scope);
}

result<std::optional<NumberId>> FaultInjectingStore::find_number_by_phone(
    const PhoneNumber& phone) {
    if (count_call()) return errc::store_unavailable;
    return inner_.find_number_by_phone(phone);
}

result<void> FaultInjectingStore::commit(const CommitBatch& batch) {
    if (count_call()) return errc::store_unavailable;
    return inner_.commit(batch);
}

result<std::vector<Deadline>> FaultInjectingStore::due_deadlines(Time t, std::size_t limit) {
    if (count_call()) return errc::store_unavailable;
    return inner_.due_deadlines(t, limit);
}

result<std::vector<Deadline>> FaultInjectingStore::deadlines_of(const std::string& subject) {
    if (count_call()) return errc::store_unavailable;
    return inner_.deadlines_of(subject);
}

result<std::vector<Deadline>> FaultInjectingStore::claim_due_deadlines(Time t, std::size_t limit,
                                                                       const std::string& worker,
                                                                       Time lease_until) {
    if (count_call()) return errc::store_unavailable;
    return inner_.claim_due_deadlines(t, limit, worker, lease_until);
}

result<std::vector<StoredEvent>> FaultInjectingStore::read_stream(const StreamId& stream,
                                                                  Version after) {
    if (count_call()) return errc::store_unavailable;
    return inner_.read_stream(stream, after);
}

result<std::vector<StoredEvent>> FaultInjectingStore::read_all(std::uint64_t after,
                                                               std::size_t limit) {
    if (count_call()) return errc::store_unavailable;
    return inner_.read_all(after, limit);
}

result<std::optional<Time>> FaultInjectingStore::last_event_time() {
    if (count_call()) return errc::store_unavailable;
    return inner_.last_event_time();
}

result<std::vector<OutboxEntry>> FaultInjectingStore::pending_effects(std::size_t limit) {
    if (count_call()) return errc::store_unavailable;
    return inner_.pending_effects(limit);
}

result<void> FaultInjectingStore::acknowledge_effects(std::uint64_t up_to) {
    if (count_call()) return errc::store_unavailable;
    return inner_.acknowledge_effects(up_to);
}

result<std::vector<OutboxEntry>> FaultInjectingStore::claim_effects(std::size_t limit,
                                                                    const std::string& consumer,
                                                                    Time now, Time lease_until) {
    if (count_call()) return errc::store_unavailable;
    return inner_.claim_effects(limit, consumer, now, lease_until);
}

result<void> FaultInjectingStore::acknowledge_claimed_effects(
    const std::vector<std::uint64_t>& sequences) {
    if (count_call()) return errc::store_unavailable;
    return inner_.acknowledge_claimed_effects(sequences);
}

result<std::optional<IdempotencyRecord>> FaultInjectingStore::find_idempotency(
    const std::string& key) {
    if (count_call()) return errc::store_unavailable;
    return inner_.find_idempotency(key);
}

}  // namespace calltrack::testing
