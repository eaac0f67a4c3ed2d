// The scenario runner's pieces (tools/calltrack): the parser, the runner, the printers and the
// command line as a function.
#include "scenario.hpp"
#include "cli.hpp"
#include "report.hpp"
#include "runner.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace calltrack;
using namespace calltrack::cli;
using calltrack::testing::names;
using calltrack::testing::phone;

namespace {

/// A standalone account "solo" with an onsite and an offsite number, a balance, and its
/// administrator sam; `policy` is the JSON of the "policy" key (empty: none).
std::string solo(const std::string& steps, const std::string& policy = R"("ctm")") {
    return "{" + (policy.empty() ? std::string() : "\"policy\": " + policy + ",") + R"(
  "start": "2024-03-01T09:00:00Z",
  "actors": {"sam": [{"role": "administrator", "scope": {"account": "solo"}}]},
  "setup": [
    {"command": "open_account", "account": "solo", "plan": {"name": "Starter", "add_ons": []}, "currency": "USD"},
    {"command": "add_tracking_number", "number": "web", "account": "solo", "phone_number": "+14045550101", "forwarding_destination": "+14045550199", "source": "onsite_dynamic"},
    {"command": "add_tracking_number", "number": "billboard", "account": "solo", "phone_number": "+14045550102", "forwarding_destination": "+14045550199", "source": "offsite"},
    {"command": "adjust_balance", "owner": {"account": "solo"}, "amount": {"minor_units": 1500, "currency": "USD"}}
  ],
  "steps": [)"
           + steps + R"(]
})";
}

const std::string pause_web =
    R"({"at": "2024-03-02T09:00:00Z", "actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "number": "web", "confirmation": {"clicked": true}}})";
const std::string pause_billboard =
    R"({"at": "2024-03-02T10:00:00Z", "actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "number": "billboard", "confirmation": {"clicked": true}}, "expect": {"error": "number_not_swappable"}})";
const std::string cancel_solo =
    R"({"at": "2024-03-03T09:00:00Z", "actor": "sam", "command": {"command": "cancel_account", "account": "solo", "confirmation": {"clicked": true}}})";

Scenario parse(const std::string& text) {
    ScenarioDiagnostic d;
    auto s = parse_scenario(text, &d);
    INFO(to_string(d));
    REQUIRE(s);
    return std::move(s).value();
}

ScenarioDiagnostic scenario_refusal(const std::string& text,
                                    errc expected = errc::json_invalid_field) {
    ScenarioDiagnostic d;
    auto s = parse_scenario(text, &d);
    REQUIRE_FALSE(s);
    CHECK(s.error() == expected);
    return d;
}

RunReport run(const std::string& text, Store& store) {
    const Scenario s = parse(text);
    const auto* preset = std::get_if<std::string>(&s.policy);
    REQUIRE(preset != nullptr);
    return run_scenario(s, policies::by_name(*preset).value(), store);
}

std::size_t events_stored_in(Store& store) {
    return store.read_all(0, 100000).value().size();
}

}  // namespace

// --- parsing ---------------------------------------------------------------------------------

TEST_CASE("scenario: a file is read into its policy, start, actors, setup and steps") {
    const Scenario s = parse(solo(pause_web + "," + pause_billboard));
    CHECK(std::get<std::string>(s.policy) == "ctm");
    CHECK(format_time(s.start) == "2024-03-01T09:00:00Z");
    REQUIRE(s.actors.size() == 1);
    CHECK(s.actors[0].name == "sam");
    REQUIRE(s.steps.size() == 2);
    CHECK(s.steps[0].number == 1);
    CHECK(s.steps[0].field == "steps[0]");
    CHECK(s.steps[0].actor == "sam");
    CHECK(command_name(s.steps[0].command) == "pause_tracking");
    CHECK_FALSE(s.steps[0].expect.refused);  // no "expect": it must succeed
    CHECK(s.steps[1].expect.refused);
    CHECK(s.steps[1].expect.errors == std::vector<errc>{errc::number_not_swappable});
}

TEST_CASE("scenario: declared grants become GrantRole commands after the file's setup") {
    const Scenario s = parse(R"({"policy": "ctm", "start": "2024-03-01T09:00:00Z",
      "actors": {"support": [{"role": "support", "scope": "platform"}],
                 "alice": [{"role": "agency_administrator", "scope": {"agency": "acme"}}],
                 "staff": [{"role": "support", "scope": "platform"}]},
      "setup": [{"command": "create_agency", "agency": "acme", "currency": "USD"}],
      "steps": []})");
    REQUIRE(s.setup.size() == 3);  // the file's one command, then alice's and staff's grants
    CHECK(s.setup[0].label == "setup 1");
    CHECK(s.setup[1].label == "actor alice");
    CHECK(s.setup[1].field == "actors.alice[0]");
    const auto& grant = std::get<commands::GrantRole>(s.setup[1].command);
    CHECK(grant.user == UserId("alice"));
    CHECK(grant.grant == RoleGrant{Role::agency_administrator, AgencyId("acme")});
    const auto& staff = std::get<commands::GrantRole>(s.setup[2].command);
    CHECK(staff.grant == RoleGrant{Role::support, Platform{}});
}

