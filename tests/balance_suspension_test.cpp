// Balance-driven suspension (issue 13): usage and renewal charges debit an account's balance, a
// balance under the policy's threshold suspends the account, and a recharge past it lifts the
// suspension. Suspension is a switch of its own: resuming calls or tracking never resumes what it
// holds off, and lifting it never resumes what another switch holds off. Rule by rule on the core,
// at each boundary (one cent under, at, over), then through the engine over both stores.
#include <calltrack/clock.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/replay.hpp>

#include "lifecycle_fixture.hpp"
#include "store_choice.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

// The unity build batches test files: everything here is in a namespace of its own.
namespace balance_suspension_test {

using namespace calltrack;
using calltrack::testing::acme;
using calltrack::testing::at;
using calltrack::testing::days;
using calltrack::testing::dollars;
using calltrack::testing::names;
using calltrack::testing::succeeded;
using calltrack::testing::usd;
using calltrack::testing::World;

using Names = std::vector<std::string>;

const NumberId n1("n1");
const NumberId n2("n2");

/// CTM's acme with numbers n1 (onsite dynamic) and n2, and `cents` of credit.
World ctm_with_credit(std::int64_t cents, Policy policy = policies::ctm()) {
    World w(std::move(policy));
    w.account("acme").number("n1", "acme", "+14045550101").number("n2", "acme", "+14045550102");
    if (cents != 0) w.credit("acme", cents);
    return w;
}

/// The effects the events give, each read against the state after it, as the engine reads them.
std::vector<HostEffect> effects_after(const World& w, const std::vector<Event>& events) {
    // The world has applied the events already; effects read phone numbers and switches, which
    // the events under test leave as the final state has them.
    std::vector<HostEffect> out;
    for (const auto& e : events) {
        for (auto& effect : effects_of(e, w.state)) out.push_back(std::move(effect));
    }
    return out;
}

Names kinds(const std::vector<HostEffect>& effects) {
    Names out;
    for (const auto& e : effects) out.emplace_back(to_string(e.kind));
    return out;
}

/// Twilio's rule, "a balance at or below zero suspends it", as an overlay on CTM's preset.
Policy twilio_like() {
    auto p = policy_from_json(R"({"extends": "ctm", "name": "at-or-below-zero",
        "balance": {"suspends": "at_or_below", "threshold": 0,
                    "releases_unpaid_renewals": false}})");
    REQUIRE(p);
    CHECK(p.value().balance.suspends == BalanceSuspension::at_or_below);
    return p.value();
}

TEST_CASE("a usage charge that takes the balance below zero suspends a CTM account",
          "[balance][suspension]") {
    SECTION("one cent short of zero suspends") {
        World w = ctm_with_credit(500);
        const auto events = succeeded(w.when(w.support, commands::ChargeUsage{acme, dollars(501)}));
        CHECK(names(events) == Names{"usage_charged", "suspended_for_balance"});
        const auto& a = w.account_state("acme");
        CHECK(a.balance.available == dollars(-1));
        CHECK(a.suspended_for_balance_at == std::optional<Time>(w.now));
        CHECK(a.is_suspended_for_balance());
        // The other switches are untouched: suspension is its own.
        CHECK_FALSE(a.are_calls_stopped);
        CHECK_FALSE(a.is_tracking_paused);
        CHECK(a.status == AccountStatus::active);
        CHECK(std::get<events::SuspendedForBalance>(events.back()).balance == dollars(-1));
        CHECK(kinds(effects_after(w, events)) == Names{"stop_routing_calls", "stop_swapping"});
    }
    SECTION("exactly zero is not below zero") {
        World w = ctm_with_credit(500);
        const auto events = succeeded(w.when(w.support, commands::ChargeUsage{acme, dollars(500)}));
        CHECK(names(events) == Names{"usage_charged"});
        CHECK(w.account_state("acme").balance.available == dollars(0));
        CHECK_FALSE(w.account_state("acme").is_suspended_for_balance());
    }
    SECTION("a cent left over is in service") {
        World w = ctm_with_credit(500);
        const auto events = succeeded(w.when(w.support, commands::ChargeUsage{acme, dollars(499)}));
        CHECK(names(events) == Names{"usage_charged"});
        CHECK(w.account_state("acme").balance.available == dollars(1));
    }
}

