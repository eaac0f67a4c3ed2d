// The outbox and idempotency parts of the store conformance suite: effects delivered in order,
// acknowledged up to a sequence, delivered again until then, never renumbered; and the idempotency
// record committed with its command's batch. Both are what the host relies on to act exactly once,
// so they are read together, apart from the records and events.

#include "conformance.hpp"

#include <optional>

namespace calltrack::testing::conformance {

namespace {

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

}  // namespace

std::vector<CheckDefinition> outbox_checks() {
    return {
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
}

}  // namespace calltrack::testing::conformance
