// `calltrack compare` (tools/calltrack): one scenario under several policies, one cell per policy
// per step, the aspects they differ in, the columns within their width, the JSON form and the
// command line.
#include "compare.hpp"
#include "cli.hpp"
#include "runner.hpp"
#include "scenario.hpp"

#include <calltrack/policy.hpp>

#include "pause_resume_scenario.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::cli;

namespace {

Scenario compared_parse(const std::string& text) {
    ScenarioDiagnostic d;
    auto s = parse_scenario(text, &d);
    INFO(to_string(d));
    REQUIRE(s);
    return std::move(s).value();
}

std::string compared_scenario(const std::string& pause_expectation) {
    return calltrack::testing::pause_resume_scenario(pause_expectation);
}

std::vector<ComparedPolicy> ctm_and_callrail() {
    return {ComparedPolicy{"ctm", "ctm", PolicyHistory(policies::ctm())},
            ComparedPolicy{"callrail", "callrail", PolicyHistory(policies::callrail())}};
}

}  // namespace

// --- compare ------------------------------------------------------------------------------------

TEST_CASE("compare: one cell per policy per step, and the aspects in which they differ") {
    const Scenario s = compared_parse(compared_scenario(calltrack::testing::pause_met));
    const Comparison c = compare_scenario(s, ctm_and_callrail());
    REQUIRE(c.ok());
    REQUIRE(c.runs.size() == 2);
    const auto ctm_pause = cell_of(c, 0, 1);
    const auto callrail_pause = cell_of(c, 1, 1);
    CHECK(ctm_pause.result == ComparedCell::Result::refused);
    CHECK(ctm_pause.reasons.front() == "operation_not_offered");
    CHECK(callrail_pause.result == ComparedCell::Result::ok);
    CHECK(callrail_pause.events
          == std::vector<std::string>{"account_paused", "numbers_held", "billing_changed"});
    REQUIRE(callrail_pause.charges.size() == 1);
    CHECK(to_string(callrail_pause.charges[0]) == "acme: hold_fee");
    CHECK(differences(c, 0).empty());  // both grant the role
    CHECK(differences(c, 1)
          == std::vector<std::string>{"result", "reasons", "events", "effects", "charges"});
}

TEST_CASE(
    "compare: a missed expectation is reported under its policy, and every step still shown") {
    const Scenario s = compared_parse(compared_scenario(calltrack::testing::pause_unmet));
    Comparison c = compare_scenario(s, ctm_and_callrail());
    c.source = "pause.json";
    CHECK_FALSE(c.ok());
    CHECK(c.runs[1].report.ok());
    const auto j = nlohmann::json::parse(comparison_to_json(c));
    CHECK(j["ok"] == false);
    REQUIRE(j["steps"].size() == 3);
    for (const auto& step : j["steps"]) {
        REQUIRE(step["by_policy"].size() == 2);
        CHECK(step["by_policy"][0]["policy"] == "ctm");
        CHECK(step["by_policy"][1]["policy"] == "callrail");
    }
    CHECK(j["steps"][1]["by_policy"][0]["met"] == false);
    CHECK(j["steps"][2]["by_policy"][0]["met"] == true);
    CHECK(j["policies"][0]["unmet"] == nlohmann::json::array({"step 2"}));
    CHECK(j["differences"].size() == 2);
    CHECK(j["differences"][0]["label"] == "step 2");

    std::ostringstream out;
    print_comparison(out, c);
    const std::string text = out.str();
    INFO(text);
    CHECK_THAT(text, Catch::Contains("  NOT MET under ctm: expected ok, but it was refused"));
    CHECK_THAT(text, Catch::Contains("ctm       expectations not met at step 2"));
    CHECK_THAT(text, Catch::EndsWith("FAILED: not every expectation is met under every policy\n"));
}

TEST_CASE("compare: the text keeps to its width, wrapping cells and never dropping a word") {
    CHECK(wrap_text("a bb ccc", 4) == std::vector<std::string>{"a bb", "ccc"});
    CHECK(wrap_text("operation_not_offered", 10)
          == std::vector<std::string>{"operation_", "not_offere", "d"});
    CHECK(wrap_text("step 1  2020-09-01", 40) == std::vector<std::string>{"step 1  2020-09-01"});
    CHECK(wrap_text("", 10).empty());

    const Scenario s = compared_parse(compared_scenario(calltrack::testing::pause_met));
    const Comparison c = compare_scenario(
        s, {ComparedPolicy{"ctm", "ctm", PolicyHistory(policies::ctm())},
            ComparedPolicy{"callrail", "callrail", PolicyHistory(policies::callrail())},
            ComparedPolicy{"smrtphone", "smrtphone", PolicyHistory(policies::smrtphone())}});
    for (const std::size_t width : {std::size_t{60}, std::size_t{100}}) {
        std::ostringstream out;
        print_comparison(out, c, width);
        std::istringstream lines(out.str());
        std::string all;
        for (std::string line; std::getline(lines, line);) {
            INFO(line);
            CHECK(line.size() <= width);
            all += line + " ";
        }
        // Every event name of the callrail pause survives the wrapping whole or cut and continued.
        CHECK_THAT(all, Catch::Contains("numbers_held"));
        CHECK_THAT(all,
                   Catch::Contains(
                       "where the policies differ: 3 of 3 steps"));  // smrtPhone refuses the grant
    }
}

TEST_CASE("cli: compare refuses an unknown policy, a short or doubled list and a bad width") {
    std::ostringstream out;
    std::ostringstream err;
    const std::string file = "no_such_scenario.json";
    CHECK(run_cli({"compare"}, out, err) == exit_usage);
    CHECK(run_cli({"compare", file, "--policies", "ctm"}, out, err) == exit_usage);
    CHECK_THAT(err.str(), Catch::Contains("compare needs at least two policies"));
    CHECK(run_cli({"compare", file, "--policies", "ctm,,callrail"}, out, err) == exit_usage);
    CHECK_THAT(err.str(), Catch::Contains("entry 2 of \"ctm,,callrail\" is empty"));
    CHECK(run_cli({"compare", file, "--policies", "ctm,callrail,ctm"}, out, err) == exit_usage);
    CHECK_THAT(err.str(), Catch::Contains("--policies: ctm is given twice"));
    CHECK(run_cli({"compare", file, "--width", "20"}, out, err) == exit_usage);
    CHECK_THAT(err.str(), Catch::Contains("--width takes a number of columns from 60 to 1000"));
    CHECK(run_cli({"compare", file, "--policies", "ctm,callrail"}, out, err) == exit_failed);
    CHECK_THAT(err.str(), Catch::Contains("cannot read no_such_scenario.json"));
    out.str("");
    CHECK(run_cli({"compare", "--help"}, out, err) == exit_ok);
    CHECK_THAT(out.str(), Catch::StartsWith("usage: calltrack compare SCENARIO.json"));
}
