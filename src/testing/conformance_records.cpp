// The records part of the store conformance suite: absent and new records, versions, refused and
// empty batches. These are the contract's promises about writing (optimistic versions, a batch
// that commits whole or not at all), which the indexes, events, deadlines and outbox of the other
// parts rest on; the baseline and the everything-touching batch that only the refused-batch checks
// use stay private here.

#include "conformance.hpp"

#include <string>
#include <vector>

namespace calltrack::testing::conformance {

namespace {

void absent_records_read_as_nothing(Check& c) {
    c.expect_equal(c.agency("g1"), std::optional<Versioned<Agency>>(), "load_agency(g1)");
    c.expect_equal(c.account("a1"), std::optional<Versioned<Account>>(), "load_account(a1)");
    c.expect_equal(c.number("n1"), std::optional<Versioned<TrackingNumber>>(), "load_number(n1)");
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(), "load_grants(u1)");
    c.expect_equal(c.numbers_of("a1"), {}, "load_numbers_of(a1)");
    c.expect_equal(c.sub_accounts("g1"), {}, "load_sub_accounts(g1)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001)");
}

void empty_store_has_no_events_deadlines_or_effects(Check& c) {
    c.expect_equal(c.stream("account:a1"), {}, "read_stream(account:a1)");
    c.expect_equal(c.all(0, 100), {}, "read_all(0, 100)");
    c.expect_equal(c.last_event_time(), std::optional<Time>(), "last_event_time()");
    c.expect_equal(c.due(at(1000000), 100), {}, "due_deadlines(far future)");
    c.expect_equal(c.deadlines_of("account:a1"), {}, "deadlines_of(account:a1)");
    c.expect_equal(c.pending(100), {}, "pending_effects(100)");
    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(), "find_idempotency(k1)");
}

void new_record_reads_back_at_version_1(Check& c) {
    CommitBatch batch;
    batch.agencies.push_back(write(agency("g1"), 0));
    batch.accounts.push_back(write(account("a1", "g1"), 0));
    batch.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    batch.grants.push_back(write(grants("u1"), 0));
    c.commit(batch, "four new records");

    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 1), "load_agency(g1)");
    c.expect_equal(c.account("a1"), at_version(account("a1", "g1"), 1), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)");
    c.expect_equal(c.grants("u1"), at_version(grants("u1"), 1), "load_grants(u1)");
}

void each_write_adds_1_to_the_version(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");

    Agency g = agency("g1");
    Account a = account("a1");
    TrackingNumber n = number("n1", "a1", "+14045550001");
    UserGrants u = grants("u1");
    for (Version v = 1; v <= 2; ++v) {
        g.cancel_reasons.push_back("too expensive");
        a.plan.name = "plan-" + std::to_string(v);
        n.status = v == 1 ? NumberStatus::held : NumberStatus::active;
        // A vendor's own role name round-trips as a preset's does.
        u.grants.push_back(v == 1 ? RoleGrant{Role("agency_billing_manager"), AgencyId("g1")}
                                  : RoleGrant{Role::support, Platform{}});
        CommitBatch next;
        next.agencies.push_back(write(g, v));
        next.accounts.push_back(write(a, v));
        next.numbers.push_back(write(n, v));
        next.grants.push_back(write(u, v));
        c.commit(next, "four records read at version " + std::to_string(v));

        const std::string after = " after the write at version " + std::to_string(v);
        c.expect_equal(c.agency("g1"), at_version(g, v + 1), "load_agency(g1)" + after);
        c.expect_equal(c.account("a1"), at_version(a, v + 1), "load_account(a1)" + after);
        c.expect_equal(c.number("n1"), at_version(n, v + 1), "load_number(n1)" + after);
        c.expect_equal(c.grants("u1"), at_version(u, v + 1), "load_grants(u1)" + after);
    }
}