TEST_CASE("scenario: malformed JSON and a key given twice are refused as json_malformed") {
    auto d = scenario_refusal(R"({"policy": "ctm", "start": )", errc::json_malformed);
    CHECK(d.field.empty());
    CHECK_THAT(d.problem, Catch::Contains("not valid JSON"));

    d = scenario_refusal(
        solo(R"({"at": "2024-03-02T09:00:00Z", "at": "2024-03-03T09:00:00Z", "advance": true})"),
        errc::json_malformed);
    CHECK(d.field == "steps[0].at");
    CHECK(d.location == "step 1");
}

TEST_CASE("scenario: a number beyond a double is refused, naming the step and the field") {
    auto d = scenario_refusal(solo(
        pause_web
        + R"(, {"actor": "sam", "command": {"command": "adjust_balance", "owner": {"account": "solo"}, "amount": {"minor_units": 1e400, "currency": "USD"}}})"));
    CHECK(d.field == "steps[1].command.amount.minor_units");
    CHECK(d.location == "step 2");
    CHECK_THAT(d.problem, Catch::Contains("1e400"));

    d = scenario_refusal(R"({"start": "2024-03-01T09:00:00Z", "steps": [], "title": -1e999})");
    CHECK(d.field == "title");
    CHECK(d.location.empty());
}

TEST_CASE("scenario: a key that looks like a path is named as the key it is, not as a step") {
    // The location used to be read back out of the path's text: a key "steps[1]" was blamed on
    // step 2, and an index beyond 64 bits threw out of std::stoul.
    for (const std::string key : {"steps[99999999999999999999]", "steps[1]", "setup[0]"}) {
        INFO(key);
        auto d = scenario_refusal(
            R"({"start": "2024-03-01T09:00:00Z", ")" + key + R"(": 1, "steps": []})",
            errc::json_unknown_field);
        CHECK(d.field == key);
        CHECK(d.location.empty());

        d = scenario_refusal(R"({"start": "2024-03-01T09:00:00Z", ")" + key + R"(": 1, ")" + key
                                 + R"(": 2, "steps": []})",
                             errc::json_malformed);
        CHECK(d.field == key);
        CHECK(d.location.empty());
    }
    // Inside a step, a key that looks like an index is still that step's.
    auto d =
        scenario_refusal(solo(R"({"advance": true, "steps[7]": 1})"), errc::json_unknown_field);
    CHECK(d.field == "steps[0].steps[7]");
    CHECK(d.location == "step 1");
    d = scenario_refusal(
        R"({"start": "2024-03-01T09:00:00Z", "actors": {"steps[4]": [{"role": 1}]}, "steps": []})");
    CHECK(d.location == "actor steps[4]");
}

TEST_CASE("scenario: a bad command names the step and the command's own field") {
    auto d = scenario_refusal(solo(
        pause_web
        + R"(, {"actor": "sam", "command": {"command": "cancel_acount", "account": "solo"}})"));
    CHECK(d.location == "step 2");
    CHECK(d.field == "steps[1].command.command");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"cancel_account\""));

    d = scenario_refusal(solo(
        R"({"actor": "support", "command": {"command": "add_tracking_number", "number": "n", "account": "solo", "phone_number": "404-555-0101", "forwarding_destination": "+14045550199"}})"));
    CHECK(d.field == "steps[0].command.phone_number");
    CHECK_THAT(d.problem, Catch::Contains("404-555-0101"));
    CHECK(to_string(d) == "step 1: steps[0].command.phone_number: " + d.problem);
}

