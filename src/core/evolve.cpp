// evolve(): how each event changes the state. Events are facts already decided, so an event
// that does not fit the state is a broken invariant and throws std::logic_error.
#include <calltrack/decide.hpp>

#include <calltrack/detail/overloaded.hpp>

#include <algorithm>
#include <stdexcept>

namespace calltrack {
namespace {

[[noreturn]] void broken(const std::string& what) {
    throw std::logic_error("calltrack: event does not fit the state: " + what);
}

Account& account(State& s, const AccountId& id) {
    const auto it = s.accounts.find(id);
    if (it == s.accounts.end()) broken("unknown account " + id.str());
    return it->second;
}
Agency& agency(State& s, const AgencyId& id) {
    const auto it = s.agencies.find(id);
    if (it == s.agencies.end()) broken("unknown agency " + id.str());
    return it->second;
}
TrackingNumber& number(State& s, const NumberId& id) {
    const auto it = s.numbers.find(id);
    if (it == s.numbers.end()) broken("unknown tracking number " + id.str());
    return it->second;
}
Balance& balance(State& s, const BalanceOwner& owner) {
    if (const auto* id = std::get_if<AccountId>(&owner)) return account(s, *id).balance;
    return agency(s, std::get<AgencyId>(owner)).balance;
}
/// A charge the core judged payable; an overflow here means the log does not fit the state.
void debit(Account& a, const Money& amount) {
    auto after = subtract(a.balance.available, amount);
    if (!after) broken("charge: " + after.error().message());
    a.balance.available = after.value();
}
Charges& charges(State& s, const BalanceOwner& owner) {
    if (const auto* id = std::get_if<AccountId>(&owner)) return account(s, *id).charges;
    return agency(s, std::get<AgencyId>(owner)).charges;
}
std::string subject_of(const BalanceOwner& owner) {
    if (const auto* id = std::get_if<AccountId>(&owner)) return deadline_subject(*id);
    return deadline_subject(std::get<AgencyId>(owner));
}

void add_deadline(State& s, std::optional<Time> at, DeadlineKind kind, std::string subject) {
    if (at) s.deadlines.insert(Deadline{*at, kind, std::move(subject)});
}
void remove_deadline(State& s, std::optional<Time>& at, DeadlineKind kind, std::string subject) {
    if (at) s.deadlines.erase(Deadline{*at, kind, std::move(subject)});
    at.reset();
}
/// The same for a window that ended: its end stays, as the record of when it ended, which every
/// later refusal names.
void end_window(State& s, const std::optional<Time>& at, DeadlineKind kind, std::string subject) {
    if (at) s.deadlines.erase(Deadline{*at, kind, std::move(subject)});
}

/// Every number status change goes through here, so the phone-number index stays exact.
void set_status(State& s, TrackingNumber& n, NumberStatus status) {
    const bool was_on = is_on_account(n);
    n.status = status;
    const bool is_on = is_on_account(n);
    if (was_on && !is_on) s.number_by_phone.erase(n.number);
    if (!was_on && is_on) s.number_by_phone[n.number] = n.id;
}

void set_number_status(State& s, const std::vector<NumberId>& ids, NumberStatus status) {
    for (const auto& id : ids) set_status(s, number(s, id), status);
}

/// However a pending transfer ends, it leaves the record and its expiry leaves the index.
void end_transfer(State& s, const AccountId& id) {
    auto& a = account(s, id);
    if (!a.pending_transfer) broken("no pending transfer on " + id.str());
    if (const auto& at = a.pending_transfer->expires_at) {
        s.deadlines.erase(Deadline{*at, DeadlineKind::transfer_expires, deadline_subject(id)});
    }
    a.pending_transfer.reset();
}

}  // namespace

void apply(State& s, const Event& event) {
    std::visit(
        detail::overloaded{
            [&](const events::AgencyCreated& e) {
                Agency a;
                a.id = e.agency;
                a.charges = e.charges;
                a.balance = Balance{e.balance, BalanceStatus::in_use, std::nullopt};
                a.created_at = e.at;
                if (!s.agencies.emplace(e.agency, std::move(a)).second) {
                    broken("agency exists already: " + e.agency.str());
                }
            },
            [&](const events::AccountOpened& e) {
                Account a;
                a.id = e.account;
                a.agency = e.agency;
                a.plan = e.plan;
                a.charges = e.charges;
                a.balance = Balance{e.balance, BalanceStatus::in_use, std::nullopt};
                a.timeline.opened_at = e.at;
                // The agency need not be in this state: an account's own event stream replays
                // without its agency's.
                if (e.agency) s.sub_accounts_by_agency[*e.agency].insert(e.account);
                if (!s.accounts.emplace(e.account, std::move(a)).second) {
                    broken("account exists already: " + e.account.str());
                }
            },
            [&](const events::TrackingNumberAdded& e) {
                account(s, e.account);
                TrackingNumber n{e.number,       e.account,
                                 e.phone_number, e.forwarding_destination,
                                 e.source,       NumberStatus::active,
                                 false,          false,
                                 std::nullopt};
                if (!s.numbers.emplace(e.number, std::move(n)).second) {
                    broken("tracking number exists already: " + e.number.str());
                }
                s.numbers_by_account[e.account].insert(e.number);
                s.number_by_phone[e.phone_number] = e.number;
            },
            [&](const events::ForwardingChanged& e) {
                number(s, e.number).forwarding_destination = e.forwarding_destination;
            },
            [&](const events::PlanChanged& e) { account(s, e.account).plan = e.plan; },
            [&](const events::BalanceAdjusted& e) {
                auto& b = balance(s, e.owner);
                auto sum = add(b.available, e.amount);
                if (!sum) broken("balance adjustment: " + sum.error().message());
                b.available = sum.value();
            },
            [&](const events::RoleGranted& e) {
                auto& grants = s.grants[e.user];
                if (std::find(grants.begin(), grants.end(), e.grant) == grants.end()) {
                    grants.push_back(e.grant);
                }
            },
            [&](const events::RoleRevoked& e) {
                auto it = s.grants.find(e.user);
                if (it == s.grants.end()) return;
                auto& grants = it->second;
                grants.erase(std::remove(grants.begin(), grants.end(), e.grant), grants.end());
                if (grants.empty()) s.grants.erase(it);
            },
            [&](const events::TrackingPaused& e) {
                if (e.number) {
                    number(s, *e.number).is_swap_paused = true;
                } else {
                    account(s, e.account).is_tracking_paused = true;
                }
            },
            [&](const events::TrackingResumed& e) {
                if (e.number) {
                    number(s, *e.number).is_swap_paused = false;
                } else {
                    account(s, e.account).is_tracking_paused = false;
                }
            },
            [&](const events::CallsStopped& e) {
                if (e.number) {
                    number(s, *e.number).are_calls_stopped = true;
                } else {
                    account(s, e.account).are_calls_stopped = true;
                }
            },
            [&](const events::CallsResumed& e) {
                if (e.number) {
                    number(s, *e.number).are_calls_stopped = false;
                } else {
                    account(s, e.account).are_calls_stopped = false;
                }
            },
            [&](const events::AccountPaused& e) {
                auto& a = account(s, e.account);
                a.status = AccountStatus::paused;
                a.plan_before_pause = e.plan_before_pause;
                a.has_report_access = !e.reports_suspended;
                a.pause_until = e.pause_until;
                a.timeline.paused_at = e.at;
                add_deadline(s, e.pause_until, DeadlineKind::pause_maximum,
                             deadline_subject(e.account));
            },
            [&](const events::NumbersHeld& e) {
                set_number_status(s, e.numbers, NumberStatus::held);
            },
            [&](const events::AccountResumed& e) {
                auto& a = account(s, e.account);
                a.status = AccountStatus::active;
                a.has_report_access = true;
                a.timeline.resumed_at = e.at;
                remove_deadline(s, a.pause_until, DeadlineKind::pause_maximum,
                                deadline_subject(e.account));
            },
            [&](const events::NumbersReactivated& e) {
                set_number_status(s, e.numbers, NumberStatus::active);
            },
            [&](const events::PlanRestored& e) {
                auto& a = account(s, e.account);
                a.plan = e.plan;
                a.plan_before_pause.reset();
            },
            [&](const events::NumberReleased& e) {
                auto& n = number(s, e.number);
                set_status(s, n, NumberStatus::released);
                n.released_at = e.at;
            },
            [&](const events::NumberRestored& e) {
                auto& n = number(s, e.number);
                set_status(s, n, NumberStatus::active);
                n.released_at.reset();
            },
            [&](const events::AccountCanceled& e) {
                auto& a = account(s, e.account);
                a.status = AccountStatus::canceled;
                a.timeline.canceled_at = e.at;
                a.was_canceled_with_agency = e.kind == CancelKind::agency_cascade;
                remove_deadline(s, a.pause_until, DeadlineKind::pause_maximum,
                                deadline_subject(e.account));
                remove_deadline(s, a.restore_until, DeadlineKind::restore_window_closes,
                                deadline_subject(e.account));
                a.reactivation_until = e.reactivation_until;
                a.restore_until = e.restore_until;
                add_deadline(s, e.reactivation_until, DeadlineKind::reactivation_window_closes,
                             deadline_subject(e.account));
                add_deadline(s, e.restore_until, DeadlineKind::restore_window_closes,
                             deadline_subject(e.account));
            },
            [&](const events::AgencyCanceled& e) {
                auto& g = agency(s, e.agency);
                g.status = AgencyStatus::canceled;
                g.cancel_reasons = e.reasons;
                g.canceled_at = e.at;
                g.reactivation_until = e.reactivation_until;
                add_deadline(s, e.reactivation_until,
                             DeadlineKind::agency_reactivation_window_closes,
                             deadline_subject(e.agency));
            },
            [&](const events::AccountReactivated& e) {
                auto& a = account(s, e.account);
                a.status = AccountStatus::active;
                // A pause that ended in a cancel suspended the reports; back in service, they
                // come back with all history (CallRail reopen).
                a.has_report_access = true;
                a.timeline.reactivated_at = e.at;
                a.was_canceled_with_agency = false;
                remove_deadline(s, a.reactivation_until, DeadlineKind::reactivation_window_closes,
                                deadline_subject(e.account));
            },
            [&](const events::AgencyReactivated& e) {
                auto& g = agency(s, e.agency);
                g.status = AgencyStatus::active;
                g.reactivated_at = e.at;
                remove_deadline(s, g.reactivation_until,
                                DeadlineKind::agency_reactivation_window_closes,
                                deadline_subject(e.agency));
            },
            [&](const events::BillingChanged& e) { charges(s, e.owner) = e.charges; },
            [&](const events::DataPurgeScheduled& e) {
                auto& a = account(s, e.account);
                a.data = DataStatus::purge_scheduled;
                a.data_purge_at = e.purge_at;
                add_deadline(s, e.purge_at, DeadlineKind::data_purge, deadline_subject(e.account));
            },
            [&](const events::DataPurgeCanceled& e) {
                auto& a = account(s, e.account);
                a.data = DataStatus::retained;
                remove_deadline(s, a.data_purge_at, DeadlineKind::data_purge,
                                deadline_subject(e.account));
            },
            [&](const events::DataPurged& e) {
                auto& a = account(s, e.account);
                a.data = DataStatus::purged;
                a.timeline.data_purged_at = e.at;
                remove_deadline(s, a.data_purge_at, DeadlineKind::data_purge,
                                deadline_subject(e.account));
            },
            [&](const events::BalanceRefundable& e) {
                auto& b = balance(s, e.owner);
                b.status = BalanceStatus::refundable;
                b.refundable_until = e.until;
                add_deadline(s, e.until, DeadlineKind::refund_window_closes, subject_of(e.owner));
            },
            [&](const events::BalanceReinstated& e) {
                auto& b = balance(s, e.owner);
                b.status = BalanceStatus::in_use;
                remove_deadline(s, b.refundable_until, DeadlineKind::refund_window_closes,
                                subject_of(e.owner));
            },
            [&](const events::RefundRequested& e) {
                auto& b = balance(s, e.owner);
                b.status = BalanceStatus::refund_requested;
                b.available = Money::zero(b.available.currency());
                remove_deadline(s, b.refundable_until, DeadlineKind::refund_window_closes,
                                subject_of(e.owner));
            },
            [&](const events::BalanceForfeited& e) {
                auto& b = balance(s, e.owner);
                b.status = BalanceStatus::forfeited;
                b.available = Money::zero(b.available.currency());
                end_window(s, b.refundable_until, DeadlineKind::refund_window_closes,
                           subject_of(e.owner));
            },
            [&](const events::PortOutStarted& e) {
                set_status(s, number(s, e.number), NumberStatus::port_out_pending);
            },
            [&](const events::PortOutCompleted& e) {
                set_status(s, number(s, e.number), NumberStatus::ported_out);
            },
            [&](const events::PortOutAbandoned& e) {
                set_status(s, number(s, e.number), NumberStatus::active);
            },
            [&](const events::TransferRequested& e) {
                auto& a = account(s, e.account);
                if (a.pending_transfer) broken("a transfer is pending already on " + a.id.str());
                a.pending_transfer =
                    PendingTransfer{e.to, e.requested_by, e.requester, e.at, e.expires_at};
                add_deadline(s, e.expires_at, DeadlineKind::transfer_expires,
                             deadline_subject(e.account));
            },
            [&](const events::TransferApproved& e) { end_transfer(s, e.account); },
            [&](const events::TransferRefused& e) { end_transfer(s, e.account); },
            [&](const events::TransferWithdrawn& e) { end_transfer(s, e.account); },
            [&](const events::TransferExpired& e) { end_transfer(s, e.account); },
            [&](const events::TransferDropped& e) { end_transfer(s, e.account); },
            [&](const events::SubAccountTransferred& e) {
                auto& a = account(s, e.account);
                if (auto it = s.sub_accounts_by_agency.find(e.from);
                    it != s.sub_accounts_by_agency.end()) {
                    it->second.erase(e.account);
                    if (it->second.empty()) s.sub_accounts_by_agency.erase(it);
                }
                s.sub_accounts_by_agency[e.to].insert(e.account);
                a.agency = e.to;
            },
            [&](const events::SurveyRecorded& e) { account(s, e.account).survey = e.outcome; },
            // A fact for the host's other product; the account itself is canceled already.
            [&](const events::LinkedSubscriptionCanceled& e) { account(s, e.account); },
            [&](const events::AccountClosed& e) {
                auto& a = account(s, e.account);
                a.status = AccountStatus::closed;
                a.timeline.closed_at = e.at;
                end_window(s, a.reactivation_until, DeadlineKind::reactivation_window_closes,
                           deadline_subject(e.account));
                remove_deadline(s, a.pause_until, DeadlineKind::pause_maximum,
                                deadline_subject(e.account));
            },
            [&](const events::AgencyClosed& e) {
                auto& g = agency(s, e.agency);
                g.status = AgencyStatus::closed;
                g.closed_at = e.at;
                end_window(s, g.reactivation_until, DeadlineKind::agency_reactivation_window_closes,
                           deadline_subject(e.agency));
            },
            [&](const events::RestoreWindowClosed& e) {
                end_window(s, account(s, e.account).restore_until,
                           DeadlineKind::restore_window_closes, deadline_subject(e.account));
            },
            [&](const events::PauseMaximumReached& e) {
                auto& a = account(s, e.account);
                remove_deadline(s, a.pause_until, DeadlineKind::pause_maximum,
                                deadline_subject(e.account));
            },
            [&](const events::UsageCharged& e) { debit(account(s, e.account), e.amount); },
            [&](const events::RenewalCharged& e) { debit(account(s, e.account), e.amount); },
            [&](const events::RenewalUnpaid& e) { account(s, e.account); },
            [&](const events::SuspendedForBalance& e) {
                account(s, e.account).suspended_for_balance_at = e.at;
            },
            [&](const events::SuspensionLifted& e) {
                auto& a = account(s, e.account);
                a.suspended_for_balance_at.reset();
                a.timeline.suspension_lifted_at = e.at;
            },
        },
        event);
    const Time at = event_time(event);
    if (!s.last_event_at || *s.last_event_at < at) s.last_event_at = at;
}

void apply(State& state, const std::vector<Event>& events) {
    for (const auto& e : events) apply(state, e);
}

State evolve(State state, const Event& event) {
    apply(state, event);
    return state;
}

}  // namespace calltrack
