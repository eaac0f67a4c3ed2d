// CallTrackingMetrics, as its articles describe it (seeds/001 "Pausing the Tracking Code" and
// seeds/002 "Canceling an Account or Agency", with spec.md sections 2, 3 and 5): one test case per
// rule, each reading "given these events, when this command, then these events or this error".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

using Names = std::vector<std::string>;

bool charges_continue(const Account& a) {
    return a.charges.contains(Charge::subscription) && a.charges.contains(Charge::number_renewals)
           && a.charges.contains(Charge::usage);
}

/// A standalone account with an onsite dynamic number (n1), an offsite number (n2), and its
/// administrator ann.
World standalone() {
    World w(policies::ctm());
    w.account("acct")
        .number("n1", "acct", "+14045550001", NumberSource::onsite_dynamic)
        .number("n2", "acct", "+14045550002", NumberSource::offsite)
        .grant("ann", Role::administrator, AccountId("acct"));
    return w;
}

/// The standalone account with 25.00 USD, canceled by its administrator at the start time.
World canceled_standalone() {
    World w = standalone();
    w.credit("acct", 2'500);
    succeeded(w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), clicked()}));
    return w;
}

/// Agency "ag" with three sub-accounts, each with numbers; agnes administers the agency, sam
/// administers sub1, sue administers sub2; agency "other" is administered by olga.
World agency_world() {
    World w(policies::ctm());
    w.agency("ag")
        .account("sub1", "ag")
        .account("sub2", "ag")
        .account("sub3", "ag")
        .number("s1a", "sub1", "+14045551001", NumberSource::onsite_dynamic)
        .number("s1b", "sub1", "+14045551002", NumberSource::offsite)
        .number("s1c", "sub1", "+14045551003", NumberSource::onsite_dynamic)
        .number("s2a", "sub2", "+14045552001", NumberSource::onsite_dynamic)
        .number("s3a", "sub3", "+14045553001", NumberSource::offsite)
        .grant("agnes", Role::agency_administrator, AgencyId("ag"))
        .grant("sam", Role::administrator, AccountId("sub1"))
        .grant("sue", Role::administrator, AccountId("sub2"))
        .agency("other")
        .grant("olga", Role::agency_administrator, AgencyId("other"));
    return w;
}

std::vector<NumberId> released_numbers(const std::vector<Event>& events) {
    std::vector<NumberId> out;
    for (const auto& e : events) {
        if (const auto* r = std::get_if<events::NumberReleased>(&e)) out.push_back(r->number);
    }
    return out;
}

std::vector<AccountId> canceled_accounts(const std::vector<Event>& events) {
    std::vector<AccountId> out;
    for (const auto& e : events) {
        if (const auto* c = std::get_if<events::AccountCanceled>(&e)) out.push_back(c->account);
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Pausing the tracking code (seed 001)

TEST_CASE("Pause tracking code for the whole account: swapping stops, numbers and charges go on",
          "[ctm]") {
    World w = standalone();
    const auto before = w.account_state("acct").charges;

    const auto events = succeeded(
        w.when(w.user("ann"), commands::PauseTracking{AccountId("acct"), std::nullopt, clicked()}));

    CHECK(names(events) == Names{"tracking_paused"});
    const auto* paused = find<events::TrackingPaused>(events);
    REQUIRE(paused != nullptr);
    CHECK(paused->account == AccountId("acct"));
    CHECK_FALSE(paused->number);
    // "Pausing the tracking code does not stop any charges to your account."
    CHECK(find<events::BillingChanged>(events) == nullptr);
    const auto& a = w.account_state("acct");
    CHECK(a.is_tracking_paused);
    CHECK(a.charges == before);
    CHECK(charges_continue(a));
    // "Tracking numbers will remain active in your account and can receive calls normally."
    CHECK(a.status == AccountStatus::active);
    CHECK_FALSE(a.are_calls_stopped);
    for (const char* n : {"n1", "n2"}) {
        CHECK(w.number_state(n).status == NumberStatus::active);
        CHECK_FALSE(w.number_state(n).are_calls_stopped);
    }
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Pause tracking code for one onsite dynamic number: only that number stops swapping",
          "[ctm]") {
    World w = standalone();

    const auto events = succeeded(w.when(
        w.user("ann"), commands::PauseTracking{AccountId("acct"), NumberId("n1"), clicked()}));

    CHECK(names(events) == Names{"tracking_paused"});
    const auto* paused = find<events::TrackingPaused>(events);
    REQUIRE(paused != nullptr);
    CHECK(paused->number == std::optional<NumberId>(NumberId("n1")));
    CHECK(w.number_state("n1").is_swap_paused);
    CHECK(w.number_state("n1").status == NumberStatus::active);
    CHECK_FALSE(w.number_state("n2").is_swap_paused);
    CHECK_FALSE(w.account_state("acct").is_tracking_paused);
    CHECK(charges_continue(w.account_state("acct")));
}

TEST_CASE("Pause tracking code for one offsite number is refused: only onsite dynamic numbers swap",
          "[ctm]") {
    World w = standalone();
    const commands::PauseTracking pause{AccountId("acct"), NumberId("n2"), clicked()};

    const auto verdict = w.check(w.user("ann"), pause);
    CHECK(verdict.has(errc::number_not_swappable));
    CHECK(verdict.refusals.size() == 1);
    const auto result = w.when(w.user("ann"), pause);
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::number_not_swappable);
    CHECK_FALSE(w.number_state("n2").is_swap_paused);
}

TEST_CASE("Pause tracking code asks for the click in its confirmation window", "[ctm]") {
    World w = standalone();

    const auto result =
        w.when(w.user("ann"), commands::PauseTracking{AccountId("acct"), std::nullopt, {}});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::confirmation_required);
    CHECK_FALSE(w.account_state("acct").is_tracking_paused);
}

