// policy_diff(): the fields in which two policies differ, found by walking their canonical
// documents side by side. On the documents rather than the structs so that a difference is named
// by the same path and spelt with the same values as the document a person edits.

#include <calltrack/policy.hpp>

#include <nlohmann/json.hpp>

#include <calltrack/detail/json_document.hpp>

#include <string>
#include <vector>

namespace calltrack {
namespace {

using Json = nlohmann::ordered_json;

std::string value_text(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// Both documents come from policy_to_json, so two objects at one path have the same keys in the
/// same order; only a value of another shape (a window of days against "unlimited", or against
/// local days) ends the walk above the leaves.
void walk(const Json& a, const Json& b, const std::string& path,
          std::vector<PolicyDifference>& out) {
    // A window of exact days against one of local days: objects of other keys, so one leaf.
    const auto same_keys = [&] {
        if (a.size() != b.size()) return false;
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
            if (ia.key() != ib.key()) return false;
        }
        return true;
    };
    if (a.is_object() && b.is_object() && same_keys()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            walk(it.value(), b.at(it.key()), detail::join(path, it.key()), out);
        }
        return;
    }
    if (a != b) out.push_back({path, value_text(a), value_text(b)});
}

}  // namespace

std::vector<PolicyDifference> policy_diff(const Policy& a, const Policy& b) {
    std::vector<PolicyDifference> out;
    walk(Json::parse(policy_to_json(a)), Json::parse(policy_to_json(b)), "", out);
    return out;
}

}  // namespace calltrack
