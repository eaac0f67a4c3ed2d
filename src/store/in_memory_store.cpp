#include <calltrack/in_memory_store.hpp>

#include <algorithm>
#include <iterator>
#include <utility>

namespace calltrack {

namespace {

using Lock = std::lock_guard<std::mutex>;

const AgencyId& key_of(const Agency& a) {
    return a.id;
}
const AccountId& key_of(const Account& a) {
    return a.id;
}
const NumberId& key_of(const TrackingNumber& n) {
    return n.id;
}
const UserId& key_of(const UserGrants& g) {
    return g.user;
}

template <class Id, class T>
std::optional<Versioned<T>> find_record(const std::map<Id, Versioned<T>>& records, const Id& id) {
    const auto it = records.find(id);
    if (it == records.end()) return std::nullopt;
    return it->second;
}

// Checks each write against the version it would meet if the batch's earlier writes had been
// applied: the same record written twice in one batch must name 0 then 1 (or v then v + 1), as
// two UPDATE ... WHERE version = ? statements in one transaction would require.
template <class Id, class T>
bool writes_match(const std::map<Id, Versioned<T>>& records,
                  const std::vector<RecordWrite<T>>& writes) {
    if (writes.size() == 1) {  // the common case: nothing staged to look up
        const auto r = records.find(key_of(writes.front().value));
        return writes.front().expected_version == (r == records.end() ? 0 : r->second.version);
    }
    std::map<Id, Version> staged;
    for (const auto& write : writes) {
        const Id& id = key_of(write.value);
        Version current = 0;
        if (const auto s = staged.find(id); s != staged.end()) {
            current = s->second;
        } else if (const auto r = records.find(id); r != records.end()) {
            current = r->second.version;
        }
        if (write.expected_version != current) return false;
        staged[id] = current + 1;
    }
    return true;
}

template <class Id, class T>
void write_record(std::map<Id, Versioned<T>>& records, const RecordWrite<T>& write) {
    records.insert_or_assign(key_of(write.value),
                             Versioned<T>{write.value, write.expected_version + 1});
}

template <class Key, class Value>
void erase_from_index(std::map<Key, std::set<Value>>& index, const Key& key, const Value& value) {
    const auto it = index.find(key);
    if (it == index.end()) return;
    it->second.erase(value);
    if (it->second.empty()) index.erase(it);
}

std::optional<AgencyId> transfer_to(const Account& a) {
    if (!a.pending_transfer) return std::nullopt;
    return a.pending_transfer->to;
}

/// Moves `id` in `index` from the key `was` to the key `now` (either may be none).
void reindex(std::map<AgencyId, std::set<AccountId>>& index, const std::optional<AgencyId>& was,
             const std::optional<AgencyId>& now, const AccountId& id) {
    if (was == now) return;
    if (was) erase_from_index(index, *was, id);
    if (now) index[*now].insert(id);
}

}  // namespace

result<std::optional<Versioned<Agency>>> InMemoryStore::load_agency(const AgencyId& id) {
    const Lock lock(mutex_);
    return find_record(agencies_, id);
}

result<std::optional<Versioned<Account>>> InMemoryStore::load_account(const AccountId& id) {
    const Lock lock(mutex_);
    return find_record(accounts_, id);
}

result<std::optional<Versioned<TrackingNumber>>> InMemoryStore::load_number(const NumberId& id) {
    const Lock lock(mutex_);
    return find_record(numbers_, id);
}

result<std::optional<Versioned<UserGrants>>> InMemoryStore::load_grants(const UserId& user) {
    const Lock lock(mutex_);
    return find_record(grants_, user);
}

result<std::vector<Versioned<TrackingNumber>>> InMemoryStore::load_numbers_of(
    const AccountId& account) {
    const Lock lock(mutex_);
    std::vector<Versioned<TrackingNumber>> found;
    const auto it = numbers_by_account_.find(account);
    if (it == numbers_by_account_.end()) return found;
    found.reserve(it->second.size());
    for (const NumberId& id : it->second) found.push_back(numbers_.at(id));
    return found;
}

std::vector<Versioned<Account>> InMemoryStore::accounts_in(
    const std::map<AgencyId, std::set<AccountId>>& index, const AgencyId& agency) const {
    std::vector<Versioned<Account>> found;
    const auto it = index.find(agency);
    if (it == index.end()) return found;
    found.reserve(it->second.size());
    for (const AccountId& id : it->second) found.push_back(accounts_.at(id));
    return found;
}

result<std::vector<Versioned<UserGrants>>> InMemoryStore::load_grants_on(const Scope& scope) {
    const Lock lock(mutex_);
    std::vector<Versioned<UserGrants>> found;
    const auto it = users_by_scope_.find(scope_subject(scope));
    if (it == users_by_scope_.end()) return found;
    found.reserve(it->second.size());
    for (const UserId& user : it->second) found.push_back(grants_.at(user));
    return found;
}

result<std::vector<Versioned<Account>>> InMemoryStore::load_sub_accounts(const AgencyId& agency) {
    const Lock lock(mutex_);
    return accounts_in(sub_accounts_by_agency_, agency);
}

result<std::vector<Versioned<Account>>> InMemoryStore::load_incoming_transfers(
    const AgencyId& agency) {
    const Lock lock(mutex_);
    return accounts_in(incoming_transfers_by_agency_, agency);
}

result<std::optional<NumberId>> InMemoryStore::find_number_by_phone(const PhoneNumber& phone) {
    const Lock lock(mutex_);
    const auto it = numbers_by_phone_.find(phone);
    if (it == numbers_by_phone_.end()) return std::optional<NumberId>();
    return std::optional<NumberId>(*it->second.begin());
}

bool InMemoryStore::versions_match(const CommitBatch& batch) const {
    return writes_match(agencies_, batch.agencies) && writes_match(accounts_, batch.accounts)
           && writes_match(numbers_, batch.numbers) && writes_match(grants_, batch.grants);
}

// The indexes change only when an indexed field does: most writes (a pause, a billing change)
// leave the agency and the pending transfer of an account, and the account and phone number of a
// number, as they were.
void InMemoryStore::write_account(const RecordWrite<Account>& write) {
    const Account& account = write.value;
    const auto old = accounts_.find(account.id);
    const Account* before = old == accounts_.end() ? nullptr : &old->second.value;
    reindex(sub_accounts_by_agency_, before ? before->agency : std::nullopt, account.agency,
            account.id);
    reindex(incoming_transfers_by_agency_, before ? transfer_to(*before) : std::nullopt,
            transfer_to(account), account.id);
    if (before == nullptr) {
        accounts_.emplace(account.id, Versioned<Account>{account, write.expected_version + 1});
    } else {
        old->second = Versioned<Account>{account, write.expected_version + 1};
    }
}

void InMemoryStore::write_grants(const RecordWrite<UserGrants>& write) {
    const UserId& user = write.value.user;
    if (const auto old = grants_.find(user); old != grants_.end()) {
        for (const auto& g : old->second.value.grants) {
            erase_from_index(users_by_scope_, scope_subject(g.scope), user);
        }
    }
    for (const auto& g : write.value.grants) users_by_scope_[scope_subject(g.scope)].insert(user);
    write_record(grants_, write);
}

void InMemoryStore::write_number(const RecordWrite<TrackingNumber>& write) {
    const TrackingNumber& number = write.value;
    const bool is_on = is_on_account(number);
    const auto old = numbers_.find(number.id);
    if (old == numbers_.end()) {
        numbers_by_account_[number.account].insert(number.id);
        if (is_on) numbers_by_phone_[number.number].insert(number.id);
        numbers_.emplace(number.id, Versioned<TrackingNumber>{number, write.expected_version + 1});
        return;
    }
    const TrackingNumber& before = old->second.value;
    if (before.account != number.account) {
        erase_from_index(numbers_by_account_, before.account, number.id);
        numbers_by_account_[number.account].insert(number.id);
    }
    const bool was_on = is_on_account(before);
    const bool same_phone = before.number == number.number;
    if (was_on && !(is_on && same_phone)) {
        erase_from_index(numbers_by_phone_, before.number, number.id);
    }
    if (is_on && !(was_on && same_phone)) numbers_by_phone_[number.number].insert(number.id);
    old->second = Versioned<TrackingNumber>{number, write.expected_version + 1};
}

void InMemoryStore::append_event(const AppendEvent& append) {
    auto& stream = streams_[append.stream];
    StoredEvent stored;
    stored.sequence = events_.size() + 1;
    stored.stream = append.stream;
    stored.stream_version = stream.size() + 1;
    stored.event = append.event;
    stored.policy_version = append.policy_version;
    stored.audit = append.audit;
    stream.push_back(events_.size());
    events_.push_back(std::move(stored));

    const Time at = event_time(append.event);
    if (!last_event_time_ || *last_event_time_ < at) last_event_time_ = at;
}

// Validation first, so a refused batch writes nothing. The writes themselves cannot fail except by
// running out of memory, which is not a condition this store reports.
result<void> InMemoryStore::commit(const CommitBatch& batch) {
    const Lock lock(mutex_);
    if (!versions_match(batch)) return errc::concurrency_conflict;
    // Another writer already committed under this key: it won the race.
    if (batch.idempotency && idempotency_.count(batch.idempotency->key) != 0) {
        return errc::concurrency_conflict;
    }

    for (const auto& write : batch.agencies) write_record(agencies_, write);
    for (const auto& write : batch.accounts) write_account(write);
    for (const auto& write : batch.numbers) write_number(write);
    for (const auto& write : batch.grants) write_grants(write);

    for (const auto& append : batch.events) append_event(append);

    for (const Deadline& d : batch.deadlines_removed) {
        deadlines_.erase(d);
        deadline_claims_.erase(d);
        erase_from_index(deadlines_by_subject_, d.subject, d);
    }
    for (const Deadline& d : batch.deadlines_added) {
        deadlines_.insert(d);
        deadlines_by_subject_[d.subject].insert(d);
    }

    for (const HostEffect& effect : batch.effects) {
        const std::uint64_t sequence = ++last_effect_sequence_;
        outbox_.emplace(sequence,
                        Pending{OutboxEntry{sequence, effect}, effect_owner(effect), std::nullopt});
    }

    if (batch.idempotency) idempotency_.emplace(batch.idempotency->key, *batch.idempotency);
    return boost::outcome_v2::success();
}

result<std::vector<Deadline>> InMemoryStore::due_deadlines(Time t, std::size_t limit) {
    const Lock lock(mutex_);
    // The end of the due range first, so the result is allocated once (none when nothing is due).
    auto end = deadlines_.begin();
    for (std::size_t n = 0; end != deadlines_.end() && n < limit && !(t < end->at); ++end) ++n;
    return std::vector<Deadline>(deadlines_.begin(), end);
}

result<std::vector<Deadline>> InMemoryStore::claim_due_deadlines(Time t, std::size_t limit,
                                                                 const std::string& worker,
                                                                 Time lease_until) {
    const Lock lock(mutex_);
    std::vector<Deadline> claimed;
    for (auto it = deadlines_.begin();
         it != deadlines_.end() && claimed.size() < limit && !(t < it->at); ++it) {
        const auto held = deadline_claims_.find(*it);
        if (held != deadline_claims_.end() && held->second.holder != worker
            && t < held->second.until) {
            continue;  // another worker's, and not expired
        }
        deadline_claims_.insert_or_assign(*it, Lease{worker, lease_until});
        claimed.push_back(*it);
    }
    return claimed;
}

result<std::vector<Deadline>> InMemoryStore::deadlines_of(const std::string& subject) {
    const Lock lock(mutex_);
    const auto it = deadlines_by_subject_.find(subject);
    if (it == deadlines_by_subject_.end()) return std::vector<Deadline>();
    return std::vector<Deadline>(it->second.begin(), it->second.end());
}

// The chain is computed when first read rather than at each commit: nothing but this store's own
// methods can reach the log, so a hash taken later is the hash taken then, and the write path,
// which the engine's figures measure, pays nothing for it.
void InMemoryStore::hash_through(std::size_t count) {
    for (; hashed_ < count; ++hashed_) {
        StoredEvent& e = events_[hashed_];
        e.hash =
            chain_hash(hashed_ == 0 ? chain_start : std::string_view(events_[hashed_ - 1].hash), e);
    }
}

result<std::vector<StoredEvent>> InMemoryStore::read_stream(const StreamId& stream, Version after) {
    const Lock lock(mutex_);
    std::vector<StoredEvent> found;
    const auto it = streams_.find(stream);
    if (it == streams_.end() || after >= it->second.size()) return found;
    const auto& positions = it->second;
    hash_through(positions.back() + 1);
    found.reserve(positions.size() - after);
    for (auto p = positions.begin() + static_cast<std::ptrdiff_t>(after); p != positions.end();
         ++p) {
        found.push_back(events_[*p]);
    }
    return found;
}

result<std::vector<StoredEvent>> InMemoryStore::read_all(std::uint64_t after, std::size_t limit) {
    const Lock lock(mutex_);
    std::vector<StoredEvent> found;
    if (after >= events_.size()) return found;
    const auto first = events_.begin() + static_cast<std::ptrdiff_t>(after);
    const auto count = std::min<std::size_t>(limit, events_.size() - after);
    hash_through(static_cast<std::size_t>(after) + count);
    found.assign(first, first + static_cast<std::ptrdiff_t>(count));
    return found;
}

result<std::optional<Time>> InMemoryStore::last_event_time() {
    const Lock lock(mutex_);
    return last_event_time_;
}

result<std::vector<OutboxEntry>> InMemoryStore::pending_effects(std::size_t limit) {
    const Lock lock(mutex_);
    std::vector<OutboxEntry> found;
    for (auto it = outbox_.begin(); it != outbox_.end() && found.size() < limit; ++it) {
        found.push_back(it->second.entry);
    }
    return found;
}

// Only entries that exist are acknowledged: a watermark past the last sequence does not swallow
// effects committed later, and acknowledging an earlier sequence again changes nothing.
result<void> InMemoryStore::acknowledge_effects(std::uint64_t up_to) {
    const Lock lock(mutex_);
    acknowledged_up_to_ = std::max(acknowledged_up_to_, std::min(up_to, last_effect_sequence_));
    outbox_.erase(outbox_.begin(), outbox_.upper_bound(acknowledged_up_to_));
    return boost::outcome_v2::success();
}

// An owner is held when any of its unacknowledged entries is under another consumer's unexpired
// lease; the entries taken are then, for every owner not held, the oldest of its entries.
result<std::vector<OutboxEntry>> InMemoryStore::claim_effects(std::size_t limit,
                                                              const std::string& consumer, Time now,
                                                              Time lease_until) {
    const Lock lock(mutex_);
    std::vector<OutboxEntry> claimed;
    if (limit == 0) return claimed;
    std::set<std::string> held;
    for (const auto& entry : outbox_) {
        const Pending& pending = entry.second;
        if (pending.lease && pending.lease->holder != consumer && now < pending.lease->until) {
            held.insert(pending.owner);
        }
    }
    for (auto it = outbox_.begin(); it != outbox_.end() && claimed.size() < limit; ++it) {
        Pending& pending = it->second;
        if (held.count(pending.owner) != 0) continue;
        pending.lease = Lease{consumer, lease_until};
        claimed.push_back(pending.entry);
    }
    return claimed;
}

result<void> InMemoryStore::acknowledge_claimed_effects(
    const std::vector<std::uint64_t>& sequences) {
    const Lock lock(mutex_);
    for (const std::uint64_t sequence : sequences) outbox_.erase(sequence);
    return boost::outcome_v2::success();
}

result<std::optional<IdempotencyRecord>> InMemoryStore::find_idempotency(const std::string& key) {
    const Lock lock(mutex_);
    const auto it = idempotency_.find(key);
    if (it == idempotency_.end()) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(it->second);
}

}  // namespace calltrack
