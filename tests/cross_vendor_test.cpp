// The same steps under the three presets, to show where the vendors differ: the way back after a
// cancel, tracking pause, account pause, what happens to the balance, the data and the numbers.
// Every test reads "given these events, when this command, then these events or this error".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

using Names = std::vector<std::string>;

/// The same account under any preset: two numbers, 25.00 USD of credit, and "boss", who is its
/// administrator (CallRail, CTM) or its owner (smrtPhone), whichever the preset has. Before
/// CallRail's pause cut-off.
World world(Policy policy, const char* start = "2020-09-01T00:00:00Z") {
    World w(std::move(policy), at(start));
    w.account("acme")
        .number("n1", "acme", "+14045550101")
        .number("n2", "acme", "+14045550102", NumberSource::offsite)
        .grant("boss",
               w.policy.role(Role::administrator) ? Role::administrator : Role::account_owner, acme)
        .credit("acme", 2'500);
    return w;
}

/// Everything any of the three vendors asks of a person leaving.
Confirmation everything_to_leave() {
    Confirmation c = clicked();
    c.typed = "CONFIRM";
    c.acknowledged = {"unported_numbers_lost"};
    c.terms_accepted = true;
    c.reasons = {"moving to another vendor"};
    c.billing_details_entered = true;
    return c;
}

/// Each vendor's way of leaving: cancel_account (CTM; smrtPhone after the survey), or
/// close_account (CallRail, which offers no cancel_account).
result<std::vector<Event>> leave(World& w) {
    const auto boss = w.user("boss");
    if (w.policy.name == "smrtphone") {
        w.given(boss, commands::RecordSurvey{acme, SurveyOutcome::confirm});
    }
    if (w.policy.name == "callrail") {
        auto refused = w.when(boss, commands::CancelAccount{acme, everything_to_leave()});
        REQUIRE_FALSE(refused);
        CHECK(refused.error() == errc::operation_not_offered);
        return w.when(boss, commands::CloseAccount{acme, everything_to_leave()});
    }
    return w.when(boss, commands::CancelAccount{acme, everything_to_leave()});
}

/// Each vendor's way back: reactivate_account, or reopen_account (CallRail).
result<std::vector<Event>> come_back(World& w) {
    if (w.policy.name == "callrail") {
        return w.when(w.user("boss"), commands::ReopenAccount{acme, everything_to_leave()});
    }
    return w.when(w.user("boss"), commands::ReactivateAccount{acme, everything_to_leave()});
}

std::vector<Policy> presets() {
    return {policies::callrail(), policies::ctm(), policies::smrtphone()};
}

}  // namespace

TEST_CASE("cancel then reactivate on day 30: ctm reactivates the account", "[cross-vendor]") {
    auto w = world(policies::ctm());
    auto canceled = leave(w);
    REQUIRE(canceled);
    CHECK(names(canceled.value())
          == Names{"number_released", "number_released", "account_canceled", "billing_changed",
                   "data_purge_scheduled", "balance_refundable"});
    w.advance(days(30));

    auto result = come_back(w);

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"account_reactivated", "billing_changed", "data_purge_canceled",
                   "balance_reinstated"});
    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::active);
    CHECK(a.data == DataStatus::retained);
    CHECK(a.balance.status == BalanceStatus::in_use);
    CHECK(a.balance.available == dollars(2'500));
    CHECK(w.state.deadlines.empty());
}

TEST_CASE("cancel then reactivate on day 30: smrtphone refuses, the account was closed at once",
          "[cross-vendor]") {
    auto w = world(policies::smrtphone());
    auto canceled = leave(w);
    REQUIRE(canceled);
    CHECK(names(canceled.value()).back() == "account_closed");
    w.advance(days(30));

    auto result = come_back(w);

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::operation_not_offered);
    CHECK(w.check(w.user("boss"), commands::ReactivateAccount{acme, everything_to_leave()})
              .has(errc::window_not_offered));
    CHECK(w.account_state("acme").status == AccountStatus::closed);
}

