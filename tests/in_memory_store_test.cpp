#include <calltrack/in_memory_store.hpp>

#include <catch2/catch.hpp>

#include <calltrack/testing/fault_injecting_store.hpp>
#include <calltrack/testing/forwarding_store.hpp>
#include <calltrack/testing/store_conformance.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ct = calltrack;
using calltrack::errc;
using calltrack::testing::ConformanceFailure;
using calltrack::testing::FaultInjectingStore;
using calltrack::testing::run_store_conformance;
using calltrack::testing::store_conformance_checks;

namespace {

std::unique_ptr<ct::Store> make_in_memory_store() {
    return std::make_unique<ct::InMemoryStore>();
}

void report(const std::vector<ConformanceFailure>& failures) {
    for (const auto& f : failures) UNSCOPED_INFO(f.check << ": " << f.detail);
}

bool names_check(const std::vector<ConformanceFailure>& failures, const std::string& check) {
    return std::any_of(failures.begin(), failures.end(),
                       [&](const ConformanceFailure& f) { return f.check == check; });
}

ct::Account starter_account(const char* id) {
    ct::Account a;
    a.id = ct::AccountId(id);
    a.plan = ct::Plan{"starter", {}};
    a.balance.available = ct::Money(0, ct::Currency::parse("USD").value());
    return a;
}

ct::CommitBatch new_account(const char* id) {
    ct::CommitBatch batch;
    batch.accounts.push_back(ct::RecordWrite<ct::Account>{starter_account(id), 0});
    return batch;
}

// The ways a store can break the contract, each one the suite must catch.
enum class Flaw {
    ignores_expected_versions,  ///< writes whatever version it is given
    writes_part_of_a_batch,     ///< commits record by record, so a conflict leaves the rest
    due_strictly_before_t,      ///< a deadline exactly at t is not due
    acknowledges_everything,    ///< any acknowledgement empties the outbox
    claims_nothing,             ///< a claim is due_deadlines: every worker gets every deadline
    leases_ignore_the_owner,    ///< a lease passes over the held entries, not the held owners
};

// InMemoryStore is final, so the flawed stores wrap one and bend the calls they break. The
// memory is a base before ForwardingStore, so that it exists when ForwardingStore refers to it.
struct OwnsMemory {
    ct::InMemoryStore memory;
};
class FlawedStore final : private OwnsMemory, public ct::testing::ForwardingStore {
  public:
    explicit FlawedStore(Flaw flaw) : ForwardingStore(memory), flaw_(flaw) {}

    ct::result<void> commit(const ct::CommitBatch& batch) override {
        if (flaw_ == Flaw::ignores_expected_versions)
            return memory.commit(with_current_versions(batch));
        if (flaw_ == Flaw::writes_part_of_a_batch) return commit_piecewise(batch);
        return memory.commit(batch);
    }

    ct::result<std::vector<ct::Deadline>> due_deadlines(ct::Time t, std::size_t limit) override {
        if (flaw_ == Flaw::due_strictly_before_t) t -= boost::posix_time::microseconds(1);
        return memory.due_deadlines(t, limit);
    }
    ct::result<std::vector<ct::Deadline>> claim_due_deadlines(ct::Time t, std::size_t limit,
                                                              const std::string& worker,
                                                              ct::Time lease_until) override {
        if (flaw_ == Flaw::claims_nothing) return memory.due_deadlines(t, limit);
        return memory.claim_due_deadlines(t, limit, worker, lease_until);
    }
    // Each consumer leases the entries nobody else holds, one at a time, as a store that locks
    // entries rather than owners would: the next entry of a held owner goes to another consumer.
    ct::result<std::vector<ct::OutboxEntry>> claim_effects(std::size_t limit,
                                                           const std::string& consumer,
                                                           ct::Time now,
                                                           ct::Time lease_until) override {
        if (flaw_ != Flaw::leases_ignore_the_owner) {
            return memory.claim_effects(limit, consumer, now, lease_until);
        }
        std::vector<ct::OutboxEntry> claimed;
        auto pending = memory.pending_effects(std::numeric_limits<std::size_t>::max());
        if (!pending) return pending.error();
        for (const auto& entry : pending.value()) {
            if (claimed.size() == limit) break;
            const auto held = leases_.find(entry.sequence);
            if (held != leases_.end() && held->second.first != consumer
                && now < held->second.second) {
                continue;
            }
            leases_[entry.sequence] = {consumer, lease_until};
            claimed.push_back(entry);
        }
        return claimed;
    }
    ct::result<void> acknowledge_claimed_effects(
        const std::vector<std::uint64_t>& sequences) override {
        return memory.acknowledge_claimed_effects(sequences);
    }
    ct::result<void> acknowledge_effects(std::uint64_t up_to) override {
        if (flaw_ == Flaw::acknowledges_everything)
            up_to = std::numeric_limits<std::uint64_t>::max();
        return memory.acknowledge_effects(up_to);
    }