TEST_CASE("scenario: time never goes backwards, from the start or between steps") {
    auto d = scenario_refusal(solo(R"({"at": "2024-02-01T09:00:00Z", "advance": true})"));
    CHECK(d.field == "steps[0].at");
    CHECK_THAT(d.problem, Catch::Contains("earlier than the start"));

    d = scenario_refusal(solo(R"({"at": "2024-03-05T09:00:00Z", "advance": true},
                        {"at": "2024-03-04T09:00:00Z", "advance": true})"));
    CHECK(d.location == "step 2");
    CHECK(d.field == "steps[1].at");
    CHECK_THAT(d.problem, Catch::Contains("earlier than step 1"));

    // A step without "at" happens at the previous step's time.
    const Scenario s =
        parse(solo(R"({"at": "2024-03-05T09:00:00Z", "advance": true}, {"advance": true})"));
    CHECK(s.steps[1].at == s.steps[0].at);
}

TEST_CASE("scenario: steps name declared actors, and are a command or an advance") {
    auto d = scenario_refusal(
        solo(R"({"actor": "sma", "command": {"command": "pause_tracking", "account": "solo"}})"));
    CHECK(d.field == "steps[0].actor");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"sam\""));

    d = scenario_refusal(solo(R"({"actor": "sam"})"));
    CHECK(d.field == "steps[0]");
    CHECK_THAT(d.problem, Catch::Contains("exactly one of \"command\" or \"advance\""));
    d = scenario_refusal(solo(R"({"advance": true, "actor": "sam"})"));
    CHECK(d.field == "steps[0].actor");
    d = scenario_refusal(solo(R"({"advance": false})"));
    CHECK(d.field == "steps[0].advance");
    d = scenario_refusal(solo(R"({"advance": true, "expekt": "ok"})"), errc::json_unknown_field);
    CHECK(d.field == "steps[0].expekt");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"expect\""));
}

TEST_CASE(
    "scenario: a grant names a role and a scope; whether the policy grants that role there is "
    "said when the grant is given, naming the actor") {
    // A malformed role name or the support actor's own grants are the file's mistakes.
    auto d = scenario_refusal(
        R"({"start": "2024-03-01T09:00:00Z", "actors": {"ann": [{"role": "Admin", "scope": {"account": "a"}}]}, "steps": []})");
    CHECK(d.location == "actor ann");
    CHECK(d.field == "actors.ann[0].role");
    d = scenario_refusal(
        R"({"start": "2024-03-01T09:00:00Z", "actors": {"support": [{"role": "administrator", "scope": {"account": "a"}}]}, "steps": []})");
    CHECK(d.field == "actors.support");

    // A role on a scope the policy does not grant it on, or one the policy does not declare, is
    // refused by the core when the grant is given as a setup command.
    const auto given = [](const std::string& grant) {
        InMemoryStore store;
        return run(
            R"({"policy": "ctm", "start": "2024-03-01T09:00:00Z", "actors": {"ann": [)" + grant
                + R"(]}, "setup": [{"command": "open_account", "account": "a", "plan": {"name": "Pro", "add_ons": []}, "currency": "USD"}], "steps": []})",
            store);
    };
    for (const auto& [grant, problem] : std::vector<std::pair<std::string, std::string>>{
             {R"({"role": "administrator", "scope": "platform"})",
              "administrator is granted on an account or an agency, not on the platform"},
             {R"({"role": "support", "scope": {"account": "a"}})",
              "support is granted on the platform, not on an account"},
             {R"({"role": "manager", "scope": {"account": "a"}})",
              "the ctm policy has no role manager; its roles are: agency_administrator, "
              "agency_billing_manager, administrator, billing_manager, marketing_manager, "
              "call_manager, report_manager, call_agent, support"}}) {
        INFO(grant);
        const RunReport report = given(grant);
        REQUIRE(report.failure);
        CHECK(report.failure->location == "actor ann");
        CHECK(report.failure->field == "actors.ann[0]");
        CHECK_THAT(report.failure->message, Catch::Contains("invalid_role"));
        CHECK_THAT(report.failure->message, Catch::Contains(problem));
    }
    CHECK(given(R"({"role": "call_agent", "scope": {"account": "a"}})").ok());
}

TEST_CASE("scenario: an actor's grant is written as a grant_role command's, and refused alike") {
    const auto actor_with = [](const std::string& grant) {
        return R"({"start": "2024-03-01T09:00:00Z", "actors": {"ann": [)" + grant
               + R"(]}, "steps": []})";
    };
    const auto grant_role_with = [](const std::string& grant) {
        return R"({"command": "grant_role", "user": "ann", "grant": )" + grant + "}";
    };

    for (const std::string grant : {R"({"role": "administrator", "scope": {"account": "acme"}})",
                                    R"({"role": "agency_administrator", "scope": {"agency": "g"}})",
                                    R"({"role": "support", "scope": "platform"})"}) {
        INFO(grant);
        const auto command = command_from_json(grant_role_with(grant));
        REQUIRE(command);
        const Scenario s = parse(actor_with(grant));
        REQUIRE(s.actors.size() == 1);
        CHECK(s.actors[0].grants
              == std::vector<RoleGrant>{std::get<commands::GrantRole>(command.value()).grant});
    }

    // The spelling scenarios used to take is refused in both, with the same message.
    const std::string scope_as_key = R"({"role": "administrator", "account": "acme"})";
    JsonDiagnostic in_command;
    CHECK(command_from_json(grant_role_with(scope_as_key), &in_command).error()
          == errc::json_unknown_field);
    CHECK(in_command.field == "grant.account");
    const auto in_actors = scenario_refusal(actor_with(scope_as_key), errc::json_unknown_field);
    CHECK(in_actors.field == "actors.ann[0].account");
    CHECK(in_actors.problem == in_command.problem);
    CHECK(in_actors.problem == R"(unknown key "account"; expected one of "role", "scope")");

    const std::string no_scope = R"({"role": "support"})";
    CHECK(command_from_json(grant_role_with(no_scope), &in_command).error()
          == errc::json_invalid_field);
    CHECK(in_command.field == "grant.scope");
    const auto missing = scenario_refusal(actor_with(no_scope));
    CHECK(missing.field == "actors.ann[0].scope");
    CHECK(missing.problem == in_command.problem);
}