void stale_version_is_refused(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");
    CommitBatch second = first;
    for (auto& w : second.agencies) w.expected_version = 1;
    for (auto& w : second.accounts) w.expected_version = 1;
    for (auto& w : second.numbers) w.expected_version = 1;
    for (auto& w : second.grants) w.expected_version = 1;
    c.commit(second, "four records at version 1");

    Agency g = agency("g1");
    g.status = AgencyStatus::canceled;
    Account a = account("a1");
    a.status = AccountStatus::canceled;
    TrackingNumber n = number("n1", "a1", "+14045550001", NumberStatus::released);
    UserGrants u = grants("u1");
    u.grants.clear();

    CommitBatch stale_agency;
    stale_agency.agencies.push_back(write(g, 1));
    c.expect_conflict(stale_agency, "agency g1 at stale version 1");
    CommitBatch stale_account;
    stale_account.accounts.push_back(write(a, 1));
    c.expect_conflict(stale_account, "account a1 at stale version 1");
    CommitBatch stale_number;
    stale_number.numbers.push_back(write(n, 1));
    c.expect_conflict(stale_number, "number n1 at stale version 1");
    CommitBatch stale_grants;
    stale_grants.grants.push_back(write(u, 1));
    c.expect_conflict(stale_grants, "grants of u1 at stale version 1");

    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 2), "load_agency(g1)");
    c.expect_equal(c.account("a1"), at_version(account("a1"), 2), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 2),
                   "load_number(n1)");
    c.expect_equal(c.grants("u1"), at_version(grants("u1"), 2), "load_grants(u1)");
}

void expected_0_on_an_existing_record_is_refused(Check& c) {
    CommitBatch first;
    first.agencies.push_back(write(agency("g1"), 0));
    first.accounts.push_back(write(account("a1"), 0));
    first.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    first.grants.push_back(write(grants("u1"), 0));
    c.commit(first, "four new records");

    Account again = account("a1");
    again.plan.name = "second";
    CommitBatch duplicate_account;
    duplicate_account.accounts.push_back(write(again, 0));
    c.expect_conflict(duplicate_account, "account a1 again at version 0");
    CommitBatch duplicate_agency;
    duplicate_agency.agencies.push_back(write(agency("g1"), 0));
    c.expect_conflict(duplicate_agency, "agency g1 again at version 0");
    CommitBatch duplicate_number;
    duplicate_number.numbers.push_back(write(number("n1", "a1", "+14045550002"), 0));
    c.expect_conflict(duplicate_number, "number n1 again at version 0");
    CommitBatch duplicate_grants;
    duplicate_grants.grants.push_back(write(grants("u1"), 0));
    c.expect_conflict(duplicate_grants, "grants of u1 again at version 0");

    c.expect_equal(c.account("a1"), at_version(account("a1"), 1), "load_account(a1)");
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)");
}

void expected_version_on_an_absent_record_is_refused(Check& c) {
    CommitBatch agencies;
    agencies.agencies.push_back(write(agency("g1"), 1));
    c.expect_conflict(agencies, "absent agency g1 at version 1");
    CommitBatch accounts;
    accounts.accounts.push_back(write(account("a1"), 3));
    c.expect_conflict(accounts, "absent account a1 at version 3");
    CommitBatch numbers;
    numbers.numbers.push_back(write(number("n1", "a1", "+14045550001"), 1));
    c.expect_conflict(numbers, "absent number n1 at version 1");
    CommitBatch user_grants;
    user_grants.grants.push_back(write(grants("u1"), 1));
    c.expect_conflict(user_grants, "absent grants of u1 at version 1");

    c.expect_equal(c.agency("g1"), std::optional<Versioned<Agency>>(), "load_agency(g1)");
    c.expect_equal(c.account("a1"), std::optional<Versioned<Account>>(), "load_account(a1)");
    c.expect_equal(c.number("n1"), std::optional<Versioned<TrackingNumber>>(), "load_number(n1)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001)");
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(), "load_grants(u1)");
}

// The state every "refused batch" check starts from: g1 with sub-account a1, number n1, one
// event, one deadline, one pending effect.
void commit_baseline(Check& c) {
    CommitBatch base;
    base.agencies.push_back(write(agency("g1"), 0));
    base.accounts.push_back(write(account("a1", "g1"), 0));
    base.numbers.push_back(write(number("n1", "a1", "+14045550001"), 0));
    base.events.push_back(append("account:a1", 1));
    base.deadlines_added.push_back(deadline(100, DeadlineKind::data_purge, "account:a1"));
    base.effects.push_back(effect(1));
    c.commit(base, "the starting records");
}

