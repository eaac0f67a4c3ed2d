// Transferring a sub-account between agencies, and recording the cancellation survey that a
// cancel may require first. Neither belongs to another family: a transfer is judged on two
// agencies, asked by one and answered by the other in acts of their own, and the survey records
// an answer without changing what the account has.
#include "judge.hpp"

#include <string>

namespace calltrack::core {
namespace {

/// The sub-account as the given agency sees it, for the role check on that side.
Target side(const Account& a, const AgencyId& agency) {
    return Target{TargetKind::sub_account, &a.id, &agency};
}

std::string side_name(const Account& a, const AgencyId& agency) {
    return agency == *a.agency ? "agency " + agency.str() + " (the sub-account's own)"
                               : "agency " + agency.str() + " (the one it would move to)";
}

/// What answering or withdrawing reads first: the sub-account, its pending transfer and both
/// agencies, gated in that order. Nullptr when the judgement cannot go on.
const PendingTransfer* pending_for(Judge& j, Operation op, const AccountId& id,
                                   const Account*& account) {
    account = j.account(id);
    if (account == nullptr) return nullptr;
    j.offered(op);
    const auto& p = account->pending_transfer;
    if (!p) {
        j.refuse(errc::no_pending_transfer, "sub-account " + id.str() + " has no pending transfer");
        return nullptr;
    }
    j.gate(op, *account);
    const auto* from = j.agency(*account->agency);
    const auto* to = j.agency(p->to);
    if (from == nullptr || to == nullptr) return nullptr;
    j.gate(op, *from);
    j.gate(op, *to);
    return &*p;
}

/// The actor must hold the operation's role on `must`; one who holds it only on the other side
/// is told which side acts, rather than only that it lacks a role.
void acts_for(Judge& j, Operation op, const Account& a, const AgencyId& must, const AgencyId& other,
              const std::string& what) {
    const RoleSet& allowed = j.policy.rule(op).sub_account_roles;
    if (!holds_role(j.actor, j.policy, side(a, must), allowed)
        && holds_role(j.actor, j.policy, side(a, other), allowed)) {
        j.refuse(errc::transfer_not_approved, "user " + j.actor.user.str() + " acts for "
                                                  + side_name(a, other) + "; an administrator of "
                                                  + side_name(a, must) + " must " + what
                                                  + " the transfer of " + a.id.str());
        return;
    }
    j.authorized(op, side(a, must));
}

/// Approve and refuse: an administrator of the side that did not ask, and never the requester.
void answer(Judge& j, const Account& a, const PendingTransfer& p, Operation op,
            const std::string& what) {
    const AgencyId& other = p.requested_by == *a.agency ? p.to : *a.agency;
    if (j.actor.user == p.requester) {
        j.refuse(errc::transfer_not_approved, "user " + j.actor.user.str()
                                                  + " asked for this transfer; an administrator of "
                                                  + side_name(a, other) + " must " + what + " it");
        return;
    }
    acts_for(j, op, a, other, p.requested_by, what);
}

}  // namespace

void handle(Judge& j, const commands::RequestTransfer& c, Events* out) {
    const auto op = Operation::request_transfer;
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
    if (const auto& p = a->pending_transfer) {
        j.refuse(errc::already_in_state, "sub-account " + a->id.str() + " has a transfer to agency "
                                             + p->to.str() + " pending since "
                                             + format_time(p->requested_at));
    }
    // Either side may ask; the sub-account's own agency is taken when the actor holds both.
    const RoleSet& allowed = j.policy.rule(op).sub_account_roles;
    const bool source = holds_role(j.actor, j.policy, side(*a, from->id), allowed);
    if (!source && !holds_role(j.actor, j.policy, side(*a, to->id), allowed))
        j.authorized(op, target_of(*a));
    if (out && j.ok()) {
        out->push_back(events::TransferRequested{
            a->id, from->id, to->id, source ? from->id : to->id, j.actor.user,
            j.policy.transfer.approval_window.end_from(j.now, zone_of(j.state, *a)), j.now});
    }
}

void handle(Judge& j, const commands::ApproveTransfer& c, Events* out) {
    const auto op = Operation::approve_transfer;
    const Account* a = nullptr;
    const auto* p = pending_for(j, op, c.account, a);
    if (p == nullptr) return;
    answer(j, *a, *p, op, "approve");
    if (out && j.ok()) {
        out->push_back(events::TransferApproved{a->id, j.actor.user, j.now});
        out->push_back(events::SubAccountTransferred{a->id, *a->agency, p->to, j.now});
    }
}

void handle(Judge& j, const commands::RefuseTransfer& c, Events* out) {
    const auto op = Operation::refuse_transfer;
    const Account* a = nullptr;
    const auto* p = pending_for(j, op, c.account, a);
    if (p == nullptr) return;
    answer(j, *a, *p, op, "refuse");
    if (out && j.ok()) out->push_back(events::TransferRefused{a->id, j.actor.user, j.now});
}

void handle(Judge& j, const commands::WithdrawTransfer& c, Events* out) {
    const auto op = Operation::withdraw_transfer;
    const Account* a = nullptr;
    const auto* p = pending_for(j, op, c.account, a);
    if (p == nullptr) return;
    const AgencyId& other = p->requested_by == *a->agency ? p->to : *a->agency;
    acts_for(j, op, *a, p->requested_by, other, "withdraw");
    if (out && j.ok()) out->push_back(events::TransferWithdrawn{a->id, j.now});
}

void handle(Judge& j, const commands::RecordSurvey& c, Events* out) {
    const auto op = Operation::record_survey;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    if (out && j.ok()) out->push_back(events::SurveyRecorded{a->id, c.outcome, j.now});
}

}  // namespace calltrack::core
