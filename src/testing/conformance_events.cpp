// The events part of the store conformance suite: numbering per stream and globally, reading
// back, paging, and the last event time. The event log is its own promise of the contract (append
// only, ordered, paged by sequence), separate from the records, so its checks are read together.

#include "conformance.hpp"

#include <string>
#include <vector>

namespace calltrack::testing::conformance {

namespace {

std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = first; i <= last; ++i) out.push_back(i);
    return out;
}

void events_are_numbered_per_stream_and_globally(Check& c) {
    CommitBatch first;
    first.events = {append("account:a1", 1), append("agency:g1", 2), append("account:a1", 3),
                    append("user:u1", 4)};
    c.commit(first, "four events on three streams");
    CommitBatch second;
    second.events = {append("account:a1", 5), append("agency:g1", 6)};
    c.commit(second, "two more events");

    const auto all = c.all(0, 100);
    c.expect_equal(sequences_of(all), range(1, 6), "read_all(0, 100) sequences");
    c.expect_equal(stream_versions_of(all), {1, 1, 2, 1, 3, 2}, "read_all(0, 100) stream versions");
    std::vector<std::string> streams;
    for (const auto& e : all) streams.push_back(e.stream);
    c.expect_equal(streams,
                   {"account:a1", "agency:g1", "account:a1", "user:u1", "account:a1", "agency:g1"},
                   "read_all(0, 100) streams");
    const auto a1 = c.stream("account:a1");
    c.expect_equal(sequences_of(a1), {1, 3, 5}, "read_stream(account:a1) sequences");
    c.expect_equal(stream_versions_of(a1), {1, 2, 3}, "read_stream(account:a1) versions");
}

void stored_events_read_back_equal(Check& c) {
    const std::vector<Event> written = {
        events::AccountCanceled{AccountId("a1"),
                                CancelKind::agency_cascade,
                                {"too expensive", "moved vendor"},
                                at(60 * 24 * 30),
                                std::nullopt,
                                at(5)},
        events::NumberReleased{NumberId("n1"), AccountId("a1"), at(5)},
        events::BillingChanged{BalanceOwner{AccountId("a1")}, Charges{Charge::usage}, true, at(5)},
        events::RoleGranted{UserId("u1"), RoleGrant{Role::agency_administrator, AgencyId("g1")},
                            at(6)},
        events::TrackingNumberAdded{NumberId("n2"), AccountId("a1"), phone("+14045550002"),
                                    phone("+14045550100"), NumberSource::offsite, at(7)},
    };
    CommitBatch b;
    for (const auto& e : written) b.events.push_back(AppendEvent{"account:a1", e});
    c.commit(b, "five kinds of event");

    std::vector<Event> from_all;
    for (const auto& e : c.all(0, 100)) from_all.push_back(e.event);
    c.expect_equal(from_all, written, "events from read_all(0, 100)");
    std::vector<Event> from_stream;
    for (const auto& e : c.stream("account:a1")) from_stream.push_back(e.event);
    c.expect_equal(from_stream, written, "events from read_stream(account:a1)");
}

void events_keep_their_policy_version(Check& c) {
    CommitBatch b;
    b.events = {append("account:a1", 1), append("account:a1", 2), append("agency:g1", 3)};
    b.events[0].policy_version = "callrail-original";
    b.events[1].policy_version = "callrail-2020-10";
    c.commit(b, "events decided under two versions, and one under none");

    std::vector<std::string> from_all;
    for (const auto& e : c.all(0, 100)) from_all.push_back(e.policy_version);
    c.expect_equal(from_all, {"callrail-original", "callrail-2020-10", ""},
                   "policy versions from read_all(0, 100)");
    std::vector<std::string> from_stream;
    for (const auto& e : c.stream("account:a1")) from_stream.push_back(e.policy_version);
    c.expect_equal(from_stream, {"callrail-original", "callrail-2020-10"},
                   "policy versions from read_stream(account:a1)");
}

void events_keep_their_audit_record(Check& c) {
    CommitBatch b;
    b.events = {append("account:a1", 1), append("account:a1", 2), append("agency:g1", 3)};
    Audit& cancel = b.events[0].audit;
    cancel.actor = UserId("owner_a1");
    cancel.roles = {RoleGrant{Role::account_owner, AccountId("a1")}};
    cancel.operation = Operation::cancel_account;
    cancel.confirmation =
        Confirmation().type("CANCEL").acknowledge("unported_numbers_lost").because("price");
    cancel.survey = SurveyOutcome::confirm;
    b.events[1].audit.actor = UserId("support");
    b.events[1].audit.roles = {RoleGrant{Role::support, Platform{}}};
    b.events[1].audit.operation = Operation::restore_number;
    c.commit(b, "two events by two people, and one a deadline fired");

    const std::vector<Audit> want = {b.events[0].audit, b.events[1].audit, Audit{}};
    std::vector<Audit> from_all;
    for (const auto& e : c.all(0, 100)) from_all.push_back(e.audit);
    c.expect_equal(from_all, want, "audit records from read_all(0, 100)");
    std::vector<Audit> from_stream;
    for (const auto& e : c.stream("account:a1")) from_stream.push_back(e.audit);
    c.expect_equal(from_stream, {want[0], want[1]}, "audit records from read_stream(account:a1)");
}

