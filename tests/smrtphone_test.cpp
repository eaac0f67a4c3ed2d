// smrtPhone (seed 003), against policies::smrtphone(): a permanent cancel, only by the account
// owner, behind a survey, a typed CONFIRM and an acknowledgement, blocked by a pending port-out.
// Every test reads "given these events, when this command, then these events or this error".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

using Names = std::vector<std::string>;

/// An account with two numbers and 12.34 USD of credit; olivia owns it, adam administers it.
World smrtphone_world() {
    World w(policies::smrtphone(), at("2024-05-01T00:00:00Z"));
    w.account("acme")
        .number("n1", "acme", "+14045550101")
        .number("n2", "acme", "+14045550102", NumberSource::offsite)
        .grant("olivia", Role::account_owner, acme)
        .grant("adam", Role("user"), acme)
        .credit("acme", 1'234);
    return w;
}

/// What the owner types and acknowledges in the cancelation box.
Confirmation typed_confirmation(std::string text) {
    Confirmation c;
    c.typed = std::move(text);
    c.acknowledged = {"unported_numbers_lost"};
    return c;
}

commands::CancelAccount cancel(Confirmation c = typed_confirmation("CONFIRM")) {
    return commands::CancelAccount{acme, std::move(c)};
}

/// The owner answers the survey with `outcome`.
void survey(World& w, SurveyOutcome outcome) {
    w.given(w.user("olivia"), commands::RecordSurvey{acme, outcome});
}

}  // namespace

TEST_CASE("cancel_account is the account owner's alone: an administrator is refused",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);

    auto by_admin = w.when(w.user("adam"), cancel());
    REQUIRE_FALSE(by_admin);
    CHECK(by_admin.error() == errc::permission_denied);
    const auto verdict = w.check(w.user("adam"), cancel());
    REQUIRE(verdict.refusals.size() == 1);
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("account_owner"));
    auto by_support = w.when(w.support, cancel());
    REQUIRE_FALSE(by_support);
    CHECK(by_support.error() == errc::permission_denied);
    auto by_stranger = w.when(w.user("eve"), cancel());
    REQUIRE_FALSE(by_stranger);
    CHECK(by_stranger.error() == errc::actor_out_of_scope);
    CHECK(w.account_state("acme").status == AccountStatus::active);

    CHECK(w.when(w.user("olivia"), cancel()));
}

TEST_CASE("cancel_account without a survey answer is refused: survey first", "[smrtphone]") {
    auto w = smrtphone_world();

    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::survey_required);
    CHECK(w.check(w.user("olivia"), cancel()).has(errc::survey_required));
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE("cancel_account after the survey said keep the account or book a meeting is refused",
          "[smrtphone]") {
    for (const auto outcome : {SurveyOutcome::keep_account, SurveyOutcome::book_meeting}) {
        INFO("survey outcome " << to_string(outcome));
        auto w = smrtphone_world();
        survey(w, outcome);
        CHECK(w.account_state("acme").survey == outcome);

        auto result = w.when(w.user("olivia"), cancel());

        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::survey_not_confirmed);
        const auto verdict = w.check(w.user("olivia"), cancel());
        REQUIRE(verdict.refusals.size() == 1);
        CHECK_THAT(verdict.refusals.front().detail,
                   Catch::Contains(std::string(to_string(outcome))));
        CHECK(w.account_state("acme").status == AccountStatus::active);
    }
}

TEST_CASE("cancel_account proceeds once the survey outcome is confirm", "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::book_meeting);
    survey(w, SurveyOutcome::confirm);

    CHECK(w.check(w.user("olivia"), cancel()).is_allowed());
    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE(result);
    CHECK(w.account_state("acme").status == AccountStatus::closed);
}

TEST_CASE("record_survey is the account owner's alone", "[smrtphone]") {
    auto w = smrtphone_world();

    auto by_admin = w.when(w.user("adam"), commands::RecordSurvey{acme, SurveyOutcome::confirm});
    REQUIRE_FALSE(by_admin);
    CHECK(by_admin.error() == errc::permission_denied);
    auto by_owner = w.when(w.user("olivia"), commands::RecordSurvey{acme, SurveyOutcome::confirm});
    REQUIRE(by_owner);
    CHECK(names(by_owner.value()) == Names{"survey_recorded"});
}

