// `calltrack compare`: its help, the list of policies it is given, and its exit status. What it
// runs and prints is compare.hpp's.

#include "command_line.hpp"

#include "compare.hpp"
#include "scenario.hpp"

#include <calltrack/detail/suggest.hpp>

#include <charconv>
#include <map>
#include <utility>

namespace calltrack::cli::command_line {
namespace {

constexpr std::string_view compare_help =
    R"(usage: calltrack compare SCENARIO.json [--policies POLICY,POLICY,...] [--width N] [--json]

Plays the scenario's setup and steps under each policy, each run in its own in-memory store on its
own manual clock, and prints per step one column per policy: allowed or refused (with the reason
codes), the deadlines fired before it, the events and host effects (their names), the charges
after (of what the step acts on, and of any owner whose billing changed), and whether the step's
expectation under that policy is met (expect_by_policy is looked up by the policy's name). Then
the steps where the policies differ, and each policy's verdict. A missed expectation does not stop
that policy's run, so every step is shown under every policy; a setup entry that fails does.

  --policies LIST  comma-separated, at least two: ctm, callrail, smrtphone, a policy or history
                   file (as run --policy takes), or "scenario" for the file's own policy.
                   Default: the file's own policy, if it names one, then each preset it is not
  --width N        the text's width in columns, 60 to 1000 (default 100): a cell wraps at
                   spaces, and a word longer than its column is cut and continued below
  --json           print one JSON document instead of the columns

Exit status: 0 when every expectation under every policy is met, 1 otherwise.
)";

constexpr std::string_view scenario_token = "scenario";

int compare_fail(std::ostream& err, const std::string& message) {
    err << "calltrack: " << message << '\n';
    return exit_failed;
}

/// The policy `token` names; nullopt after saying why on `why`.
std::optional<PolicyHistory> policy_named(const std::string& token, const Scenario& scenario,
                                          const std::string& file, std::string* why) {
    if (token == scenario_token) {
        if (const auto* preset = std::get_if<std::string>(&scenario.policy)) {
            return PolicyHistory(policies::by_name(*preset).value());
        }
        if (const auto* document = std::get_if<PolicyHistory>(&scenario.policy)) return *document;
        *why = "--policies: scenario: " + file + " names no policy of its own";
        return std::nullopt;
    }
    // A bare word that is neither a preset nor a file is most likely a misspelt preset.
    const bool looks_like_path = token.find_first_of("/.") != std::string::npos;
    const std::vector<std::string> words = {"ctm", "callrail", "smrtphone",
                                            std::string(scenario_token)};
    const std::string unreadable =
        looks_like_path ? std::string(" (a policy is ctm, callrail, smrtphone, scenario or a file)")
                        : "; nor is it a preset or \"scenario\": " + detail::suggest(token, words);
    auto loaded = load_preset_or_history(token, why, unreadable);
    if (!loaded) {
        *why = "--policies: " + *why;
        return std::nullopt;
    }
    return std::move(loaded).value();
}

/// The tokens of the default list: the file's own policy, then each preset it is not.
std::vector<std::string> default_policies(const Scenario& scenario) {
    std::vector<std::string> out;
    const auto* preset = std::get_if<std::string>(&scenario.policy);
    if (preset != nullptr) {
        out.push_back(*preset);
    } else if (std::holds_alternative<PolicyHistory>(scenario.policy)) {
        out.emplace_back(scenario_token);
    }
    for (const char* name : {"ctm", "callrail", "smrtphone"}) {
        if (preset == nullptr || *preset != name) out.emplace_back(name);
    }
    return out;
}

std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (;;) {
        const std::size_t comma = list.find(',', at);
        std::string item =
            list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        const auto first = item.find_first_not_of(' ');
        const auto last = item.find_last_not_of(' ');
        out.push_back(first == std::string::npos ? std::string()
                                                 : item.substr(first, last - first + 1));
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return out;
}

}  // namespace

int compare_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto e =
            parse_arguments(all, 1, {"--policies", "--width"}, {"--json"}, compare_help, args)) {
        return usage(err, *e);
    }
    if (args.help) {
        out << compare_help;
        return exit_ok;
    }
    if (args.positional.size() != 1) {
        return usage(err, {args.positional.empty() ? "compare needs a scenario file"
                                                   : "compare takes one scenario file",
                           compare_help});
    }
    std::size_t width = compare_default_width;
    if (auto given = args.value("--width")) {
        const char* end = given->data() + given->size();
        const auto parsed = std::from_chars(given->data(), end, width);
        if (parsed.ec != std::errc() || parsed.ptr != end || width < 60 || width > 1000) {
            return usage(err, {"--width takes a number of columns from 60 to 1000, not " + *given,
                               compare_help});
        }
    }
    std::vector<std::string> tokens;
    if (auto given = args.value("--policies")) {
        tokens = split_list(*given);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (tokens[i].empty()) {
                return usage(err, {"--policies: entry " + std::to_string(i + 1) + " of \"" + *given
                                       + "\" is empty; separate the policies with single commas",
                                   compare_help});
            }
            for (std::size_t k = 0; k < i; ++k) {
                if (tokens[k] == tokens[i]) {
                    return usage(err,
                                 {"--policies: " + tokens[i] + " is given twice", compare_help});
                }
            }
        }
        if (tokens.size() < 2) {
            return usage(err, {"compare needs at least two policies, separated by commas "
                               "(--policies ctm,callrail)",
                               compare_help});
        }
    }

    const std::string& file = args.positional.front();
    std::string why;
    const auto text = read_file(file, &why);
    if (!text) return compare_fail(err, why);
    ScenarioDiagnostic diagnostic;
    auto scenario = parse_scenario(*text, &diagnostic);
    if (!scenario) return compare_fail(err, file + ": " + to_string(diagnostic));
    if (tokens.empty()) tokens = default_policies(scenario.value());

    std::vector<ComparedPolicy> policies;
    std::map<std::string, std::size_t> names;
    for (const auto& token : tokens) {
        auto policy = policy_named(token, scenario.value(), file, &why);
        if (!policy) return compare_fail(err, why);
        std::string name = policy->latest().policy.name;
        ++names[name];
        policies.push_back(ComparedPolicy{std::move(name), token, std::move(*policy)});
    }
    // Two policies of one name (the file's history "ctm" and the preset ctm) are told apart by
    // what named them.
    for (auto& p : policies) {
        if (names[p.label] > 1) p.label += " (" + p.argument + ")";
    }
    if (policies.size() < 2) {
        return compare_fail(err, file + ": compare needs at least two policies; the file names "
                                        "one at most, so give --policies");
    }

    Comparison comparison = compare_scenario(scenario.value(), policies);
    comparison.source = file;
    if (args.has("--json")) {
        out << comparison_to_json(comparison);
    } else {
        print_comparison(out, comparison, width);
    }
    out.flush();
    if (comparison.ok()) return exit_ok;
    for (const auto& run : comparison.runs) {
        if (!run.report.failure) continue;
        const auto& f = *run.report.failure;
        std::string where = file + ": under " + run.label + ": ";
        if (!f.location.empty()) where += f.location + ": ";
        if (!f.field.empty()) where += f.field + ": ";
        err << "calltrack: " << where << f.message << '\n';
    }
    return exit_failed;
}

}  // namespace calltrack::cli::command_line