TEST_CASE("a rule that suspends at or below its threshold suspends at zero, and at opening",
          "[balance][suspension]") {
    World w(twilio_like());
    // A new account has no credit: at zero it is suspended until its first credit.
    w.account("acme");
    CHECK(names(w.history) == Names{"account_opened", "suspended_for_balance"});
    CHECK(w.account_state("acme").is_suspended_for_balance());

    const auto credited = succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(1)}));
    CHECK(names(credited) == Names{"balance_adjusted", "suspension_lifted"});
    CHECK_FALSE(w.account_state("acme").is_suspended_for_balance());
    CHECK(w.account_state("acme").timeline.suspension_lifted_at == std::optional<Time>(w.now));
    CHECK(kinds(effects_after(w, credited)) == Names{"resume_routing_calls", "resume_swapping"});

    // Down to exactly zero suspends under this rule, where CTM's would not.
    const auto charged = succeeded(w.when(w.support, commands::ChargeUsage{acme, dollars(1)}));
    CHECK(names(charged) == Names{"usage_charged", "suspended_for_balance"});
}

TEST_CASE("a recharge lifts the suspension only once the balance is back at the threshold",
          "[balance][suspension]") {
    World w = ctm_with_credit(0);
    w.given(commands::ChargeUsage{acme, dollars(300)});
    REQUIRE(w.account_state("acme").is_suspended_for_balance());
    const Time suspended_at = *w.account_state("acme").suspended_for_balance_at;

    w.now += days(1);
    // Still one cent under: a credit that leaves it below zero lifts nothing.
    const auto short_of = succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(299)}));
    CHECK(names(short_of) == Names{"balance_adjusted"});
    CHECK(w.account_state("acme").suspended_for_balance_at == std::optional<Time>(suspended_at));

    // The last cent brings it to zero, which CTM's rule does not suspend.
    const auto lifted = succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(1)}));
    CHECK(names(lifted) == Names{"balance_adjusted", "suspension_lifted"});
    CHECK(std::get<events::SuspensionLifted>(lifted.back()).balance == dollars(0));
    CHECK_FALSE(w.account_state("acme").is_suspended_for_balance());
    CHECK(w.replays_to_same_state());
}

TEST_CASE("a debit through adjust_balance suspends as a charge does", "[balance][suspension]") {
    World w = ctm_with_credit(100);
    const auto events = succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(-101)}));
    CHECK(names(events) == Names{"balance_adjusted", "suspended_for_balance"});
}

TEST_CASE("suspension is a switch of its own: no other resume lifts what it holds off",
          "[balance][suspension]") {
    World w = ctm_with_credit(0);
    w.grant("ann", Role::administrator, acme);
    const Actor ann = w.user("ann");
    w.given(ann, commands::PauseTracking{acme, std::nullopt, Confirmation::click()});
    w.given(ann, commands::StopCalls{acme, std::nullopt, Confirmation::click()});
    w.given(commands::ChargeUsage{acme, dollars(50)});
    REQUIRE(w.account_state("acme").is_suspended_for_balance());

    SECTION("resuming calls and tracking while suspended routes and swaps nothing") {
        const auto calls = succeeded(
            w.when(ann, commands::ResumeCalls{acme, std::nullopt, Confirmation::click()}));
        CHECK(names(calls) == Names{"calls_resumed"});
        CHECK(kinds(effects_after(w, calls)).empty());
        const auto tracking = succeeded(
            w.when(ann, commands::ResumeTracking{acme, std::nullopt, Confirmation::click()}));
        CHECK(kinds(effects_after(w, tracking)).empty());
        CHECK(w.account_state("acme").is_suspended_for_balance());

        // The recharge then brings back both, as nothing else holds them off any more.
        const auto lifted =
            succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(50)}));
        CHECK(kinds(effects_after(w, lifted)) == Names{"resume_routing_calls", "resume_swapping"});
    }
    SECTION("a recharge while calls are stopped and tracking paused resumes neither") {
        const auto lifted =
            succeeded(w.when(w.support, commands::AdjustBalance{acme, dollars(50)}));
        CHECK(names(lifted) == Names{"balance_adjusted", "suspension_lifted"});
        CHECK(kinds(effects_after(w, lifted)).empty());
        const auto& a = w.account_state("acme");
        CHECK(a.are_calls_stopped);
        CHECK(a.is_tracking_paused);

        // Resuming calls then routes them, and swapping stays off for the paused tracking code.
        const auto calls = succeeded(
            w.when(ann, commands::ResumeCalls{acme, std::nullopt, Confirmation::click()}));
        CHECK(kinds(effects_after(w, calls)) == Names{"resume_routing_calls"});
    }
    CHECK(w.replays_to_same_state());
}

