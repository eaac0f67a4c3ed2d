// PolicyHistory: a vendor's versions in effective order, the one in force at a time, and the
// history document. Each version's policy is read and written by the policy codec itself, so a
// version's "policy" is exactly a policy document and its errors name the same fields, under
// "versions[i].policy".

#include <calltrack/policy_history.hpp>

#include "policy_json.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/suggest.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

using detail::in_quotes;
using detail::indexed;
using detail::join;
using policy_detail::refuse;

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view history_keys[] = {"versions"};
constexpr std::string_view version_keys[] = {"version", "effective_from", "policy"};

/// A field of a version's policy, as the history document names it.
std::string in_version(std::size_t index, const std::string& field) {
    const auto policy = indexed("versions", index) + ".policy";
    return field.empty() ? policy : join(policy, field);
}

}  // namespace

PolicyHistory::PolicyHistory(Policy policy) {
    PolicyVersion only;
    only.version = policy.name;
    only.effective_from = first_time();
    only.policy = std::move(policy);
    versions_.push_back(std::move(only));
}

result<PolicyHistory> PolicyHistory::make(std::vector<PolicyVersion> versions,
                                          PolicyDiagnostic* diagnostic) {
    if (versions.empty()) {
        return refuse(diagnostic, errc::policy_invalid_value, "versions",
                      "a history needs at least one version")
            .error();
    }
    std::set<std::string, std::less<>> names;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const auto& v = versions[i];
        const auto at = indexed("versions", i);
        if (v.version.empty()) {
            return refuse(diagnostic, errc::policy_invalid_value, join(at, "version"),
                          "a version needs a name, which every event decided under it records")
                .error();
        }
        if (!names.insert(v.version).second) {
            return refuse(diagnostic, errc::policy_contradictory, join(at, "version"),
                          "the version " + in_quotes(v.version) + " is named twice")
                .error();
        }
        if (i > 0 && !(versions[i - 1].effective_from < v.effective_from)) {
            return refuse(diagnostic, errc::policy_contradictory, join(at, "effective_from"),
                          "version " + in_quotes(v.version) + " is in force from "
                              + format_time(v.effective_from) + ", not after version "
                              + in_quotes(versions[i - 1].version) + " ("
                              + format_time(versions[i - 1].effective_from)
                              + "); versions are listed in the order they came into force")
                .error();
        }
        PolicyDiagnostic inner;
        if (auto valid = validate(v.policy, &inner); !valid) {
            return refuse(diagnostic, static_cast<errc>(valid.error().value()),
                          in_version(i, inner.field), inner.problem)
                .error();
        }
    }
    return PolicyHistory(std::move(versions));
}

const PolicyVersion& PolicyHistory::in_force_at(Time t) const noexcept {
    // The first version whose start is after t; the one before it is in force.
    const auto after =
        std::upper_bound(versions_.begin(), versions_.end(), t,
                         [](Time time, const PolicyVersion& v) { return time < v.effective_from; });
    return after == versions_.begin() ? versions_.front() : *std::prev(after);
}

const PolicyVersion* PolicyHistory::find(std::string_view version) const noexcept {
    for (const auto& v : versions_) {
        if (v.version == version) return &v;
    }
    return nullptr;
}

result<PolicyHistory> policy_history_from_json(std::string_view json,
                                               PolicyDiagnostic* diagnostic) {
    Json document;
    // A document that does not parse, or holds no versions, is read as one policy, so that the
    // policy reader alone words every parse failure.
    const bool is_json = !detail::parse_document(json, document);
    if (!is_json || !document.is_object() || !document.contains("versions")) {
        auto policy = policy_from_json(json, diagnostic);
        if (!policy) return policy.error();
        return PolicyHistory(std::move(policy.value()));
    }
    if (const auto unknown = detail::first_unknown_key(document, history_keys)) {
        return refuse(diagnostic, errc::policy_unknown_key, *unknown,
                      detail::unknown_key_problem(*unknown, history_keys)
                          + "; a history document holds only its versions")
            .error();
    }
    const auto& list = document["versions"];
    if (!list.is_array()) {
        return refuse(diagnostic, errc::policy_invalid_value, "versions",
                      "expected an array of versions, got " + detail::describe_type(list))
            .error();
    }
    std::vector<PolicyVersion> versions;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& item = list[i];
        const auto at = indexed("versions", i);
        if (!item.is_object()) {
            return refuse(diagnostic, errc::policy_invalid_value, at,
                          "expected an object, got " + detail::describe_type(item))
                .error();
        }
        if (const auto unknown = detail::first_unknown_key(item, version_keys)) {
            return refuse(diagnostic, errc::policy_unknown_key, join(at, *unknown),
                          detail::unknown_key_problem(*unknown, version_keys))
                .error();
        }
        if (const auto missing = detail::first_missing_key(item, version_keys)) {
            return refuse(diagnostic, errc::policy_invalid_value, join(at, *missing),
                          "missing key " + in_quotes(*missing))
                .error();
        }
        PolicyVersion v;
        if (!item["version"].is_string()) {
            return refuse(diagnostic, errc::policy_invalid_value, join(at, "version"),
                          "expected a string, got " + detail::describe_type(item["version"]))
                .error();
        }
        v.version = item["version"].get<std::string>();
        const auto& from = item["effective_from"];
        const auto parsed = from.is_string() ? parse_time(from.get<std::string>())
                                             : result<Time>(errc::invalid_time);
        if (!parsed) {
            return refuse(diagnostic, errc::policy_invalid_value, join(at, "effective_from"),
                          "expected a time such as \"2020-10-01T00:00:00Z\", got "
                              + (from.is_string() ? in_quotes(from.get<std::string>())
                                                  : detail::describe_type(from)))
                .error();
        }
        v.effective_from = parsed.value();
        PolicyDiagnostic inner;
        auto policy = policy_from_json(item["policy"].dump(), &inner);
        if (!policy) {
            return refuse(diagnostic, static_cast<errc>(policy.error().value()),
                          in_version(i, inner.field), inner.problem)
                .error();
        }
        v.policy = std::move(policy.value());
        versions.push_back(std::move(v));
    }
    return PolicyHistory::make(std::move(versions), diagnostic);
}

std::string policy_history_to_json(const PolicyHistory& history) {
    Json versions = Json::array();
    for (const auto& v : history.versions()) {
        Json item = Json::object();
        item["version"] = v.version;
        item["effective_from"] = format_time(v.effective_from);
        item["policy"] = Json::parse(policy_to_json(v.policy));
        versions.push_back(std::move(item));
    }
    Json j = Json::object();
    j["versions"] = std::move(versions);
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace calltrack