TEST_CASE(
    "cancel then reactivate: callrail offers no cancel_account, and close then reopen works "
    "on day 30 and on day 3000",
    "[cross-vendor]") {
    for (const long day : {30L, 3000L}) {
        INFO("reopen on day " << day);
        auto w = world(policies::callrail());
        auto closed = leave(w);
        REQUIRE(closed);
        CHECK(w.account_state("acme").status == AccountStatus::canceled);
        CHECK(w.advance(days(day)).empty());

        auto result = come_back(w);

        REQUIRE(result);
        CHECK(names(result.value())
              == Names{"account_reactivated", "billing_changed", "balance_reinstated"});
        CHECK(w.account_state("acme").status == AccountStatus::active);
        CHECK(w.account_state("acme").data == DataStatus::retained);
    }
}

TEST_CASE("cancel then reactivate on day 60: only ctm's 60-day window has closed by then",
          "[cross-vendor]") {
    auto ctm = world(policies::ctm());
    REQUIRE(leave(ctm));
    ctm.advance(days(60));
    CHECK(ctm.account_state("acme").status == AccountStatus::closed);
    auto refused = come_back(ctm);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::account_closed);

    auto callrail = world(policies::callrail());
    REQUIRE(leave(callrail));
    callrail.advance(days(60));
    CHECK(come_back(callrail));
}

TEST_CASE(
    "pause_tracking: ctm pauses the tracking code and keeps charging, callrail and "
    "smrtphone do not offer it",
    "[cross-vendor]") {
    for (auto& policy : presets()) {
        INFO("preset " << policy.name);
        auto w = world(policy);
        const Charges before = w.account_state("acme").charges;

        auto result = w.when(w.user("boss"),
                             commands::PauseTracking{acme, std::nullopt, everything_to_leave()});

        if (policy.name == "ctm") {
            REQUIRE(result);
            CHECK(names(result.value()) == Names{"tracking_paused"});
            CHECK(w.account_state("acme").is_tracking_paused);
            CHECK(w.account_state("acme").charges == before);
            CHECK(w.number_state("n1").status == NumberStatus::active);
        } else {
            REQUIRE_FALSE(result);
            CHECK(result.error() == errc::operation_not_offered);
            CHECK_FALSE(w.account_state("acme").is_tracking_paused);
        }
    }
}

TEST_CASE("pause_account is offered only in callrail", "[cross-vendor]") {
    for (auto& policy : presets()) {
        INFO("preset " << policy.name);
        auto w = world(policy);

        auto result = w.when(w.user("boss"), commands::PauseAccount{acme, everything_to_leave()});

        if (policy.name == "callrail") {
            REQUIRE(result);
            CHECK(w.account_state("acme").status == AccountStatus::paused);
        } else {
            REQUIRE_FALSE(result);
            CHECK(result.error() == errc::operation_not_offered);
            CHECK(w.account_state("acme").status == AccountStatus::active);
            CHECK(w.check(w.user("boss"), commands::ResumeAccount{acme, everything_to_leave()})
                      .has(errc::operation_not_offered));
        }
    }
}