  private:
    template <class T, class Load>
    void use_current_versions(std::vector<ct::RecordWrite<T>>& writes, Load load) {
        for (auto& w : writes) {
            const auto current = load(w.value);
            w.expected_version = current && current.value() ? current.value()->version : 0;
        }
    }

    ct::CommitBatch with_current_versions(ct::CommitBatch batch) {
        use_current_versions(batch.agencies,
                             [&](const ct::Agency& a) { return load_agency(a.id); });
        use_current_versions(batch.accounts,
                             [&](const ct::Account& a) { return load_account(a.id); });
        use_current_versions(batch.numbers,
                             [&](const ct::TrackingNumber& n) { return load_number(n.id); });
        use_current_versions(batch.grants,
                             [&](const ct::UserGrants& g) { return load_grants(g.user); });
        return batch;
    }

    ct::result<void> commit_piecewise(const ct::CommitBatch& batch) {
        ct::result<void> outcome = boost::outcome_v2::success();
        auto one = [&](auto&& fill) {
            ct::CommitBatch part;
            fill(part);
            if (auto r = memory.commit(part); !r) outcome = r;
        };
        for (const auto& w : batch.agencies) one([&](ct::CommitBatch& p) { p.agencies = {w}; });
        for (const auto& w : batch.accounts) one([&](ct::CommitBatch& p) { p.accounts = {w}; });
        for (const auto& w : batch.numbers) one([&](ct::CommitBatch& p) { p.numbers = {w}; });
        for (const auto& w : batch.grants) one([&](ct::CommitBatch& p) { p.grants = {w}; });
        one([&](ct::CommitBatch& p) {
            p.events = batch.events;
            p.deadlines_added = batch.deadlines_added;
            p.deadlines_removed = batch.deadlines_removed;
            p.effects = batch.effects;
            p.idempotency = batch.idempotency;
        });
        return outcome;
    }

    Flaw flaw_;
    /// Flaw::leases_ignore_the_owner: each entry's consumer and lease end, by sequence.
    std::map<std::uint64_t, std::pair<std::string, ct::Time>> leases_;
};

std::vector<ConformanceFailure> conformance_of(Flaw flaw) {
    return run_store_conformance([flaw] { return std::make_unique<FlawedStore>(flaw); });
}

}  // namespace

TEST_CASE("InMemoryStore passes the store conformance suite", "[store][conformance]") {
    const auto failures = run_store_conformance(make_in_memory_store);
    report(failures);
    REQUIRE(failures.empty());
}

TEST_CASE("the conformance suite has at least 20 distinct named checks", "[store][conformance]") {
    auto names = store_conformance_checks();
    CHECK(names.size() >= 20);
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.empty(); }));
}

TEST_CASE("the conformance suite catches a store that ignores expected versions",
          "[store][conformance]") {
    const auto failures = conformance_of(Flaw::ignores_expected_versions);
    CHECK(names_check(failures, "stale_version_is_refused"));
    CHECK(names_check(failures, "expected_0_on_an_existing_record_is_refused"));
    CHECK(names_check(failures, "refused_commit_writes_nothing"));
}