TEST_CASE("scenario: expectations are read and checked for sense") {
    const Scenario s = parse(solo(R"(
      {"advance": true, "expect": {"events": [], "effects_include": ["purge_call_data"],
                                   "accounts": {"solo": {"status": "active", "charges": ["usage"]}},
                                   "numbers": {"web": "released"}}},
      {"actor": "sam", "command": {"command": "cancel_account", "account": "solo"},
       "expect": {"error": ["confirmation_required", "permission_denied"]},
       "expect_by_policy": {"smrtphone": {"error": "survey_required"}}})"));
    const auto& advance = s.steps[0].expect;
    CHECK(advance.events == std::vector<std::string>{});
    CHECK(advance.effects_include == std::vector<std::string>{"purge_call_data"});
    CHECK(advance.accounts.at(AccountId("solo")).status == "active");
    CHECK(advance.accounts.at(AccountId("solo")).charges == Charges{Charge::usage});
    CHECK(advance.numbers.at(NumberId("web")).status == std::optional<std::string>("released"));
    CHECK(s.steps[1].expectation_for("ctm").errors.size() == 2);
    CHECK(s.steps[1].expectation_for("smrtphone").errors
          == std::vector<errc>{errc::survey_required});
    CHECK(to_string(s.steps[1].expect) == "refused with confirmation_required, permission_denied");

    auto d = scenario_refusal(solo(R"({"advance": true, "expect": {"error": "window_closed"}})"));
    CHECK_THAT(d.problem, Catch::Contains("never refused"));
    d = scenario_refusal(solo(cancel_solo.substr(0, cancel_solo.size() - 1)
                              + R"(, "expect": {"error": "window_close"}})"));
    CHECK(d.field == "steps[0].expect.error");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"window_closed\""));
    d = scenario_refusal(solo(cancel_solo.substr(0, cancel_solo.size() - 1)
                              + R"(, "expect": {"error": "window_closed", "events": []}})"));
    CHECK(d.field == "steps[0].expect.events");
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"accounts": {"solo": {"status": "gone"}}}})"));
    CHECK(d.field == "steps[0].expect.accounts.solo.status");
}

