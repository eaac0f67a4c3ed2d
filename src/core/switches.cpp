// The switches: pausing and resuming the tracking code (number swapping), and stopping and
// resuming incoming calls, on a whole account or on one tracking number. The four operations are
// one rule with two settings and share its template; they leave the account's status alone,
// which is what sets them apart from the account pause.
#include "judge.hpp"

#include <cstdint>
#include <string>

namespace calltrack::core {
namespace {

/// The tracking-code and incoming-call switches share one shape: whole account or one number.
enum class Switch : std::uint8_t { tracking, calls };

template <class Cmd>
void handle_switch(Judge& j, Operation op, Switch which, bool turn_off, const Cmd& c, Events* out) {
    const auto* a = j.account(c.account);
    if (a == nullptr) return;
    const TrackingNumber* n = nullptr;
    if (c.number) {
        // One answer whether the number is on no account or on another one: the engine loads
        // only this account's numbers and cannot tell the two apart, and the refusal should not
        // tell an actor that a number exists on an account it may not see.
        n = j.state.find_number(*c.number);
        if (n == nullptr || n->account != a->id) {
            j.refuse(errc::unknown_number,
                     "account " + a->id.str() + " has no tracking number " + c.number->str());
            return;
        }
    }
    j.offered(op);
    j.authorized(op, target_of(*a));
    j.gate(op, *a);
    const bool tracking = which == Switch::tracking;
    if (n != nullptr) {
        if (n->status != NumberStatus::active) {
            j.refuse(errc::invalid_state,
                     "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
        }
        if (tracking && turn_off && n->source != NumberSource::onsite_dynamic) {
            j.refuse(errc::number_not_swappable,
                     "tracking number " + n->id.str() + " is " + std::string(to_string(n->source))
                         + "; only onsite dynamic numbers can be paused one by one");
        }
        const bool is_off = tracking ? n->is_swap_paused : n->are_calls_stopped;
        if (is_off == turn_off) {
            j.refuse(errc::already_in_state,
                     std::string(tracking ? "tracking code" : "incoming calls") + " for number "
                         + n->id.str() + (turn_off ? " stopped" : " running") + " already");
        }
    } else {
        const bool is_off = tracking ? a->is_tracking_paused : a->are_calls_stopped;
        if (is_off == turn_off) {
            j.refuse(errc::already_in_state,
                     std::string(tracking ? "tracking code" : "incoming calls") + " for account "
                         + a->id.str() + (turn_off ? " stopped" : " running") + " already");
        }
    }
    j.confirmed(op, c.confirmation, nullptr);
    if (!out || !j.ok()) return;
    const Time now = j.now;
    if (tracking) {
        if (turn_off) {
            out->push_back(events::TrackingPaused{c.account, c.number, now});
        } else {
            out->push_back(events::TrackingResumed{c.account, c.number, now});
        }
    } else if (turn_off) {
        out->push_back(events::CallsStopped{c.account, c.number, now});
    } else {
        out->push_back(events::CallsResumed{c.account, c.number, now});
    }
    if (n == nullptr) {
        const bool tracking_paused = tracking ? turn_off : a->is_tracking_paused;
        const bool calls_stopped = tracking ? a->are_calls_stopped : turn_off;
        emit_billing(*out, j.policy, a->id, a->charges,
                     charges_for(j.policy, a->status, tracking_paused, calls_stopped), false, now);
    }
}

}  // namespace

void handle(Judge& j, const commands::PauseTracking& c, Events* out) {
    handle_switch(j, Operation::pause_tracking, Switch::tracking, true, c, out);
}
void handle(Judge& j, const commands::ResumeTracking& c, Events* out) {
    handle_switch(j, Operation::resume_tracking, Switch::tracking, false, c, out);
}
void handle(Judge& j, const commands::StopCalls& c, Events* out) {
    handle_switch(j, Operation::stop_calls, Switch::calls, true, c, out);
}
void handle(Judge& j, const commands::ResumeCalls& c, Events* out) {
    handle_switch(j, Operation::resume_calls, Switch::calls, false, c, out);
}

}  // namespace calltrack::core