TEST_CASE("balance after cancel: ctm keeps it refundable until +90 days, then forfeits it",
          "[cross-vendor]") {
    auto w = world(policies::ctm());
    const Time canceled_at = w.now;
    auto canceled = leave(w);
    REQUIRE(canceled);
    const auto* refundable = find<events::BalanceRefundable>(canceled.value());
    REQUIRE(refundable);
    CHECK(refundable->amount == dollars(2'500));
    CHECK(refundable->until == canceled_at + days(90));

    SECTION("a request on day 89 is refunded") {
        w.advance(days(89));
        CHECK(w.account_state("acme").status == AccountStatus::closed);  // day 60
        auto result = w.when(w.user("boss"), commands::RequestRefund{acme});
        REQUIRE(result);
        CHECK(names(result.value()) == Names{"refund_requested"});
        CHECK(find<events::RefundRequested>(result.value())->amount == dollars(2'500));
        CHECK(w.account_state("acme").balance.status == BalanceStatus::refund_requested);
        CHECK(w.advance(days(10)).empty());
    }
    SECTION("on day 90 the balance is forfeited and a request finds nothing") {
        auto fired = w.advance(days(90));
        REQUIRE(find<events::BalanceForfeited>(fired));
        CHECK(find<events::BalanceForfeited>(fired)->amount == dollars(2'500));
        CHECK(find<events::BalanceForfeited>(fired)->at == canceled_at + days(90));
        auto result = w.when(w.user("boss"), commands::RequestRefund{acme});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::nothing_to_refund);
    }
    SECTION("a request at day 90 before the host fires the deadline is refused as too late") {
        w.now = canceled_at + days(90);
        auto result = w.when(w.user("boss"), commands::RequestRefund{acme});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::window_closed);
    }
}

TEST_CASE("balance after cancel: smrtphone forfeits it at once", "[cross-vendor]") {
    auto w = world(policies::smrtphone());

    auto canceled = leave(w);

    REQUIRE(canceled);
    CHECK(count(canceled.value(), "balance_refundable") == 0);
    REQUIRE(find<events::BalanceForfeited>(canceled.value()));
    CHECK(find<events::BalanceForfeited>(canceled.value())->amount == dollars(2'500));
    CHECK(w.account_state("acme").balance.status == BalanceStatus::forfeited);
}

TEST_CASE("balance after cancel: callrail keeps it refundable with no time limit",
          "[cross-vendor]") {
    auto w = world(policies::callrail());
    auto closed = leave(w);
    REQUIRE(closed);
    const auto* refundable = find<events::BalanceRefundable>(closed.value());
    REQUIRE(refundable);
    CHECK(refundable->amount == dollars(2'500));
    CHECK_FALSE(refundable->until);
    CHECK(w.advance(days(3000)).empty());

    auto result = w.when(w.user("boss"), commands::RequestRefund{acme});

    REQUIRE(result);
    CHECK(names(result.value()) == Names{"refund_requested"});
    CHECK(find<events::RefundRequested>(result.value())->amount == dollars(2'500));
}

TEST_CASE("data after cancel: ctm purges on day 60, smrtphone at once, callrail never",
          "[cross-vendor]") {
    auto ctm = world(policies::ctm());
    const Time start = ctm.now;
    auto ctm_cancel = leave(ctm);
    REQUIRE(ctm_cancel);
    REQUIRE(find<events::DataPurgeScheduled>(ctm_cancel.value()));
    CHECK(find<events::DataPurgeScheduled>(ctm_cancel.value())->purge_at == start + days(60));
    CHECK(ctm.advance(days(60) - seconds(1))
          == std::vector<Event>{events::RestoreWindowClosed{acme, start + days(14)}});
    CHECK(names(ctm.advance(seconds(1))) == Names{"account_closed", "data_purged"});
    CHECK(ctm.account_state("acme").data == DataStatus::purged);

    auto smrtphone = world(policies::smrtphone());
    auto smrtphone_cancel = leave(smrtphone);
    REQUIRE(smrtphone_cancel);
    CHECK(count(smrtphone_cancel.value(), "data_purged") == 1);
    CHECK(smrtphone.account_state("acme").data == DataStatus::purged);

    auto callrail = world(policies::callrail());
    auto callrail_close = leave(callrail);
    REQUIRE(callrail_close);
    CHECK(count(callrail_close.value(), "data_purge_scheduled") == 0);
    CHECK(count(callrail_close.value(), "data_purged") == 0);
    CHECK(callrail.advance(days(5000)).empty());
    CHECK(callrail.account_state("acme").data == DataStatus::retained);
}

TEST_CASE("released numbers after coming back: ctm restores them within 14 days, callrail never",
          "[cross-vendor]") {
    auto ctm = world(policies::ctm());
    REQUIRE(leave(ctm));
    ctm.advance(days(13));
    REQUIRE(come_back(ctm));
    auto restored = ctm.when(ctm.user("boss"), commands::RestoreNumber{NumberId("n1")});
    REQUIRE(restored);
    CHECK(names(restored.value()) == Names{"number_restored"});
    CHECK_FALSE(find<events::NumberRestored>(restored.value())->carrier_level);
    CHECK(ctm.number_state("n1").status == NumberStatus::active);

    auto callrail = world(policies::callrail());
    REQUIRE(leave(callrail));
    callrail.advance(days(1));
    REQUIRE(come_back(callrail));
    auto refused = callrail.when(callrail.user("boss"), commands::RestoreNumber{NumberId("n1")});
    REQUIRE_FALSE(refused);
    CHECK(callrail.check(callrail.user("boss"), commands::RestoreNumber{NumberId("n1")})
              .has(errc::window_not_offered));
    CHECK(callrail.number_state("n1").status == NumberStatus::released);
}

TEST_CASE(
    "unlimited and not offered are never confused: callrail and smrtphone both record no "
    "reactivation date, but only callrail can come back",
    "[cross-vendor]") {
    auto callrail = world(policies::callrail());
    auto closed = leave(callrail);
    auto smrtphone = world(policies::smrtphone());
    auto canceled = leave(smrtphone);
    REQUIRE(closed);
    REQUIRE(canceled);

    const auto* unlimited = find<events::AccountCanceled>(closed.value());
    const auto* never = find<events::AccountCanceled>(canceled.value());
    REQUIRE(unlimited);
    REQUIRE(never);
    CHECK_FALSE(unlimited->reactivation_until);
    CHECK_FALSE(never->reactivation_until);
    CHECK(callrail.account_state("acme").status == AccountStatus::canceled);
    CHECK(smrtphone.account_state("acme").status == AccountStatus::closed);
    CHECK(callrail.policy.standalone.reactivation_window == Window::unlimited());
    CHECK(smrtphone.policy.standalone.reactivation_window == Window::not_offered());
    CHECK(callrail.policy.standalone.reactivation_window != Window::days(0));
    CHECK(smrtphone.policy.standalone.reactivation_window != Window::days(0));
}

TEST_CASE("only a full cancel stops charges, in every vendor", "[cross-vendor]") {
    for (auto& policy : presets()) {
        INFO("preset " << policy.name);
        auto w = world(policy);
        CHECK_FALSE(w.account_state("acme").charges.empty());

        auto result = leave(w);

        REQUIRE(result);
        const auto* billing = find<events::BillingChanged>(result.value());
        REQUIRE(billing);
        CHECK(billing->charges.empty());
        CHECK(billing->final_usage_invoice == (policy.name == "callrail"));
        CHECK(w.account_state("acme").charges.empty());
    }
}

TEST_CASE(
    "charges while not canceled: ctm stopped calls and callrail's account pause keep "
    "charging",
    "[cross-vendor]") {
    auto ctm = world(policies::ctm());
    auto stopped =
        ctm.when(ctm.user("boss"), commands::StopCalls{acme, std::nullopt, everything_to_leave()});
    REQUIRE(stopped);
    CHECK(names(stopped.value()) == Names{"calls_stopped"});
    CHECK(ctm.account_state("acme").charges
          == Charges{Charge::subscription, Charge::number_renewals, Charge::usage});

    auto callrail = world(policies::callrail());
    auto paused =
        callrail.when(callrail.user("boss"), commands::PauseAccount{acme, everything_to_leave()});
    REQUIRE(paused);
    CHECK(callrail.account_state("acme").charges == Charges{Charge::hold_fee});
}

TEST_CASE(
    "request_refund after cancel with a negative balance (money owed) is refused as nothing "
    "to refund, in ctm and callrail",
    "[cross-vendor]") {
    for (auto& policy : {policies::ctm(), policies::callrail()}) {
        INFO("preset " << policy.name);
        auto w = world(policy);
        w.given(commands::AdjustBalance{acme, dollars(-2'800)});
        REQUIRE(w.account_state("acme").balance.available == dollars(-300));
        REQUIRE(leave(w));
        w.advance(days(1));

        auto result = w.when(w.user("boss"), commands::RequestRefund{acme});

        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::nothing_to_refund);
        CHECK(w.account_state("acme").balance.available == dollars(-300));
        CHECK(w.account_state("acme").balance.status != BalanceStatus::refund_requested);
    }
}
