// Windows of local calendar days, rule by rule, in the pure core: given an account with a time
// zone, when a command opens a window, then its stored end is local midnight in that zone, and
// the rule allows one second before it, refuses at it and after it. Each expected end was worked
// out by hand from the zone's rules (time_zone_test.cpp has the arithmetic itself); the policy
// is CTM's (and CallRail's pause) with every window counted in local days.
#include <calltrack/decide.hpp>
#include <calltrack/json.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/time_zone.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

/// CTM with its windows in local days: reactivation, retention and refund 3, restore 1,
/// transfer approval 2; and CallRail's account pause with a maximum of 2 local days.
Policy ctm_in_local_days() {
    Policy p = policies::ctm();
    for (CancellationRule* rule : {&p.standalone, &p.sub_account, &p.agency}) {
        rule->reactivation_window = Window::local_days(3);
        rule->data_retention = Window::local_days(3);
        rule->refund_window = Window::local_days(3);
        rule->number_restore_window = Window::local_days(1);
    }
    p.transfer.approval_window = Window::local_days(2);
    p.rule(Operation::pause_account) = p.rule(Operation::pause_tracking);
    p.rule(Operation::resume_account) = p.rule(Operation::resume_tracking);
    p.pause = policies::callrail().pause;
    p.pause.maximum = Window::local_days(2);
    return p;
}

const Actor local_admin{UserId("ada"), {RoleGrant{Role::administrator, acme}}};

/// acme, standalone, in `zone`, with a number and a balance, opened before `now`.
World& open_acme(World& w, const char* zone) {
    w.given(commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd(), TimeZone(zone)});
    w.number("n1", "acme", "+14045550101");
    w.credit("acme", 5'000);
    return w.grant("ada", Role::administrator, acme);
}

const boost::posix_time::time_duration one_second = boost::posix_time::seconds(1);

}  // namespace

TEST_CASE("a cancel in New York before spring-forward: every window ends at local midnight",
          "[local_days][cancel]") {
    // Friday 8 March 2024, 15:00 EST; clocks spring forward on Sunday the 10th.
    World w(ctm_in_local_days(), at("2024-03-08T20:00:00Z"));
    open_acme(w, "America/New_York");
    const auto events = succeeded(w.when(local_admin, commands::CancelAccount{acme, clicked()}));
    const auto* canceled = find<events::AccountCanceled>(events);
    REQUIRE(canceled != nullptr);
    // Midnight EDT starting Tuesday 12 March: 3 local days, 80 hours of clock time, 79 elapsed.
    const Time end = at("2024-03-12T04:00:00Z");
    CHECK(canceled->reactivation_until == end);
    // One local day: midnight starting the 10th is still EST.
    CHECK(canceled->restore_until == at("2024-03-10T05:00:00Z"));
    const auto* purge = find<events::DataPurgeScheduled>(events);
    REQUIRE(purge != nullptr);
    CHECK(purge->purge_at == end);
    const auto* refundable = find<events::BalanceRefundable>(events);
    REQUIRE(refundable != nullptr);
    CHECK(refundable->until == end);
    CHECK(w.account_state("acme").reactivation_until == end);

    SECTION("reactivation: one second before, at, after") {
        w.advance_to(end - one_second);
        CHECK(w.check(local_admin, commands::ReactivateAccount{acme, clicked()}).is_allowed());
        CHECK(w.account_state("acme").status == AccountStatus::canceled);
        const auto fired = w.advance_to(end);
        CHECK(count(fired, "account_closed") == 1);
        CHECK(count(fired, "data_purged") == 1);
        CHECK(count(fired, "balance_forfeited") == 1);
        CHECK(w.check(local_admin, commands::ReactivateAccount{acme, clicked()})
                  .has(errc::window_closed));
        w.advance_to(end + one_second);
        CHECK(w.check(local_admin, commands::ReactivateAccount{acme, clicked()})
                  .has(errc::window_closed));
        CHECK(w.replays_to_same_state());
    }
    SECTION("refund: one second before, at, after") {
        w.advance_to(end - one_second);
        CHECK(w.check(local_admin, commands::RequestRefund{acme}).is_allowed());
        w.advance_to(end);
        CHECK_FALSE(w.check(local_admin, commands::RequestRefund{acme}).is_allowed());
        w.advance_to(end + one_second);
        CHECK_FALSE(w.check(local_admin, commands::RequestRefund{acme}).is_allowed());
    }
    SECTION("number restore: one second before, at, after") {
        // A number is restored on an active account, so the account comes back first.
        const Time restore_end = at("2024-03-10T05:00:00Z");
        const long offset = GENERATE(-1L, 0L, 1L);
        w.advance_to(restore_end + boost::posix_time::seconds(offset));
        succeeded(w.when(local_admin, commands::ReactivateAccount{acme, clicked()}));
        const Verdict restore = w.check(local_admin, commands::RestoreNumber{NumberId("n1")});
        if (offset < 0) {
            CHECK(restore.is_allowed());
        } else {
            // CTM's support may still try at carrier level; the administrator no longer may.
            CHECK(restore.has(errc::support_only));
        }
    }
}

