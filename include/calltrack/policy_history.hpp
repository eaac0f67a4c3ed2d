#pragma once

// A vendor's rules over time: an ordered list of versions, each in force from its own instant
// until the next one's. Every decision is judged under the version in force at its time, and
// every stored event records the name of the version it was decided under, so an old account's
// history reads as it was decided. A window is not re-judged when the version changes: it ends
// at the instant stored when it opened (docs/policies.md, "Versions").

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/policy.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

/// One version of a vendor's rules and the instant from which it is in force.
struct PolicyVersion {
    std::string version;  ///< unique in its history ("2020-10"); stored with each event
    Time effective_from;  ///< in force from this instant (inclusive) until the next version's
    Policy policy;
    CALLTRACK_FIELDS(PolicyVersion, version, effective_from, policy)
};

class CALLTRACK_API PolicyHistory {
  public:
    /// A policy without a history: one version named after the policy, in force at every time.
    /// Implicit on purpose, so that whatever took a Policy takes one unchanged.
    PolicyHistory(Policy policy);  // NOLINT(google-explicit-constructor)

    /// Refuses an empty list, a version with an empty or repeated name, effective instants that
    /// do not strictly increase, and an invalid policy; `diagnostic` names the field as the
    /// JSON document does ("versions[1].effective_from", "versions[0].policy.pause.maximum").
    static result<PolicyHistory> make(std::vector<PolicyVersion> versions,
                                      PolicyDiagnostic* diagnostic = nullptr);

    /// The version in force at `t`: the last one whose effective_from is at or before `t`. A
    /// time before the first version's instant is judged under the first version: the earliest
    /// rules known are the rules of everything before them.
    const PolicyVersion& in_force_at(Time t) const noexcept;
    /// The version with that name, or nullptr.
    const PolicyVersion* find(std::string_view version) const noexcept;
    const PolicyVersion& latest() const noexcept { return versions_.back(); }
    const std::vector<PolicyVersion>& versions() const noexcept { return versions_; }

    friend bool operator==(const PolicyHistory& a, const PolicyHistory& b) {
        return a.versions_ == b.versions_;
    }
    friend bool operator!=(const PolicyHistory& a, const PolicyHistory& b) { return !(a == b); }

  private:
    explicit PolicyHistory(std::vector<PolicyVersion> versions) : versions_(std::move(versions)) {}
    std::vector<PolicyVersion> versions_;  // never empty, in effective order
};

/// Reads a history document, {"versions": [{"version", "effective_from", "policy"}, ...]}, or a
/// single policy document (one version, as PolicyHistory(Policy) makes). Unknown keys are
/// refused, and every error names its field.
CALLTRACK_API result<PolicyHistory> policy_history_from_json(
    std::string_view json, PolicyDiagnostic* diagnostic = nullptr);
/// A history document that policy_history_from_json reads back to an equal history.
CALLTRACK_API std::string policy_history_to_json(const PolicyHistory& history);

namespace policies {
/// The preset's documented versions: CallRail before and after October 2020, smrtPhone's older
/// and newer cancel articles, CTM's one. docs/policies.md dates each change.
CALLTRACK_API result<PolicyHistory> history_by_name(std::string_view name);
}  // namespace policies

}  // namespace calltrack