TEST_CASE("Pause tracking code can be toggled at any time, and charges never change", "[ctm]") {
    World w = standalone();
    const auto ann = w.user("ann");
    const AccountId acct("acct");
    const auto charges = w.account_state("acct").charges;

    CHECK(names(succeeded(w.when(ann, commands::PauseTracking{acct, std::nullopt, clicked()})))
          == Names{"tracking_paused"});
    w.advance(seconds(1));
    CHECK(names(succeeded(w.when(ann, commands::ResumeTracking{acct, std::nullopt, {}})))
          == Names{"tracking_resumed"});
    CHECK_FALSE(w.account_state("acct").is_tracking_paused);
    w.advance(days(3));
    CHECK(names(succeeded(w.when(ann, commands::PauseTracking{acct, std::nullopt, clicked()})))
          == Names{"tracking_paused"});
    CHECK(w.account_state("acct").is_tracking_paused);

    // The same for one number.
    CHECK(names(succeeded(w.when(ann, commands::PauseTracking{acct, NumberId("n1"), clicked()})))
          == Names{"tracking_paused"});
    CHECK(names(succeeded(w.when(ann, commands::ResumeTracking{acct, NumberId("n1"), {}})))
          == Names{"tracking_resumed"});
    CHECK(names(succeeded(w.when(ann, commands::PauseTracking{acct, NumberId("n1"), clicked()})))
          == Names{"tracking_paused"});
    CHECK(w.number_state("n1").is_swap_paused);

    CHECK(w.account_state("acct").charges == charges);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Resume tracking code when it is not paused is refused as already in that state",
          "[ctm]") {
    World w = standalone();

    const auto account_wide =
        w.when(w.user("ann"), commands::ResumeTracking{AccountId("acct"), std::nullopt, {}});
    REQUIRE_FALSE(account_wide);
    CHECK(account_wide.error() == errc::already_in_state);

    const auto one_number =
        w.when(w.user("ann"), commands::ResumeTracking{AccountId("acct"), NumberId("n1"), {}});
    REQUIRE_FALSE(one_number);
    CHECK(one_number.error() == errc::already_in_state);
}

TEST_CASE("Pause tracking code twice is refused as already in that state", "[ctm]") {
    World w = standalone();
    w.given(w.user("ann"), commands::PauseTracking{AccountId("acct"), std::nullopt, clicked()});

    const auto again =
        w.when(w.user("ann"), commands::PauseTracking{AccountId("acct"), std::nullopt, clicked()});

    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::already_in_state);
}

// ---------------------------------------------------------------------------------------------
// Stopping incoming calls (seed 001 points to it; spec section 3)

TEST_CASE("Stop incoming calls for the whole account: numbers stay and charges continue", "[ctm]") {
    World w = standalone();
    const auto before = w.account_state("acct").charges;

    const auto events = succeeded(
        w.when(w.user("ann"), commands::StopCalls{AccountId("acct"), std::nullopt, clicked()}));

    CHECK(names(events) == Names{"calls_stopped"});
    CHECK(find<events::BillingChanged>(events) == nullptr);
    const auto& a = w.account_state("acct");
    CHECK(a.are_calls_stopped);
    CHECK(a.status == AccountStatus::active);
    CHECK(a.charges == before);
    CHECK(charges_continue(a));
    for (const char* n : {"n1", "n2"}) {
        CHECK(w.number_state(n).status == NumberStatus::active);
        CHECK(is_on_account(w.number_state(n)));
    }
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Stop incoming calls for one number, offsite numbers included", "[ctm]") {
    World w = standalone();

    const auto events = succeeded(
        w.when(w.user("ann"), commands::StopCalls{AccountId("acct"), NumberId("n2"), clicked()}));

    CHECK(names(events) == Names{"calls_stopped"});
    const auto* stopped = find<events::CallsStopped>(events);
    REQUIRE(stopped != nullptr);
    CHECK(stopped->number == std::optional<NumberId>(NumberId("n2")));
    CHECK(w.number_state("n2").are_calls_stopped);
    CHECK(w.number_state("n2").status == NumberStatus::active);
    CHECK_FALSE(w.number_state("n1").are_calls_stopped);
    CHECK_FALSE(w.account_state("acct").are_calls_stopped);
    CHECK(charges_continue(w.account_state("acct")));
}

TEST_CASE("Resume incoming calls, account-wide and per number, and refuse resuming live calls",
          "[ctm]") {
    World w = standalone();
    const auto ann = w.user("ann");
    const AccountId acct("acct");
    const auto charges = w.account_state("acct").charges;
    w.given(ann, commands::StopCalls{acct, std::nullopt, clicked()});
    w.given(ann, commands::StopCalls{acct, NumberId("n2"), clicked()});

    CHECK(names(succeeded(w.when(ann, commands::ResumeCalls{acct, std::nullopt, {}})))
          == Names{"calls_resumed"});
    CHECK_FALSE(w.account_state("acct").are_calls_stopped);
    CHECK(names(succeeded(w.when(ann, commands::ResumeCalls{acct, NumberId("n2"), {}})))
          == Names{"calls_resumed"});
    CHECK_FALSE(w.number_state("n2").are_calls_stopped);

    const auto again = w.when(ann, commands::ResumeCalls{acct, std::nullopt, {}});
    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::already_in_state);
    const auto again_number = w.when(ann, commands::ResumeCalls{acct, NumberId("n1"), {}});
    REQUIRE_FALSE(again_number);
    CHECK(again_number.error() == errc::already_in_state);

    CHECK(w.account_state("acct").charges == charges);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Stop incoming calls in a sub-account is allowed to the agency administrator", "[ctm]") {
    World w = agency_world();

    const auto events = succeeded(
        w.when(w.user("agnes"), commands::StopCalls{AccountId("sub1"), std::nullopt, clicked()}));

    CHECK(names(events) == Names{"calls_stopped"});
    CHECK(w.account_state("sub1").are_calls_stopped);
    CHECK(w.number_state("s1a").status == NumberStatus::active);
}

// ---------------------------------------------------------------------------------------------
// Canceling a standalone account (seed 002)

