// CallRail (seed 000 and its related articles), against policies::callrail(): account pause and
// resume (withdrawn in October 2020), close (formerly "suspend") and reopen. Every test reads
// "given these events, when this command, then these events or this error".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

using Names = std::vector<std::string>;

/// Before the cut-off: an account with two numbers, two administrators and a manager.
World callrail_world(const char* start = "2020-09-01T00:00:00Z") {
    World w(policies::callrail(), at(start));
    w.account("acme")
        .number("n1", "acme", "+14045550101")
        .number("n2", "acme", "+14045550102", NumberSource::offsite)
        .grant("ann", Role::administrator, acme)
        .grant("bob", Role::administrator, acme)
        .grant("olive", Role("manager"), acme);
    return w;
}

Plan pro() {
    return Plan{"Pro", {"form-tracking"}};
}

Charges in_service() {
    return Charges{Charge::subscription, Charge::number_renewals, Charge::usage};
}

Confirmation terms_accepted() {
    Confirmation c;
    c.terms_accepted = true;
    return c;
}

Confirmation leaving(std::string reason) {
    auto c = clicked();
    c.reasons = {std::move(reason)};
    return c;
}

Confirmation billing_details() {
    Confirmation c;
    c.billing_details_entered = true;
    return c;
}

/// Adds `count` numbers to an account, phone numbers +1404556NNNN.
void add_numbers(World& w, const char* account, int count) {
    for (int i = 0; i < count; ++i) {
        std::string digits = std::to_string(i);
        digits.insert(0, 4 - digits.size(), '0');
        const auto id = "bulk" + digits;
        w.given(commands::AddTrackingNumber{NumberId(id), AccountId(account),
                                            phone(("+1404556" + digits).c_str()),
                                            phone("+14045550100"), NumberSource::offsite});
    }
}

Deadline pause_maximum_of(Time at) {
    return Deadline{at, DeadlineKind::pause_maximum, deadline_subject(acme)};
}

}  // namespace

// --- pause ------------------------------------------------------------------------------------

TEST_CASE(
    "pause_account: an administrator pauses before October 2020: numbers are held for a "
    "hold fee, reports are suspended, for at most 182 days",
    "[callrail]") {
    auto w = callrail_world();
    const Time paused_at = w.now;

    auto result = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});

    REQUIRE(result);
    CHECK(names(result.value()) == Names{"account_paused", "numbers_held", "billing_changed"});
    const auto* paused = find<events::AccountPaused>(result.value());
    REQUIRE(paused);
    CHECK(paused->account == acme);
    CHECK(paused->plan_before_pause == pro());
    CHECK(paused->reports_suspended);
    CHECK(paused->pause_until == paused_at + days(182));
    CHECK(paused->at == paused_at);
    const auto* held = find<events::NumbersHeld>(result.value());
    REQUIRE(held);
    CHECK(held->numbers == std::vector<NumberId>{NumberId("n1"), NumberId("n2")});
    const auto* billing = find<events::BillingChanged>(result.value());
    REQUIRE(billing);
    CHECK(billing->owner == BalanceOwner{acme});
    CHECK(billing->charges == Charges{Charge::hold_fee});
    CHECK_FALSE(billing->final_usage_invoice);

    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::paused);
    CHECK_FALSE(a.has_report_access);
    CHECK(a.charges == Charges{Charge::hold_fee});
    CHECK(a.pause_until == paused_at + days(182));
    CHECK(a.timeline.paused_at == paused_at);
    CHECK(w.number_state("n1").status == NumberStatus::held);
    CHECK(w.number_state("n2").status == NumberStatus::held);
    CHECK(w.state.deadlines.count(pause_maximum_of(paused_at + days(182))) == 1);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("pause_account: the hold fee is 5.00 USD a month and at most 50 numbers for 182 days",
          "[callrail]") {
    const auto p = policies::callrail();
    REQUIRE(p.pause.monthly_hold_fee);
    CHECK(*p.pause.monthly_hold_fee == dollars(500));
    CHECK(p.pause.number_limit == 50);
    CHECK(p.pause.maximum == Window::days(182));
    CHECK(p.pause.suspends_report_access);
    CHECK(p.charges.paused == Charges{Charge::hold_fee});
}

