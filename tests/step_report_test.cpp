// What the program's runner and timeline say about a step (tools/calltrack): the target it acts
// on, the phone numbers behind the ids an event names, the charges after it, and a run that plays
// on past a missed expectation (as compare runs).
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include "step_subject.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>

#include "pause_resume_scenario.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::cli;
using calltrack::testing::pause_met;
using calltrack::testing::pause_resume_scenario;
using calltrack::testing::pause_unmet;

namespace {

Scenario step_report_parse(const std::string& text) {
    ScenarioDiagnostic d;
    auto s = parse_scenario(text, &d);
    INFO(to_string(d));
    REQUIRE(s);
    return std::move(s).value();
}

const StepReport& step_numbered(const RunReport& report, const std::string& label) {
    for (const auto& r : report.steps) {
        if (r.label == label) return r;
    }
    FAIL("no " << label);
    return report.steps.front();
}

}  // namespace

// --- what a step is about ----------------------------------------------------------------------

TEST_CASE("step_subject: each command's target, owner and number") {
    const NumberId web("web");
    const Command restore = commands::RestoreNumber{web};
    CHECK(target_of(restore) == "web");
    CHECK_FALSE(owner_of(restore));
    CHECK(number_of(restore) == web);
    const Command reactivate = commands::ReactivateAccount{AccountId("acme-dental"), {}};
    CHECK(target_of(reactivate) == "acme-dental");
    CHECK(owner_of(reactivate) == BalanceOwner{AccountId("acme-dental")});
    const Command pause_one = commands::PauseTracking{AccountId("acme"), web, {}};
    CHECK(target_of(pause_one) == "acme number web");
    CHECK(owner_of(pause_one) == BalanceOwner{AccountId("acme")});
    CHECK_FALSE(number_of(pause_one));
    CHECK(target_of(commands::CancelAgency{AgencyId("umbrella"), {}}) == "umbrella");
    CHECK(target_of(commands::RequestRefund{BalanceOwner{AgencyId("umbrella")}})
          == "agency umbrella");
    CHECK(target_of(commands::RequestTransfer{AccountId("acme"), AgencyId("beta")})
          == "acme to beta");
    const Command grant =
        commands::GrantRole{UserId("ann"), RoleGrant{Role::administrator, AccountId("acme")}};
    CHECK(target_of(grant) == "ann administrator@account acme");
    CHECK_FALSE(owner_of(grant));
}

TEST_CASE("timeline: a step names its target, and a held number its phone number and destination") {
    const Scenario s = step_report_parse(pause_resume_scenario(pause_met));
    InMemoryStore store;
    auto report = run_scenario(s, policies::callrail(), store);
    INFO(report_to_json(report));
    REQUIRE(report.ok());
    report.source = "pause.json";
    std::ostringstream out;
    print_timeline(out, report);
    const std::string text = out.str();
    INFO(text);
    CHECK_THAT(text, Catch::Contains("step 2  2020-09-03T10:00:00Z  ann: pause_account acme\n"));
    CHECK_THAT(text, Catch::Contains("support: add_tracking_number print\n"));
    CHECK_THAT(
        text,
        Catch::Contains(
            "  event     numbers_held account=acme numbers=print, web at=2020-09-03T10:00:00Z\n"
            "            print +14045550102 -> +14045550199, web +14045550101 -> "
            "+14045550199\n"));
    CHECK_THAT(text, Catch::Contains("plan_restored account=acme plan=Pro at="));
    CHECK(nlohmann::json::parse(report_to_json(report))["steps"][4]["target"] == "acme");
}

// --- running on, and the charges after ----------------------------------------------------------

TEST_CASE("runner: charges after a step are its target's, then every owner billed anew") {
    const Scenario s = step_report_parse(pause_resume_scenario(pause_met));
    InMemoryStore store;
    const auto report = run_scenario(s, policies::callrail(), store);
    REQUIRE(report.ok());
    const auto& grant = step_numbered(report, "step 1");
    CHECK(grant.target == "ann administrator@account acme");
    CHECK(grant.charges_after.empty());  // a grant acts on no one's billing
    const auto& paused = step_numbered(report, "step 2");
    REQUIRE(paused.charges_after.size() == 1);
    CHECK(paused.charges_after[0].owner == BalanceOwner{AccountId("acme")});
    CHECK(paused.charges_after[0].charges == Charges{Charge::hold_fee});
}

TEST_CASE("runner: keep_going plays every step past a missed expectation, and keeps the first") {
    const Scenario s = step_report_parse(pause_resume_scenario(pause_unmet));
    RunOptions options;
    options.keep_going = true;
    InMemoryStore store;
    const auto report = run_scenario(s, policies::ctm(), store, options);
    REQUIRE_FALSE(report.ok());
    CHECK(report.failure->location == "step 2");
    CHECK_THAT(report.failure->message, Catch::StartsWith("expected ok, but it was refused"));
    CHECK(step_numbered(report, "step 3").unmet.empty());  // played, and met
    CHECK_FALSE(step_numbered(report, "step 2").unmet.empty());

    InMemoryStore again;
    const auto stopped = run_scenario(s, policies::ctm(), again);  // as `run` does
    CHECK(stopped.steps.back().label == "step 2");
}