TEST_CASE("Cancel a standalone account: only an administrator can cancel it", "[ctm]") {
    World w = standalone();
    w.agency("elsewhere")
        .grant("owen", Role("billing_manager"), AccountId("acct"))
        .grant("eve", Role::agency_administrator, AgencyId("elsewhere"));
    const commands::CancelAccount cancel{AccountId("acct"), clicked()};

    SECTION("a billing manager holds the wrong role") {
        const auto verdict = w.check(w.user("owen"), cancel);
        CHECK(verdict.refusals.size() == 1);
        CHECK(verdict.has(errc::permission_denied));
    }
    SECTION("an agency administrator of another agency holds no role on it") {
        const auto verdict = w.check(w.user("eve"), cancel);
        CHECK(verdict.refusals.size() == 1);
        CHECK(verdict.has(errc::actor_out_of_scope));
    }
    SECTION("a user with no grant holds no role on it") {
        const auto verdict = w.check(w.user("nobody"), cancel);
        CHECK(verdict.refusals.size() == 1);
        CHECK(verdict.has(errc::actor_out_of_scope));
    }
    SECTION("support cannot cancel on behalf of a customer") {
        const auto verdict = w.check(w.support, cancel);
        CHECK(verdict.refusals.size() == 1);
        CHECK(verdict.has(errc::permission_denied));
    }
    SECTION("the administrator can") {
        CHECK(w.check(w.user("ann"), cancel).is_allowed());
        succeeded(w.when(w.user("ann"), cancel));
        CHECK(w.account_state("acct").status == AccountStatus::canceled);
    }
}

TEST_CASE("Cancel a standalone account needs the Proceed to Cancel Account click", "[ctm]") {
    World w = standalone();

    const auto result = w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), {}});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::confirmation_required);
    CHECK(w.account_state("acct").status == AccountStatus::active);
}

TEST_CASE(
    "Cancel a standalone account: every number released, charges stop, data kept 60 days, "
    "balance kept 90 days",
    "[ctm]") {
    World w = standalone();
    const Time t0 = w.now;
    w.credit("acct", 2'500);
    w.given(w.user("ann"), commands::StopCalls{AccountId("acct"), NumberId("n2"), clicked()});
    w.given(w.user("ann"), commands::PauseTracking{AccountId("acct"), NumberId("n1"), clicked()});

    const auto events =
        succeeded(w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), clicked()}));

    CHECK(names(events)
          == Names{"number_released", "number_released", "account_canceled", "billing_changed",
                   "data_purge_scheduled", "balance_refundable"});
    CHECK(released_numbers(events) == std::vector<NumberId>{NumberId("n1"), NumberId("n2")});
    const auto* canceled = find<events::AccountCanceled>(events);
    REQUIRE(canceled != nullptr);
    CHECK(canceled->kind == CancelKind::cancel);
    CHECK(canceled->reactivation_until == std::optional<Time>(t0 + days(60)));
    const auto* billing = find<events::BillingChanged>(events);
    REQUIRE(billing != nullptr);
    CHECK(billing->owner == BalanceOwner(AccountId("acct")));
    CHECK(billing->charges == Charges{});
    CHECK_FALSE(billing->final_usage_invoice);
    const auto* purge = find<events::DataPurgeScheduled>(events);
    REQUIRE(purge != nullptr);
    CHECK(purge->purge_at == t0 + days(60));
    const auto* refundable = find<events::BalanceRefundable>(events);
    REQUIRE(refundable != nullptr);
    CHECK(refundable->owner == BalanceOwner(AccountId("acct")));
    CHECK(refundable->amount == dollars(2'500));
    CHECK(refundable->until == std::optional<Time>(t0 + days(90)));

    const auto& a = w.account_state("acct");
    CHECK(a.status == AccountStatus::canceled);
    CHECK(a.charges.empty());
    CHECK(a.data == DataStatus::purge_scheduled);
    CHECK(a.balance.status == BalanceStatus::refundable);
    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Cancel a standalone account with no balance keeps nothing refundable", "[ctm]") {
    World w = standalone();

    const auto events =
        succeeded(w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), clicked()}));

    CHECK(names(events)
          == Names{"number_released", "number_released", "account_canceled", "billing_changed",
                   "data_purge_scheduled"});
    const auto refund = w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")});
    REQUIRE_FALSE(refund);
    CHECK(refund.error() == errc::nothing_to_refund);
}

TEST_CASE("Reactivate a canceled standalone account self-service at day 30", "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    CHECK(names(w.advance(days(30))) == Names{"restore_window_closed"});

    const auto events =
        succeeded(w.when(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()}));

    CHECK(names(events)
          == Names{"account_reactivated", "billing_changed", "data_purge_canceled",
                   "balance_reinstated"});
    const auto& a = w.account_state("acct");
    CHECK(a.status == AccountStatus::active);
    CHECK(charges_continue(a));
    CHECK(a.data == DataStatus::retained);
    CHECK(a.balance.status == BalanceStatus::in_use);
    CHECK(a.balance.available == dollars(2'500));
    // The numbers were released at cancel; reactivation does not bring them back by itself.
    CHECK(w.number_state("n1").status == NumberStatus::released);
    // Nothing is left to close, purge or forfeit.
    CHECK(w.advance_to(t0 + days(120)).empty());
    CHECK(w.account_state("acct").status == AccountStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Reactivate a canceled standalone account at 60 days minus one second", "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(60) - seconds(1));

    const auto events =
        succeeded(w.when(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()}));

    CHECK(find<events::AccountReactivated>(events) != nullptr);
    CHECK(w.account_state("acct").status == AccountStatus::active);
    CHECK(w.advance_to(t0 + days(60)).empty());
    CHECK(w.account_state("acct").data == DataStatus::retained);
}