TEST_CASE("pause_account at 2020-10-01T00:00:00Z exactly is refused as withdrawn", "[callrail]") {
    auto w = callrail_world("2020-10-01T00:00:00Z");

    auto result = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::operation_withdrawn);
    const auto verdict = w.check(w.user("ann"), commands::PauseAccount{acme, clicked()});
    REQUIRE(verdict.refusals.size() == 1);
    CHECK(verdict.refusals.front().code == errc::operation_withdrawn);
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("2020-10-01T00:00:00Z"));
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE("pause_account one second before the cut-off is still offered", "[callrail]") {
    auto w = callrail_world("2020-09-30T23:59:59Z");

    CHECK(w.check(w.user("ann"), commands::PauseAccount{acme, clicked()}).is_allowed());
    auto result = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});

    REQUIRE(result);
    CHECK(names(result.value()) == Names{"account_paused", "numbers_held", "billing_changed"});
    CHECK(w.account_state("acme").status == AccountStatus::paused);
}

TEST_CASE(
    "resume_account after the cut-off resumes an account paused before it, and it cannot "
    "pause again",
    "[callrail]") {
    auto w = callrail_world("2020-09-15T12:00:00Z");
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance_to(at("2020-11-02T09:00:00Z"));

    auto resumed = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE(resumed);
    CHECK(names(resumed.value())
          == Names{"account_resumed", "numbers_reactivated", "plan_restored", "billing_changed"});
    CHECK(w.account_state("acme").status == AccountStatus::active);

    auto again = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});
    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::operation_withdrawn);
}

TEST_CASE("pause_account with 51 numbers is refused: disable 1 first", "[callrail]") {
    World w(policies::callrail(), at("2020-09-01T00:00:00Z"));
    w.account("acme").grant("ann", Role::administrator, acme);
    add_numbers(w, "acme", 51);

    auto result = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::number_limit_exceeded);
    const auto verdict = w.check(w.user("ann"), commands::PauseAccount{acme, clicked()});
    REQUIRE(verdict.refusals.size() == 1);
    CHECK(verdict.refusals.front().code == errc::number_limit_exceeded);
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("51"));
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("disable 1"));
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE("pause_account with exactly 50 numbers holds all 50", "[callrail]") {
    World w(policies::callrail(), at("2020-09-01T00:00:00Z"));
    w.account("acme").grant("ann", Role::administrator, acme);
    add_numbers(w, "acme", 50);

    auto result = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});

    REQUIRE(result);
    const auto* held = find<events::NumbersHeld>(result.value());
    REQUIRE(held);
    CHECK(held->numbers.size() == 50);
    CHECK(w.number_state("bulk0049").status == NumberStatus::held);
}

TEST_CASE("pause_account is administrators only: a manager and strangers are refused",
          "[callrail]") {
    auto w = callrail_world();

    auto by_owner = w.when(w.user("olive"), commands::PauseAccount{acme, clicked()});
    REQUIRE_FALSE(by_owner);
    CHECK(by_owner.error() == errc::permission_denied);
    auto by_stranger = w.when(w.user("eve"), commands::PauseAccount{acme, clicked()});
    REQUIRE_FALSE(by_stranger);
    CHECK(by_stranger.error() == errc::actor_out_of_scope);
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

// --- resume -----------------------------------------------------------------------------------

TEST_CASE("resume_account needs the terms accepted", "[callrail]") {
    auto w = callrail_world();
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(30));

    auto result = w.when(w.user("ann"), commands::ResumeAccount{acme, clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::terms_not_accepted);
    CHECK(w.check(w.user("ann"), commands::ResumeAccount{acme, clicked()})
              .has(errc::terms_not_accepted));
    CHECK(w.account_state("acme").status == AccountStatus::paused);
    CHECK(w.number_state("n1").status == NumberStatus::held);
}

TEST_CASE(
    "resume_account reactivates the held numbers with the forwarding destination they had "
    "before the pause, restores the plan, swapping and billing",
    "[callrail]") {
    auto w = callrail_world();
    w.given(commands::ChangeForwarding{NumberId("n2"), phone("+14045550199")});
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(45));

    auto result = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"account_resumed", "numbers_reactivated", "plan_restored", "billing_changed"});
    const auto* reactivated = find<events::NumbersReactivated>(result.value());
    REQUIRE(reactivated);
    CHECK(reactivated->numbers == std::vector<NumberId>{NumberId("n1"), NumberId("n2")});
    const auto* plan = find<events::PlanRestored>(result.value());
    REQUIRE(plan);
    CHECK(plan->plan == pro());
    const auto* billing = find<events::BillingChanged>(result.value());
    REQUIRE(billing);
    CHECK(billing->charges == in_service());

    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::active);
    CHECK(a.has_report_access);
    CHECK(a.plan == pro());
    CHECK_FALSE(a.plan_before_pause);
    CHECK_FALSE(a.pause_until);
    CHECK(a.charges == in_service());
    CHECK_FALSE(a.is_tracking_paused);
    CHECK(a.timeline.resumed_at == w.now);
    for (const char* id : {"n1", "n2"}) {
        INFO("number " << id);
        CHECK(w.number_state(id).status == NumberStatus::active);
        CHECK_FALSE(w.number_state(id).is_swap_paused);
        CHECK_FALSE(w.number_state(id).are_calls_stopped);
    }
    CHECK(w.number_state("n1").forwarding_destination == phone("+14045550100"));
    CHECK(w.number_state("n2").forwarding_destination == phone("+14045550199"));
    CHECK(w.state.deadlines.empty());
    CHECK(w.replays_to_same_state());
}

