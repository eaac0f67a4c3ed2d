// Provisioning: creating agencies, opening accounts, adding tracking numbers, changing their
// forwarding destination, setting the plan, and granting and revoking roles. They set up what an
// account or agency has without moving it through the lifecycle: they read no window and no
// cancellation rule and change no charges, so they are read together as the setup rules.
#include "judge.hpp"

#include <algorithm>
#include <string>

namespace calltrack::core {
namespace {

/// Grants follow the scopes' nature: support on the platform only, agency administrators on an
/// agency only, and account roles on an account or an agency.
void check_grant(Judge& j, Operation op, const UserId& user, const RoleGrant& grant, bool granting,
                 Events* out) {
    j.offered(op);
    const bool on_platform = std::holds_alternative<Platform>(grant.scope);
    if ((grant.role == Role::support) != on_platform) {
        j.refuse(errc::invalid_role,
                 "the support role is granted on the platform scope, and "
                 "only it");
        return;
    }
    if (grant.role == Role::agency_administrator
        && !std::holds_alternative<AgencyId>(grant.scope)) {
        j.refuse(errc::invalid_role, "agency_administrator is granted on an agency");
        return;
    }
    if (on_platform) {
        if (!is_support(j.actor)) {
            j.refuse(errc::support_only, "only support can grant or revoke the support role");
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