TEST_CASE(
    "Reactivate a canceled standalone account at exactly 60 days is refused, even before "
    "advance",
    "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(59));
    w.now = t0 + days(60);  // the deadline has not been processed yet

    const auto verdict =
        w.check(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    CHECK(verdict.has(errc::window_closed));
    const auto result =
        w.when(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::window_closed);
    CHECK(w.account_state("acct").status == AccountStatus::canceled);
}

TEST_CASE("At 60 days advance closes a canceled standalone account, then purges its data",
          "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(60) - seconds(1));

    const auto fired = w.advance_to(t0 + days(60));

    CHECK(names(fired) == Names{"account_closed", "data_purged"});
    const auto& a = w.account_state("acct");
    CHECK(a.status == AccountStatus::closed);
    CHECK(a.data == DataStatus::purged);
    // The balance outlives the account: it stays refundable until day 90.
    CHECK(a.balance.status == BalanceStatus::refundable);
    const auto result =
        w.when(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::account_closed);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Refund of the available balance requested at 90 days minus one second", "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(90) - seconds(1));
    REQUIRE(w.account_state("acct").status == AccountStatus::closed);

    const auto events =
        succeeded(w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")}));

    CHECK(names(events) == Names{"refund_requested"});
    const auto* refund = find<events::RefundRequested>(events);
    REQUIRE(refund != nullptr);
    CHECK(refund->amount == dollars(2'500));
    CHECK(w.account_state("acct").balance.status == BalanceStatus::refund_requested);
    // Nothing is forfeited once the refund is asked for.
    CHECK(w.advance(days(1)).empty());
    const auto again = w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")});
    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::already_in_state);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Refund of the available balance requested at exactly 90 days is refused", "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(90) - seconds(1));
    w.now = t0 + days(90);  // the deadline has not been processed yet

    const auto result = w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::window_closed);
}

