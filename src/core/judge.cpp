// The questions every handler asks before its own rules: is the operation offered, may this
// actor do it on this target, is the person's confirmation what the policy asks; and the
// billing that each family changing an account's charges emits. They are apart from the
// families because every family asks them in the same order and words, so who may do what is
// said here once for every operation. The status gate is with its table, in status_table.cpp.
#include "judge.hpp"

#include <calltrack/detail/overloaded.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace calltrack::core {
namespace {

/// The kind in a refusal's words.
std::string_view kind_words(TargetKind k) {
    switch (k) {
        case TargetKind::account:
            return "standalone account";
        case TargetKind::sub_account:
            return "sub-account";
        case TargetKind::agency:
            return "agency";
    }
    return "target";
}

/// Whether the policy declares `role` as granted on the platform: the vendor's own staff.
bool platform_role(const Policy& policy, const Role& role) {
    const auto* definition = policy.role(role);
    return definition != nullptr && definition->is_granted_on(ScopeKind::platform);
}

/// A grant on the platform applies everywhere, one on an agency to the agency and its
/// sub-accounts, one on an account to that account. A platform grant of a role the policy does
/// not grant there (which only an Actor built by hand can hold) applies nowhere.
bool grant_applies(const Policy& policy, const RoleGrant& grant, const Target& target) {
    return std::visit(
        detail::overloaded{
            [&](const Platform&) { return platform_role(policy, grant.role); },
            [&](const AccountId& id) { return target.account != nullptr && *target.account == id; },
            [&](const AgencyId& id) { return target.agency != nullptr && *target.agency == id; },
        },
        grant.scope);
}

/// Whether every role in `roles` is the vendor's own staff's.
bool platform_only(const Policy& policy, const RoleSet& roles) {
    return std::all_of(roles.begin(), roles.end(),
                       [&](const Role& r) { return platform_role(policy, r); });
}

/// Whether `role` is one of `allowed` or implies one, walking the implications depth first
/// without allocating: this is on every command's path. validate() refuses a cycle; `depth`
/// (the number of roles) still ends the walk on a policy that was never validated.
bool implies_one_of(const Policy& policy, const RoleDefinition& role, const RoleSet& allowed,
                    std::size_t depth) {
    if (allowed.contains(role.name)) return true;
    if (depth == 0) return false;
    return std::any_of(role.implies.begin(), role.implies.end(), [&](const Role& implied) {
        const auto* next = policy.role(implied);
        return next != nullptr ? implies_one_of(policy, *next, allowed, depth - 1)
                               : allowed.contains(implied);
    });
}

}  // namespace

std::string Target::describe() const {
    if (kind == TargetKind::agency) return "agency " + agency->str();
    return std::string(kind_words(kind)) + " " + account->str();
}

bool gives(const Policy& policy, const RoleGrant& grant, const RoleSet& allowed) {
    // A grant on a scope its role is not granted on (which only an Actor built by hand, or a
    // grant left by an older policy, can hold) gives nothing.
    const auto* definition = policy.role(grant.role);
    if (definition == nullptr || !definition->is_granted_on(scope_kind_of(grant.scope))) {
        return false;
    }
    return implies_one_of(policy, *definition, allowed, policy.roles.size());
}

bool holds_role(const Actor& actor, const Policy& policy, const Target& target,
                const RoleSet& allowed) {
    return std::any_of(actor.grants.begin(), actor.grants.end(), [&](const RoleGrant& g) {
        return grant_applies(policy, g, target) && gives(policy, g, allowed);
    });
}

bool is_support(const Actor& actor, const Policy& policy) {
    return std::any_of(actor.grants.begin(), actor.grants.end(), [&](const RoleGrant& g) {
        return std::holds_alternative<Platform>(g.scope) && platform_role(policy, g.role);
    });
}

std::string Judge::rules_name() const {
    std::string out = "the " + policy.name + " policy";
    // An engine made from one Policy judges under one version named after it: nothing to add.
    if (version != nullptr && version->version != policy.name) {
        out += " (version " + version->version;
        // The first version of a preset is in force from the first instant calltrack holds,
        // which is no date a person set.
        if (version->effective_from != first_time()) {
            out += ", in force from " + format_time(version->effective_from);
        }
        out += ")";
    }
    return out;
}

std::string Judge::operation_name(Operation op) const {
    std::string out(to_string(op));
    if (const auto& title = policy.rule(op).title; !title.empty()) out += " (\"" + title + "\")";
    return out;
}

void Judge::offered(Operation op) {
    const auto& rule = policy.rule(op);
    const auto name = operation_name(op);
    if (!rule.offered) {
        refuse(errc::operation_not_offered, rules_name() + " does not offer " + name);
    } else if (rule.offered_from && now < *rule.offered_from) {
        refuse(errc::operation_not_yet_offered,
               name + " is offered from " + format_time(*rule.offered_from));
    } else if (rule.offered_until && now >= *rule.offered_until) {
        refuse(errc::operation_withdrawn,
               rules_name() + " withdrew " + name + " on " + format_time(*rule.offered_until));
    }
}