TEST_CASE("cancel_account needs CONFIRM typed exactly: other case, spaces or nothing are refused",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);

    for (const char* text : {"confirm", " CONFIRM", "CONFIRM ", "", "Confirm", "CONFIRMED"}) {
        INFO("typed '" << text << "'");
        auto result = w.when(w.user("olivia"), cancel(typed_confirmation(text)));
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::confirmation_mismatch);
        const auto verdict = w.check(w.user("olivia"), cancel(typed_confirmation(text)));
        REQUIRE(verdict.refusals.size() == 1);
        CHECK(verdict.refusals.front().code == errc::confirmation_mismatch);
        CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("CONFIRM"));
    }
    CHECK(w.account_state("acme").status == AccountStatus::active);
    CHECK(w.when(w.user("olivia"), cancel(typed_confirmation("CONFIRM"))));
}

TEST_CASE("cancel_account needs the acknowledgement that unported numbers are lost",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    Confirmation none;
    none.typed = "CONFIRM";
    Confirmation other = none;
    other.acknowledged = {"data_deleted"};

    for (const auto& c : {none, other}) {
        auto result = w.when(w.user("olivia"), cancel(c));
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::acknowledgement_missing);
        const auto verdict = w.check(w.user("olivia"), cancel(c));
        REQUIRE(verdict.refusals.size() == 1);
        CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("unported_numbers_lost"));
    }
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE("cancel_account: check reports every missing part at once", "[smrtphone]") {
    auto w = smrtphone_world();
    Confirmation c;
    c.typed = "confirm";

    const auto verdict = w.check(w.user("olivia"), cancel(c));

    REQUIRE(verdict.refusals.size() == 3);
    CHECK(verdict.refusals[0].code == errc::survey_required);
    CHECK(verdict.refusals[1].code == errc::confirmation_mismatch);
    CHECK(verdict.refusals[2].code == errc::acknowledgement_missing);
}

TEST_CASE("cancel_account is blocked while a number port-out is pending, naming the number",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), commands::StartPortOut{NumberId("n1")});
    CHECK(w.number_state("n1").status == NumberStatus::port_out_pending);

    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::port_out_pending);
    const auto verdict = w.check(w.user("olivia"), cancel());
    REQUIRE(verdict.refusals.size() == 1);
    CHECK(verdict.refusals.front().code == errc::port_out_pending);
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("+14045550101"));
    CHECK_THAT(verdict.refusals.front().detail, Catch::Contains("acme"));
    CHECK(w.account_state("acme").status == AccountStatus::active);
}

TEST_CASE(
    "complete_port_out is support's: the owner is refused, support completes it and the "
    "cancel proceeds without releasing the ported-out number",
    "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), commands::StartPortOut{NumberId("n1")});

    auto by_owner = w.when(w.user("olivia"), commands::CompletePortOut{NumberId("n1")});
    REQUIRE_FALSE(by_owner);
    CHECK(by_owner.error() == errc::support_only);
    auto by_support = w.when(w.support, commands::CompletePortOut{NumberId("n1")});
    REQUIRE(by_support);
    CHECK(names(by_support.value()) == Names{"port_out_completed"});
    CHECK(w.number_state("n1").status == NumberStatus::ported_out);

    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE(result);
    CHECK(count(result.value(), "number_released") == 1);
    const auto* released = find<events::NumberReleased>(result.value());
    REQUIRE(released);
    CHECK(released->number == NumberId("n2"));
    CHECK(w.number_state("n1").status == NumberStatus::ported_out);
    CHECK_FALSE(w.number_state("n1").released_at);
    CHECK(w.number_state("n2").status == NumberStatus::released);
}

TEST_CASE("abandon_port_out unblocks the cancel, and the number is then released with the rest",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), commands::StartPortOut{NumberId("n1")});

    auto abandoned = w.when(w.user("olivia"), commands::AbandonPortOut{NumberId("n1")});
    REQUIRE(abandoned);
    CHECK(names(abandoned.value()) == Names{"port_out_abandoned"});
    CHECK(w.number_state("n1").status == NumberStatus::active);

    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE(result);
    CHECK(count(result.value(), "number_released") == 2);
    CHECK(w.number_state("n1").status == NumberStatus::released);
}