TEST_CASE("the conformance suite catches a store that writes part of a refused batch",
          "[store][conformance]") {
    const auto failures = conformance_of(Flaw::writes_part_of_a_batch);
    CHECK(names_check(failures, "refused_commit_writes_nothing"));
    CHECK(names_check(failures, "conflict_in_any_record_kind_refuses_the_batch"));
    CHECK(names_check(failures, "duplicate_idempotency_key_is_refused"));
}

TEST_CASE("the conformance suite catches a deadline at exactly t that is not due",
          "[store][conformance]") {
    const auto failures = conformance_of(Flaw::due_strictly_before_t);
    CHECK(names_check(failures, "deadline_exactly_at_t_is_due"));
}

TEST_CASE("the conformance suite catches an outbox that drops unacknowledged effects",
          "[store][conformance]") {
    const auto failures = conformance_of(Flaw::acknowledges_everything);
    CHECK(names_check(failures, "acknowledge_removes_exactly_the_entries_up_to"));
    CHECK(names_check(failures, "unacknowledged_effects_are_delivered_again"));
}

TEST_CASE("the conformance suite catches claims that pass over nothing another worker holds",
          "[store][conformance][claims]") {
    const auto failures = conformance_of(Flaw::claims_nothing);
    CHECK(names_check(failures, "a_claimed_deadline_goes_to_no_other_worker"));
    CHECK(names_check(failures, "an_expired_claim_is_taken_over"));
    CHECK(names_check(failures, "removing_a_deadline_ends_its_claim"));
    CHECK_FALSE(names_check(failures, "due_deadlines_in_time_kind_subject_order"));
}

TEST_CASE("the conformance suite catches leases that let two consumers share one owner",
          "[store][conformance][claims]") {
    const auto failures = conformance_of(Flaw::leases_ignore_the_owner);
    CHECK(names_check(failures, "one_owner_goes_to_one_consumer_at_a_time"));
    CHECK_FALSE(names_check(failures, "claimed_effects_come_in_sequence_order"));
}

TEST_CASE("the conformance suite reports a store that cannot be made", "[store][conformance]") {
    const auto failures = run_store_conformance([] { return std::unique_ptr<ct::Store>(); });
    REQUIRE(failures.size() == store_conformance_checks().size());
    CHECK(failures.front().detail == "make_store returned no store");
}

TEST_CASE("FaultInjectingStore without faults is transparent to the conformance suite",
          "[store][fault_injecting_store]") {
    std::vector<std::unique_ptr<ct::InMemoryStore>> inner;
    const auto failures = run_store_conformance([&inner] {
        inner.push_back(std::make_unique<ct::InMemoryStore>());
        return std::make_unique<FaultInjectingStore>(*inner.back());
    });
    report(failures);
    REQUIRE(failures.empty());
}

TEST_CASE("FaultInjectingStore failing every call fails every conformance check",
          "[store][fault_injecting_store]") {
    std::vector<std::unique_ptr<ct::InMemoryStore>> inner;
    const auto failures = run_store_conformance([&inner] {
        inner.push_back(std::make_unique<ct::InMemoryStore>());
        auto store = std::make_unique<FaultInjectingStore>(*inner.back());
        store->fail_every_call_after(0);
        return store;
    });
    std::vector<std::string> failed;
    for (const auto& f : failures) {
        if (failed.empty() || failed.back() != f.check) failed.push_back(f.check);
    }
    CHECK(failed == store_conformance_checks());
}

TEST_CASE("FaultInjectingStore counts every call, reads and writes alike",
          "[store][fault_injecting_store]") {
    ct::InMemoryStore inner;
    FaultInjectingStore store(inner);
    CHECK(store.calls() == 0);
    CHECK(store.load_account(ct::AccountId("a1")));
    CHECK(store.commit(new_account("a1")));
    CHECK(store.pending_effects(10));
    CHECK(store.acknowledge_effects(0));
    CHECK(store.due_deadlines(ct::Time(boost::posix_time::max_date_time), 10));
    CHECK(store.calls() == 5);
    CHECK(store.failed_calls() == 0);
}

