// Transferring a sub-account between agencies, approved on both sides, and recording the
// cancellation survey that a cancel may require first. Neither belongs to another family: the
// transfer is judged on two agencies and two approvers' grants, and the survey records an answer
// without changing what the account has.
#include "judge.hpp"

#include <string>

namespace calltrack::core {

void handle(Judge& j, const commands::TransferSubAccount& c, Events* out) {
    const auto op = Operation::transfer_sub_account;
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    const auto* to = j.agency(c.to);
    if (to == nullptr) return;
    j.offered(op);
    if (!a->agency) {
        j.refuse(errc::not_a_sub_account, "account " + a->id.str() + " belongs to no agency");
        return;
    }
    const auto* from = j.agency(*a->agency);
    if (from == nullptr) return;
    j.gate(op, *a);
    j.gate(op, *from);
    j.gate(op, *to);
    if (from->id == to->id) {
        j.refuse(errc::already_in_state,
                 "sub-account " + a->id.str() + " belongs to agency " + to->id.str() + " already");
    }
    if (j.actor.user != c.source_approver && j.actor.user != c.target_approver) {
        j.refuse(errc::permission_denied,
                 "user " + j.actor.user.str() + " is neither of the transfer's approvers");
    }
    // Each side's approval is judged on the approver's own grants.
    const RoleSet allowed = j.policy.rule(op).sub_account_roles;
    const Target source_side = target_of(*a);
    const Target target_side{TargetKind::sub_account, &a->id, &to->id};
    if (!holds_role(actor_of(j.state, c.source_approver), source_side, allowed)) {
        j.refuse(errc::transfer_not_approved, "user " + c.source_approver.str() + " is not one of "
                                                  + to_string(allowed) + " on agency "
                                                  + from->id.str());
    }
    if (!holds_role(actor_of(j.state, c.target_approver), target_side, allowed)) {
        j.refuse(errc::transfer_not_approved, "user " + c.target_approver.str() + " is not one of "
                                                  + to_string(allowed) + " on agency "
                                                  + to->id.str());
    }
    if (out && j.ok()) {
        out->push_back(events::SubAccountTransferred{a->id, from->id, to->id, j.now});
    }
}

void handle(Judge& j, const commands::RecordSurvey& c, Events* out) {
    const auto op = Operation::record_survey;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    if (out && j.ok()) out->push_back(events::SurveyRecorded{a->id, c.outcome, j.now});
}

}  // namespace calltrack::core
