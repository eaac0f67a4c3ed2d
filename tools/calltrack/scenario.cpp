// The scenario format's entry points: parse_scenario, which turns a parse failure of the JSON
// itself into a diagnostic naming the entry it lies in, and the small public helpers of
// scenario.hpp. The reading of a well-formed document is the Parser's (scenario_reader.hpp), so
// this file holds only what a caller of scenario.hpp sees.

#include "scenario.hpp"

#include "scenario_reader.hpp"

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace calltrack::cli {
namespace {

using scenario_reader::Json;
using scenario_reader::Parser;

/// "step 3" for the parts of "steps[2].command", "setup 1" for "setup[0]", "actor alice" for
/// "actors.alice[0]": the entry a path found while parsing lies in. Built from the parts, never
/// from the path's text, where a key "steps[1]" would read as a step.
std::string location_of(const std::vector<calltrack::detail::PathPart>& parts) {
    if (parts.size() < 2 || parts[0].index) return {};
    if (parts[0].key == "steps" && parts[1].index)
        return "step " + std::to_string(*parts[1].index + 1);
    if (parts[0].key == "setup" && parts[1].index) {
        return "setup " + std::to_string(*parts[1].index + 1);
    }
    if (parts[0].key == "actors" && !parts[1].index) return "actor " + parts[1].key;
    return {};
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

}  // namespace

std::string to_string(const ScenarioDiagnostic& d) {
    std::string out;
    if (!d.location.empty()) out += d.location + ": ";
    if (!d.field.empty()) out += d.field + ": ";
    out += d.problem;
    return out;
}

Actor support_actor_value() {
    return Actor{UserId(std::string(support_actor)), {RoleGrant{Role::support, Platform{}}}};
}

const std::vector<std::string>& error_names() {
    static const auto names = [] {
        std::vector<std::string> all;
        for (int i = errc_first; i <= errc_last; ++i) {
            all.emplace_back(calltrack::to_string(static_cast<errc>(i)));
        }
        return all;
    }();
    return names;
}

std::string to_string(const Expectation& e) {
    std::vector<std::string> parts;
    if (e.refused) {
        std::vector<std::string> codes;
        for (const errc c : e.errors) codes.emplace_back(calltrack::to_string(c));
        parts.push_back(codes.empty() ? "refused" : "refused with " + join_names(codes));
    }
    if (e.events) parts.push_back("events [" + join_names(*e.events) + "]");
    if (!e.events_include.empty()) {
        parts.push_back("events including [" + join_names(e.events_include) + "]");
    }
    if (e.effects) parts.push_back("effects [" + join_names(*e.effects) + "]");
    if (!e.effects_include.empty()) {
        parts.push_back("effects including [" + join_names(e.effects_include) + "]");
    }
    if (!e.events_exclude.empty()) {
        parts.push_back("no event [" + join_names(e.events_exclude) + "]");
    }
    if (!e.effects_exclude.empty()) {
        parts.push_back("no effect [" + join_names(e.effects_exclude) + "]");
    }
    const std::size_t states = e.accounts.size() + e.agencies.size() + e.numbers.size();
    if (states != 0) {
        parts.push_back(std::to_string(states) + (states == 1 ? " state check" : " state checks"));
    }
    if (parts.empty()) return "ok";
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

const Expectation& Step::expectation_for(const std::string& policy_name) const {
    const auto it = expect_by_policy.find(policy_name);
    return it == expect_by_policy.end() ? expect : it->second;
}

result<Scenario> parse_scenario(std::string_view json, ScenarioDiagnostic* diagnostic) {
    Parser parser(diagnostic);
    Json document;
    if (const auto failure = calltrack::detail::parse_document(json, document)) {
        using Kind = calltrack::detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                parser.refuse(errc::json_malformed, "", "not valid JSON: " + failure->problem);
                break;
            case Kind::number_out_of_range:
                parser.refuse(errc::json_invalid_field, failure->field, location_of(failure->parts),
                              failure->problem);
                break;
            case Kind::duplicate_key:
                parser.refuse(errc::json_malformed, failure->field, location_of(failure->parts),
                              failure->problem);
                break;
        }
        return parser.error();
    }
    Scenario scenario;
    if (!parser.scenario(document, scenario)) return parser.error();
    return scenario;
}

}  // namespace calltrack::cli
