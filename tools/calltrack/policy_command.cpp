// The policy subcommand: a preset shown as a document, a file validated, a history's versions
// listed, and two policies (or versions) compared field by field. Apart from the subcommands that
// judge commands (subcommands.cpp) because it reads policies and never a database.

#include "command_line.hpp"

#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>

#include <string>
#include <string_view>

namespace calltrack::cli::command_line {
namespace {

constexpr std::string_view policy_help =
    R"(usage: calltrack policy show PRESET
       calltrack policy show --resolved PRESET|FILE.json
       calltrack policy validate FILE.json
       calltrack policy versions PRESET|FILE.json
       calltrack policy diff POLICY POLICY

show prints the preset (ctm, callrail, smrtphone) as a policy document; with --resolved, the whole
policy a file makes, its "extends" resolved. validate reads a policy document and prints OK, or
the field that is wrong and why (exit 1). versions lists a preset's or a history file's versions,
each with the instant it is in force from. diff prints one line per field that differs: its path,
then A's value and B's, as JSON, separated by tabs; exit 0 when the two are the same policy, 1
when they differ. A POLICY is a preset, a file, or one version of either: NAME@VERSION
(callrail@callrail-2020-10, history.json@2024-02).

A file may give only what it changes: "extends": "ctm" (a preset, or a file relative to its own
directory) and the fields to replace (docs/policies.md).
)";

constexpr std::string_view preset_or_file = " (a policy is ctm, callrail, smrtphone or a file)";

/// A preset's documented versions, or a file's (a policy file is one version).
result<PolicyHistory> versions_of(const std::string& argument, std::string* why) {
    if (auto preset = policies::history_by_name(argument)) return preset;
    return load_preset_or_history(argument, why, preset_or_file);
}

/// A preset, a file, or NAME@VERSION: one version of a preset's or a file's history.
result<Policy> policy_or_version(const std::string& argument, std::string* why) {
    const auto at = argument.rfind('@');
    if (at == std::string::npos) return load_preset_or_file(argument, why, preset_or_file);
    const std::string name = argument.substr(0, at);
    const std::string version = argument.substr(at + 1);
    auto history = versions_of(name, why);
    if (!history) return history.error();
    if (const auto* found = history.value().find(version)) return found->policy;
    std::string known;
    for (const auto& v : history.value().versions()) {
        known += (known.empty() ? "" : ", ") + v.version;
    }
    *why = name + " has no version \"" + version + "\"; its versions are " + known;
    return errc::policy_invalid_value;
}

}  // namespace

int policy_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {}, {"--resolved"}, policy_help, out, err, args)) {
        return *done;
    }
    if (args.positional.empty()) return usage(err, {"policy needs an action", policy_help});
    const std::string& action = args.positional[0];
    const std::size_t wanted = action == "diff" ? 3 : 2;
    if ((action == "show" || action == "validate" || action == "diff" || action == "versions")
        && args.positional.size() != wanted) {
        return usage(err, {"policy " + action + " takes "
                               + (wanted == 3 ? "two policies" : std::string("one argument")),
                           policy_help});
    }
    if (args.has("--resolved") && action != "show") {
        return usage(err, {"--resolved is an option of policy show", policy_help});
    }
    std::string why;
    if (action == "show") {
        const std::string& argument = args.positional[1];
        if (args.has("--resolved")) {
            auto history = load_preset_or_history(argument, &why, preset_or_file);
            if (!history) return fail(err, why);
            out << history_document(history.value());
            return exit_ok;
        }
        auto policy = policies::by_name(argument);
        if (!policy) {
            return fail(err, "unknown preset \"" + argument
                                 + "\"; the presets are ctm, callrail and smrtphone (for a "
                                   "policy file: policy show --resolved FILE.json)");
        }
        out << policy_to_json(policy.value());
        return exit_ok;
    }
    if (action == "validate") {
        const std::string& argument = args.positional[1];
        const auto text = read_file(argument, &why);
        if (!text) return fail(err, why);
        if (is_history_document(*text)) {
            auto history = history_from_file(argument, *text, &why);
            if (!history) return fail(err, why);
            out << "OK: " << argument << " is a valid policy history of "
                << history.value().versions().size() << " versions\n";
            return exit_ok;
        }
        auto policy = policy_from_file(argument, *text, &why);
        if (!policy) return fail(err, why);
        out << "OK: " << argument << " is a valid policy (\"" << policy.value().name << "\")\n";
        return exit_ok;
    }
    if (action == "versions") {
        auto history = versions_of(args.positional[1], &why);
        if (!history) return fail(err, why);
        for (const auto& v : history.value().versions()) {
            out << v.version << '\t' << format_time(v.effective_from) << '\t' << v.policy.name
                << '\n';
        }
        return exit_ok;
    }
    if (action == "diff") {
        const std::string& a_name = args.positional[1];
        const std::string& b_name = args.positional[2];
        auto a = policy_or_version(a_name, &why);
        if (!a) return fail(err, why);
        auto b = policy_or_version(b_name, &why);
        if (!b) return fail(err, why);
        const auto differences = policy_diff(a.value(), b.value());
        if (differences.empty()) {
            out << "no differences: " << a_name << " and " << b_name << " are the same policy\n";
            return exit_ok;
        }
        for (const auto& d : differences) out << d.field << '\t' << d.a << '\t' << d.b << '\n';
        return exit_failed;
    }
    return usage(err, {"unknown policy action " + action + "; use show, validate, versions or diff",
                       policy_help});
}

}  // namespace calltrack::cli::command_line