// Everything a refused batch might have left behind, compared with the baseline.
void expect_baseline_only(Check& c, const std::string& after) {
    const std::string when = " after " + after;
    c.expect_equal(c.agency("g1"), at_version(agency("g1"), 1), "load_agency(g1)" + when);
    c.expect_equal(c.account("a1"), at_version(account("a1", "g1"), 1), "load_account(a1)" + when);
    c.expect_equal(c.number("n1"), at_version(number("n1", "a1", "+14045550001"), 1),
                   "load_number(n1)" + when);
    c.expect_equal(c.agency("g2"), std::optional<Versioned<Agency>>(), "load_agency(g2)" + when);
    c.expect_equal(c.account("a2"), std::optional<Versioned<Account>>(), "load_account(a2)" + when);
    c.expect_equal(c.number("n2"), std::optional<Versioned<TrackingNumber>>(),
                   "load_number(n2)" + when);
    c.expect_equal(c.grants("u1"), std::optional<Versioned<UserGrants>>(),
                   "load_grants(u1)" + when);
    c.expect_equal(c.grants("u2"), std::optional<Versioned<UserGrants>>(),
                   "load_grants(u2)" + when);
    c.expect_equal(c.sub_accounts("g1"), {at_version(account("a1", "g1"), 1).value()},
                   "load_sub_accounts(g1)" + when);
    c.expect_equal(c.sub_accounts("g2"), {}, "load_sub_accounts(g2)" + when);
    c.expect_equal(c.numbers_of("a2"), {}, "load_numbers_of(a2)" + when);
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(NumberId("n1")),
                   "find_number_by_phone(+14045550001)" + when);
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550002)" + when);
    c.expect_equal(sequences_of(c.all(0, 100)), {1}, "read_all(0, 100) sequences" + when);
    c.expect_equal(c.stream("account:a2"), {}, "read_stream(account:a2)" + when);
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(1)), "last_event_time()" + when);
    c.expect_equal(c.due(at(1000000), 100), {deadline(100, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(far future)" + when);
    c.expect_equal(sequences_of(c.pending(100)), {1}, "pending_effects(100) sequences" + when);
    c.expect_equal(c.idempotency("k1"), std::optional<IdempotencyRecord>(),
                   "find_idempotency(k1)" + when);
}

// A batch touching every part of the store; `stale` names the record kind given a stale version.
CommitBatch batch_touching_everything(const std::string& stale) {
    CommitBatch b;
    b.agencies.push_back(write(agency("g2"), 0));
    Account moved = account("a1", "g2");
    moved.plan.name = "moved";
    b.accounts.push_back(write(moved, 1));
    b.accounts.push_back(write(account("a2", "g1"), 0));
    b.numbers.push_back(write(number("n2", "a2", "+14045550002"), 0));
    b.numbers.push_back(write(number("n1", "a1", "+14045550001", NumberStatus::released), 1));
    b.grants.push_back(write(grants("u2"), 0));
    b.events.push_back(append("account:a2", 2));
    b.events.push_back(append("account:a1", 3));
    b.deadlines_removed.push_back(deadline(100, DeadlineKind::data_purge, "account:a1"));
    b.deadlines_added.push_back(deadline(50, DeadlineKind::restore_window_closes, "account:a2"));
    b.effects.push_back(effect(2));
    b.effects.push_back(effect(3));
    b.idempotency = idempotency("k1", "cancel a1");
    // The stale write goes first in its list, so that a store that stops at the first mismatch
    // and one that checks everything are tested alike; the writes after it are valid.
    if (stale == "agency") {
        b.agencies.insert(b.agencies.begin(), write(agency("g1"), 7));
    } else if (stale == "account") {
        b.accounts.insert(b.accounts.begin(), write(account("a9"), 1));
    } else if (stale == "number") {
        b.numbers.insert(b.numbers.begin(), write(number("n1", "a1", "+14045550001"), 0));
    } else {
        b.grants.push_back(write(grants("u1"), 2));
    }
    return b;
}

void refused_commit_writes_nothing(Check& c) {
    commit_baseline(c);
    c.expect_conflict(batch_touching_everything("grants"), "a batch whose last write is stale");
    expect_baseline_only(c, "the refused batch");

    // Nothing of the refused batch used up a sequence number.
    CommitBatch next;
    next.events.push_back(append("account:a1", 4));
    next.effects.push_back(effect(4));
    c.commit(next, "one event and one effect");
    c.expect_equal(sequences_of(c.all(0, 100)), {1, 2}, "read_all(0, 100) sequences");
    c.expect_equal(stream_versions_of(c.stream("account:a1")), {1, 2},
                   "read_stream(account:a1) versions");
    c.expect_equal(sequences_of(c.pending(100)), {1, 2}, "pending_effects(100) sequences");
}

void conflict_in_any_record_kind_refuses_the_batch(Check& c) {
    commit_baseline(c);
    for (const char* kind : {"agency", "account", "number", "grants"}) {
        c.expect_conflict(batch_touching_everything(kind),
                          std::string("a batch with a stale ") + kind + " write");
        expect_baseline_only(c, std::string("the batch with a stale ") + kind + " write");
    }
    // The same batch without the stale write is accepted whole.
    CommitBatch valid = batch_touching_everything("grants");
    valid.grants.pop_back();
    c.commit(valid, "the batch without its stale write");
    c.expect_equal(c.account("a1"), at_version(valid.accounts[0].value, 2), "load_account(a1)");
    c.expect_equal(c.sub_accounts("g2"), {at_version(valid.accounts[0].value, 2).value()},
                   "load_sub_accounts(g2)");
    c.expect_equal(c.by_phone("+14045550001"), std::optional<NumberId>(),
                   "find_number_by_phone(+14045550001) after n1 was released");
    c.expect_equal(c.by_phone("+14045550002"), std::optional<NumberId>(NumberId("n2")),
                   "find_number_by_phone(+14045550002)");
    c.expect_equal(sequences_of(c.all(0, 100)), {1, 2, 3}, "read_all(0, 100) sequences");
    c.expect_equal(c.due(at(1000000), 100),
                   {deadline(50, DeadlineKind::restore_window_closes, "account:a2")},
                   "due_deadlines(far future)");
    c.expect_equal(sequences_of(c.pending(100)), {1, 2, 3}, "pending_effects(100) sequences");
    c.expect_equal(c.idempotency("k1"),
                   std::optional<IdempotencyRecord>(idempotency("k1", "cancel a1")),
                   "find_idempotency(k1)");
}

void record_written_twice_in_one_batch_is_checked_in_order(Check& c) {
    Account second = account("a1");
    second.plan.name = "second";
    CommitBatch twice;
    twice.accounts.push_back(write(account("a1"), 0));
    twice.accounts.push_back(write(second, 1));
    c.commit(twice, "account a1 at version 0, then at version 1");
    c.expect_equal(c.account("a1"), at_version(second, 2), "load_account(a1)");

    Account third = account("a1");
    third.plan.name = "third";
    CommitBatch same_version;
    same_version.accounts.push_back(write(third, 2));
    same_version.accounts.push_back(write(third, 2));
    c.expect_conflict(same_version, "account a1 twice at version 2");
    c.expect_equal(c.account("a1"), at_version(second, 2), "load_account(a1) after the refusal");
}

void empty_batch_commits_and_changes_nothing(Check& c) {
    c.commit(CommitBatch{}, "an empty batch");
    c.expect_equal(c.all(0, 100), {}, "read_all(0, 100)");
    c.expect_equal(c.pending(100), {}, "pending_effects(100)");
    c.expect_equal(c.last_event_time(), std::optional<Time>(), "last_event_time()");
}

}  // namespace

std::vector<CheckDefinition> record_checks() {
    return {
        {"absent_records_read_as_nothing", absent_records_read_as_nothing},
        {"empty_store_has_no_events_deadlines_or_effects",
         empty_store_has_no_events_deadlines_or_effects},
        {"new_record_reads_back_at_version_1", new_record_reads_back_at_version_1},
        {"each_write_adds_1_to_the_version", each_write_adds_1_to_the_version},
        {"stale_version_is_refused", stale_version_is_refused},
        {"expected_0_on_an_existing_record_is_refused",
         expected_0_on_an_existing_record_is_refused},
        {"expected_version_on_an_absent_record_is_refused",
         expected_version_on_an_absent_record_is_refused},
        {"refused_commit_writes_nothing", refused_commit_writes_nothing},
        {"conflict_in_any_record_kind_refuses_the_batch",
         conflict_in_any_record_kind_refuses_the_batch},
        {"record_written_twice_in_one_batch_is_checked_in_order",
         record_written_twice_in_one_batch_is_checked_in_order},
        {"empty_batch_commits_and_changes_nothing", empty_batch_commits_and_changes_nothing},
    };
}

}  // namespace calltrack::testing::conformance