TEST_CASE(
    "scenario: refused for any reason, absent events and effects, the plan, agency, report access "
    "and forwarding are read, and named when wrong") {
    const Scenario s = parse(solo(R"(
      {"actor": "sam", "command": {"command": "cancel_account", "account": "solo"},
       "expect": {"refused": true}},
      {"actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "confirmation": {"clicked": true}},
       "expect": {"events_exclude": ["billing_changed"], "effects_exclude": ["release_number"],
                  "accounts": {"solo": {"plan": "Starter", "agency": null, "report_access": true}},
                  "numbers": {"web": {"status": "active", "forwarding": "+1 404 555 0199"},
                              "billboard": {"forwarding": "+14045550199"}}}})"));
    const auto& any = s.steps[0].expect;
    CHECK(any.refused);
    CHECK(any.errors.empty());
    CHECK(to_string(any) == "refused");
    const auto& e = s.steps[1].expect;
    CHECK(e.events_exclude == std::vector<std::string>{"billing_changed"});
    CHECK(e.effects_exclude == std::vector<std::string>{"release_number"});
    CHECK(to_string(e) == "no event [billing_changed]; no effect [release_number]; 3 state checks");
    const auto& account = e.accounts.at(AccountId("solo"));
    CHECK(account.plan == std::optional<std::string>("Starter"));
    CHECK(account.agency == std::optional<std::optional<AgencyId>>(std::optional<AgencyId>()));
    CHECK(account.report_access == std::optional<bool>(true));
    CHECK(e.numbers.at(NumberId("web")).forwarding
          == std::optional<PhoneNumber>(phone("+14045550199")));
    CHECK_FALSE(e.numbers.at(NumberId("billboard")).status);

    const std::string cancel = cancel_solo.substr(0, cancel_solo.size() - 1);
    auto d = scenario_refusal(solo(cancel + R"(, "expect": {"refused": false}})"));
    CHECK(d.field == "steps[0].expect.refused");
    d = scenario_refusal(solo(cancel + R"(, "expect": {"refused": true, "effects_exclude": []}})"));
    CHECK(d.field == "steps[0].expect.effects_exclude");
    d = scenario_refusal(solo(cancel + R"(, "expect": {"events_exclude": ["acount_canceled"]}})"));
    CHECK(d.field == "steps[0].expect.events_exclude[0]");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"account_canceled\""));
    d = scenario_refusal(solo(R"({"advance": true, "expect": {"refused": true}})"));
    CHECK_THAT(d.problem, Catch::Contains("never refused"));
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"numbers": {"web": {"forwarding": "404"}}}})"));
    CHECK(d.field == "steps[0].expect.numbers.web.forwarding");
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"accounts": {"solo": {"report_access": "yes"}}}})"));
    CHECK(d.field == "steps[0].expect.accounts.solo.report_access");
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"numbers": {"web": {"routing": "+14045550199"}}}})"),
        errc::json_unknown_field);
    CHECK(d.field == "steps[0].expect.numbers.web.routing");
}

TEST_CASE("scenario: account and agency expectations read each status, and name a bad one") {
    const Scenario s = parse(solo(R"(
      {"advance": true, "expect": {
        "accounts": {"solo": {"data": "purged", "balance": "forfeited"}},
        "agencies": {"acme": {"status": "canceled", "balance": "refundable", "charges": []}}}})"));
    const auto& expect = s.steps[0].expect;
    const auto& account = expect.accounts.at(AccountId("solo"));
    CHECK_FALSE(account.status);
    CHECK(account.data == std::optional<std::string>("purged"));
    CHECK(account.balance == std::optional<std::string>("forfeited"));
    CHECK_FALSE(account.charges);
    const auto& agency = expect.agencies.at(AgencyId("acme"));
    CHECK(agency.status == std::optional<std::string>("canceled"));
    CHECK(agency.balance == std::optional<std::string>("refundable"));
    CHECK(agency.charges == std::optional<Charges>(Charges{}));

    auto d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"agencies": {"acme": {"balance": "refunded"}}}})"));
    CHECK(d.field == "steps[0].expect.agencies.acme.balance");
    CHECK_THAT(d.problem, Catch::Contains("unknown balance status"));
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"accounts": {"solo": {"data": "gone"}}}})"));
    CHECK(d.field == "steps[0].expect.accounts.solo.data");
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"agencies": {"acme": {"charges": ["rent"]}}}})"));
    CHECK(d.field == "steps[0].expect.agencies.acme.charges[0]");
    d = scenario_refusal(
        solo(R"({"advance": true, "expect": {"agencies": {"acme": {"data": "kept"}}}})"),
        errc::json_unknown_field);
    CHECK(d.field == "steps[0].expect.agencies.acme.data");
}

TEST_CASE("scenario: the policy is a preset name, a policy document, or left to the command line") {
    CHECK(std::holds_alternative<std::monostate>(
        parse(R"({"start": "2024-03-01T09:00:00Z", "steps": []})").policy));
    const Scenario s = parse(R"({"policy": )" + policy_to_json(policies::smrtphone())
                             + R"(, "start": "2024-03-01T09:00:00Z", "steps": []})");
    CHECK(std::get<PolicyHistory>(s.policy) == PolicyHistory(policies::smrtphone()));
    auto d = scenario_refusal(R"({"policy": "ctn", "start": "2024-03-01T09:00:00Z", "steps": []})");
    CHECK(d.field == "policy");
    CHECK_THAT(d.problem, Catch::Contains("did you mean \"ctm\""));
}

TEST_CASE("scenario: the policy may be an overlay of a preset, but not of a file") {
    const Scenario s = parse(R"({"policy": {"extends": "ctm", "name": "ctm-no-refunds",
        "operations": {"request_refund": {"offered": false}}},
        "start": "2024-03-01T09:00:00Z", "steps": []})");
    Policy expected = policies::ctm();
    expected.name = "ctm-no-refunds";
    expected.rule(Operation::request_refund).offered = false;
    CHECK(std::get<PolicyHistory>(s.policy) == PolicyHistory(expected));
    // The scenario is read from its text alone, so there is no directory a file would be in.
    auto d = scenario_refusal(R"({"policy": {"extends": "mine.json", "name": "x"},
        "start": "2024-03-01T09:00:00Z", "steps": []})");
    CHECK(d.field == "policy.extends");
    CHECK_THAT(d.problem, Catch::Contains("names a preset, not a file"));
}