TEST_CASE("start_port_out is the account owner's: an administrator is refused", "[smrtphone]") {
    auto w = smrtphone_world();

    auto result = w.when(w.user("adam"), commands::StartPortOut{NumberId("n1")});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::permission_denied);
    CHECK(w.number_state("n1").status == NumberStatus::active);
}

TEST_CASE(
    "cancel_account releases every number, purges the data, forfeits the credit, stops "
    "billing and closes the account at once",
    "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    const Time now = w.now;

    auto result = w.when(w.user("olivia"), cancel());

    REQUIRE(result);
    CHECK(names(result.value())
          == Names{"number_released", "number_released", "account_canceled", "billing_changed",
                   "data_purged", "balance_forfeited", "account_closed"});
    for (const auto& e : result.value()) CHECK(event_time(e) == now);
    const auto* canceled = find<events::AccountCanceled>(result.value());
    REQUIRE(canceled);
    CHECK(canceled->kind == CancelKind::cancel);
    CHECK_FALSE(canceled->reactivation_until);
    CHECK_FALSE(canceled->restore_until);
    const auto* billing = find<events::BillingChanged>(result.value());
    REQUIRE(billing);
    CHECK(billing->charges.empty());
    CHECK_FALSE(billing->final_usage_invoice);
    const auto* forfeited = find<events::BalanceForfeited>(result.value());
    REQUIRE(forfeited);
    CHECK(forfeited->owner == BalanceOwner{acme});
    CHECK(forfeited->amount == dollars(1'234));
    CHECK(count(result.value(), "balance_refundable") == 0);
    CHECK(count(result.value(), "data_purge_scheduled") == 0);

    const auto& a = w.account_state("acme");
    CHECK(a.status == AccountStatus::closed);
    CHECK(a.timeline.closed_at == now);
    CHECK(a.data == DataStatus::purged);
    CHECK(a.timeline.data_purged_at == now);
    CHECK(a.balance.status == BalanceStatus::forfeited);
    CHECK(a.balance.available.is_zero());
    CHECK(a.charges.empty());
    CHECK(w.number_state("n1").status == NumberStatus::released);
    CHECK(w.number_state("n2").status == NumberStatus::released);
    CHECK(w.state.deadlines.empty());
    CHECK(w.replays_to_same_state());
}

TEST_CASE("reactivate_account after a cancel is refused: smrtPhone never reactivates",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), cancel());
    CHECK(w.advance(days(1)).empty());

    for (const Actor& actor : {w.user("olivia"), w.support}) {
        INFO("actor " << actor.user);
        auto result = w.when(actor, commands::ReactivateAccount{acme, clicked()});
        REQUIRE_FALSE(result);
        CHECK(result.error() == errc::operation_not_offered);
        const auto verdict = w.check(actor, commands::ReactivateAccount{acme, clicked()});
        CHECK(verdict.has(errc::operation_not_offered));
        CHECK(verdict.has(errc::window_not_offered));
    }
    CHECK(w.account_state("acme").status == AccountStatus::closed);
}

TEST_CASE("request_refund after a cancel is refused: the credit was forfeited", "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), cancel());

    auto result = w.when(w.user("olivia"), commands::RequestRefund{acme});

    REQUIRE_FALSE(result);
    CHECK(result.error() == errc::operation_not_offered);
    const auto verdict = w.check(w.user("olivia"), commands::RequestRefund{acme});
    CHECK(verdict.has(errc::operation_not_offered));
    CHECK(verdict.has(errc::nothing_to_refund));
}

TEST_CASE("a canceled smrtPhone account is closed for good: every later command is refused",
          "[smrtphone]") {
    auto w = smrtphone_world();
    survey(w, SurveyOutcome::confirm);
    w.given(w.user("olivia"), cancel());

    auto again = w.when(w.user("olivia"), cancel());
    REQUIRE_FALSE(again);
    CHECK(again.error() == errc::account_closed);
    auto survey_again =
        w.when(w.user("olivia"), commands::RecordSurvey{acme, SurveyOutcome::keep_account});
    REQUIRE_FALSE(survey_again);
    CHECK(survey_again.error() == errc::account_closed);
    auto port = w.when(w.user("olivia"), commands::StartPortOut{NumberId("n2")});
    REQUIRE_FALSE(port);
    CHECK(port.error() == errc::account_closed);
}
