// due(): the time-driven changes. It walks the ordered deadline index from the front and stops at
// the first deadline after `now`, so its cost is that of the due deadlines alone.
#include <calltrack/decide.hpp>

#include <stdexcept>

#include "judge.hpp"

namespace calltrack {
namespace {

constexpr std::string_view account_prefix = "account:";
constexpr std::string_view agency_prefix = "agency:";

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

const Account& account_of(const State& s, const Deadline& d) {
    if (!starts_with(d.subject, account_prefix)) {
        throw std::logic_error("calltrack: deadline " + d.subject + " is not an account's");
    }
    return s.accounts.at(AccountId(d.subject.substr(account_prefix.size())));
}

void fire_pause_maximum(const State& s, const Policy& p, const Account& a, Time at,
                        std::vector<Event>& out) {
    if (a.status != AccountStatus::paused) return;
    out.push_back(events::PauseMaximumReached{a.id, at});
    if (const auto it = s.numbers_by_account.find(a.id); it != s.numbers_by_account.end()) {
        for (const auto& id : it->second) {
            if (s.numbers.at(id).status == NumberStatus::held) {
                out.push_back(events::NumberReleased{id, a.id, at});
            }
        }
    }
    if (p.pause.on_maximum == OnPauseMaximum::close_account) {
        if (a.pending_transfer) out.push_back(events::TransferDropped{a.id, at});
        out.push_back(events::AccountClosed{a.id, at});
        if (a.charges != p.charges.canceled) {
            out.push_back(events::BillingChanged{a.id, p.charges.canceled, false, at,
                                                 core::hold_fee_for(p, p.charges.canceled)});
        }
        return;
    }
    // The account stays paused, but nothing is held any more, so no hold fee is due for it.
    Charges without_hold_fee;
    for (const Charge c : all_charges) {
        if (c != Charge::hold_fee && p.charges.paused.contains(c)) without_hold_fee.insert(c);
    }
    if (a.charges != without_hold_fee) {
        out.push_back(events::BillingChanged{a.id, without_hold_fee, false, at,
                                             core::hold_fee_for(p, without_hold_fee)});
    }
}

void fire_refund_window(const State& s, const Deadline& d, std::vector<Event>& out) {
    if (starts_with(d.subject, agency_prefix)) {
        const auto& g = s.agencies.at(AgencyId(d.subject.substr(agency_prefix.size())));
        if (g.balance.status == BalanceStatus::refundable) {
            out.push_back(events::BalanceForfeited{g.id, g.balance.available, d.at});
        }
        return;
    }
    const auto& a = account_of(s, d);
    if (a.balance.status == BalanceStatus::refundable) {
        out.push_back(events::BalanceForfeited{a.id, a.balance.available, d.at});
    }
}

/// The events of one due deadline, judged under `policy`.
void fire(const State& state, const Policy& policy, const Deadline& d, std::vector<Event>& out) {
    switch (d.kind) {
        case DeadlineKind::pause_maximum:
            fire_pause_maximum(state, policy, account_of(state, d), d.at, out);
            break;
        case DeadlineKind::restore_window_closes:
            out.push_back(events::RestoreWindowClosed{account_of(state, d).id, d.at});
            break;
        case DeadlineKind::reactivation_window_closes: {
            const auto& a = account_of(state, d);
            if (a.status == AccountStatus::canceled) {
                out.push_back(events::AccountClosed{a.id, d.at});
            }
            break;
        }
        case DeadlineKind::agency_reactivation_window_closes: {
            const auto& g = state.agencies.at(AgencyId(d.subject.substr(agency_prefix.size())));
            if (g.status == AgencyStatus::canceled) {
                out.push_back(events::AgencyClosed{g.id, d.at});
            }
            break;
        }
        case DeadlineKind::data_purge: {
            const auto& a = account_of(state, d);
            if (a.data == DataStatus::purge_scheduled) {
                out.push_back(events::DataPurged{a.id, d.at});
            }
            break;
        }
        case DeadlineKind::refund_window_closes:
            fire_refund_window(state, d, out);
            break;
        case DeadlineKind::transfer_expires: {
            // Read from the stored instant alone: the window was fixed when the request opened.
            const auto& a = account_of(state, d);
            if (a.pending_transfer && a.pending_transfer->expires_at == d.at) {
                out.push_back(events::TransferExpired{a.id, d.at});
            }
            break;
        }
    }
}

}  // namespace

std::vector<Event> due(const State& state, const Policy& policy, Time now) {
    std::vector<Event> out;
    for (const auto& d : state.deadlines) {
        if (now < d.at) break;
        fire(state, policy, d, out);
    }
    return out;
}

std::vector<Event> due(const State& state, const PolicyHistory& policies, Time now) {
    std::vector<Event> out;
    for (const auto& d : state.deadlines) {
        if (now < d.at) break;
        fire(state, policies.in_force_at(d.at).policy, d, out);
    }
    return out;
}

}  // namespace calltrack