// --- running ---------------------------------------------------------------------------------

TEST_CASE("runner: steps run through the engine; a refused step writes nothing") {
    InMemoryStore store;
    const auto report = run(solo(pause_web + "," + pause_billboard), store);
    INFO(report_to_json(report));
    REQUIRE(report.ok());
    REQUIRE(report.steps.size() == 7);  // four setup commands, sam's grant, two steps
    CHECK(report.steps[4].label == "actor sam");
    CHECK(report.steps[4].operation == "grant_role");
    const auto& paused = report.steps[5];
    CHECK(paused.executed);
    CHECK(names(paused.events) == std::vector<std::string>{"tracking_paused"});
    REQUIRE(paused.effects.size() == 1);
    CHECK(paused.effects[0].kind == EffectKind::stop_swapping);
    const auto& refused = report.steps[6];
    CHECK(refused.outcome == StepReport::Outcome::refused);
    CHECK_FALSE(refused.executed);
    REQUIRE(refused.refusals.size() == 1);
    CHECK(refused.refusals[0].code == errc::number_not_swappable);
    CHECK(events_stored_in(store)
          == 6);  // five setup events and the pause; nothing from the refusal
}

TEST_CASE("runner: an unexpected refusal stops the run, naming the step; the rest never run") {
    InMemoryStore store;
    const auto report = run(
        solo(
            R"({"actor": "sam", "command": {"command": "cancel_account", "account": "ghost", "confirmation": {"clicked": true}}},)"
            + pause_web),
        store);
    REQUIRE_FALSE(report.ok());
    CHECK(report.failure->location == "step 1");
    CHECK(report.failure->field == "steps[0].command.account");  // where the unknown id is
    CHECK_THAT(report.failure->message,
               Catch::StartsWith("expected ok, but it was refused: unknown_account"));
    CHECK(report.steps.back().label == "step 1");  // step 2 never ran
    REQUIRE(report.final_state);                   // the state is still reported
    CHECK(report.final_state->accounts.size() == 1);
}

TEST_CASE("runner: a step expected to be refused that is allowed fails without being written") {
    InMemoryStore store;
    const std::string step =
        R"({"at": "2024-03-02T09:00:00Z", "actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "number": "web", "confirmation": {"clicked": true}}, "expect": {"error": "number_not_swappable"}})";
    const auto report = run(solo(step), store);
    REQUIRE_FALSE(report.ok());
    CHECK_THAT(report.failure->message, Catch::Contains("allowed"));
    const auto& r = report.steps.back();
    CHECK_FALSE(r.executed);
    CHECK(names(r.events) == std::vector<std::string>{"tracking_paused"});  // what it would do
    CHECK(events_stored_in(store) == 5);
}

TEST_CASE(
    "runner: refused for any reason, absent events, and more of the state hold or fail by name") {
    const std::string pause_all =
        R"({"at": "2024-03-02T09:00:00Z", "actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "confirmation": {"clicked": true}}, "expect": )";
    {
        InMemoryStore store;
        const auto report = run(
            solo(
                R"({"actor": "sam", "command": {"command": "cancel_account", "account": "solo"}, "expect": {"refused": true}},)"
                + pause_all
                + R"({"events_exclude": ["billing_changed", "account_paused"], "effects_exclude": ["release_number"],
                  "accounts": {"solo": {"plan": "Starter", "agency": null, "report_access": true}},
                  "numbers": {"web": {"status": "active", "forwarding": "+14045550199"}}}})"),
            store);
        INFO(report_to_json(report));
        CHECK(report.ok());
    }
    const std::vector<std::pair<std::string, std::string>> unmet = {
        {R"({"refused": true})", "expected it to be refused, but it is allowed"},
        {R"({"events_exclude": ["tracking_paused"]})", "expected no event tracking_paused, got "},
        {R"({"effects_exclude": ["stop_swapping"]})", "expected no effect stop_swapping, got "},
        {R"({"accounts": {"solo": {"plan": "Pro"}}})",
         "account solo: expected plan Pro, got Starter"},
        {R"({"accounts": {"solo": {"agency": "g1"}}})",
         "account solo: expected agency g1, got no agency (standalone)"},
        {R"({"accounts": {"solo": {"report_access": false}}})",
         "account solo: expected no report access, got access"},
        {R"({"numbers": {"web": {"forwarding": "+14045550100"}}})",
         "number web: expected forwarding to +14045550100, got +14045550199"},
    };
    for (const auto& [expect, message] : unmet) {
        INFO(expect);
        InMemoryStore store;
        const auto report = run(solo(pause_all + expect + "}"), store);
        REQUIRE_FALSE(report.ok());
        CHECK_THAT(report.failure->message, Catch::StartsWith(message));
    }
}

