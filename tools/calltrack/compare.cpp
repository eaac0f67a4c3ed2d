// Playing a scenario under several policies, and what each did at each step as values: the cells a
// printer lays out (compare_print.cpp), the aspects they differ in, and the JSON form.

#include "compare.hpp"

#include "step_subject.hpp"

#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>
#include <variant>

namespace calltrack::cli {
namespace {

using ComparisonJson = nlohmann::ordered_json;

std::vector<std::string> event_names_of(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(event_name(e));
    return out;
}

std::vector<std::string> effect_kinds_of(const std::vector<HostEffect>& effects) {
    std::vector<std::string> out;
    for (const auto& e : effects) out.emplace_back(to_string(e.kind));
    return out;
}

/// The run's report of the scenario's step `step` (from 0); nullptr when the run did not reach it.
/// A run reports every setup entry, then the steps in order, and stops in setup only at its
/// last report, so the step is found by counting.
const StepReport* step_of(const Comparison& comparison, std::size_t run, std::size_t step) {
    const auto& reports = comparison.runs[run].report.steps;
    const std::size_t at = comparison.scenario.setup.size() + step;
    if (at >= reports.size() || reports[at].kind == StepReport::Kind::setup) return nullptr;
    return &reports[at];
}

ComparisonJson owner_json(const BalanceOwner& owner) {
    ComparisonJson j = ComparisonJson::object();
    if (const auto* account = std::get_if<AccountId>(&owner)) {
        j["account"] = account->str();
    } else {
        j["agency"] = std::get<AgencyId>(owner).str();
    }
    return j;
}

ComparisonJson charge_names(Charges charges) {
    ComparisonJson list = ComparisonJson::array();
    for (const Charge c : all_charges) {
        if (charges.contains(c)) list.push_back(std::string(to_string(c)));
    }
    return list;
}

ComparisonJson failure_json(const std::optional<RunFailure>& failure) {
    if (!failure) return nullptr;
    ComparisonJson j = ComparisonJson::object();
    j["location"] = failure->location;
    j["field"] = failure->field;
    j["message"] = failure->message;
    return j;
}

ComparisonJson cell_json(const std::string& label, const ComparedCell& cell) {
    ComparisonJson j = ComparisonJson::object();
    j["policy"] = label;
    j["result"] = std::string(to_string(cell.result));
    ComparisonJson reasons = ComparisonJson::array();
    if (cell.step != nullptr) {
        for (const auto& r : cell.step->refusals) {
            ComparisonJson reason = ComparisonJson::object();
            reason["code"] = std::string(to_string(static_cast<errc>(r.code.value())));
            reason["detail"] = r.detail;
            reasons.push_back(std::move(reason));
        }
    }
    j["reasons"] = std::move(reasons);
    j["deadlines"] = cell.deadlines;
    j["events"] = cell.events;
    j["effects"] = cell.effects;
    ComparisonJson charges = ComparisonJson::array();
    for (const auto& c : cell.charges) {
        ComparisonJson owner = ComparisonJson::object();
        owner["owner"] = owner_json(c.owner);
        owner["charges"] = charge_names(c.charges);
        charges.push_back(std::move(owner));
    }
    j["charges"] = std::move(charges);
    if (cell.step != nullptr) {
        j["expected"] = cell.step->expected;
        j["met"] = cell.step->unmet.empty();
        if (!cell.step->unmet.empty()) j["unmet"] = cell.step->unmet;
    } else {
        j["expected"] = nullptr;
        j["met"] = nullptr;
    }
    return j;
}

}  // namespace

bool Comparison::ok() const {
    return std::all_of(runs.begin(), runs.end(), [](const PolicyRun& r) { return r.report.ok(); });
}

Comparison compare_scenario(const Scenario& scenario, const std::vector<ComparedPolicy>& policies) {
    Comparison out;
    out.scenario = scenario;
    RunOptions options;
    options.keep_going = true;
    for (const auto& p : policies) {
        InMemoryStore store;
        PolicyRun run{p.label, p.argument, run_scenario(scenario, p.policy, store, options)};
        run.report.store = "in memory";
        out.runs.push_back(std::move(run));
    }
    return out;
}

std::string_view to_string(ComparedCell::Result result) noexcept {
    switch (result) {
        case ComparedCell::Result::ok:
            return "ok";
        case ComparedCell::Result::refused:
            return "refused";
        case ComparedCell::Result::not_executed:
            return "not_executed";
        case ComparedCell::Result::not_run:
            return "not_run";
    }
    return "not_run";
}

std::string to_string(const ChargesAfter& charges) {
    std::string owner;
    if (const auto* account = std::get_if<AccountId>(&charges.owner)) {
        owner = account->str();
    } else {
        owner = std::get<AgencyId>(charges.owner).str();
    }
    return owner + ": " + calltrack::to_string(charges.charges);
}

ComparedCell cell_of(const Comparison& comparison, std::size_t run, std::size_t step) {
    ComparedCell cell;
    const StepReport* r = step_of(comparison, run, step);
    if (r == nullptr) return cell;
    cell.step = r;
    if (r->kind == StepReport::Kind::advance) {
        cell.result = ComparedCell::Result::ok;
        cell.events = event_names_of(r->fired);
    } else {
        cell.result = r->outcome == StepReport::Outcome::refused ? ComparedCell::Result::refused
                      : r->executed                              ? ComparedCell::Result::ok
                                    : ComparedCell::Result::not_executed;
        for (const auto& reason : r->refusals) {
            cell.reasons.emplace_back(to_string(static_cast<errc>(reason.code.value())));
        }
        cell.deadlines = event_names_of(r->fired);
        cell.events = event_names_of(r->events);
    }
    cell.effects = effect_kinds_of(r->fired_effects);
    const auto own = effect_kinds_of(r->effects);
    cell.effects.insert(cell.effects.end(), own.begin(), own.end());
    cell.charges = r->charges_after;
    return cell;
}

std::vector<std::string> differences(const Comparison& comparison, std::size_t step) {
    // A run that stopped before the step (its setup failed) says nothing about the step.
    std::vector<ComparedCell> reached;
    for (std::size_t i = 0; i < comparison.runs.size(); ++i) {
        auto cell = cell_of(comparison, i, step);
        if (cell.step != nullptr) reached.push_back(std::move(cell));
    }
    const auto differ = [](const std::vector<ComparedCell>& list, auto&& value) {
        for (const auto& c : list) {
            if (value(c) != value(list.front())) return true;
        }
        return false;
    };
    std::vector<std::string> out;
    if (differ(reached, [](const ComparedCell& c) { return c.result; })) {
        out.emplace_back("result");
    }
    if (differ(reached, [](const ComparedCell& c) { return c.reasons; })) {
        out.emplace_back("reasons");
    }
    if (differ(reached, [](const ComparedCell& c) { return c.deadlines; })) {
        out.emplace_back("deadlines");
    }
    if (differ(reached, [](const ComparedCell& c) { return c.events; })) out.emplace_back("events");
    if (differ(reached, [](const ComparedCell& c) { return c.effects; })) {
        out.emplace_back("effects");
    }
    const auto charges_said = [](const ComparedCell& c) {
        std::vector<std::string> said;
        for (const auto& x : c.charges) said.push_back(to_string(x));
        return said;
    };
    if (differ(reached, charges_said)) out.emplace_back("charges");
    return out;
}

std::string comparison_to_json(const Comparison& comparison) {
    const Scenario& s = comparison.scenario;
    ComparisonJson j = ComparisonJson::object();
    j["scenario"] = comparison.source;
    j["title"] = s.title;
    j["start"] = format_time(s.start);
    ComparisonJson policies = ComparisonJson::array();
    for (const auto& run : comparison.runs) {
        ComparisonJson p = ComparisonJson::object();
        p["name"] = run.label;
        p["policy"] = run.report.policy;
        p["argument"] = run.argument;
        p["store"] = run.report.store;
        ComparisonJson unmet = ComparisonJson::array();
        for (const auto& r : run.report.steps) {
            if (r.kind != StepReport::Kind::setup && !r.unmet.empty()) unmet.push_back(r.label);
        }
        p["unmet"] = std::move(unmet);
        p["ok"] = run.report.ok();
        p["failure"] = failure_json(run.report.failure);
        policies.push_back(std::move(p));
    }
    j["policies"] = std::move(policies);
    ComparisonJson steps = ComparisonJson::array();
    ComparisonJson summary = ComparisonJson::array();
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        const Step& step = s.steps[i];
        ComparisonJson js = ComparisonJson::object();
        js["label"] = "step " + std::to_string(step.number);
        js["field"] = step.field;
        js["kind"] = step.kind == Step::Kind::advance ? "advance" : "command";
        js["at"] = format_time(step.at);
        if (step.kind == Step::Kind::command) {
            js["actor"] = step.actor;
            js["operation"] = std::string(command_name(step.command));
            js["target"] = target_of(step.command);
            js["command"] = ComparisonJson::parse(to_json(step.command));
        } else {
            js["operation"] = "advance";
        }
        if (!step.note.empty()) js["note"] = step.note;
        ComparisonJson by_policy = ComparisonJson::array();
        for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
            by_policy.push_back(cell_json(comparison.runs[k].label, cell_of(comparison, k, i)));
        }
        js["by_policy"] = std::move(by_policy);
        const auto differs = differences(comparison, i);
        js["differs"] = differs;
        if (!differs.empty()) {
            ComparisonJson d = ComparisonJson::object();
            d["label"] = js["label"];
            d["field"] = step.field;
            d["differs"] = differs;
            summary.push_back(std::move(d));
        }
        steps.push_back(std::move(js));
    }
    j["steps"] = std::move(steps);
    j["differences"] = std::move(summary);
    j["ok"] = comparison.ok();
    return j.dump(2, ' ', false, ComparisonJson::error_handler_t::replace) + '\n';
}

}  // namespace calltrack::cli
