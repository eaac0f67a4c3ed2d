// Provisioning: creating agencies, opening accounts, adding tracking numbers, changing their
// forwarding destination, setting the plan, and granting and revoking roles. They set up what an
// account or agency has without moving it through the lifecycle: they read no window and no
// cancellation rule and change no charges, so they are read together as the setup rules.
#include "judge.hpp"

#include <algorithm>
#include <string>

namespace calltrack::core {
namespace {

std::string a_scope(ScopeKind k) {
    switch (k) {
        case ScopeKind::platform:
            return "the platform";
        case ScopeKind::agency:
            return "an agency";
        case ScopeKind::account:
            break;
    }
    return "an account";
}

std::string declared_roles(const Policy& policy) {
    RoleSet names;
    for (const auto& definition : policy.roles) names.insert(definition.name);
    return to_string(names);
}

/// A grant names a role the policy declares, on a scope that role is granted on; a revoke may
/// also name a role the policy no longer declares, so that a grant left by an older version can
/// be taken away.
bool grant_fits_policy(Judge& j, const RoleGrant& grant, bool granting) {
    const auto* definition = j.policy.role(grant.role);
    if (definition == nullptr) {
        if (!granting) return true;
        j.refuse(errc::invalid_role, "the " + j.policy.name + " policy has no role "
                                         + std::string(to_string(grant.role))
                                         + "; its roles are: " + declared_roles(j.policy));
        return false;
    }
    if (definition->is_granted_on(scope_kind_of(grant.scope))) return true;
    std::string where;
    for (const ScopeKind k : definition->granted_on)
        where += (where.empty() ? "" : " or ") + a_scope(k);
    j.refuse(errc::invalid_role, std::string(to_string(grant.role)) + " is granted on " + where
                                     + ", not on " + a_scope(scope_kind_of(grant.scope)));
    return false;
}

/// The user other than `user` who holds `grant` already, where the role has one holder.
const UserId* other_holder(const Judge& j, const UserId& user, const RoleGrant& grant) {
    const auto* definition = j.policy.role(grant.role);
    if (definition == nullptr || !definition->one_holder) return nullptr;
    for (const auto& [holder, grants] : j.state.grants) {
        if (holder != user && std::find(grants.begin(), grants.end(), grant) != grants.end()) {
            return &holder;
        }
    }
    return nullptr;
}

void check_grant(Judge& j, Operation op, const UserId& user, const RoleGrant& grant, bool granting,
                 Events* out) {
    j.offered(op);
    if (!grant_fits_policy(j, grant, granting)) return;
    const bool on_platform = std::holds_alternative<Platform>(grant.scope);
    if (on_platform) {
        if (!is_support(j.actor, j.policy)) {
            j.refuse(errc::support_only,
                     "only the vendor's support can grant or revoke a role on "
                     "the platform");
        }
    } else if (const auto* id = std::get_if<AccountId>(&grant.scope)) {
        const auto* a = j.account(*id);
        if (a == nullptr) return;
        j.authorized(op, target_of(*a));
        j.gate(op, *a);
    } else {
        const auto* g = j.agency(std::get<AgencyId>(grant.scope));
        if (g == nullptr) return;
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
    }
    const auto it = j.state.grants.find(user);
    const bool held = it != j.state.grants.end()
                      && std::find(it->second.begin(), it->second.end(), grant) != it->second.end();
    if (granting && held) {
        j.refuse(errc::already_in_state, "user " + user.str() + " is "
                                             + std::string(to_string(grant.role)) + " on "
                                             + to_string(grant.scope) + " already");
    } else if (!granting && !held) {
        j.refuse(errc::already_in_state, "user " + user.str() + " is not "
                                             + std::string(to_string(grant.role)) + " on "
                                             + to_string(grant.scope));
    }
    if (granting && !held) {
        if (const auto* holder = other_holder(j, user, grant)) {
            j.refuse(errc::role_already_held,
                     "user " + holder->str() + " is " + std::string(to_string(grant.role)) + " on "
                         + to_string(grant.scope) + ", and the " + j.policy.name
                         + " policy allows one; revoke theirs first");
        }
    }
    if (out && j.ok()) {
        if (granting) {
            out->push_back(events::RoleGranted{user, grant, j.now});
        } else {
            out->push_back(events::RoleRevoked{user, grant, j.now});
        }
    }
}

}  // namespace

void handle(Judge& j, const commands::CreateAgency& c, Events* out) {
    const auto op = Operation::create_agency;
    j.offered(op);
    const Target target{TargetKind::agency, nullptr, &c.agency};
    j.authorized(op, target);
    if (j.state.find_agency(c.agency) != nullptr) {
        j.refuse(errc::already_exists, "agency " + c.agency.str() + " exists already");
    }
    if (out && j.ok()) {
        out->push_back(events::AgencyCreated{c.agency, Money::zero(c.currency),
                                             j.policy.charges.agency_active, j.now});
    }
}

void handle(Judge& j, const commands::OpenAccount& c, Events* out) {
    const auto op = Operation::open_account;
    j.offered(op);
    const Agency* g = nullptr;
    if (c.agency) {
        g = j.agency(*c.agency);
        if (g == nullptr) return;
    }
    const Target target = c.agency ? Target{TargetKind::sub_account, &c.account, &*c.agency}
                                   : Target{TargetKind::account, &c.account, nullptr};
    j.authorized(op, target);
    if (g != nullptr) j.gate(op, *g);
    if (j.state.find_account(c.account) != nullptr) {
        j.refuse(errc::already_exists, "account " + c.account.str() + " exists already");
    }
    if (out && j.ok()) {
        out->push_back(events::AccountOpened{c.account, c.agency, c.plan, Money::zero(c.currency),
                                             j.policy.charges.active, j.now});
        // A rule that suspends at or below zero suspends a new account until its first credit.
        emit_suspension(*out, j.policy, c.account, false, Money::zero(c.currency), j.now);
    }
}

void handle(Judge& j, const commands::AddTrackingNumber& c, Events* out) {
    const auto op = Operation::add_tracking_number;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    if (j.state.find_number(c.number) != nullptr) {
        j.refuse(errc::already_exists, "tracking number " + c.number.str() + " exists already");
    }
    if (const auto* other = number_in_use(j.state, c.phone_number, nullptr)) {
        j.refuse(errc::already_exists, c.phone_number.e164() + " is already tracking number "
                                           + other->id.str() + " on account "
                                           + other->account.str());
    }
    if (out && j.ok()) {
        out->push_back(events::TrackingNumberAdded{c.number, c.account, c.phone_number,
                                                   c.forwarding_destination, c.source, j.now});
    }
}

void handle(Judge& j, const commands::ChangeForwarding& c, Events* out) {
    const auto op = Operation::change_forwarding;
    const auto [n, a] = j.number_for(op, c.number);
    if (n == nullptr) return;
    if (n->status != NumberStatus::active && n->status != NumberStatus::held) {
        j.refuse(errc::invalid_state,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
    }
    if (n->forwarding_destination == c.forwarding_destination) {
        j.refuse(errc::already_in_state, "tracking number " + n->id.str() + " forwards to "
                                             + c.forwarding_destination.e164() + " already");
    }
    if (out && j.ok()) {
        out->push_back(events::ForwardingChanged{c.number, c.forwarding_destination, j.now});
    }
}

void handle(Judge& j, const commands::SetPlan& c, Events* out) {
    const auto op = Operation::set_plan;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    if (a->plan == c.plan)
        j.refuse(errc::already_in_state, "the plan is " + c.plan.name + " already");
    if (out && j.ok()) out->push_back(events::PlanChanged{c.account, c.plan, j.now});
}

void handle(Judge& j, const commands::GrantRole& c, Events* out) {
    check_grant(j, Operation::grant_role, c.user, c.grant, true, out);
}
void handle(Judge& j, const commands::RevokeRole& c, Events* out) {
    check_grant(j, Operation::revoke_role, c.user, c.grant, false, out);
}

}  // namespace calltrack::core