TEST_CASE(
    "resume_account restores the plan and add-ons in force at the pause, and set_plan is "
    "refused while paused",
    "[callrail]") {
    auto w = callrail_world();
    const Plan enterprise{"Enterprise", {"form-tracking", "call-scoring"}};
    w.given(commands::SetPlan{acme, enterprise});
    auto paused = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});
    REQUIRE(paused);
    REQUIRE(find<events::AccountPaused>(paused.value()));
    CHECK(find<events::AccountPaused>(paused.value())->plan_before_pause == enterprise);
    CHECK(w.account_state("acme").plan_before_pause == enterprise);

    auto change = w.when(w.user("ann"), commands::SetPlan{acme, Plan{"Starter", {}}});
    REQUIRE_FALSE(change);
    CHECK(change.error() == errc::invalid_state);

    w.advance(days(10));
    auto resumed = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});
    REQUIRE(resumed);
    const auto* plan = find<events::PlanRestored>(resumed.value());
    REQUIRE(plan);
    CHECK(plan->plan == enterprise);
    CHECK(w.account_state("acme").plan == enterprise);
}

TEST_CASE(
    "resume_account: any administrator can resume, not only the one who paused, and others "
    "cannot",
    "[callrail]") {
    auto w = callrail_world();
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(3));

    auto by_owner = w.when(w.user("olive"), commands::ResumeAccount{acme, terms_accepted()});
    REQUIRE_FALSE(by_owner);
    CHECK(by_owner.error() == errc::permission_denied);
    auto by_stranger = w.when(w.user("eve"), commands::ResumeAccount{acme, terms_accepted()});
    REQUIRE_FALSE(by_stranger);
    CHECK(by_stranger.error() == errc::actor_out_of_scope);

    auto by_bob = w.when(w.user("bob"), commands::ResumeAccount{acme, terms_accepted()});
    REQUIRE(by_bob);
    CHECK(names(by_bob.value()).front() == "account_resumed");
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE("resume_account on an active account is refused as already active", "[callrail]") {
    auto w = callrail_world();

    auto result = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::already_in_state);
}

// --- pause maximum ----------------------------------------------------------------------------

TEST_CASE(
    "pause maximum: at +182 days the held numbers are released and the hold fee stops, and the "
    "account stays paused",
    "[callrail]") {
    auto w = callrail_world();
    const Time paused_at = w.now;
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});

    CHECK(w.advance(days(182) - seconds(1)).empty());
    CHECK(w.account_state("acme").status == AccountStatus::paused);
    CHECK(w.number_state("n1").status == NumberStatus::held);

    auto fired = w.advance(seconds(1));

    const Time max = paused_at + days(182);
    CHECK(
        names(fired)
        == Names{"pause_maximum_reached", "number_released", "number_released", "billing_changed"});
    for (const auto& e : fired) CHECK(event_time(e) == max);
    const auto* billing = find<events::BillingChanged>(fired);
    REQUIRE(billing);
    CHECK(billing->charges.empty());
    CHECK_FALSE(billing->final_usage_invoice);
    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::paused);
    CHECK(a.charges.empty());
    CHECK_FALSE(a.pause_until);
    for (const char* id : {"n1", "n2"}) {
        INFO("number " << id);
        CHECK(w.number_state(id).status == NumberStatus::released);
        CHECK(w.number_state(id).released_at == max);
    }
    CHECK(w.state.deadlines.empty());
    CHECK(w.advance(days(365)).empty());
    CHECK(w.replays_to_same_state());
}

