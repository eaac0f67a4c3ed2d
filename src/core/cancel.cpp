// Canceling and closing: cancel account (standalone), close sub-account, close account, and
// cancel agency with its cascade over the sub-accounts; and the cancellation rule each account
// follows, which reactivation and number restore read too. These are the rules that release
// numbers, stop billing and start the data, balance and reactivation windows, so what a cancel
// does to one account is written once here for all four.
#include "judge.hpp"

#include <string>
#include <utility>
#include <vector>

namespace calltrack::core {
namespace {

/// Sub-accounts canceled with their agency follow the sub-account rule for numbers, data and
/// balance, but only the agency's way back (CTM: "contact support").
CancellationRule cascade_rule(const Policy& p) {
    CancellationRule rule = p.sub_account;
    rule.reactivation = p.agency.reactivation;
    rule.reactivation_window = p.agency.reactivation_window;
    return rule;
}

std::optional<Time> window_end(bool offered, Window w, Time from, const TimeZone& zone) {
    return offered ? w.end_from(from, zone) : std::nullopt;
}

/// Everything a cancel does to one account: numbers released, billing stopped, data and balance
/// handled by the rule, and a final close where the rule never reactivates.
void emit_cancel(const Judge& j, const Account& a, CancelKind kind, const CancellationRule& rule,
                 const std::vector<std::string>& reasons, Events& out) {
    // A canceled sub-account cannot be approved into another agency, so no one need answer.
    if (a.pending_transfer) out.push_back(events::TransferDropped{a.id, j.now});
    j.for_each_number(a, [&](const TrackingNumber& n) {
        if (n.status == NumberStatus::active || n.status == NumberStatus::held) {
            out.push_back(events::NumberReleased{n.id, a.id, j.now});
        }
    });
    const bool can_reactivate = rule.reactivation != Reactivation::impossible;
    const TimeZone zone = zone_of(j.state, a);
    out.push_back(events::AccountCanceled{
        a.id, kind, reasons, window_end(can_reactivate, rule.reactivation_window, j.now, zone),
        window_end(can_reactivate, rule.number_restore_window, j.now, zone), j.now});
    emit_billing(out, j.policy, a.id, a.charges, j.policy.charges.canceled,
                 rule.final_usage_invoice, j.now);
    for (const auto& subscription : rule.linked_subscriptions) {
        out.push_back(events::LinkedSubscriptionCanceled{a.id, subscription, j.now});
    }
    if (a.data != DataStatus::purged) {
        if (rule.data == DataOnCancel::purge_now) {
            out.push_back(events::DataPurged{a.id, j.now});
        } else if (const auto end = rule.data_retention.end_from(j.now, zone)) {
            out.push_back(events::DataPurgeScheduled{a.id, *end, j.now});
        }
    }
    // Only credit is kept or forfeited; a balance owed (negative) is not a refund.
    if (a.balance.status == BalanceStatus::in_use && !a.balance.available.is_zero()
        && !a.balance.available.is_negative()) {
        if (rule.balance == BalanceOnCancel::forfeit) {
            out.push_back(events::BalanceForfeited{a.id, a.balance.available, j.now});
        } else {
            out.push_back(events::BalanceRefundable{
                a.id, a.balance.available, rule.refund_window.end_from(j.now, zone), j.now});
        }
    }
    if (!can_reactivate) out.push_back(events::AccountClosed{a.id, j.now});
}

/// cancel_account, close_sub_account and close_account differ in who may, which accounts they
/// apply to, and what they are called; what they do is the policy's cancellation rule.
void handle_cancel(Judge& j, Operation op, CancelKind kind, const AccountId& id,
                   const Confirmation& confirmation, Events* out) {
    const auto* a = j.account(id);
    if (a == nullptr) return;
    j.offered(op);
    if (op == Operation::cancel_account && a->agency) {
        j.refuse(errc::not_standalone, "account " + a->id.str() + " is a sub-account of agency "
                                           + a->agency->str() + "; close the sub-account instead");
    } else if (op == Operation::close_sub_account && !a->agency) {
        j.refuse(errc::not_a_sub_account,
                 "account " + a->id.str() + " is standalone; cancel the account instead");
    }
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    j.no_pending_port_out(*a);
    j.confirmed(op, confirmation, a);
    if (out && j.ok()) {
        emit_cancel(j, *a, kind, a->agency ? j.policy.sub_account : j.policy.standalone,
                    confirmation.reasons, *out);
    }
}

}  // namespace

CancellationRule rule_for(const Policy& p, const Account& a) {
    if (a.was_canceled_with_agency) return cascade_rule(p);
    return a.agency ? p.sub_account : p.standalone;
}

void handle(Judge& j, const commands::CancelAccount& c, Events* out) {
    handle_cancel(j, Operation::cancel_account, CancelKind::cancel, c.account, c.confirmation, out);
}
void handle(Judge& j, const commands::CloseSubAccount& c, Events* out) {
    handle_cancel(j, Operation::close_sub_account, CancelKind::sub_account_close, c.account,
                  c.confirmation, out);
}
void handle(Judge& j, const commands::CloseAccount& c, Events* out) {
    handle_cancel(j, Operation::close_account, CancelKind::close, c.account, c.confirmation, out);
}

void handle(Judge& j, const commands::CancelAgency& c, Events* out) {
    const auto op = Operation::cancel_agency;
    const auto* g = j.agency(c.agency);
    if (g == nullptr) return;
    j.offered(op);
    j.authorized(op, target_of(*g));
    j.gate(op, *g);
    std::vector<const Account*> cascade;
    if (const auto it = j.state.sub_accounts_by_agency.find(g->id);
        it != j.state.sub_accounts_by_agency.end()) {
        for (const auto& id : it->second) {
            const auto& a = j.state.accounts.at(id);
            if (a.status != AccountStatus::active && a.status != AccountStatus::paused) continue;
            cascade.push_back(&a);
            j.no_pending_port_out(a);
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    const auto& rule = j.policy.agency;
    const bool can_reactivate = rule.reactivation != Reactivation::impossible;
    std::vector<AccountId> ids;
    ids.reserve(cascade.size());
    for (const auto* a : cascade) ids.push_back(a->id);
    const TimeZone zone = zone_of(*g);
    out->push_back(events::AgencyCanceled{
        g->id, c.confirmation.reasons, std::move(ids),
        window_end(can_reactivate, rule.reactivation_window, j.now, zone), j.now});
    const auto sub_rule = cascade_rule(j.policy);
    for (const auto* a : cascade) {
        emit_cancel(j, *a, CancelKind::agency_cascade, sub_rule, c.confirmation.reasons, *out);
    }
    // A canceled agency cannot take a sub-account in, so its incoming requests need no answer.
    for (const auto& id : incoming_transfers(j.state, g->id)) {
        out->push_back(events::TransferDropped{id, j.now});
    }
    emit_billing(*out, j.policy, g->id, g->charges, j.policy.charges.agency_canceled,
                 rule.final_usage_invoice, j.now);
    if (g->balance.status == BalanceStatus::in_use && !g->balance.available.is_zero()
        && !g->balance.available.is_negative()) {
        if (rule.balance == BalanceOnCancel::forfeit) {
            out->push_back(events::BalanceForfeited{g->id, g->balance.available, j.now});
        } else {
            out->push_back(events::BalanceRefundable{
                g->id, g->balance.available, rule.refund_window.end_from(j.now, zone), j.now});
        }
    }
    if (!can_reactivate) out->push_back(events::AgencyClosed{g->id, j.now});
}

}  // namespace calltrack::core
