// The balance: adjusting an account's or an agency's balance, and requesting the refund a cancel
// left refundable. They are one family because they judge money on either kind of owner, and
// a refund is judged on the balance's own status after the account's.
#include "judge.hpp"

#include <optional>
#include <string>

namespace calltrack::core {

void handle(Judge& j, const commands::AdjustBalance& c, Events* out) {
    const auto op = Operation::adjust_balance;
    j.offered(op);
    const Balance* balance = nullptr;
    if (const auto* id = std::get_if<AccountId>(&c.owner)) {
        const auto* a = j.account(*id);
        if (a == nullptr) return;
        j.authorized(op, target_of(*a));
        j.gate(op, *a);
        balance = &a->balance;
    } else {
        const auto* g = j.agency(std::get<AgencyId>(c.owner));
        if (g == nullptr) return;
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
        balance = &g->balance;
    }
    if (c.amount.is_zero()) j.refuse(errc::already_in_state, "the amount is zero");
    const auto sum = add(balance->available, c.amount);
    if (!sum) {
        j.refuse(
            static_cast<errc>(sum.error().value()),
            "balance " + to_string(balance->available) + ", adjustment " + to_string(c.amount));
    }
    if (out && j.ok()) out->push_back(events::BalanceAdjusted{c.owner, c.amount, j.now});
}

void handle(Judge& j, const commands::RequestRefund& c, Events* out) {
    const auto op = Operation::request_refund;
    const Balance* b = nullptr;
    std::optional<Time> canceled_at;  // when the owner's last cancel opened the refund window
    if (const auto* id = std::get_if<AccountId>(&c.owner)) {
        const auto* a = j.account_for(op, *id);
        if (a == nullptr) return;
        b = &a->balance;
        canceled_at = a->timeline.canceled_at;
    } else {
        const auto* g = j.agency(std::get<AgencyId>(c.owner));
        if (g == nullptr) return;
        j.offered(op);
        j.authorized(op, target_of(*g));
        j.gate(op, *g);
        b = &g->balance;
        canceled_at = g->canceled_at;
    }
    // The refund window is the one the cancel fixed: its end is stored on the balance.
    const auto window = [&] {
        return canceled_at && b->refundable_until
                   ? closed_window("refund", *canceled_at, *b->refundable_until)
                   : "the refund window closed at " + format_time(*b->refundable_until);
    };
    switch (b->status) {
        case BalanceStatus::in_use:
            // Past the status gate the owner is canceled or closed: a cancel keeps only a
            // positive balance refundable, so one with no credit is left in use.
            if (j.ok() && (b->available.is_zero() || b->available.is_negative())) {
                j.refuse(errc::nothing_to_refund, "the available balance is "
                                                      + to_string(b->available)
                                                      + "; there is no credit to refund");
            } else if (j.ok()) {
                j.refuse(errc::invalid_state,
                         "the balance is in use; it is refundable only "
                         "after a cancel");
            }
            break;
        case BalanceStatus::refundable:
            if (b->refundable_until && j.now >= *b->refundable_until) {
                j.refuse(errc::window_closed, window());
            } else if (b->available.is_zero() || b->available.is_negative()) {
                j.refuse(errc::nothing_to_refund,
                         "the available balance is " + to_string(b->available));
            }
            break;
        case BalanceStatus::refund_requested:
            j.refuse(errc::already_in_state, "a refund was requested already");
            break;
        case BalanceStatus::forfeited:
            // Forfeited when its window ended, or at the cancel where the policy forfeits it (an
            // end from before the last cancel is an earlier window's).
            if (b->refundable_until && (!canceled_at || *b->refundable_until >= *canceled_at)) {
                j.refuse(errc::nothing_to_refund, window() + "; the balance was forfeited");
            } else if (canceled_at) {
                j.refuse(errc::nothing_to_refund, "the balance was forfeited at the cancel, at "
                                                      + format_time(*canceled_at));
            } else {
                j.refuse(errc::nothing_to_refund, "the balance was forfeited");
            }
            break;
    }
    if (out && j.ok()) out->push_back(events::RefundRequested{c.owner, b->available, j.now});
}

}  // namespace calltrack::core
