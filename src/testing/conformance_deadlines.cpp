// The deadlines part of the store conformance suite: due_deadlines' order, its boundary at exactly
// t and its limit, removal, and deadlines_of. The engine's timers rest on these alone, and a
// boundary off by a microsecond is easy to miss among the other checks, so they stand apart.

#include "conformance.hpp"

namespace calltrack::testing::conformance {

namespace {

void due_deadlines_in_time_kind_subject_order(Check& c) {
    using K = DeadlineKind;
    CommitBatch first;
    first.deadlines_added = {
        deadline(20, K::data_purge, "account:b"),
        deadline(10, K::reactivation_window_closes, "account:z"),
        deadline(10, K::restore_window_closes, "account:y"),
        deadline(20, K::data_purge, "account:a"),
    };
    c.commit(first, "four deadlines");
    CommitBatch second;
    second.deadlines_added = {
        deadline(30, K::pause_maximum, "account:c"),
        deadline(10, K::pause_maximum, "agency:g"),
        deadline(20, K::agency_reactivation_window_closes, "agency:g"),
        deadline(10, K::reactivation_window_closes, "account:m"),
    };
    c.commit(second, "four more deadlines");

    c.expect_equal(c.due(at(100), 100),
                   {
                       deadline(10, K::pause_maximum, "agency:g"),
                       deadline(10, K::restore_window_closes, "account:y"),
                       deadline(10, K::reactivation_window_closes, "account:m"),
                       deadline(10, K::reactivation_window_closes, "account:z"),
                       deadline(20, K::agency_reactivation_window_closes, "agency:g"),
                       deadline(20, K::data_purge, "account:a"),
                       deadline(20, K::data_purge, "account:b"),
                       deadline(30, K::pause_maximum, "account:c"),
                   },
                   "due_deadlines(minute 100, 100)");
}

void deadline_exactly_at_t_is_due(Check& c) {
    CommitBatch b;
    b.deadlines_added = {deadline(10, DeadlineKind::data_purge, "account:a1")};
    c.commit(b, "a deadline at minute 10");
    const Time t = at(10);
    const auto one_us = boost::posix_time::microseconds(1);
    c.expect_equal(c.due(t - one_us, 10), {}, "due_deadlines(one microsecond before it)");
    c.expect_equal(c.due(t, 10), {deadline(10, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(exactly its time)");

    CommitBatch later;
    later.deadlines_added = {Deadline{t + one_us, DeadlineKind::pause_maximum, "account:a2"}};
    c.commit(later, "a deadline one microsecond later");
    c.expect_equal(c.due(t, 10), {deadline(10, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(exactly the first one's time)");
}

void due_deadlines_respects_the_limit(Check& c) {
    CommitBatch b;
    for (int i = 5; i >= 1; --i) {
        b.deadlines_added.push_back(deadline(i, DeadlineKind::data_purge, "account:a1"));
    }
    b.deadlines_added.push_back(deadline(500, DeadlineKind::data_purge, "account:a1"));
    c.commit(b, "six deadlines, five of them due");
    c.expect_equal(c.due(at(100), 2),
                   {deadline(1, DeadlineKind::data_purge, "account:a1"),
                    deadline(2, DeadlineKind::data_purge, "account:a1")},
                   "due_deadlines(minute 100, 2)");
    c.expect_equal(c.due(at(100), 0), {}, "due_deadlines(minute 100, 0)");
    c.expect_equal(c.due(at(100), 10).size(), std::size_t{5},
                   "due_deadlines(minute 100, 10) count");
}

void removed_deadlines_are_gone(Check& c) {
    const Deadline d1 = deadline(10, DeadlineKind::data_purge, "account:a1");
    const Deadline d2 = deadline(20, DeadlineKind::refund_window_closes, "account:a1");
    const Deadline d3 = deadline(30, DeadlineKind::pause_maximum, "account:a2");
    CommitBatch add;
    add.deadlines_added = {d1, d2, d3};
    c.commit(add, "three deadlines");
    CommitBatch remove;
    remove.deadlines_removed = {d2};
    c.commit(remove, "d2 removed");
    c.expect_equal(c.due(at(100), 10), {d1, d3}, "due_deadlines(minute 100, 10)");
    c.expect_equal(c.deadlines_of("account:a1"), {d1}, "deadlines_of(account:a1)");

    CommitBatch absent;
    absent.deadlines_removed = {d2, deadline(40, DeadlineKind::data_purge, "account:zz")};
    c.commit(absent, "deadlines that are not pending removed");
    c.expect_equal(c.due(at(100), 10), {d1, d3}, "due_deadlines(minute 100, 10) after that");
}

void batch_removes_deadlines_before_adding(Check& c) {
    const Deadline d1 = deadline(10, DeadlineKind::data_purge, "account:a1");
    const Deadline d2 = deadline(20, DeadlineKind::restore_window_closes, "account:a2");
    const Deadline d2_later = deadline(90, DeadlineKind::restore_window_closes, "account:a2");
    CommitBatch add;
    add.deadlines_added = {d1, d2};
    c.commit(add, "two deadlines");
    CommitBatch change;
    change.deadlines_removed = {d1, d2};
    change.deadlines_added = {d1, d2_later};
    c.commit(change, "d1 removed and added again, d2 moved later");
    c.expect_equal(c.due(at(100), 10), {d1, d2_later}, "due_deadlines(minute 100, 10)");
}

void deadlines_of_lists_one_subject(Check& c) {
    const Deadline a1_purge = deadline(30, DeadlineKind::data_purge, "account:a1");
    const Deadline a1_refund = deadline(10, DeadlineKind::refund_window_closes, "account:a1");
    const Deadline g1 = deadline(20, DeadlineKind::agency_reactivation_window_closes, "agency:g1");
    const Deadline a2 = deadline(5, DeadlineKind::pause_maximum, "account:a2");
    CommitBatch b;
    b.deadlines_added = {a1_purge, g1, a2, a1_refund};
    c.commit(b, "four deadlines of three subjects");
    c.expect_equal(c.deadlines_of("account:a1"), {a1_refund, a1_purge}, "deadlines_of(account:a1)");
    c.expect_equal(c.deadlines_of("agency:g1"), {g1}, "deadlines_of(agency:g1)");
    c.expect_equal(c.deadlines_of("account:zz"), {}, "deadlines_of(account:zz)");
    c.expect_equal(c.deadlines_of("account:a"), {}, "deadlines_of(account:a), a prefix of a1");
}

}  // namespace

std::vector<CheckDefinition> deadline_checks() {
    return {
        {"due_deadlines_in_time_kind_subject_order", due_deadlines_in_time_kind_subject_order},
        {"deadline_exactly_at_t_is_due", deadline_exactly_at_t_is_due},
        {"due_deadlines_respects_the_limit", due_deadlines_respects_the_limit},
        {"removed_deadlines_are_gone", removed_deadlines_are_gone},
        {"batch_removes_deadlines_before_adding", batch_removes_deadlines_before_adding},
        {"deadlines_of_lists_one_subject", deadlines_of_lists_one_subject},
    };
}

}  // namespace calltrack::testing::conformance
