// The account pause (CallRail's "paused account"): the account is suspended with its numbers
// held, up to the policy's number limit and pause maximum, and resumed with them reactivated, or
// released when the maximum passed first. It is its own family because a pause is a status of
// the account with a window of its own (the pause maximum), where the switches leave the status
// alone.
#include "judge.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::core {

void handle(Judge& j, const commands::PauseAccount& c, Events* out) {
    const auto op = Operation::pause_account;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    std::size_t on_account = 0;
    std::vector<NumberId> held;
    j.for_each_number(*a, [&](const TrackingNumber& n) {
        if (!is_on_account(n)) return;
        ++on_account;
        if (n.status == NumberStatus::active && out) held.push_back(n.id);
    });
    const auto limit = j.policy.pause.number_limit;
    if (on_account > limit) {
        j.refuse(errc::number_limit_exceeded,
                 "account " + a->id.str() + " has " + std::to_string(on_account)
                     + " tracking numbers and a pause keeps at most " + std::to_string(limit)
                     + "; disable " + std::to_string(on_account - limit) + " first");
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    out->push_back(
        events::AccountPaused{a->id, a->plan, j.policy.pause.suspends_report_access,
                              j.policy.pause.maximum.end_from(j.now, zone_of(j.state, *a)), j.now});
    if (!held.empty()) out->push_back(events::NumbersHeld{a->id, std::move(held), j.now});
    emit_billing(*out, j.policy, a->id, a->charges, j.policy.charges.paused, false, j.now);
}

void handle(Judge& j, const commands::ResumeAccount& c, Events* out) {
    const auto op = Operation::resume_account;
    const auto* a = j.account_for(op, c.account);
    if (a == nullptr) return;
    // The pause maximum may have passed before the host fired it: judge as if it had.
    const bool maximum_reached = a->pause_until && j.now >= *a->pause_until;
    if (maximum_reached && j.policy.pause.on_maximum == OnPauseMaximum::close_account) {
        j.refuse(errc::account_closed, "account " + a->id.str() + " reached the pause maximum at "
                                           + format_time(*a->pause_until) + " and closed");
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    std::vector<NumberId> held;
    j.for_each_number(*a, [&](const TrackingNumber& n) {
        if (n.status == NumberStatus::held) held.push_back(n.id);
    });
    if (maximum_reached) {
        // Held only until the maximum: released, never reactivated.
        out->push_back(events::PauseMaximumReached{a->id, j.now});
        for (const auto& id : held) out->push_back(events::NumberReleased{id, a->id, j.now});
        held.clear();
    }
    out->push_back(events::AccountResumed{a->id, j.now});
    if (!held.empty()) out->push_back(events::NumbersReactivated{a->id, std::move(held), j.now});
    if (a->plan_before_pause) {
        out->push_back(events::PlanRestored{a->id, *a->plan_before_pause, j.now});
    }
    emit_billing(
        *out, j.policy, a->id, a->charges,
        charges_for(j.policy, AccountStatus::active, a->is_tracking_paused, a->are_calls_stopped),
        false, j.now);
}

}  // namespace calltrack::core
