// The way back from a cancel: reopen account, reactivate account, and reactivate agency. Each is
// judged on the window and the people the cancellation rule allows, and undoes what the cancel
// started (billing, the data purge, the refundable balance). They are apart from cancel.cpp
// because what they judge is whether the way back is still open, not what leaving does.
#include "judge.hpp"

#include <string>

namespace calltrack::core {
namespace {

/// Whether the account's way back is still open, and open to this actor. The window is the one
/// fixed by the cancel: a canceled account's window is open until the stored end (none stored:
/// unlimited), whatever the policy in force now says of new cancels. Who may walk through it is
/// judged under the policy in force now.
void check_reactivation(Judge& j, const Account& a) {
    const auto rule = rule_for(j.policy, a);
    const bool closed_for_good = a.status == AccountStatus::closed;
    if (!closed_for_good && (a.status != AccountStatus::canceled || !a.timeline.canceled_at)) {
        return;
    }
    if (closed_for_good) {
        // The gate says the account is closed; say why when its reactivation window ended it
        // (the deadline fires at the stored end, so the close is at that instant).
        const auto& t = a.timeline;
        if (t.canceled_at && t.closed_at && a.reactivation_until
            && *t.closed_at == *a.reactivation_until) {
            j.refuse(errc::window_closed,
                     closed_window("reactivation", *t.canceled_at, *a.reactivation_until));
        } else if (rule.reactivation == Reactivation::impossible) {
            j.refuse(errc::window_not_offered, "the " + j.policy.name
                                                   + " policy never reactivates a canceled "
                                                     "account; a returning customer opens a new one");
        }
        return;
    }
    if (a.reactivation_until && j.now >= *a.reactivation_until) {
        j.refuse(errc::window_closed,
                 closed_window("reactivation", *a.timeline.canceled_at, *a.reactivation_until));
    }
    if (rule.reactivation == Reactivation::support_only && !is_support(j.actor, j.policy)) {
        j.refuse(errc::support_only,
                 a.was_canceled_with_agency
                     ? "account " + a.id.str() + " was canceled with its agency; only support "
                                                 "can reactivate it"
                     : "only support can reactivate account " + a.id.str());
    }
    if (a.agency) {
        const auto* g = j.state.find_agency(*a.agency);
        if (g != nullptr && g->status == AgencyStatus::canceled) {
            j.refuse(errc::agency_canceled,
                     "agency " + g->id.str() + " is canceled; support must reactivate it first");
        } else if (g != nullptr && g->status == AgencyStatus::closed) {
            j.refuse(errc::agency_closed, "agency " + g->id.str()
                                              + " is closed for good; its sub-accounts cannot "
                                                "come back through it");
        }
    }
}

void emit_reactivation(const Judge& j, const Account& a, Events& out) {
    out.push_back(events::AccountReactivated{a.id, j.now});
    emit_billing(
        out, j.policy, a.id, a.charges,
        charges_for(j.policy, AccountStatus::active, a.is_tracking_paused, a.are_calls_stopped),
        false, j.now);
    if (a.data == DataStatus::purge_scheduled) {
        out.push_back(events::DataPurgeCanceled{a.id, j.now});
    }
    if (a.balance.status == BalanceStatus::refundable) {
        out.push_back(events::BalanceReinstated{a.id, j.now});
    }
}

void handle_reactivate(Judge& j, Operation op, const AccountId& id,
                       const Confirmation& confirmation, Events* out) {
    const auto* a = j.account_for(op, id);
    if (a == nullptr) return;
    check_reactivation(j, *a);
    j.confirmed(op, confirmation, nullptr);
    if (out && j.ok()) emit_reactivation(j, *a, *out);
}

}  // namespace

void handle(Judge& j, const commands::ReopenAccount& c, Events* out) {
    handle_reactivate(j, Operation::reopen_account, c.account, c.confirmation, out);
}
void handle(Judge& j, const commands::ReactivateAccount& c, Events* out) {
    handle_reactivate(j, Operation::reactivate_account, c.account, c.confirmation, out);
}

void handle(Judge& j, const commands::ReactivateAgency& c, Events* out) {
    const auto op = Operation::reactivate_agency;
    const auto* g = j.agency(c.agency);
    if (g == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*g));
    j.gate(op, *g);
    // As for an account, the window is the one the cancel fixed, and a closed agency whose
    // window ended it (the deadline fires at the stored end) is told so beside the gate's.
    if (g->canceled_at && g->reactivation_until) {
        const bool ended = g->status == AgencyStatus::canceled
                               ? j.now >= *g->reactivation_until
                               : g->status == AgencyStatus::closed && g->closed_at
                                     && *g->closed_at == *g->reactivation_until;
        if (ended) {
            j.refuse(errc::window_closed,
                     closed_window("reactivation", *g->canceled_at, *g->reactivation_until));
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    out->push_back(events::AgencyReactivated{g->id, j.now});
    emit_billing(*out, j.policy, g->id, g->charges, j.policy.charges.agency_active, false, j.now);
    if (g->balance.status == BalanceStatus::refundable) {
        out->push_back(events::BalanceReinstated{g->id, j.now});
    }
}

}  // namespace calltrack::core