TEST_CASE("a cancel in London across both of its changes", "[local_days][cancel]") {
    // BST starts 31 March 2024: midnight starting 2 April is 23:00Z on the 1st.
    World spring(ctm_in_local_days(), at("2024-03-29T12:00:00Z"));
    open_acme(spring, "Europe/London");
    succeeded(spring.when(local_admin, commands::CancelAccount{acme, clicked()}));
    CHECK(spring.account_state("acme").reactivation_until == at("2024-04-01T23:00:00Z"));
    CHECK(count(spring.advance_to(at("2024-04-01T22:59:59Z")), "account_closed") == 0);
    CHECK(count(spring.advance_to(at("2024-04-01T23:00:00Z")), "account_closed") == 1);
    // BST ends 27 October: midnight starting the 29th is 00:00Z.
    World fall(ctm_in_local_days(), at("2024-10-25T12:00:00Z"));
    open_acme(fall, "Europe/London");
    succeeded(fall.when(local_admin, commands::CancelAccount{acme, clicked()}));
    CHECK(fall.account_state("acme").reactivation_until == at("2024-10-29T00:00:00Z"));
    CHECK(count(fall.advance_to(at("2024-10-28T23:59:59Z")), "account_closed") == 0);
    CHECK(count(fall.advance_to(at("2024-10-29T00:00:00Z")), "account_closed") == 1);
}

TEST_CASE("the pause maximum in local days across New York's fall-back", "[local_days][pause]") {
    // Friday 1 November 2024, 15:00 EDT; clocks fall back on Sunday the 3rd. Two local days end
    // at midnight EST starting the 4th: 05:00Z.
    World w(ctm_in_local_days(), at("2024-11-01T19:00:00Z"));
    open_acme(w, "America/New_York");
    const auto events = succeeded(w.when(local_admin, commands::PauseAccount{acme, clicked()}));
    const auto* paused = find<events::AccountPaused>(events);
    REQUIRE(paused != nullptr);
    const Time end = at("2024-11-04T05:00:00Z");
    CHECK(paused->pause_until == end);
    CHECK(w.advance_to(end - one_second).empty());
    CHECK(count(w.advance_to(end), "pause_maximum_reached") == 1);
    CHECK(w.advance_to(end + one_second).empty());
}

TEST_CASE("a sub-account counts days in its agency's zone unless it has its own",
          "[local_days][agency]") {
    World w(ctm_in_local_days(), at("2024-03-29T12:00:00Z"));
    w.given(commands::CreateAgency{AgencyId("g"), usd(), TimeZone("Europe/London")});
    w.given(commands::CreateAgency{AgencyId("h"), usd()});
    w.account("inherits", "g");
    w.given(commands::OpenAccount{AccountId("own"), AgencyId("g"), Plan{"Pro", {}}, usd(),
                                  TimeZone("Asia/Kathmandu")});
    w.account("utc", "h");
    CHECK(w.agency_state("g").time_zone == TimeZone("Europe/London"));
    CHECK(w.account_state("inherits").time_zone == std::nullopt);
    w.grant("ana", Role::agency_administrator, AgencyId("g"));
    w.grant("ana", Role::agency_administrator, AgencyId("h"));
    for (const char* id : {"inherits", "own", "utc"}) {
        succeeded(w.when(w.user("ana"), commands::CloseSubAccount{AccountId(id), clicked()}));
    }
    CHECK(w.account_state("inherits").reactivation_until == at("2024-04-01T23:00:00Z"));
    // Kathmandu: 17:45 on the 29th; midnight (+05:45) starting 2 April.
    CHECK(w.account_state("own").reactivation_until == at("2024-04-01T18:15:00Z"));
    CHECK(w.account_state("utc").reactivation_until == at("2024-04-02T00:00:00Z"));
    CHECK(zone_of(w.state, w.account_state("inherits")) == TimeZone("Europe/London"));
    CHECK(zone_of(w.state, w.account_state("utc")) == TimeZone());
}

