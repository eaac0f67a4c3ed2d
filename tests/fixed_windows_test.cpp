// A window is fixed when it opens (issue 10): reactivation, number restore, refund, data
// retention and the pause maximum end at the instant stored when the window opened, and every
// later decision and message reads that stored end. Each case opens a window under one policy
// and decides under another, which is what a vendor's rule change does to an old account; and a
// refusal at or after a window's end names the window and when it ended.
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const AccountId acct_id("acct");
const commands::ReactivateAccount reactivate_acct{acct_id, clicked()};
const commands::RestoreNumber restore_n1{NumberId("n1")};
const commands::RequestRefund refund_acct{acct_id};

/// CTM's standalone account with 25.00 USD and two numbers, canceled by its administrator ann at
/// 2024-01-01: the reactivation window (60 days) ends 2024-03-01, the restore window (14 days)
/// 2024-01-15, the refund window (90 days) 2024-03-31, the data purge (60 days) 2024-03-01.
World canceled_under_ctm() {
    World w(policies::ctm());
    w.account("acct")
        .number("n1", "acct", "+14045550001")
        .number("n2", "acct", "+14045550002")
        .grant("ann", Role::administrator, AccountId("acct"))
        .credit("acct", 2'500);
    auto canceled = w.when(w.user("ann"), commands::CancelAccount{acct_id, clicked()});
    REQUIRE(canceled);
    return w;
}

std::string details(const Verdict& v) {
    std::string out;
    for (const auto& r : v.refusals) out += describe(r) + "\n";
    return out;
}

bool mentions(const Verdict& v, errc code, const std::string& text) {
    for (const auto& r : v.refusals) {
        if (r.code == code && r.detail.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a reactivation window shortened after the cancel stays as long as the cancel fixed it",
          "[windows]") {
    auto w = canceled_under_ctm();
    w.policy.standalone.reactivation_window = Window::days(10);
    w.advance(days(20));

    const auto verdict = w.check(w.user("ann"), reactivate_acct);
    INFO(details(verdict));
    CHECK(verdict.is_allowed());
    REQUIRE(w.when(w.user("ann"), reactivate_acct));
    CHECK(w.account_state("acct").status == AccountStatus::active);
}

TEST_CASE(
    "a reactivation window lengthened after the cancel ends where the cancel fixed it, and "
    "the refusal names that end, in the past",
    "[windows]") {
    auto w = canceled_under_ctm();
    w.policy.standalone.reactivation_window = Window::days(90);
    // Day 40 of a 60-day window: open. Day 60, before the deadline fires: closed at its end.
    w.now += days(40);
    CHECK(w.check(w.user("ann"), reactivate_acct).is_allowed());
    w.now += days(20);

    const auto verdict = w.check(w.user("ann"), reactivate_acct);
    INFO(details(verdict));
    CHECK(mentions(verdict, errc::window_closed,
                   "the 60-day reactivation window, opened at 2024-01-01T00:00:00Z, closed at "
                   "2024-03-01T00:00:00Z"));
    CHECK(verdict.refusals.size() == 1);
}

TEST_CASE("a reactivation at the instant its window ended names the window beside the close",
          "[windows]") {
    auto w = canceled_under_ctm();
    const auto fired = w.advance(days(60));
    REQUIRE(w.account_state("acct").status == AccountStatus::closed);
    CHECK(w.account_state("acct").timeline.closed_at == at("2024-03-01T00:00:00Z"));
    (void)fired;

    const auto verdict = w.check(w.user("ann"), reactivate_acct);
    INFO(details(verdict));
    CHECK(verdict.has(errc::account_closed));
    CHECK(mentions(verdict, errc::window_closed,
                   "the 60-day reactivation window, opened at 2024-01-01T00:00:00Z, closed at "
                   "2024-03-01T00:00:00Z"));
}

TEST_CASE("a policy that no longer reactivates does not close a window a cancel opened before it",
          "[windows]") {
    auto w = canceled_under_ctm();
    w.policy.standalone.reactivation = Reactivation::impossible;
    w.policy.standalone.reactivation_window = Window::not_offered();
    w.policy.standalone.number_restore_window = Window::not_offered();
    w.policy.standalone.support_restores_after_window = false;
    PolicyDiagnostic why;
    const auto valid = validate(w.policy, &why);
    INFO(why.field << ": " << why.problem);
    REQUIRE(valid);
    w.advance(days(30));

    const auto verdict = w.check(w.user("ann"), reactivate_acct);
    INFO(details(verdict));
    CHECK(verdict.is_allowed());
}

TEST_CASE("the number restore window is the one the cancel fixed", "[windows]") {
    auto w = canceled_under_ctm();
    REQUIRE(w.when(w.user("ann"), reactivate_acct));
    SECTION("shortened to 3 days: the administrator still restores on day 10 of 14") {
        w.policy.standalone.number_restore_window = Window::days(3);
        w.advance(days(10));
        const auto verdict = w.check(w.user("ann"), restore_n1);
        INFO(details(verdict));
        CHECK(verdict.is_allowed());
        auto restored = w.when(w.user("ann"), restore_n1);
        REQUIRE(restored);
        const auto* e = std::get_if<events::NumberRestored>(&restored.value().front());
        REQUIRE(e);
        CHECK_FALSE(e->carrier_level);
    }
    SECTION("lengthened to 30 days: on day 20 only support may try, at the carrier") {
        w.policy.standalone.number_restore_window = Window::days(30);
        w.advance(days(20));
        const auto verdict = w.check(w.user("ann"), restore_n1);
        INFO(details(verdict));
        CHECK(mentions(verdict, errc::support_only,
                       "the 14-day self-service restore window, opened at 2024-01-01T00:00:00Z, "
                       "closed at 2024-01-15T00:00:00Z"));
        auto restored = w.when(w.support, restore_n1);
        REQUIRE(restored);
        const auto* e = std::get_if<events::NumberRestored>(&restored.value().front());
        REQUIRE(e);
        CHECK(e->carrier_level);
    }
    SECTION("no longer offered: the window the cancel opened still restores") {
        w.policy.standalone.number_restore_window = Window::not_offered();
        w.policy.standalone.support_restores_after_window = false;
        w.advance(days(5));
        CHECK(w.check(w.user("ann"), restore_n1).is_allowed());
    }
}

TEST_CASE("a refund asked for at or after the refund window's end names the window and its end",
          "[windows]") {
    auto w = canceled_under_ctm();
    w.policy.standalone.refund_window = Window::days(365);
    SECTION("at the end, before the deadline fired") {
        w.now += days(90);
        const auto verdict = w.check(w.user("ann"), refund_acct);
        INFO(details(verdict));
        CHECK(mentions(verdict, errc::window_closed,
                       "the 90-day refund window, opened at 2024-01-01T00:00:00Z, closed at "
                       "2024-03-31T00:00:00Z"));
    }
    SECTION("after the deadline forfeited the balance") {
        w.advance(days(90));
        REQUIRE(w.account_state("acct").balance.status == BalanceStatus::forfeited);
        const auto verdict = w.check(w.user("ann"), refund_acct);
        INFO(details(verdict));
        CHECK(mentions(verdict, errc::nothing_to_refund,
                       "the 90-day refund window, opened at 2024-01-01T00:00:00Z, closed at "
                       "2024-03-31T00:00:00Z; the balance was forfeited"));
    }
}

TEST_CASE("a balance the policy forfeits at the cancel is refused with when it was forfeited",
          "[windows]") {
    World w(policies::smrtphone());
    w.account("acct").grant("owen", Role::account_owner, AccountId("acct")).credit("acct", 1'000);
    const commands::RecordSurvey survey{acct_id, SurveyOutcome::confirm};
    REQUIRE(w.when(w.user("owen"), survey));
    const commands::CancelAccount cancel{
        acct_id, Confirmation{}.type("CONFIRM").acknowledge("unported_numbers_lost")};
    REQUIRE(w.when(w.user("owen"), cancel));
    REQUIRE(w.account_state("acct").balance.status == BalanceStatus::forfeited);

    const auto verdict = w.check(w.support, refund_acct);
    INFO(details(verdict));
    CHECK(mentions(verdict, errc::nothing_to_refund,
                   "the balance was forfeited at the cancel, at 2024-01-01T00:00:00Z"));
}

TEST_CASE("an agency's reactivation window is the one its cancel fixed", "[windows]") {
    World w(policies::ctm());
    w.agency("ag").account("sub1", "ag").grant("agnes", Role::agency_administrator, AgencyId("ag"));
    REQUIRE((w.when(w.user("agnes"), commands::CancelAgency{AgencyId("ag"), clicked()})));
    w.policy.agency.reactivation_window = Window::days(5);
    w.advance(days(30));
    CHECK((w.check(w.support, commands::ReactivateAgency{AgencyId("ag"), {}}).is_allowed()));

    w.advance(days(30));
    REQUIRE(w.agency_state("ag").status == AgencyStatus::closed);
    const auto verdict = w.check(w.support, commands::ReactivateAgency{AgencyId("ag"), {}});
    INFO(details(verdict));
    CHECK(verdict.has(errc::agency_closed));
    CHECK(mentions(verdict, errc::window_closed,
                   "the 60-day reactivation window, opened at 2024-01-01T00:00:00Z, closed at "
                   "2024-03-01T00:00:00Z"));
}

TEST_CASE("the pause maximum is the one the pause fixed", "[windows]") {
    World w(policies::callrail(), at("2020-09-01T00:00:00Z"));
    w.account("acme")
        .number("n1", "acme", "+14045550001")
        .grant("ann", Role::administrator, AccountId("acme"));
    REQUIRE((w.when(w.user("ann"), commands::PauseAccount{AccountId("acme"), clicked()})));
    const auto until = w.account_state("acme").pause_until;
    REQUIRE(until == at("2021-03-02T00:00:00Z"));
    w.policy.pause.maximum = Window::days(30);
    w.advance(days(60));
    CHECK(w.number_state("n1").status == NumberStatus::held);
    auto resumed = w.when(
        w.user("ann"), commands::ResumeAccount{AccountId("acme"), Confirmation{}.accept_terms()});
    REQUIRE(resumed);
    CHECK(w.number_state("n1").status == NumberStatus::active);
}

TEST_CASE("a held number keeps the forwarding destination saved at the pause", "[windows]") {
    World w(policies::callrail(), at("2020-09-01T00:00:00Z"));
    w.account("acme")
        .number("n1", "acme", "+14045550001")
        .grant("ann", Role::administrator, AccountId("acme"));
    REQUIRE((w.when(w.user("ann"), commands::PauseAccount{AccountId("acme"), clicked()})));

    const auto verdict =
        w.check(w.user("ann"), commands::ChangeForwarding{NumberId("n1"), phone("+14045550199")});
    INFO(details(verdict));
    CHECK(verdict.has(errc::invalid_state));
    CHECK(verdict.refusals.size() == 1);

    w.advance(days(10));
    REQUIRE(w.when(w.user("ann"),
                   commands::ResumeAccount{AccountId("acme"), Confirmation{}.accept_terms()}));
    CHECK(w.number_state("n1").forwarding_destination == phone("+14045550100"));
    const commands::ChangeForwarding after_resume{NumberId("n1"), phone("+14045550199")};
    CHECK(w.check(w.user("ann"), after_resume).is_allowed());
}
