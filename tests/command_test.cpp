// Commands as a host writes them: a Confirmation in one expression, equal to the one built field
// by field, and accepted where each vendor's policy asks for exactly those parts. Every test
// reads "given these events, when this command, then these events or this error".
#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

TEST_CASE("a confirmation built in one expression equals the one built field by field",
          "[command]") {
    Confirmation by_fields;
    CHECK(Confirmation() == by_fields);
    by_fields.clicked = true;
    CHECK(Confirmation::click() == by_fields);
    by_fields.typed = "CONFIRM";
    by_fields.acknowledged = {"unported_numbers_lost", "data_purged"};
    by_fields.terms_accepted = true;
    by_fields.reasons = {"price", "moving in-house"};
    by_fields.billing_details_entered = true;
    CHECK(Confirmation::click()
              .type("CONFIRM")
              .acknowledge("unported_numbers_lost")
              .acknowledge("data_purged")
              .accept_terms()
              .because("price")
              .because("moving in-house")
              .enter_billing_details()
          == by_fields);
    // Order does not matter, only what was given; a phrase typed twice keeps the last.
    Confirmation unclicked = by_fields;
    unclicked.clicked = false;
    CHECK(Confirmation()
              .enter_billing_details()
              .because("price")
              .type("CANCEL")
              .accept_terms()
              .acknowledge("unported_numbers_lost")
              .type("CONFIRM")
              .acknowledge("data_purged")
              .because("moving in-house")
          == unclicked);
}

TEST_CASE("a verb on a named confirmation returns a new one and leaves the name alone",
          "[command]") {
    const Confirmation click = Confirmation::click();
    const Confirmation with_reason = click.because("price");
    CHECK(click == Confirmation::click());
    CHECK(with_reason.reasons == std::vector<std::string>{"price"});
    CHECK(with_reason.clicked);
    Confirmation typed = Confirmation().type("CONFIRM");
    const Confirmation acknowledged = typed.acknowledge("unported_numbers_lost");
    CHECK(typed.acknowledged.empty());
    CHECK(acknowledged.typed == "CONFIRM");
    CHECK(typed.accept_terms().terms_accepted);
    CHECK_FALSE(typed.terms_accepted);
    CHECK(typed.enter_billing_details().billing_details_entered);
    CHECK_FALSE(typed.billing_details_entered);
}

TEST_CASE("each vendor's confirmation, in one expression, is what its policy asks", "[command]") {
    SECTION("CTM: cancel_account is a click") {
        World w(policies::ctm());
        w.account("acme").grant("ann", Role::administrator, AccountId("acme"));
        const commands::CancelAccount unconfirmed{AccountId("acme"), {}};
        CHECK(w.check(w.user("ann"), unconfirmed).has(errc::confirmation_required));
        CHECK(w.when(w.user("ann"),
                     commands::CancelAccount{AccountId("acme"), Confirmation::click()}));
    }
    SECTION("CallRail: close_account is a click and a reason for leaving") {
        World w(policies::callrail());
        w.account("acme").grant("ann", Role::administrator, AccountId("acme"));
        const commands::CloseAccount click_only{AccountId("acme"), Confirmation::click()};
        CHECK(w.check(w.user("ann"), click_only).has(errc::reason_required));
        CHECK(w.when(w.user("ann"),
                     commands::CloseAccount{AccountId("acme"),
                                            Confirmation::click().because("too expensive")}));
    }
    SECTION("smrtPhone: cancel_account is a typed CONFIRM and an acknowledgement") {
        World w(policies::smrtphone());
        w.account("acme").grant("olivia", Role::account_owner, AccountId("acme"));
        w.given(w.user("olivia"),
                commands::RecordSurvey{AccountId("acme"), SurveyOutcome::confirm});
        const commands::CancelAccount typed_only{AccountId("acme"), Confirmation().type("CONFIRM")};
        CHECK(w.check(w.user("olivia"), typed_only).has(errc::acknowledgement_missing));
        CHECK(w.when(w.user("olivia"),
                     commands::CancelAccount{
                         AccountId("acme"),
                         Confirmation().type("CONFIRM").acknowledge("unported_numbers_lost")}));
    }
}