TEST_CASE("Advance past 90 days forfeits an available balance nobody asked to refund", "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(60));

    const auto fired = w.advance_to(t0 + days(91));

    CHECK(names(fired) == Names{"balance_forfeited"});
    const auto* forfeited = find<events::BalanceForfeited>(fired);
    REQUIRE(forfeited != nullptr);
    CHECK(forfeited->amount == dollars(2'500));
    CHECK(forfeited->at == t0 + days(90));
    CHECK(w.account_state("acct").balance.status == BalanceStatus::forfeited);
    const auto late = w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")});
    REQUIRE_FALSE(late);
    CHECK(late.error() == errc::nothing_to_refund);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Cancel Account on a sub-account is refused: sub-accounts are closed instead", "[ctm]") {
    World w = agency_world();

    const auto result =
        w.when(w.user("agnes"), commands::CancelAccount{AccountId("sub1"), clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::not_standalone);
    CHECK(w.account_state("sub1").status == AccountStatus::active);
}

TEST_CASE("Close Sub-account on a standalone account is refused: it is canceled instead", "[ctm]") {
    World w = standalone();

    const auto result =
        w.when(w.user("ann"), commands::CloseSubAccount{AccountId("acct"), clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::not_a_sub_account);
    CHECK(w.account_state("acct").status == AccountStatus::active);
}

// ---------------------------------------------------------------------------------------------
// Closing a sub-account (seed 002)

TEST_CASE("Close a sub-account as agency administrator: every active number is released", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CloseSubAccount{AccountId("sub1"), clicked()}));

    CHECK(names(events)
          == Names{"number_released", "number_released", "number_released", "account_canceled",
                   "billing_changed", "data_purge_scheduled"});
    CHECK(released_numbers(events)
          == std::vector<NumberId>{NumberId("s1a"), NumberId("s1b"), NumberId("s1c")});
    const auto* canceled = find<events::AccountCanceled>(events);
    REQUIRE(canceled != nullptr);
    CHECK(canceled->account == AccountId("sub1"));
    CHECK(canceled->kind == CancelKind::sub_account_close);
    CHECK(canceled->reactivation_until == std::optional<Time>(t0 + days(60)));
    CHECK(canceled->restore_until == std::optional<Time>(t0 + days(14)));
    // Other sub-accounts and the agency are untouched.
    CHECK(w.account_state("sub2").status == AccountStatus::active);
    CHECK(w.number_state("s2a").status == NumberStatus::active);
    CHECK(w.agency_state("ag").status == AgencyStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Close a sub-account as the administrator of that sub-account", "[ctm]") {
    World w = agency_world();

    const auto events =
        succeeded(w.when(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()}));

    CHECK(count(events, "number_released") == 3);
    CHECK(w.account_state("sub1").status == AccountStatus::canceled);
}

TEST_CASE("Close a sub-account as the administrator of a different sub-account is refused",
          "[ctm]") {
    World w = agency_world();

    const auto verdict =
        w.check(w.user("sue"), commands::CloseSubAccount{AccountId("sub1"), clicked()});

    CHECK(verdict.refusals.size() == 1);
    CHECK(verdict.has(errc::actor_out_of_scope));
    const auto result =
        w.when(w.user("sue"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::actor_out_of_scope);
    CHECK(w.account_state("sub1").status == AccountStatus::active);
}

TEST_CASE("Close a sub-account as the agency administrator of another agency is refused", "[ctm]") {
    World w = agency_world();

    const auto result =
        w.when(w.user("olga"), commands::CloseSubAccount{AccountId("sub1"), clicked()});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::actor_out_of_scope);
    CHECK(w.account_state("sub1").status == AccountStatus::active);
}

TEST_CASE("Close a sub-account needs the Close Sub-account click", "[ctm]") {
    World w = agency_world();

    const auto result = w.when(w.user("agnes"), commands::CloseSubAccount{AccountId("sub1"), {}});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::confirmation_required);
}

TEST_CASE("Reactivate a closed sub-account within 60 days, and not at 60 days", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("agnes"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.given(w.user("sue"), commands::CloseSubAccount{AccountId("sub2"), clicked()});
    w.advance_to(t0 + days(60) - seconds(1));

    const auto events =
        succeeded(w.when(w.user("sam"), commands::ReactivateAccount{AccountId("sub1"), clicked()}));
    CHECK(names(events) == Names{"account_reactivated", "billing_changed", "data_purge_canceled"});
    CHECK(w.account_state("sub1").status == AccountStatus::active);
    CHECK(charges_continue(w.account_state("sub1")));

    w.now = t0 + days(60);  // the deadline has not been processed yet
    const auto late =
        w.when(w.user("sue"), commands::ReactivateAccount{AccountId("sub2"), clicked()});
    REQUIRE_FALSE(late);
    CHECK(late.error() == errc::window_closed);
    CHECK(names(w.advance_to(t0 + days(60))) == Names{"account_closed", "data_purged"});
    CHECK(w.account_state("sub2").status == AccountStatus::closed);
    CHECK(w.account_state("sub1").status == AccountStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Restore a released number after reactivating a sub-account closed under 14 days ago",
          "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.advance_to(t0 + days(10));
    w.given(w.user("sam"), commands::ReactivateAccount{AccountId("sub1"), clicked()});

    const auto events = succeeded(w.when(w.user("sam"), commands::RestoreNumber{NumberId("s1a")}));

    CHECK(names(events) == Names{"number_restored"});
    const auto* restored = find<events::NumberRestored>(events);
    REQUIRE(restored != nullptr);
    CHECK(restored->number == NumberId("s1a"));
    CHECK(restored->account == AccountId("sub1"));
    CHECK_FALSE(restored->carrier_level);
    CHECK(w.number_state("s1a").status == NumberStatus::active);
    // One by one: the others stay released until restored.
    CHECK(w.number_state("s1b").status == NumberStatus::released);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Restore a released number at 14 days minus one second is still self-service", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("agnes"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.advance_to(t0 + days(1));
    w.given(w.user("agnes"), commands::ReactivateAccount{AccountId("sub1"), clicked()});
    w.advance_to(t0 + days(14) - seconds(1));

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::RestoreNumber{NumberId("s1b")}));

    const auto* restored = find<events::NumberRestored>(events);
    REQUIRE(restored != nullptr);
    CHECK_FALSE(restored->carrier_level);
}

TEST_CASE("Restore a released number at 14 days is for support only, at carrier level", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.advance_to(t0 + days(2));
    w.given(w.user("sam"), commands::ReactivateAccount{AccountId("sub1"), clicked()});
    CHECK(names(w.advance_to(t0 + days(14))) == Names{"restore_window_closed"});

    const auto self_service = w.when(w.user("sam"), commands::RestoreNumber{NumberId("s1a")});
    REQUIRE_FALSE(self_service);
    CHECK(self_service.error() == errc::support_only);
    CHECK(
        w.check(w.user("agnes"), commands::RestoreNumber{NumberId("s1a")}).has(errc::support_only));

    const auto events = succeeded(w.when(w.support, commands::RestoreNumber{NumberId("s1a")}));
    CHECK(names(events) == Names{"number_restored"});
    const auto* restored = find<events::NumberRestored>(events);
    REQUIRE(restored != nullptr);
    CHECK(restored->carrier_level);
    CHECK(w.number_state("s1a").status == NumberStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Restore a released number while the sub-account is still canceled is refused", "[ctm]") {
    World w = agency_world();
    w.given(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.advance(days(1));

    const auto result = w.when(w.user("sam"), commands::RestoreNumber{NumberId("s1a")});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::invalid_state);
    CHECK(w.number_state("s1a").status == NumberStatus::released);
}

TEST_CASE("Closing every sub-account does not cancel the agency, which is still billed", "[ctm]") {
    World w = agency_world();
    const auto agency_charges = w.agency_state("ag").charges;
    REQUIRE_FALSE(agency_charges.empty());

    for (const char* sub : {"sub1", "sub2", "sub3"}) {
        const auto events = succeeded(
            w.when(w.user("agnes"), commands::CloseSubAccount{AccountId(sub), clicked()}));
        CHECK(find<events::AgencyCanceled>(events) == nullptr);
        for (const auto& e : events) {
            if (const auto* b = std::get_if<events::BillingChanged>(&e)) {
                CHECK(b->owner == BalanceOwner(AccountId(sub)));
            }
        }
    }

    const auto& g = w.agency_state("ag");
    CHECK(g.status == AgencyStatus::active);
    CHECK(g.charges == agency_charges);
    CHECK(g.charges.contains(Charge::subscription));
    CHECK(g.charges.contains(Charge::number_renewals));
    CHECK(g.charges.contains(Charge::usage));
    CHECK(w.replays_to_same_state());
}

// ---------------------------------------------------------------------------------------------
// Canceling an agency (seed 002)

TEST_CASE("Cancel an agency: only an agency administrator of that agency", "[ctm]") {
    World w = agency_world();
    const commands::CancelAgency cancel{AgencyId("ag"), clicked()};

    SECTION("the administrator of a sub-account is refused") {
        const auto result = w.when(w.user("sam"), cancel);
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::actor_out_of_scope);
    }
    SECTION("the agency administrator of another agency is refused") {
        const auto result = w.when(w.user("olga"), cancel);
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::actor_out_of_scope);
    }
    SECTION("support cannot cancel on behalf of a customer") {
        const auto result = w.when(w.support, cancel);
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::permission_denied);
    }
    SECTION("the agency administrator must click Cancel Agency") {
        const auto result = w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), {}});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::confirmation_required);
    }
    SECTION("the agency administrator can") {
        succeeded(w.when(w.user("agnes"), cancel));
        CHECK(w.agency_state("ag").status == AgencyStatus::canceled);
    }
}