TEST_CASE("runner: deadlines due by a step's time fire first and are reported with it") {
    InMemoryStore store;
    const auto report = run(solo(cancel_solo + R"(,
      {"at": "2024-03-20T09:00:00Z", "actor": "sam", "command": {"command": "reactivate_account", "account": "solo", "confirmation": {"clicked": true}},
       "expect": {"events_include": ["account_reactivated"], "accounts": {"solo": {"status": "active", "balance": "in_use"}}}},
      {"at": "2024-03-20T09:01:00Z", "actor": "sam", "command": {"command": "restore_number", "number": "web"}, "expect": {"error": "support_only"}})"),
                            store);
    INFO(report_to_json(report));
    REQUIRE(report.ok());
    const auto& reactivated = report.steps[6];
    CHECK(names(reactivated.fired) == std::vector<std::string>{"restore_window_closed"});
    CHECK(names(reactivated.events)[0] == "account_reactivated");
}

TEST_CASE("runner: an advance fires what is due, with its host effects, and checks state") {
    InMemoryStore store;
    const auto report = run(solo(cancel_solo + R"(,
      {"at": "2024-05-02T09:00:00Z", "advance": true, "note": "60 days on",
       "expect": {"events": ["restore_window_closed", "account_closed", "data_purged"],
                  "effects": ["purge_call_data"],
                  "accounts": {"solo": {"status": "closed", "data": "purged", "balance": "refundable"}}}},
      {"at": "2024-06-01T09:00:00Z", "advance": true,
       "expect": {"events": ["balance_forfeited"], "accounts": {"solo": {"status": "canceled"}}}})"),
                            store);
    INFO(report_to_json(report));
    REQUIRE_FALSE(report.ok());  // the last state check is wrong on purpose
    CHECK(report.failure->location == "step 3");
    CHECK(report.failure->message == "account solo: expected status canceled, got closed");
    const auto& advanced = report.steps[6];
    CHECK(advanced.kind == StepReport::Kind::advance);
    CHECK(advanced.note == "60 days on");
    REQUIRE(advanced.fired_effects.size() == 1);
    CHECK(advanced.fired_effects[0].kind == EffectKind::purge_call_data);
}

TEST_CASE("runner: expectations by policy, and progress for every entry") {
    const std::string text = solo(
        R"({"at": "2024-03-02T09:00:00Z", "actor": "sam", "command": {"command": "pause_tracking", "account": "solo", "confirmation": {"clicked": true}},
            "expect": {"events": ["tracking_paused"]},
            "expect_by_policy": {"callrail": {"error": "operation_not_offered"}}})",
        "");
    const Scenario s = parse(text);
    for (const char* name : {"ctm", "callrail"}) {
        InMemoryStore store;
        std::vector<std::size_t> seen;
        RunOptions options;
        options.progress = [&](std::size_t done, std::size_t total) {
            CHECK(total == 6);
            seen.push_back(done);
        };
        const auto report = run_scenario(s, policies::by_name(name).value(), store, options);
        INFO(name << ": " << report_to_json(report));
        CHECK(report.ok());
        CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
    }
}

TEST_CASE("runner: effects_after reads only what the outbox gained") {
    InMemoryStore store;
    const auto report = run(solo(pause_web), store);
    REQUIRE(report.ok());
    std::uint64_t after = 0;
    const auto all = effects_after(store, after).value();
    CHECK_FALSE(all.empty());
    CHECK(after == all.size());
    CHECK(effects_after(store, after).value().empty());
}

// --- printing --------------------------------------------------------------------------------

TEST_CASE("report: the timeline shows every reason, the events, the effects and the final state") {
    InMemoryStore store;
    auto report = run(solo(pause_web + "," + pause_billboard + "," + cancel_solo), store);
    report.source = "solo.json";
    report.store = "in memory";
    std::ostringstream out;
    print_timeline(out, report);
    const std::string text = out.str();
    CHECK_THAT(text, Catch::Contains("policy ctm, store in memory, start 2024-03-01T09:00:00Z"));
    CHECK_THAT(text, Catch::Contains("step 2  2024-03-02T10:00:00Z  sam: pause_tracking"));
    CHECK_THAT(text, Catch::Contains("reason    number_not_swappable: tracking number billboard"));
    CHECK_THAT(text, Catch::Contains("event     account_canceled account=solo"));
    CHECK_THAT(text, Catch::Contains("effect    release_number"));
    CHECK_THAT(text,
               Catch::Contains("account solo: canceled; charges nothing; data purge_scheduled at "
                               "2024-05-02T09:00:00Z; balance 15.00 USD refundable until "
                               "2024-06-01T09:00:00Z; reactivation until 2024-05-02T09:00:00Z"));
    CHECK_THAT(text, Catch::Contains("ok: 3 steps, every expectation met"));
}