TEST_CASE("resume_account after the pause maximum brings the plan back but not the numbers",
          "[callrail]") {
    auto w = callrail_world();
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(200));

    auto result = w.when(w.user("bob"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE(result);
    CHECK(names(result.value()) == Names{"account_resumed", "plan_restored", "billing_changed"});
    CHECK(find<events::PlanRestored>(result.value())->plan == pro());
    CHECK(find<events::BillingChanged>(result.value())->charges == in_service());
    CHECK(w.account_state("acme").status == AccountStatus::active);
    CHECK(w.account_state("acme").has_report_access);
    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
}

TEST_CASE(
    "resume_account at the pause maximum, before the host has fired it, releases the held "
    "numbers instead of bringing them back",
    "[callrail]") {
    auto w = callrail_world();
    const Time paused_at = w.now;
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.now = paused_at + days(182);  // no advance: the deadline is due but not fired

    auto result = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"pause_maximum_reached", "number_released", "number_released", "account_resumed",
                   "plan_restored", "billing_changed"});
    for (const auto& e : result.value()) CHECK(event_time(e) == w.now);
    CHECK(w.account_state("acme").status == AccountStatus::active);
    CHECK(w.account_state("acme").plan == pro());
    CHECK(w.account_state("acme").charges == in_service());
    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
    CHECK(w.state.deadlines.empty());
    CHECK(w.advance(days(1)).empty());
    CHECK(w.replays_to_same_state());
}

TEST_CASE("resume_account one second before the pause maximum brings the held numbers back",
          "[callrail]") {
    auto w = callrail_world();
    const Time paused_at = w.now;
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    CHECK(w.advance(days(182) - seconds(1)).empty());

    auto result = w.when(w.user("ann"), commands::ResumeAccount{acme, terms_accepted()});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"account_resumed", "numbers_reactivated", "plan_restored", "billing_changed"});
    CHECK(w.number_state("n1").status == NumberStatus::active);
    CHECK(w.state.deadlines.empty());
    CHECK(w.advance(days(1)).empty());
    CHECK(w.now > paused_at + days(182));
    CHECK(w.number_state("n1").status == NumberStatus::active);
}

// --- close ------------------------------------------------------------------------------------

TEST_CASE("close_account is administrators only", "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");

    auto by_owner = w.when(w.user("olive"), commands::CloseAccount{acme, leaving("price")});
    REQUIRE_FALSE(by_owner);
    CHECK(by_owner.error() == errc::permission_denied);
    auto by_stranger = w.when(w.user("eve"), commands::CloseAccount{acme, leaving("price")});
    REQUIRE_FALSE(by_stranger);
    CHECK(by_stranger.error() == errc::actor_out_of_scope);
    auto by_support = w.when(w.support, commands::CloseAccount{acme, leaving("price")});
    REQUIRE_FALSE(by_support);
    CHECK(by_support.error() == errc::permission_denied);

    CHECK(w.when(w.user("bob"), commands::CloseAccount{acme, leaving("price")}));
    CHECK(w.account_state("acme").status == AccountStatus::canceled);
}

TEST_CASE("close_account needs a reason for leaving", "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");

    auto without = w.when(w.user("ann"), commands::CloseAccount{acme, clicked()});
    REQUIRE_FALSE(without);
    CHECK(without.error() == errc::reason_required);
    const auto blank = w.check(w.user("ann"), commands::CloseAccount{acme, leaving("")});
    CHECK(blank.has(errc::reason_required));
    CHECK(w.account_state("acme").status == AccountStatus::active);
    CHECK(w.number_state("n1").status == NumberStatus::active);
}

TEST_CASE(
    "close_account releases every number at once, stops billing after a final usage "
    "invoice, keeps the data with no purge and the balance with no time limit",
    "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");
    w.credit("acme", 2'500);

    auto result = w.when(w.user("ann"), commands::CloseAccount{acme, leaving("switching")});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"number_released", "number_released", "account_canceled", "billing_changed",
                   "balance_refundable"});
    for (const auto& e : result.value()) CHECK(event_time(e) == w.now);
    const auto* canceled = find<events::AccountCanceled>(result.value());
    REQUIRE(canceled);
    CHECK(canceled->kind == CancelKind::close);
    CHECK(canceled->reasons == std::vector<std::string>{"switching"});
    CHECK_FALSE(canceled->reactivation_until);  // unlimited
    CHECK_FALSE(canceled->restore_until);       // numbers never come back
    const auto* billing = find<events::BillingChanged>(result.value());
    REQUIRE(billing);
    CHECK(billing->charges.empty());
    CHECK(billing->final_usage_invoice);
    const auto* refundable = find<events::BalanceRefundable>(result.value());
    REQUIRE(refundable);
    CHECK(refundable->amount == dollars(2'500));
    CHECK_FALSE(refundable->until);
    CHECK(count(result.value(), "data_purge_scheduled") == 0);
    CHECK(count(result.value(), "data_purged") == 0);

    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::canceled);
    CHECK(a.data == DataStatus::retained);
    CHECK_FALSE(a.data_purge_at);
    CHECK(a.charges.empty());
    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
    CHECK(w.state.deadlines.empty());
    CHECK(w.advance(days(5000)).empty());
    CHECK(w.account_state("acme").status == AccountStatus::canceled);
}