TEST_CASE("Cancel an agency cascades to every active sub-account in one step, skipping closed ones",
          "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("sue"), commands::CloseSubAccount{AccountId("sub2"), clicked()});
    w.advance(days(5));
    const Time t5 = w.now;
    const auto sub2_before = w.account_state("sub2");
    Confirmation confirmation = clicked();
    confirmation.reasons = {"moving to another vendor", "budget"};

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), confirmation}));

    CHECK(names(events)
          == Names{"agency_canceled",
                   // sub1
                   "number_released", "number_released", "number_released", "account_canceled",
                   "billing_changed", "data_purge_scheduled",
                   // sub3
                   "number_released", "account_canceled", "billing_changed", "data_purge_scheduled",
                   // the agency itself
                   "billing_changed"});
    const auto* agency = find<events::AgencyCanceled>(events);
    REQUIRE(agency != nullptr);
    CHECK(agency->agency == AgencyId("ag"));
    CHECK(agency->sub_accounts == std::vector<AccountId>{AccountId("sub1"), AccountId("sub3")});
    CHECK(agency->reasons == confirmation.reasons);
    CHECK(agency->reactivation_until == std::optional<Time>(t5 + days(60)));
    CHECK(canceled_accounts(events)
          == std::vector<AccountId>{AccountId("sub1"), AccountId("sub3")});
    for (const auto& e : events) {
        if (const auto* c = std::get_if<events::AccountCanceled>(&e)) {
            CHECK(c->kind == CancelKind::agency_cascade);
            CHECK(c->reasons == confirmation.reasons);
        }
    }
    CHECK(released_numbers(events)
          == std::vector<NumberId>{NumberId("s1a"), NumberId("s1b"), NumberId("s1c"),
                                   NumberId("s3a")});
    // The sub-account closed before gets nothing new: no event names it.
    for (const auto& e : events) CHECK(describe(e).find("sub2") == std::string::npos);
    CHECK(w.account_state("sub2") == sub2_before);
    CHECK(w.account_state("sub2").timeline.canceled_at == std::optional<Time>(t0));

    const auto* agency_billing = std::get_if<events::BillingChanged>(&events.back());
    REQUIRE(agency_billing != nullptr);
    CHECK(agency_billing->owner == BalanceOwner(AgencyId("ag")));
    CHECK(agency_billing->charges == Charges{});
    CHECK(w.agency_state("ag").charges.empty());
    CHECK(w.agency_state("ag").cancel_reasons == confirmation.reasons);
    for (const char* sub : {"sub1", "sub3"}) {
        CHECK(w.account_state(sub).status == AccountStatus::canceled);
        CHECK(w.account_state(sub).charges.empty());
    }
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Cancel an agency without reasons: reasons for leaving are optional", "[ctm]") {
    World w = agency_world();

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()}));

    const auto* agency = find<events::AgencyCanceled>(events);
    REQUIRE(agency != nullptr);
    CHECK(agency->reasons.empty());
}