TEST_CASE("a transfer's approval window in local days, at a non-hour offset",
          "[local_days][transfer]") {
    // 01:45 on 2 June in Kathmandu (+05:45); two local days end at midnight starting the 5th.
    World w(ctm_in_local_days(), at("2024-06-01T20:00:00Z"));
    w.given(commands::CreateAgency{AgencyId("from"), usd(), TimeZone("Asia/Kathmandu")});
    w.agency("to");
    w.account("sub", "from");
    w.grant("ana", Role::agency_administrator, AgencyId("from"));
    w.grant("tom", Role::agency_administrator, AgencyId("to"));
    const auto events = succeeded(
        w.when(w.user("ana"), commands::RequestTransfer{AccountId("sub"), AgencyId("to")}));
    const auto* requested = find<events::TransferRequested>(events);
    REQUIRE(requested != nullptr);
    const Time end = at("2024-06-04T18:15:00Z");
    CHECK(requested->expires_at == end);
    w.advance_to(end - one_second);
    CHECK(w.check(w.user("tom"), commands::ApproveTransfer{AccountId("sub")}).is_allowed());
    CHECK(count(w.advance_to(end), "transfer_expired") == 1);
    CHECK_FALSE(w.check(w.user("tom"), commands::ApproveTransfer{AccountId("sub")}).is_allowed());
    w.advance_to(end + one_second);
    CHECK_FALSE(w.check(w.user("tom"), commands::ApproveTransfer{AccountId("sub")}).is_allowed());
}

TEST_CASE("exact days stay 24-hour days in a zone", "[local_days][cancel]") {
    // CTM's own windows are exact days: 60 x 24 h from the cancel, DST or not.
    World w(policies::ctm(), at("2024-03-08T20:00:00Z"));
    open_acme(w, "America/New_York");
    succeeded(w.when(local_admin, commands::CancelAccount{acme, clicked()}));
    CHECK(w.account_state("acme").reactivation_until == at("2024-03-08T20:00:00Z") + days(60));
    CHECK(w.account_state("acme").restore_until == at("2024-03-08T20:00:00Z") + days(14));
}

TEST_CASE("the zone travels with the account and its commands as JSON", "[local_days][json]") {
    const Command open = commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd(),
                                               TimeZone("Europe/London")};
    const std::string text = to_json(open);
    CHECK(text.find("\"time_zone\":\"Europe/London\"") != std::string::npos);
    const auto back = command_from_json(text);
    REQUIRE(back);
    CHECK(back.value() == open);
    // Without a zone the key is left out, so documents written before zones read the same.
    const Command plain = commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()};
    CHECK(to_json(plain).find("time_zone") == std::string::npos);

    World w(ctm_in_local_days(), at("2024-03-08T20:00:00Z"));
    open_acme(w, "America/New_York");
    const Account& account = w.account_state("acme");
    const auto read = account_from_json(to_json(account));
    REQUIRE(read);
    CHECK(read.value() == account);
    CHECK(read.value().time_zone == TimeZone("America/New_York"));

    JsonDiagnostic why;
    const auto bad = command_from_json(
        R"({"command":"create_agency","agency":"g","currency":"USD","time_zone":"Mars/Olympus"})",
        &why);
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == errc::json_invalid_field);
    CHECK(why.field == "time_zone");
    CHECK(why.problem.find("Mars/Olympus") != std::string::npos);
}

TEST_CASE("a policy reads, writes, validates and diffs windows of local days",
          "[local_days][policy]") {
    const Policy local = ctm_in_local_days();
    const auto round_trip = policy_from_json(policy_to_json(local));
    REQUIRE(round_trip);
    CHECK(round_trip.value() == local);
    CHECK(policy_to_json(local).find(R"("local_days": 3)") != std::string::npos);

    PolicyDiagnostic why;
    const auto overlay = policy_from_json(
        R"({"extends":"ctm","name":"local","cancellation":{"standalone":{"reactivation_window":{"local_days":30},)"
        R"("data_retention":{"local_days":60}}}})",
        &why);
    INFO(why.field << ": " << why.problem);
    REQUIRE(overlay);
    CHECK(overlay.value().standalone.reactivation_window == Window::local_days(30));
    CHECK(overlay.value().standalone.data_retention == Window::local_days(60));

    const auto mixed = policy_from_json(
        R"({"extends":"ctm","name":"local","cancellation":{"standalone":{"reactivation_window":{"local_days":30}}}})",
        &why);
    REQUIRE_FALSE(mixed);
    CHECK(mixed.error() == errc::policy_contradictory);
    CHECK(why.field == "cancellation.standalone.reactivation_window");

    const auto negative = policy_from_json(
        R"({"extends":"ctm","name":"local","transfer":{"approval_window":{"local_days":-1}}})",
        &why);
    REQUIRE_FALSE(negative);
    CHECK(negative.error() == errc::policy_invalid_value);
    CHECK(why.field == "transfer.approval_window.local_days");

    const auto both = policy_from_json(
        R"({"extends":"ctm","name":"local","transfer":{"approval_window":{"days":1,"local_days":1}}})",
        &why);
    REQUIRE_FALSE(both);
    CHECK(why.field.find("transfer.approval_window") == 0);

    Policy one = policies::ctm();
    one.transfer.approval_window = Window::local_days(14);
    const auto differences = policy_diff(policies::ctm(), one);
    REQUIRE(differences.size() == 1);
    CHECK(differences.front().field == "transfer.approval_window");
    CHECK(differences.front().a == R"({"days":14})");
    CHECK(differences.front().b == R"({"local_days":14})");
}