TEST_CASE("a renewal the balance cannot pay releases its numbers under CTM's rule",
          "[balance][renewal]") {
    SECTION("one cent short: the numbers are released and nothing is debited") {
        World w = ctm_with_credit(299);
        const auto events =
            succeeded(w.when(w.support, commands::ChargeRenewal{acme, {n1, n2}, dollars(300)}));
        CHECK(names(events) == Names{"renewal_unpaid", "number_released", "number_released"});
        CHECK(w.account_state("acme").balance.available == dollars(299));
        CHECK_FALSE(w.account_state("acme").is_suspended_for_balance());
        CHECK(w.number_state("n1").status == NumberStatus::released);
        CHECK(w.number_state("n2").status == NumberStatus::released);
        CHECK(kinds(effects_after(w, events)) == Names{"release_number", "release_number"});
    }
    SECTION("exactly enough: renewed, and the balance is zero") {
        World w = ctm_with_credit(300);
        const auto events =
            succeeded(w.when(w.support, commands::ChargeRenewal{acme, {n1, n2}, dollars(300)}));
        CHECK(names(events) == Names{"renewal_charged"});
        CHECK(w.account_state("acme").balance.available == dollars(0));
        CHECK(w.number_state("n1").status == NumberStatus::active);
    }
    SECTION("an account already suspended loses the numbers due, and stays suspended") {
        World w = ctm_with_credit(0);
        w.given(commands::ChargeUsage{acme, dollars(10)});
        const auto events =
            succeeded(w.when(w.support, commands::ChargeRenewal{acme, {n2}, dollars(100)}));
        CHECK(names(events) == Names{"renewal_unpaid", "number_released"});
        CHECK(w.account_state("acme").is_suspended_for_balance());
        CHECK(w.number_state("n1").status == NumberStatus::active);
    }
}

TEST_CASE("smrtPhone debits an unpaid renewal and suspends, keeping the numbers",
          "[balance][renewal]") {
    World w(policies::smrtphone());
    w.account("acme").number("n1", "acme", "+14045550101");
    w.credit("acme", 100);
    const auto events =
        succeeded(w.when(w.support, commands::ChargeRenewal{acme, {n1}, dollars(101)}));
    CHECK(names(events) == Names{"renewal_charged", "suspended_for_balance"});
    CHECK(w.account_state("acme").balance.available == dollars(-1));
    CHECK(w.number_state("n1").status == NumberStatus::active);
}

TEST_CASE("CallRail's balance never suspends: below zero is debt", "[balance][suspension]") {
    World w(policies::callrail());
    w.account("acme");
    const auto events = succeeded(w.when(w.support, commands::ChargeUsage{acme, dollars(5000)}));
    CHECK(names(events) == Names{"usage_charged"});
    CHECK(w.account_state("acme").balance.available == dollars(-5000));
    CHECK_FALSE(w.account_state("acme").is_suspended_for_balance());
}

TEST_CASE("charges are refused with a reason a person can act on", "[balance][refusals]") {
    World w = ctm_with_credit(1000);
    const auto first_code = [&](const Actor& actor, const Command& c) {
        const auto verdict = w.check(actor, c);
        REQUIRE_FALSE(verdict.refusals.empty());
        return verdict.refusals.front().code;
    };
    CHECK(first_code(w.support, commands::ChargeUsage{acme, dollars(0)}) == errc::invalid_amount);
    CHECK(first_code(w.support, commands::ChargeUsage{acme, dollars(-5)}) == errc::invalid_amount);
    CHECK(
        first_code(w.support, commands::ChargeUsage{acme, Money(5, Currency::parse("EUR").value())})
        == errc::currency_mismatch);
    CHECK(first_code(w.support, commands::ChargeRenewal{acme, {}, dollars(5)})
          == errc::unknown_number);
    CHECK(first_code(w.support, commands::ChargeRenewal{acme, {NumberId("nope")}, dollars(5)})
          == errc::unknown_number);
    CHECK(first_code(w.support, commands::ChargeRenewal{acme, {n1, n1}, dollars(5)})
          == errc::already_in_state);
    // The account's own administrator does not post the host's billing: the platform does.
    w.grant("ann", Role::administrator, acme);
    CHECK(first_code(w.user("ann"), commands::ChargeUsage{acme, dollars(5)}) == errc::support_only);
    // A canceled account is charged nothing more.
    w.given(w.user("ann"), commands::CancelAccount{acme, Confirmation::click()});
    CHECK(first_code(w.support, commands::ChargeUsage{acme, dollars(5)}) == errc::invalid_state);
}