TEST_CASE("Cancel an agency keeps the agency's available balance refundable for 90 days", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(commands::AdjustBalance{AgencyId("ag"), dollars(10'000)});

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()}));

    REQUIRE(events.size() >= 2);
    CHECK(event_name(events[events.size() - 2]) == "billing_changed");
    const auto* refundable = std::get_if<events::BalanceRefundable>(&events.back());
    REQUIRE(refundable != nullptr);
    CHECK(refundable->owner == BalanceOwner(AgencyId("ag")));
    CHECK(refundable->amount == dollars(10'000));
    CHECK(refundable->until == std::optional<Time>(t0 + days(90)));

    w.advance(days(89));
    const auto refund = succeeded(w.when(w.user("agnes"), commands::RequestRefund{AgencyId("ag")}));
    CHECK(names(refund) == Names{"refund_requested"});
    CHECK(w.agency_state("ag").balance.status == BalanceStatus::refund_requested);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Reactivate a sub-account canceled with its agency: only support can", "[ctm]") {
    World w = agency_world();
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance(days(3));
    const commands::ReactivateAccount reactivate{AccountId("sub1"), clicked()};

    // While the agency is canceled, both reasons apply.
    const auto verdict = w.check(w.user("sam"), reactivate);
    CHECK(verdict.has(errc::support_only));
    CHECK(verdict.has(errc::agency_canceled));
    CHECK(verdict.refusals.size() == 2);
    const auto refused = w.when(w.user("sam"), reactivate);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::support_only);
    CHECK(w.check(w.user("agnes"), reactivate).has(errc::support_only));
    CHECK(w.check(w.support, reactivate).has(errc::agency_canceled));

    // Once support has reactivated the agency, the sub-account still needs support.
    w.given(commands::ReactivateAgency{AgencyId("ag"), {}});
    const auto still = w.when(w.user("sam"), reactivate);
    REQUIRE_FALSE(still);
    CHECK(still.error() == errc::support_only);
    const auto events = succeeded(w.when(w.support, reactivate));
    CHECK(find<events::AccountReactivated>(events) != nullptr);
    CHECK(w.account_state("sub1").status == AccountStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Reactivate an agency as its agency administrator is refused: contact support", "[ctm]") {
    World w = agency_world();
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance(days(1));

    const auto result = w.when(w.user("agnes"), commands::ReactivateAgency{AgencyId("ag"), {}});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::support_only);
    CHECK(w.agency_state("ag").status == AgencyStatus::canceled);
}

TEST_CASE("Reactivate an agency by support within 60 days", "[ctm]") {
    World w = agency_world();
    w.given(commands::AdjustBalance{AgencyId("ag"), dollars(4'000)});
    const Time t0 = w.now;
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance_to(t0 + days(60) - seconds(1));

    const auto events =
        succeeded(w.when(w.support, commands::ReactivateAgency{AgencyId("ag"), {}}));

    CHECK(names(events) == Names{"agency_reactivated", "billing_changed", "balance_reinstated"});
    const auto& g = w.agency_state("ag");
    CHECK(g.status == AgencyStatus::active);
    CHECK_FALSE(g.charges.empty());
    CHECK(g.balance.status == BalanceStatus::in_use);
    CHECK(g.balance.available == dollars(4'000));
    // Nothing is left to close or forfeit for the agency.
    const auto later = w.advance_to(t0 + days(120));
    CHECK(count(later, "agency_closed") == 0);
    CHECK(count(later, "balance_forfeited") == 0);
    CHECK(w.agency_state("ag").status == AgencyStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Reactivate an agency at 60 days is refused, even by support", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance_to(t0 + days(59));
    w.now = t0 + days(60);  // the deadline has not been processed yet

    const auto result = w.when(w.support, commands::ReactivateAgency{AgencyId("ag"), {}});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::window_closed);

    // Once advance has processed it, the agency is closed for good.
    const auto fired = w.advance_to(t0 + days(60));
    CHECK(count(fired, "agency_closed") == 1);
    CHECK(w.agency_state("ag").status == AgencyStatus::closed);
    CHECK_FALSE(w.check(w.support, commands::ReactivateAgency{AgencyId("ag"), {}}).is_allowed());
    CHECK(w.replays_to_same_state());
}

// ---------------------------------------------------------------------------------------------
// Transferring a sub-account to another agency (seed 002)

// The rules of asking and answering, one by one, are in transfer_test.cpp.

namespace {

/// agnes (agency ag) asks to move sub1 to agency other, and olga (other) approves.
void transfer_sub1(World& w) {
    w.given(w.user("agnes"), commands::RequestTransfer{AccountId("sub1"), AgencyId("other")});
    w.given(w.user("olga"), commands::ApproveTransfer{AccountId("sub1")});
}

}  // namespace

TEST_CASE("Transfer a sub-account to another agency: asked by one agency, approved by the other",
          "[ctm]") {
    World w = agency_world();
    const auto forwarding = w.number_state("s1a").forwarding_destination;

    CHECK(names(succeeded(w.when(w.user("agnes"),
                                 commands::RequestTransfer{AccountId("sub1"), AgencyId("other")})))
          == Names{"transfer_requested"});
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(AgencyId("ag")));
    const auto events =
        succeeded(w.when(w.user("olga"), commands::ApproveTransfer{AccountId("sub1")}));

    CHECK(names(events) == Names{"transfer_approved", "sub_account_transferred"});
    const auto* moved = find<events::SubAccountTransferred>(events);
    REQUIRE(moved != nullptr);
    CHECK(moved->from == AgencyId("ag"));
    CHECK(moved->to == AgencyId("other"));
    const auto& a = w.account_state("sub1");
    CHECK(a.agency == std::optional<AgencyId>(AgencyId("other")));
    CHECK(a.status == AccountStatus::active);
    CHECK_FALSE(a.pending_transfer.has_value());
    // Users, data and routing move with it.
    CHECK(w.number_state("s1a").status == NumberStatus::active);
    CHECK(w.number_state("s1a").forwarding_destination == forwarding);
    CHECK(w.state.sub_accounts_by_agency.at(AgencyId("other")).count(AccountId("sub1")) == 1);
    CHECK(w.state.sub_accounts_by_agency.at(AgencyId("ag")).count(AccountId("sub1")) == 0);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Transfer a sub-account into a canceled agency is refused", "[ctm]") {
    World w = agency_world();
    w.given(w.user("olga"), commands::CancelAgency{AgencyId("other"), clicked()});

    const auto result =
        w.when(w.user("agnes"), commands::RequestTransfer{AccountId("sub1"), AgencyId("other")});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::agency_canceled);
}

TEST_CASE(
    "After a transfer the sub-account's own administrator keeps access, the new agency's "
    "administrator can close it and the old one cannot",
    "[ctm]") {
    World w = agency_world();
    transfer_sub1(w);

    // sam's grant on sub1 still applies.
    CHECK(names(succeeded(w.when(
              w.user("sam"), commands::PauseTracking{AccountId("sub1"), std::nullopt, clicked()})))
          == Names{"tracking_paused"});
    CHECK(w.check(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()})
              .is_allowed());

    const auto old_agency =
        w.when(w.user("agnes"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    REQUIRE_FALSE(old_agency);
    CHECK(old_agency.error() == errc::actor_out_of_scope);

    const auto events =
        succeeded(w.when(w.user("olga"), commands::CloseSubAccount{AccountId("sub1"), clicked()}));
    CHECK(count(events, "number_released") == 3);
    CHECK(w.account_state("sub1").status == AccountStatus::canceled);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Cancel an agency after a transfer leaves the transferred sub-account alone", "[ctm]") {
    World w = agency_world();
    transfer_sub1(w);

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()}));

    CHECK(canceled_accounts(events)
          == std::vector<AccountId>{AccountId("sub2"), AccountId("sub3")});
    CHECK(w.account_state("sub1").status == AccountStatus::active);
    CHECK(w.number_state("s1a").status == NumberStatus::active);
    CHECK(w.replays_to_same_state());
}

// ---------------------------------------------------------------------------------------------
// The engine's own rules, on CTM's commands

TEST_CASE("check returns every reason a command is refused, not just the first", "[ctm]") {
    World w = standalone();
    w.grant("owen", Role("billing_manager"), AccountId("acct"));

    const auto verdict = w.check(w.user("owen"), commands::CancelAccount{AccountId("acct"), {}});

    REQUIRE(verdict.refusals.size() == 2);
    CHECK(verdict.has(errc::permission_denied));
    CHECK(verdict.has(errc::confirmation_required));
    CHECK(verdict.refusals[0].code == errc::permission_denied);
    CHECK(verdict.refusals[1].code == errc::confirmation_required);
    // decide gives the first of them.
    const auto result = w.when(w.user("owen"), commands::CancelAccount{AccountId("acct"), {}});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::permission_denied);
}

TEST_CASE("A clock earlier than the last event is refused", "[ctm]") {
    World w = canceled_standalone();
    const auto before = w.state;
    w.now = w.now - seconds(1);

    const auto verdict =
        w.check(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    CHECK(verdict.has(errc::clock_went_backwards));
    const auto result =
        w.when(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::clock_went_backwards);
    CHECK(w.state == before);
}

TEST_CASE("Cancel a standalone account that owes money keeps no negative balance refundable",
          "[ctm]") {
    World w = standalone();
    w.credit("acct", -700);

    const auto events =
        succeeded(w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), clicked()}));

    CHECK(find<events::BalanceRefundable>(events) == nullptr);
    CHECK(find<events::BalanceForfeited>(events) == nullptr);
    const auto refund = w.when(w.user("ann"), commands::RequestRefund{AccountId("acct")});
    REQUIRE_FALSE(refund);
    CHECK(refund.error() == errc::nothing_to_refund);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Cancel an agency that owes money keeps no negative balance refundable", "[ctm]") {
    World w = agency_world();
    w.given(commands::AdjustBalance{AgencyId("ag"), dollars(-1'200)});

    const auto events =
        succeeded(w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()}));

    CHECK(find<events::BalanceRefundable>(events) == nullptr);
    const auto refund = w.when(w.user("agnes"), commands::RequestRefund{AgencyId("ag")});
    REQUIRE_FALSE(refund);
    CHECK(refund.error() == errc::nothing_to_refund);
}