TEST_CASE("report: the JSON document holds the steps, the final state and the verdict") {
    InMemoryStore store;
    auto report = run(solo(pause_web + "," + pause_billboard), store);
    const auto j = nlohmann::json::parse(report_to_json(report));
    CHECK(j["ok"] == true);
    CHECK(j["failure"].is_null());
    REQUIRE(j["steps"].size() == 7);
    CHECK(j["steps"][5]["events"][0]["event"] == "tracking_paused");
    CHECK(j["steps"][6]["result"] == "refused");
    CHECK(j["steps"][6]["reasons"][0]["code"] == "number_not_swappable");
    CHECK(j["final"]["accounts"][0]["id"] == "solo");
    CHECK(j["final"]["accounts"][0]["numbers"].size() == 2);
}

// --- the command line ----------------------------------------------------------------------

TEST_CASE("cli: help, usage errors and policies") {
    std::ostringstream out;
    std::ostringstream err;
    CHECK(run_cli({"--help"}, out, err) == exit_ok);
    CHECK_THAT(out.str(), Catch::Contains("calltrack run SCENARIO.json"));
    CHECK(run_cli({"frobnicate"}, out, err) == exit_usage);
    CHECK_THAT(err.str(), Catch::Contains("unknown subcommand frobnicate"));
    CHECK(run_cli({"run", "x.json", "--db"}, out, err) == exit_usage);
    CHECK(run_cli({"advance"}, out, err) == exit_usage);

    out.str("");
    CHECK(run_cli({"policy", "show", "callrail"}, out, err) == exit_ok);
    CHECK(policy_from_json(out.str()).value() == policies::callrail());
    CHECK(load_policy_argument("ctm").value() == policies::ctm());
    std::string why;
    CHECK_FALSE(load_policy_argument("no/such/policy.json", &why));
    CHECK_THAT(why, Catch::Contains("no/such/policy.json"));
    CHECK(policy_sidecar("x.db") == "x.db.policy.json");
}

TEST_CASE("cli: two advances at once each print only the effects they committed") {
    // The one that fired nothing used to print the other's effects, read from the outbox's growth.
    namespace fs = std::filesystem;
    static int round_counter = 0;
    const fs::path dir = fs::temp_directory_path()
                         / ("calltrack-advance-" + std::to_string(static_cast<long>(::getpid()))
                            + "-" + std::to_string(round_counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string scenario = (dir / "pending.json").string();
    {
        std::ofstream file(scenario);
        file << solo(cancel_solo);
    }
    for (int round = 0; round < 10; ++round) {
        INFO("round " << round);
        const std::string db = (dir / ("round" + std::to_string(round) + ".db")).string();
        std::ostringstream out;
        std::ostringstream err;
        REQUIRE(run_cli({"run", scenario, "--db", db}, out, err) == exit_ok);
        std::string printed[2];
        int status[2] = {-1, -1};
        auto advance = [&](int i) {
            std::ostringstream o;
            std::ostringstream e;
            status[i] =
                run_cli({"advance", "--to", "2025-01-01T00:00:00Z", "--db", db, "--json"}, o, e);
            printed[i] = o.str() + e.str();
        };
        std::thread first(advance, 0);
        std::thread second(advance, 1);
        first.join();
        second.join();
        std::size_t effects_printed = 0;
        std::size_t events_printed = 0;
        for (int i = 0; i < 2; ++i) {
            INFO(printed[i]);
            REQUIRE(status[i] == exit_ok);
            const auto j = nlohmann::json::parse(printed[i]);
            effects_printed += j["effects"].size();
            events_printed += j["events"].size();
            // Each prints its own effects with its own events: none without the other.
            CHECK(j["effects"].empty() == j["events"].empty());
        }
        CHECK(events_printed != 0);
        // Together they print every fired effect once: what one sweep committed.
        std::ostringstream o;
        std::ostringstream e;
        REQUIRE(run_cli({"advance", "--to", "2025-01-01T00:00:00Z", "--db", db, "--json"}, o, e)
                == exit_ok);
        CHECK(nlohmann::json::parse(o.str())["effects"].empty());
        CHECK(effects_printed != 0);
    }
    fs::remove_all(dir);
}
