// The claims part of the store conformance suite: several workers sharing one sweep of due
// deadlines, and several consumers sharing the outbox. What is checked is what keeps the work
// shared and nothing lost: a claim passes over what another worker holds and takes over what it
// held too long, a worker gets its own claims back, a commit that removes a deadline ends its
// claim; an owner's effects go to one consumer at a time, oldest first, and an entry
// acknowledged is delivered no more. The workers and consumers are names on one store: a store
// that keeps its claims in the database it shares keeps them for every process.

#include "conformance.hpp"

namespace calltrack::testing::conformance {

namespace {

using K = DeadlineKind;

/// Five due deadlines, at minutes 1 to 5, one account each, and one not due until minute 500.
CommitBatch five_due() {
    CommitBatch b;
    const char* subjects[] = {"account:a1", "account:a2", "account:a3", "account:a4", "account:a5"};
    for (int i = 0; i < 5; ++i)
        b.deadlines_added.push_back(deadline(i + 1, K::data_purge, subjects[i]));
    b.deadlines_added.push_back(deadline(500, K::data_purge, "account:a6"));
    return b;
}

// --- deadline claims ----------------------------------------------------------------------------

void claim_takes_the_first_due_deadlines(Check& c) {
    const CommitBatch b = five_due();
    c.commit(b, "five due deadlines and a later one");
    const auto& d = b.deadlines_added;
    c.expect_equal(c.claim(at(100), 2, "w1", at(200)), {d[0], d[1]}, "the first claim, limit 2");
    c.expect_equal(c.claim(at(100), 0, "w2", at(200)), {}, "a claim of 0");
    c.expect_equal(c.claim(at(3), 10, "w2", at(200)), {d[2]},
                   "w2's claim at minute 3: the free deadlines due by then");
    c.expect_equal(c.due(at(100), 10), {d[0], d[1], d[2], d[3], d[4]},
                   "due_deadlines(minute 100, 10), which ignores claims");
}

void a_claimed_deadline_goes_to_no_other_worker(Check& c) {
    const CommitBatch b = five_due();
    c.commit(b, "five due deadlines and a later one");
    const auto& d = b.deadlines_added;
    c.expect_equal(c.claim(at(100), 2, "w1", at(200)), {d[0], d[1]}, "w1's claim, limit 2");
    c.expect_equal(c.claim(at(100), 10, "w2", at(200)), {d[2], d[3], d[4]},
                   "w2's claim: what w1 does not hold");
    c.expect_equal(c.claim(at(100), 10, "w3", at(200)), {}, "w3's claim: all are held");
}

void a_worker_gets_its_own_claims_back(Check& c) {
    const CommitBatch b = five_due();
    c.commit(b, "five due deadlines and a later one");
    const auto& d = b.deadlines_added;
    c.expect_equal(c.claim(at(100), 2, "w1", at(200)), {d[0], d[1]}, "w1's first claim");
    c.expect_equal(c.claim(at(150), 3, "w1", at(300)), {d[0], d[1], d[2]},
                   "w1's second claim, renewing the first two");
    // Renewed until minute 300: at minute 250 the first two are still w1's.
    c.expect_equal(c.claim(at(250), 10, "w2", at(400)), {d[3], d[4]}, "w2's claim at minute 250");
}

void an_expired_claim_is_taken_over(Check& c) {
    const CommitBatch b = five_due();
    c.commit(b, "five due deadlines and a later one");
    const auto& d = b.deadlines_added;
    c.expect_equal(c.claim(at(20), 2, "w1", at(50)), {d[0], d[1]}, "w1's claim until minute 50");
    const auto one_us = boost::posix_time::microseconds(1);
    c.expect_equal(c.claim(at(50) - one_us, 2, "w2", at(90)), {d[2], d[3]},
                   "w2's claim a microsecond before w1's lease ends");
    c.expect_equal(c.claim(at(50), 10, "w3", at(90)), {d[0], d[1], d[4]},
                   "w3's claim when w1's lease ends, w2's running");
}

void removing_a_deadline_ends_its_claim(Check& c) {
    const Deadline kept = deadline(1, K::data_purge, "account:a1");
    const Deadline moved = deadline(2, K::data_purge, "account:a2");
    const Deadline again = deadline(3, K::data_purge, "account:a3");
    CommitBatch b;
    b.deadlines_added = {kept, moved, again};
    c.commit(b, "three due deadlines");
    c.expect_equal(c.claim(at(100), 10, "w1", at(200)), {kept, moved, again}, "w1's claim");

    // A batch that adds a pending deadline again leaves its claim; one that removes it ends it,
    // also when the same batch adds it back.
    const Deadline moved_later = deadline(4, K::data_purge, "account:a2");
    CommitBatch change;
    change.deadlines_added = {kept};
    change.deadlines_removed = {moved, again};
    change.deadlines_added.push_back(moved_later);
    change.deadlines_added.push_back(again);
    c.commit(change, "one deadline added again, one moved, one removed and added back");
    c.expect_equal(c.claim(at(100), 10, "w2", at(200)), {again, moved_later},
                   "w2's claim after the commit");
    c.expect_equal(c.due(at(100), 10), {kept, again, moved_later}, "due_deadlines(minute 100)");
}

// --- outbox leases ------------------------------------------------------------------------------

void claimed_effects_come_in_sequence_order(Check& c) {
    CommitBatch b;
    b.effects = {effect_of(1, "a1"), effect_of(2, "a2"), effect_of(3, "a3"), effect_of(4, "a4"),
                 effect_of(5, "a5")};
    c.commit(b, "five effects of five accounts");
    c.expect_equal(c.claim_effects(2, "c1", at(10), at(20)),
                   {OutboxEntry{1, b.effects[0]}, OutboxEntry{2, b.effects[1]}},
                   "c1's claim, limit 2");
    c.expect_equal(c.claim_effects(0, "c2", at(10), at(20)), {}, "a claim of 0");
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(10), at(20))), {3, 4, 5},
                   "c2's claim: what c1 does not hold");
    c.expect_equal(sequences_of(c.claim_effects(10, "c1", at(11), at(30))), {1, 2},
                   "c1's claim again: its own, renewed");
    c.expect_equal(sequences_of(c.pending(100)), {1, 2, 3, 4, 5},
                   "pending_effects(100), which ignores leases");
}

