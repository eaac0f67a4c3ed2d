// Policy files as the command line reads them: an overlay's "extends" that names no preset is
// another file, relative to the directory of the file that names it. The library reads no files
// (policy.hpp's PolicyResolver), so finding and reading them is here, once, for --policy, the
// recorded policy and every `policy` action.

#include "command_line.hpp"

#include <calltrack/policy_history.hpp>

#include <boost/system/error_code.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace calltrack::cli::command_line {
namespace {

namespace fs = std::filesystem;

/// The name a file is known by in a chain: its path made plain (no "." or "x/.."), so that a
/// cycle written two ways is still seen, and relative paths stay as short as the user wrote them.
std::string plain_path(const fs::path& path) {
    return path.lexically_normal().string();
}

result<PolicyDocument> read_beside(std::string_view extends, std::string_view from) {
    const fs::path target = fs::path(std::string(from)).parent_path() / std::string(extends);
    PolicyDocument document{plain_path(target), {}};
    std::ifstream in(document.name, std::ios::binary);
    if (!in) return boost::system::error_code(errno, boost::system::generic_category());
    std::ostringstream text;
    text << in.rdbuf();
    document.text = text.str();
    return document;
}

}  // namespace

result<Policy> policy_from_file(const std::string& path, const std::string& text,
                                std::string* why) {
    PolicyDiagnostic diagnostic;
    auto policy =
        policy_from_json(PolicyDocument{plain_path(path), text}, read_beside, &diagnostic);
    if (!policy) {
        std::string where = path + ": ";
        if (!diagnostic.document.empty() && diagnostic.document != plain_path(path)) {
            where += "in " + diagnostic.document + ": ";
        }
        if (!diagnostic.field.empty()) where += diagnostic.field + ": ";
        *why = where + (diagnostic.problem.empty() ? policy.error().message() : diagnostic.problem);
    }
    return policy;
}

result<Policy> load_preset_or_file(const std::string& argument, std::string* why,
                                   std::string_view unreadable) {
    if (auto preset = policies::by_name(argument)) return preset;
    const auto text = read_file(argument, why);
    if (!text) {
        *why += unreadable;
        return errc::policy_invalid_value;
    }
    return policy_from_file(argument, *text, why);
}

bool is_history_document(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_object() && j.contains("versions");
}

result<PolicyHistory> history_from_file(const std::string& path, const std::string& text,
                                        std::string* why) {
    if (!is_history_document(text)) {
        auto policy = policy_from_file(path, text, why);
        if (!policy) return policy.error();
        return PolicyHistory(std::move(policy).value());
    }
    PolicyDiagnostic diagnostic;
    auto history = policy_history_from_json(text, &diagnostic);
    if (!history) {
        *why = path + ": " + (diagnostic.field.empty() ? "" : diagnostic.field + ": ")
               + (diagnostic.problem.empty() ? history.error().message() : diagnostic.problem);
    }
    return history;
}

std::string history_document(const PolicyHistory& history) {
    return history.versions().size() == 1 ? policy_to_json(history.latest().policy)
                                          : policy_history_to_json(history);
}

result<PolicyHistory> load_preset_or_history(const std::string& argument, std::string* why,
                                             std::string_view unreadable) {
    if (auto preset = policies::by_name(argument)) return PolicyHistory(std::move(preset).value());
    const auto text = read_file(argument, why);
    if (!text) {
        *why += unreadable;
        return errc::policy_invalid_value;
    }
    return history_from_file(argument, *text, why);
}

}  // namespace calltrack::cli::command_line