void Judge::authorized(Operation op, const Target& target) {
    const RoleSet& allowed = policy.rule(op).roles_on(target.kind);
    const auto name = operation_name(op);
    if (allowed.empty()) {
        if (policy.rule(op).offered) {
            refuse(errc::operation_not_offered, rules_name() + " does not offer " + name + " on a "
                                                    + std::string(kind_words(target.kind)));
        }
        return;
    }
    if (holds_role(actor, policy, target, allowed)) return;
    if (platform_only(policy, allowed)) {
        refuse(errc::support_only, "only the vendor's support (" + to_string(allowed) + ") can "
                                       + name + " on " + target.describe());
        return;
    }
    const std::string needs = name + " on " + target.describe() + " needs one of: "
                              + to_string(policy.roles_giving(allowed, target.kind));
    RoleSet held;
    for (const auto& g : actor.grants) {
        if (grant_applies(policy, g, target)) held.insert(g.role);
    }
    if (held.empty()) {
        refuse(errc::actor_out_of_scope, "user " + actor.user.str() + " holds no role on "
                                             + target.describe() + "; " + needs);
    } else {
        refuse(errc::permission_denied,
               needs + "; user " + actor.user.str() + " holds: " + to_string(held));
    }
}

void Judge::confirmed(Operation op, const Confirmation& c, const Account* survey_subject) {
    const auto& need = policy.rule(op).confirmation;
    if (need.survey_confirmed) {
        if (survey_subject == nullptr || !survey_subject->survey) {
            refuse(errc::survey_required, "answer the cancellation survey before canceling");
        } else if (*survey_subject->survey != SurveyOutcome::confirm) {
            refuse(errc::survey_not_confirmed, "the survey's outcome is "
                                                   + std::string(to_string(*survey_subject->survey))
                                                   + ", not confirm");
        }
    }
    if (need.click && !c.clicked) {
        refuse(errc::confirmation_required, "confirm " + operation_name(op));
    }
    if (need.typed_phrase && c.typed != *need.typed_phrase) {
        refuse(errc::confirmation_mismatch,
               "type " + *need.typed_phrase + " exactly; got '" + c.typed + "'");
    }
    for (const auto& key : need.acknowledgements) {
        if (std::find(c.acknowledged.begin(), c.acknowledged.end(), key) == c.acknowledged.end()) {
            refuse(errc::acknowledgement_missing, "acknowledge '" + key + "'");
        }
    }
    if (need.terms && !c.terms_accepted) {
        refuse(errc::terms_not_accepted, "accept the terms and conditions");
    }
    if (need.reason && std::none_of(c.reasons.begin(), c.reasons.end(), [](const std::string& r) {
            return !r.empty();
        })) {
        refuse(errc::reason_required, "give at least one reason for leaving");
    }
    if (need.billing_details && !c.billing_details_entered) {
        refuse(errc::billing_details_required, "enter billing details to reopen");
    }
}

void Judge::no_pending_port_out(const Account& a) {
    std::string pending;
    for_each_number(a, [&](const TrackingNumber& n) {
        if (n.status != NumberStatus::port_out_pending) return;
        if (!pending.empty()) pending += ", ";
        pending += n.number.e164();
    });
    if (!pending.empty()) {
        refuse(errc::port_out_pending,
               "port-out not complete for " + pending + " on account " + a.id.str());
    }
}

// ---------------------------------------------------------------------------------------------
// What a state charges.

Charges charges_for(const Policy& p, AccountStatus status, bool tracking_paused,
                    bool calls_stopped) {
    switch (status) {
        case AccountStatus::active:
            if (calls_stopped) return p.charges.calls_stopped;
            if (tracking_paused) return p.charges.tracking_paused;
            return p.charges.active;
        case AccountStatus::paused:
            return p.charges.paused;
        case AccountStatus::canceled:
        case AccountStatus::closed:
            return p.charges.canceled;
    }
    return {};
}

std::optional<Money> hold_fee_for(const Policy& p, const Charges& charges) {
    if (!charges.contains(Charge::hold_fee)) return std::nullopt;
    return p.pause.monthly_hold_fee;
}

void emit_billing(Events& out, const Policy& p, const BalanceOwner& owner, Charges before,
                  Charges after, bool final_usage_invoice, Time now) {
    if (before == after) return;
    auto hold_fee = hold_fee_for(p, after);
    out.push_back(events::BillingChanged{owner, std::move(after), final_usage_invoice, now,
                                         std::move(hold_fee)});
}

std::string closed_window(std::string_view what, Time opened, Time closed) {
    std::string text = "the ";
    const auto length = closed - opened;
    const auto day = boost::posix_time::hours(24);
    if (!length.is_negative() && length.ticks() % day.ticks() == 0) {
        const auto days = length.ticks() / day.ticks();
        text += std::to_string(days) + "-day ";
    }
    text += what;
    text += " window, opened at " + format_time(opened) + ", closed at " + format_time(closed);
    return text;
}

}  // namespace calltrack::core