TEST_CASE("the balance rule reads, writes and validates as policy data", "[balance][policy]") {
    const Policy ctm = policies::ctm();
    CHECK(ctm.balance.suspends == BalanceSuspension::below);
    CHECK(ctm.balance.releases_unpaid_renewals);
    auto back = policy_from_json(policy_to_json(ctm));
    REQUIRE(back);
    CHECK(back.value() == ctm);

    // A document written before balances could suspend has no "balance" and no charges: it reads
    // with no suspension and the charges not offered.
    auto old_json = nlohmann::json::parse(policy_to_json(ctm));
    old_json.erase("balance");
    old_json["operations"].erase("charge_usage");
    old_json["operations"].erase("charge_renewal");
    auto old = policy_from_json(old_json.dump());
    REQUIRE(old);
    CHECK(old.value().balance == BalanceRule{});
    CHECK_FALSE(old.value().rule(Operation::charge_usage).offered);

    Policy contradictory = ctm;
    contradictory.balance.suspends = BalanceSuspension::never;
    PolicyDiagnostic why;
    auto refused = policy_from_json(policy_to_json(contradictory), &why);
    REQUIRE_FALSE(refused);
    CHECK(why.field == "balance.releases_unpaid_renewals");
}

// --- through the engine, over both stores ----------------------------------------------------

TEST_CASE("the engine suspends, stores and lifts a balance suspension over both stores",
          "[balance][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    const auto owned = calltrack::testing::memory_or_sqlite_store(sqlite);
    Store* const store = owned.get();
    const Time t0 = at("2024-03-01T09:00:00Z");
    ManualClock clock(t0);
    Engine engine(policies::ctm(), clock, *store);
    const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
    for (const Command& step : std::vector<Command>{
             commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()},
             commands::AddTrackingNumber{n1, acme, calltrack::testing::phone("+14045550101"),
                                         calltrack::testing::phone("+14045550100"),
                                         NumberSource::onsite_dynamic},
             commands::AdjustBalance{acme, dollars(200)}}) {
        REQUIRE(engine.execute(support, step));
    }
    REQUIRE(clock.advance(boost::posix_time::hours(1)));
    auto charged = engine.execute(support, commands::ChargeUsage{acme, dollars(250)});
    REQUIRE(charged);
    CHECK(names(charged.value().events) == Names{"usage_charged", "suspended_for_balance"});
    CHECK(kinds(charged.value().effects) == Names{"stop_routing_calls", "stop_swapping"});
    auto record = engine.account(acme).value();
    REQUIRE(record);
    CHECK(record->suspended_for_balance_at
          == std::optional<Time>(t0 + boost::posix_time::hours(1)));
    CHECK(record->balance.available == dollars(-50));

    REQUIRE(clock.advance(days(2)));
    auto recharged = engine.execute(support, commands::AdjustBalance{acme, dollars(50)});
    REQUIRE(recharged);
    CHECK(names(recharged.value().events) == Names{"balance_adjusted", "suspension_lifted"});
    CHECK(kinds(recharged.value().effects) == Names{"resume_routing_calls", "resume_swapping"});
    record = engine.account(acme).value();
    CHECK_FALSE(record->is_suspended_for_balance());

    // The stored log alone rebuilds the record, and as of the suspension it was suspended.
    auto now_state = replay(*store, std::nullopt);
    REQUIRE(now_state);
    CHECK(now_state.value().accounts.at(acme) == *record);
    auto then = replay(*store, t0 + boost::posix_time::hours(1));
    REQUIRE(then);
    CHECK(then.value().accounts.at(acme).is_suspended_for_balance());
    auto just_before =
        replay(*store, t0 + boost::posix_time::hours(1) - boost::posix_time::seconds(1));
    REQUIRE(just_before);
    CHECK_FALSE(just_before.value().accounts.at(acme).is_suspended_for_balance());
}

}  // namespace balance_suspension_test