TEST_CASE("reopen_account years after a close brings the data back with billing details",
          "[callrail]") {
    auto w = callrail_world("2021-01-10T00:00:00Z");
    w.credit("acme", 900);
    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("seasonal business")});
    CHECK(w.advance(days(3 * 365)).empty());

    auto without = w.when(w.user("ann"), commands::ReopenAccount{acme, clicked()});
    REQUIRE_FALSE(without);
    CHECK(without.error() == errc::billing_details_required);

    auto result = w.when(w.user("bob"), commands::ReopenAccount{acme, billing_details()});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"account_reactivated", "billing_changed", "balance_reinstated"});
    CHECK(find<events::BillingChanged>(result.value())->charges == in_service());
    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::active);
    CHECK(a.data == DataStatus::retained);
    CHECK(a.has_report_access);
    CHECK(a.balance.status == BalanceStatus::in_use);
    CHECK(a.balance.available == dollars(900));
    CHECK(w.replays_to_same_state());
}

TEST_CASE("reopen_account is administrators only", "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");
    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("price")});
    w.advance(days(1));

    auto by_owner = w.when(w.user("olive"), commands::ReopenAccount{acme, billing_details()});

    REQUIRE_FALSE(by_owner);
    CHECK(by_owner.error() == errc::permission_denied);
}

TEST_CASE("after reopen_account the numbers stay released and restore_number is not offered",
          "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");
    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("price")});
    w.advance(days(2));
    w.given(w.user("ann"), commands::ReopenAccount{acme, billing_details()});

    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
    auto result = w.when(w.user("ann"), commands::RestoreNumber{NumberId("n1")});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::operation_not_offered);
    const auto verdict = w.check(w.user("ann"), commands::RestoreNumber{NumberId("n1")});
    CHECK(verdict.has(errc::operation_not_offered));
    CHECK(verdict.has(errc::window_not_offered));
    CHECK(w.number_state("n1").status == NumberStatus::released);
}

TEST_CASE("close_account twice is refused as already canceled", "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");
    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("price")});

    auto again = w.when(w.user("bob"), commands::CloseAccount{acme, leaving("price")});

    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::already_in_state);
}

TEST_CASE(
    "close_account of a paused account releases the held numbers and ends the pause "
    "maximum",
    "[callrail]") {
    auto w = callrail_world();
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(20));

    auto result = w.when(w.user("ann"), commands::CloseAccount{acme, leaving("closing shop")});

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"number_released", "number_released", "account_canceled", "billing_changed"});
    CHECK(find<events::BillingChanged>(result.value())->charges.empty());
    CHECK(find<events::BillingChanged>(result.value())->final_usage_invoice);
    CHECK(w.account_state("acme").status == AccountStatus::canceled);
    CHECK(w.state.deadlines.empty());
    CHECK(w.advance(days(400)).empty());
}

TEST_CASE("reopen_account of an account closed while paused gives report access back",
          "[callrail]") {
    auto w = callrail_world();
    w.given(w.user("ann"), commands::PauseAccount{acme, clicked()});
    w.advance(days(20));
    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("closing shop")});
    w.advance(days(700));

    auto result = w.when(w.user("ann"), commands::ReopenAccount{acme, billing_details()});

    REQUIRE(result);
    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::active);
    CHECK(a.has_report_access);
    CHECK(a.plan == pro());
    CHECK(a.charges == in_service());
    CHECK(w.replays_to_same_state());
}

TEST_CASE("callrail offers no cancel_account and no reactivate_account: close and reopen instead",
          "[callrail]") {
    auto w = callrail_world("2024-03-01T00:00:00Z");

    auto cancel = w.when(w.user("ann"), commands::CancelAccount{acme, clicked()});
    REQUIRE_FALSE(cancel);
    CHECK(cancel.error() == errc::operation_not_offered);

    w.given(w.user("ann"), commands::CloseAccount{acme, leaving("price")});
    auto reactivate = w.when(w.user("ann"), commands::ReactivateAccount{acme, clicked()});
    REQUIRE_FALSE(reactivate);
    CHECK(reactivate.error() == errc::operation_not_offered);
}