TEST_CASE("Cancel again after a reactivation: the 60-day window runs from the latest cancel",
          "[ctm]") {
    World w = canceled_standalone();
    const Time t0 = w.now;
    w.advance_to(t0 + days(30));
    w.given(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()});
    w.advance_to(t0 + days(40));
    const Time t40 = w.now;

    const auto events =
        succeeded(w.when(w.user("ann"), commands::CancelAccount{AccountId("acct"), clicked()}));

    CHECK(names(events)
          == Names{"account_canceled", "billing_changed", "data_purge_scheduled",
                   "balance_refundable"});
    CHECK(find<events::BalanceRefundable>(events)->until == std::optional<Time>(t40 + days(90)));
    // Nothing fires at the first cancel's deadlines; the second cancel's restore window closes.
    const auto fired = w.advance_to(t0 + days(90));
    CHECK(names(fired) == Names{"restore_window_closed"});
    CHECK(event_time(fired.front()) == t40 + days(14));
    CHECK(w.account_state("acct").status == AccountStatus::canceled);
    w.advance_to(t40 + days(60) - seconds(1));
    CHECK(w.check(w.user("ann"), commands::ReactivateAccount{AccountId("acct"), clicked()})
              .is_allowed());
    CHECK(names(w.advance_to(t40 + days(60))) == Names{"account_closed", "data_purged"});
    CHECK(w.replays_to_same_state());
}

TEST_CASE("A sub-account closed before its agency was canceled waits for the agency", "[ctm]") {
    World w = agency_world();
    w.given(w.user("sue"), commands::CloseSubAccount{AccountId("sub2"), clicked()});
    w.advance(days(1));
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance(days(1));
    const commands::ReactivateAccount reactivate{AccountId("sub2"), clicked()};

    const auto verdict = w.check(w.user("sue"), reactivate);
    CHECK(verdict.refusals.size() == 1);
    CHECK(verdict.has(errc::agency_canceled));

    // Once support brings the agency back, the sub-account's own self-service window applies.
    w.given(commands::ReactivateAgency{AgencyId("ag"), {}});
    const auto events = succeeded(w.when(w.user("sue"), reactivate));
    CHECK(find<events::AccountReactivated>(events) != nullptr);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("Advance past 90 days forfeits a canceled agency's unrequested balance", "[ctm]") {
    World w = agency_world();
    const Time t0 = w.now;
    w.given(commands::AdjustBalance{AgencyId("ag"), dollars(3'000)});
    w.given(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()});
    w.advance_to(t0 + days(61));
    REQUIRE(w.agency_state("ag").status == AgencyStatus::closed);

    const auto fired = w.advance_to(t0 + days(90));

    CHECK(names(fired) == Names{"balance_forfeited"});
    const auto* forfeited = find<events::BalanceForfeited>(fired);
    REQUIRE(forfeited != nullptr);
    CHECK(forfeited->owner == BalanceOwner(AgencyId("ag")));
    CHECK(forfeited->amount == dollars(3'000));
    const auto late = w.when(w.user("agnes"), commands::RequestRefund{AgencyId("ag")});
    REQUIRE_FALSE(late);
    CHECK(late.error() == errc::nothing_to_refund);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("An administrator of one sub-account can act on no other sub-account", "[ctm]") {
    World w = agency_world();
    w.given(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    const auto sue = w.user("sue");
    const AccountId sub1("sub1");

    const std::vector<Command> attempts = {
        commands::ReactivateAccount{sub1, clicked()},
        commands::RestoreNumber{NumberId("s1a")},
        commands::RequestRefund{sub1},
    };
    for (const auto& command : attempts) {
        INFO("operation " << to_string(operation_of(command)));
        CHECK(w.check(sue, command).has(errc::actor_out_of_scope));
    }
    const auto pause =
        w.when(sue, commands::PauseTracking{AccountId("sub3"), std::nullopt, clicked()});
    REQUIRE_FALSE(pause);
    CHECK(pause.error() == errc::actor_out_of_scope);
    const auto stop = w.when(sue, commands::StopCalls{AccountId("sub3"), std::nullopt, clicked()});
    REQUIRE_FALSE(stop);
    CHECK(stop.error() == errc::actor_out_of_scope);
}

TEST_CASE("Close a sub-account again: only the numbers active now are released", "[ctm]") {
    World w = agency_world();
    w.given(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()});
    w.advance(days(2));
    w.given(w.user("sam"), commands::ReactivateAccount{AccountId("sub1"), clicked()});
    w.given(w.user("sam"), commands::RestoreNumber{NumberId("s1b")});
    w.advance(days(1));

    const auto events =
        succeeded(w.when(w.user("sam"), commands::CloseSubAccount{AccountId("sub1"), clicked()}));

    CHECK(
        names(events)
        == Names{"number_released", "account_canceled", "billing_changed", "data_purge_scheduled"});
    CHECK(released_numbers(events) == std::vector<NumberId>{NumberId("s1b")});
    CHECK(w.replays_to_same_state());
}