void one_owner_goes_to_one_consumer_at_a_time(Check& c) {
    CommitBatch b;
    b.effects = {effect_of(1, "a1"), effect_of(2, "a2"), effect_of(3, "a1"), effect_of(4, "a3"),
                 effect_of(5, "a1")};
    HostEffect agency_effect = effect(6);
    agency_effect.account.reset();
    agency_effect.agency = AgencyId("a1");  // agency:a1 is not account:a1
    b.effects.push_back(agency_effect);
    c.commit(b, "effects of accounts a1, a2, a1, a3, a1 and of agency a1");
    c.expect_equal(sequences_of(c.claim_effects(1, "c1", at(10), at(20))), {1},
                   "c1's claim, limit 1: a1's oldest");
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(10), at(20))), {2, 4, 6},
                   "c2's claim: every owner but account a1, which c1 holds");
    c.acknowledge_claimed({1});
    c.expect_equal(sequences_of(c.claim_effects(10, "c1", at(11), at(20))), {3, 5},
                   "c1's claim after acknowledging 1: a1's next, as c2 holds the others");
    c.acknowledge_claimed({2, 4, 6});
    c.acknowledge_claimed({3});
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(12), at(20))), {},
                   "c2's claim while c1 holds a1's last");
    c.expect_equal(sequences_of(c.claim_effects(10, "c1", at(12), at(20))), {5},
                   "c1's claim: a1's last, its own");
}

void an_expired_lease_is_taken_over(Check& c) {
    CommitBatch b;
    b.effects = {effect_of(1, "a1"), effect_of(2, "a1"), effect_of(3, "a2")};
    c.commit(b, "two effects of a1, one of a2");
    c.expect_equal(sequences_of(c.claim_effects(1, "c1", at(10), at(20))), {1},
                   "c1's lease until minute 20, of a1's first");
    const auto one_us = boost::posix_time::microseconds(1);
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(20) - one_us, at(40))), {3},
                   "c2's claim a microsecond before c1's lease ends");
    c.expect_equal(sequences_of(c.claim_effects(10, "c3", at(20), at(40))), {1, 2},
                   "c3's claim when c1's lease ends: a1's, from the first");
}

void acknowledged_effects_are_delivered_no_more(Check& c) {
    CommitBatch b;
    b.effects = {effect_of(1, "a1"), effect_of(2, "a2"), effect_of(3, "a3"), effect_of(4, "a4")};
    c.commit(b, "four effects of four accounts");
    c.expect_equal(sequences_of(c.claim_effects(10, "c1", at(10), at(20))), {1, 2, 3, 4},
                   "c1's claim");
    c.acknowledge_claimed({2, 4, 99});
    c.acknowledge_claimed({2});
    c.acknowledge_claimed({});
    c.expect_equal(sequences_of(c.pending(100)), {1, 3},
                   "pending_effects(100) after acknowledging 2, 4 and 99, and 2 again");
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(30), at(40))), {1, 3},
                   "c2's claim once c1's lease has ended");
    CommitBatch later;
    later.effects = {effect_of(5, "a2")};
    c.commit(later, "one more effect of a2");
    c.expect_equal(sequences_of(c.claim_effects(10, "c2", at(31), at(40))), {1, 3, 5},
                   "c2's claim after the commit");
}

}  // namespace

std::vector<CheckDefinition> claim_checks() {
    return {
        {"claim_takes_the_first_due_deadlines", claim_takes_the_first_due_deadlines},
        {"a_claimed_deadline_goes_to_no_other_worker", a_claimed_deadline_goes_to_no_other_worker},
        {"a_worker_gets_its_own_claims_back", a_worker_gets_its_own_claims_back},
        {"an_expired_claim_is_taken_over", an_expired_claim_is_taken_over},
        {"removing_a_deadline_ends_its_claim", removing_a_deadline_ends_its_claim},
        {"claimed_effects_come_in_sequence_order", claimed_effects_come_in_sequence_order},
        {"one_owner_goes_to_one_consumer_at_a_time", one_owner_goes_to_one_consumer_at_a_time},
        {"an_expired_lease_is_taken_over", an_expired_lease_is_taken_over},
        {"acknowledged_effects_are_delivered_no_more", acknowledged_effects_are_delivered_no_more},
    };
}

}  // namespace calltrack::testing::conformance