void events_are_chained_by_hash(Check& c) {
    CommitBatch first;
    first.events = {append("account:a1", 1), append("agency:g1", 2)};
    first.events[0].policy_version = "ctm-2024";
    first.events[1].audit.actor = UserId("u1");
    c.commit(first, "two events");
    CommitBatch second;
    second.events = {append("account:a1", 3)};
    c.commit(second, "a third event, in a commit of its own");

    const auto all = c.all(0, 100);
    std::string previous(chain_start);
    std::vector<std::string> want;
    for (const auto& e : all) {
        want.push_back(chain_hash(previous, e));
        previous = want.back();
    }
    std::vector<std::string> stored;
    for (const auto& e : all) stored.push_back(e.hash);
    c.expect_equal(stored, want,
                   "each hash from read_all(0, 100) against chain_hash of the one before");
    std::vector<std::string> from_stream;
    for (const auto& e : c.stream("account:a1")) from_stream.push_back(e.hash);
    c.expect_equal(from_stream, {want[0], want[2]}, "hashes from read_stream(account:a1)");
    c.expect(all.size() == 3 && all[0].hash != all[2].hash && all[0].hash.size() == 64,
             "three events with three different 64-digit hashes");
}

void read_stream_returns_versions_after(Check& c) {
    CommitBatch b;
    for (int i = 1; i <= 5; ++i) b.events.push_back(append("account:a1", i));
    b.events.push_back(append("account:a2", 6));
    c.commit(b, "five events on account:a1, one on account:a2");

    c.expect_equal(stream_versions_of(c.stream("account:a1", 0)), {1, 2, 3, 4, 5},
                   "read_stream(account:a1, 0) versions");
    const auto after_2 = c.stream("account:a1", 2);
    c.expect_equal(stream_versions_of(after_2), {3, 4, 5}, "read_stream(account:a1, 2) versions");
    std::vector<Event> events_after_2;
    for (const auto& e : after_2) events_after_2.push_back(e.event);
    c.expect_equal(events_after_2, {event(3), event(4), event(5)},
                   "read_stream(account:a1, 2) events");
    c.expect_equal(c.stream("account:a1", 5), {}, "read_stream(account:a1, 5)");
    c.expect_equal(c.stream("account:a1", 9), {}, "read_stream(account:a1, 9)");
    c.expect_equal(sequences_of(c.stream("account:a2")), {6}, "read_stream(account:a2) sequences");
    c.expect_equal(c.stream("account:zz"), {}, "read_stream(account:zz)");
}

void read_all_pages_by_after_and_limit(Check& c) {
    CommitBatch first;
    for (int i = 1; i <= 4; ++i) {
        first.events.push_back(append(i % 2 == 0 ? "account:a1" : "agency:g1", i));
    }
    c.commit(first, "four events");
    CommitBatch second;
    for (int i = 5; i <= 7; ++i) second.events.push_back(append("user:u1", i));
    c.commit(second, "three more events");

    c.expect_equal(sequences_of(c.all(0, 3)), {1, 2, 3}, "read_all(0, 3) sequences");
    c.expect_equal(sequences_of(c.all(3, 3)), {4, 5, 6}, "read_all(3, 3) sequences");
    c.expect_equal(sequences_of(c.all(6, 3)), {7}, "read_all(6, 3) sequences");
    c.expect_equal(c.all(7, 3), {}, "read_all(7, 3)");
    c.expect_equal(c.all(0, 0), {}, "read_all(0, 0)");
    c.expect_equal(c.all(100, 10), {}, "read_all(100, 10)");

    std::vector<StoredEvent> paged;
    std::uint64_t after = 0;
    for (int page = 0; page < 10; ++page) {
        const auto chunk = c.all(after, 2);
        if (chunk.empty()) break;
        paged.insert(paged.end(), chunk.begin(), chunk.end());
        after = chunk.back().sequence;
    }
    c.expect_equal(paged, c.all(0, 100), "read_all in pages of 2, against read_all(0, 100)");
}

void last_event_time_is_the_latest_event_time(Check& c) {
    CommitBatch first;
    first.events = {append("account:a1", 10), append("account:a1", 30), append("account:a2", 20)};
    c.commit(first, "events at minutes 10, 30, 20");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(30)), "last_event_time()");

    CommitBatch earlier;
    earlier.events = {append("account:a3", 25)};
    c.commit(earlier, "an event at minute 25");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(30)),
                   "last_event_time() after an earlier event");

    CommitBatch later;
    later.events = {append("account:a3", 40)};
    c.commit(later, "an event at minute 40");
    c.expect_equal(c.last_event_time(), std::optional<Time>(at(40)),
                   "last_event_time() after a later event");
}

}  // namespace

std::vector<CheckDefinition> event_checks() {
    return {
        {"events_are_numbered_per_stream_and_globally",
         events_are_numbered_per_stream_and_globally},
        {"stored_events_read_back_equal", stored_events_read_back_equal},
        {"events_keep_their_policy_version", events_keep_their_policy_version},
        {"events_keep_their_audit_record", events_keep_their_audit_record},
        {"events_are_chained_by_hash", events_are_chained_by_hash},
        {"read_stream_returns_versions_after", read_stream_returns_versions_after},
        {"read_all_pages_by_after_and_limit", read_all_pages_by_after_and_limit},
        {"last_event_time_is_the_latest_event_time", last_event_time_is_the_latest_event_time},
    };
}

}  // namespace calltrack::testing::conformance
