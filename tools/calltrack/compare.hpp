#pragma once

// `calltrack compare`: one scenario's steps played under several policies, each run in its own
// InMemoryStore on its own ManualClock, and what each policy did at each step set side by side:
// allowed or refused (with the reason codes), the deadlines fired, the events and host effects
// (their names), the charges after, and whether the step's expectation under that policy was met.
// A run that misses an expectation plays on (RunOptions::keep_going), so every step is shown under
// every policy; a setup that fails leaves that policy's steps not run.

#include "runner.hpp"
#include "scenario.hpp"

#include <calltrack/policy_history.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace calltrack::cli {

/// One policy to compare under, as the command line resolved it.
struct ComparedPolicy {
    std::string label;     ///< the column's heading: the policy's name, unique among the columns
    std::string argument;  ///< as given: "ctm", "team/mine.json", "scenario" (the file's own)
    PolicyHistory policy;
};

struct PolicyRun {
    std::string label;
    std::string argument;
    RunReport report;
};

struct Comparison {
    std::string source;  ///< the scenario file, as given
    Scenario scenario;
    std::vector<PolicyRun> runs;  ///< in the order the policies were given

    /// Every expectation under every policy met, and no run stopped.
    bool ok() const;
};

/// Plays `scenario` under each policy in turn, each in a fresh in-memory store.
Comparison compare_scenario(const Scenario& scenario, const std::vector<ComparedPolicy>& policies);

/// What one policy did at one step, in the names a comparison prints and compares.
struct ComparedCell {
    enum class Result { ok, refused, not_executed, not_run };
    Result result = Result::not_run;
    std::vector<std::string> reasons;    ///< the refusal codes, in check's order
    std::vector<std::string> deadlines;  ///< events fired by deadlines before a command
    std::vector<std::string> events;     ///< the command's events, or everything an advance fired
    std::vector<std::string> effects;    ///< every host effect kind of the step, the fired first
    std::vector<ChargesAfter> charges;   ///< StepReport::charges_after
    const StepReport* step = nullptr;    ///< the runner's report; nullptr when not run
};

/// "ok", "refused", "not_executed" (allowed, but a refusal was expected), "not_run".
std::string_view to_string(ComparedCell::Result result) noexcept;

/// The cell of run `run` at the scenario's step `step` (from 0).
ComparedCell cell_of(const Comparison& comparison, std::size_t run, std::size_t step);

/// The aspects in which the policies differ at step `step`, in this order: "result", "reasons",
/// "deadlines", "events", "effects", "charges". Only the runs that reached the step are compared:
/// a run that stopped in its setup says nothing about what its policy does at a step.
std::vector<std::string> differences(const Comparison& comparison, std::size_t step);

/// "acme: subscription, usage".
std::string to_string(const ChargesAfter& charges);

/// The default width of the text form, the columns of a common terminal.
inline constexpr std::size_t compare_default_width = 100;

/// The comparison as text no wider than `width` (docs/scenarios.md: cells wrap at spaces, and a
/// word longer than its column is cut at the column's width and continued on the next line):
/// per step, one column per policy, then where the policies differ, then the verdict.
void print_comparison(std::ostream& out, const Comparison& comparison,
                      std::size_t width = compare_default_width);

/// The same as one JSON document, keys in a fixed order: {"scenario", "title", "start",
/// "policies": [...], "steps": [{..., "by_policy": [one per policy], "differs"}], "differences",
/// "ok"}.
std::string comparison_to_json(const Comparison& comparison);

/// `text` in lines of at most `width` code points: broken at spaces, a word longer than a line cut
/// at the width and continued on the next, so that nothing is lost.
std::vector<std::string> wrap_text(const std::string& text, std::size_t width);

}  // namespace calltrack::cli
