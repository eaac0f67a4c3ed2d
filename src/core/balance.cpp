// The balance: adjusting an account's or an agency's balance, charging usage and renewals to an
// account's, the suspension a balance below the policy's threshold brings, and requesting the
// refund a cancel left refundable. They are one family because they judge money on either kind
// of owner, and a refund is judged on the balance's own status after the account's.
#include "judge.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace calltrack::core {
namespace {

/// The balance after a charge of `amount`, refusing a charge that is not above zero or does not
/// fit the balance's currency and range.
std::optional<Money> charged(Judge& j, const Balance& balance, const Money& amount) {
    if (amount.is_zero() || amount.is_negative()) {
        j.refuse(errc::invalid_amount, "a charge debits an amount above zero, got "
                                           + to_string(amount) + "; a credit is an adjust_balance");
        return std::nullopt;
    }
    auto after = subtract(balance.available, amount);
    if (!after) {
        j.refuse(static_cast<errc>(after.error().value()),
                 "balance " + to_string(balance.available) + ", charge " + to_string(amount));
        return std::nullopt;
    }
    return after.value();
}

}  // namespace

void emit_suspension(Events& out, const Policy& p, const AccountId& account, bool suspended,
                     const Money& after, Time now) {
    const bool suspends = p.balance.suspends_at(after.minor_units());
    if (suspends && !suspended) {
        out.push_back(events::SuspendedForBalance{account, after, now});
    } else if (!suspends && suspended) {
        out.push_back(events::SuspensionLifted{account, after, now});
    }
}

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
    if (!out || !j.ok()) return;
    out->push_back(events::BalanceAdjusted{c.owner, c.amount, j.now});
    if (const auto* id = std::get_if<AccountId>(&c.owner)) {
        const auto* a = j.state.find_account(*id);
        emit_suspension(*out, j.policy, a->id, a->is_suspended_for_balance(), sum.value(), j.now);
    }
}

void handle(Judge& j, const commands::ChargeUsage& c, Events* out) {
    const auto* a = j.account_for(Operation::charge_usage, c.account);
    if (a == nullptr) return;
    const auto after = charged(j, a->balance, c.amount);
    if (!out || !j.ok()) return;
    out->push_back(events::UsageCharged{a->id, c.amount, j.now});
    emit_suspension(*out, j.policy, a->id, a->is_suspended_for_balance(), *after, j.now);
}

void handle(Judge& j, const commands::ChargeRenewal& c, Events* out) {
    const auto* a = j.account_for(Operation::charge_renewal, c.account);
    if (a == nullptr) return;
    if (c.numbers.empty()) {
        j.refuse(errc::unknown_number, "the renewal names no tracking number to renew");
    }
    for (auto it = c.numbers.begin(); it != c.numbers.end(); ++it) {
        // The same answer for a number on no account and on another one, as the switches give.
        const auto* n = j.state.find_number(*it);
        if (n == nullptr || n->account != a->id) {
            j.refuse(errc::unknown_number,
                     "account " + a->id.str() + " has no tracking number " + it->str());
        } else if (n->status == NumberStatus::released || n->status == NumberStatus::ported_out) {
            j.refuse(errc::invalid_state, "tracking number " + n->id.str() + " is "
                                              + std::string(to_string(n->status))
                                              + "; there is nothing to renew");
        } else if (std::find(c.numbers.begin(), it, *it) != it) {
            j.refuse(errc::already_in_state,
                     "tracking number " + it->str() + " is named twice in one renewal");
        }
    }
    const auto after = charged(j, a->balance, c.amount);
    if (!out || !j.ok()) return;
    const BalanceRule& rule = j.policy.balance;
    if (rule.releases_unpaid_renewals && rule.suspends_at(after->minor_units())) {
        // Nothing is renewed, so nothing is debited: the numbers go back to the carrier.
        out->push_back(events::RenewalUnpaid{a->id, c.numbers, c.amount, j.now});
        for (const auto& id : c.numbers) out->push_back(events::NumberReleased{id, a->id, j.now});
        emit_suspension(*out, j.policy, a->id, a->is_suspended_for_balance(), a->balance.available,
                        j.now);
        return;
    }
    out->push_back(events::RenewalCharged{a->id, c.numbers, c.amount, j.now});
    emit_suspension(*out, j.policy, a->id, a->is_suspended_for_balance(), *after, j.now);
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
