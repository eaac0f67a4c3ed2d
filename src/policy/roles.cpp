// A policy's roles: looking one up, what a grant of one gives through its implications, and
// which roles give what a rule allows. Apart from the presets because the core asks these of any
// policy, a host's own included.

#include <calltrack/policy.hpp>

#include <calltrack/detail/policy_names.hpp>

#include <algorithm>

namespace calltrack {

std::string_view to_string(ScopeKind k) noexcept {
    return detail::name_of(detail::scope_kind_names, k);
}

std::string_view to_string(TargetKind k) noexcept {
    return detail::name_of(detail::target_kind_names, k);
}

namespace {

/// Whether a grant of a role granted on `on` can reach a target of kind `kind`: an account
/// grant reaches that account, an agency grant the agency and its sub-accounts, a platform grant
/// everything.
bool can_reach(const std::vector<ScopeKind>& on, TargetKind kind) {
    return std::any_of(on.begin(), on.end(), [&](ScopeKind scope) {
        switch (scope) {
            case ScopeKind::platform:
                return true;
            case ScopeKind::agency:
                return kind != TargetKind::account;
            case ScopeKind::account:
                break;
        }
        return kind != TargetKind::agency;
    });
}

}  // namespace

const RoleDefinition* Policy::role(const Role& wanted) const noexcept {
    const auto it = std::find_if(roles.begin(), roles.end(),
                                 [&](const RoleDefinition& d) { return d.name == wanted; });
    return it == roles.end() ? nullptr : &*it;
}

RoleSet Policy::implied_by(const Role& held) const {
    // Breadth first over the declared implications; the set stops a cycle, which validation
    // refuses anyway, from looping.
    RoleSet out{held};
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto* definition = role(*(out.begin() + static_cast<std::ptrdiff_t>(i)));
        if (definition == nullptr) continue;
        for (const Role& r : definition->implies) out.insert(r);
    }
    return out;
}

RoleSet Policy::roles_giving(const RoleSet& allowed, TargetKind on) const {
    RoleSet out;
    for (const auto& definition : roles) {
        if (!can_reach(definition.granted_on, on)) continue;
        const RoleSet gives = implied_by(definition.name);
        if (std::any_of(gives.begin(), gives.end(),
                        [&](const Role& r) { return allowed.contains(r); })) {
            out.insert(definition.name);
        }
    }
    return out;
}

std::vector<RoleDefinition> original_roles() {
    return {
        RoleDefinition{
            Role::agency_administrator, "Agency Administrator", {ScopeKind::agency}, {}, false},
        RoleDefinition{Role::administrator,
                       "Administrator",
                       {ScopeKind::account, ScopeKind::agency},
                       {},
                       false},
        RoleDefinition{Role::account_owner,
                       "Account Owner",
                       {ScopeKind::account, ScopeKind::agency},
                       {},
                       false},
        RoleDefinition{Role::support, "Support", {ScopeKind::platform}, {}, false},
    };
}

}  // namespace calltrack