TEST_CASE("FaultInjectingStore fails the n-th call from now, and only that one",
          "[store][fault_injecting_store]") {
    ct::InMemoryStore inner;
    REQUIRE(inner.commit(new_account("a1")));
    FaultInjectingStore store(inner);
    CHECK(store.load_account(ct::AccountId("a1")));
    store.fail_call(2);
    CHECK(store.load_account(ct::AccountId("a1")));
    const auto failed = store.load_account(ct::AccountId("a1"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error() == errc::store_unavailable);
    CHECK(ct::is_retryable(failed.error()));
    CHECK(store.load_account(ct::AccountId("a1")));
    CHECK(store.calls() == 4);
    CHECK(store.failed_calls() == 1);
}

TEST_CASE("FaultInjectingStore: a failed commit writes nothing", "[store][fault_injecting_store]") {
    ct::InMemoryStore inner;
    FaultInjectingStore store(inner);
    ct::CommitBatch batch = new_account("a1");
    batch.events.push_back(ct::AppendEvent{
        "account:a1", ct::events::AccountResumed{ct::AccountId("a1"),
                                                 ct::parse_time("2024-01-01T00:00:00Z").value()}});
    ct::HostEffect effect{};
    effect.kind = ct::EffectKind::resume_swapping;
    batch.effects.push_back(effect);
    batch.idempotency = ct::IdempotencyRecord{"k1", "resume a1", {}, {}};

    store.fail_call(1);
    const auto refused = store.commit(batch);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::store_unavailable);
    CHECK_FALSE(inner.load_account(ct::AccountId("a1")).value());
    CHECK(inner.read_all(0, 10).value().empty());
    CHECK(inner.pending_effects(10).value().empty());
    CHECK_FALSE(inner.find_idempotency("k1").value());

    // The retry goes through.
    REQUIRE(store.commit(batch));
    CHECK(inner.load_account(ct::AccountId("a1")).value()->version == 1);
    CHECK(inner.read_all(0, 10).value().size() == 1);
}

TEST_CASE("FaultInjectingStore fails every call after the first n until healed",
          "[store][fault_injecting_store]") {
    ct::InMemoryStore inner;
    FaultInjectingStore store(inner);
    store.fail_every_call_after(2);
    CHECK(store.last_event_time());
    CHECK(store.pending_effects(1));
    for (int i = 0; i < 3; ++i) {
        const auto r = store.last_event_time();
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::store_unavailable);
    }
    store.heal();
    CHECK(store.last_event_time());
    CHECK(store.calls() == 6);
    CHECK(store.failed_calls() == 3);
}

TEST_CASE("two threads incrementing one account through one store lose no update",
          "[store][threads]") {
    ct::InMemoryStore store;
    REQUIRE(store.commit(new_account("a1")));
    constexpr int increments = 1000;
    std::atomic<int> unexpected_errors{0};
    std::atomic<int> conflicts{0};

    auto worker = [&] {
        for (int done = 0; done < increments;) {
            auto loaded = store.load_account(ct::AccountId("a1"));
            if (!loaded || !loaded.value()) {
                ++unexpected_errors;
                return;
            }
            ct::Versioned<ct::Account> current = *loaded.value();
            ct::Account next = current.value;
            next.balance.available = ct::Money(next.balance.available.minor_units() + 1,
                                               next.balance.available.currency());
            ct::CommitBatch batch;
            batch.accounts.push_back(ct::RecordWrite<ct::Account>{next, current.version});
            const auto committed = store.commit(batch);
            if (committed) {
                ++done;
            } else if (committed.error() == errc::concurrency_conflict) {
                ++conflicts;  // someone else won: read again and retry
            } else {
                ++unexpected_errors;
                return;
            }
        }
    };
    std::thread first(worker);
    std::thread second(worker);
    first.join();
    second.join();

    CHECK(unexpected_errors == 0);
    const auto final_account = store.load_account(ct::AccountId("a1")).value();
    REQUIRE(final_account);
    CHECK(final_account->version == 2 * increments + 1);
    CHECK(final_account->value.balance.available.minor_units() == 2 * increments);
    INFO("conflicts retried: " << conflicts.load());
}
