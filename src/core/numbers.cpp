// A tracking number's own lifecycle after it is added: restoring a released number within the
// restore window (or by support at the carrier after it), and porting a number out to another
// carrier (start, complete, abandon). They are judged on the number's status rather than only
// the account's, which is what they share and what sets them apart from provisioning.
#include "judge.hpp"

#include <optional>
#include <string>

namespace calltrack::core {
namespace {

void handle_port(Judge& j, Operation op, const NumberId& id, Events* out) {
    const auto [n, a] = j.number_for(op, id);
    if (n == nullptr) return;
    const bool starting = op == Operation::start_port_out;
    if (starting && n->status == NumberStatus::port_out_pending) {
        j.refuse(errc::already_in_state, "a port-out of " + n->number.e164() + " is under way");
    } else if (starting && n->status != NumberStatus::active) {
        j.refuse(errc::invalid_state,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
    } else if (!starting && n->status != NumberStatus::port_out_pending) {
        j.refuse(errc::invalid_state, "no port-out of " + n->number.e164() + " is under way");
    }
    if (!out || !j.ok()) return;
    switch (op) {
        case Operation::start_port_out:
            out->push_back(events::PortOutStarted{id, j.now});
            break;
        case Operation::complete_port_out:
            out->push_back(events::PortOutCompleted{id, j.now});
            break;
        default:
            out->push_back(events::PortOutAbandoned{id, j.now});
            break;
    }
}

}  // namespace

/// The phone number is already routing on another tracking number.
const TrackingNumber* number_in_use(const State& s, const PhoneNumber& phone,
                                    const NumberId* except) {
    const auto it = s.number_by_phone.find(phone);
    if (it == s.number_by_phone.end()) return nullptr;
    if (except != nullptr && it->second == *except) return nullptr;
    return s.find_number(it->second);
}

void handle(Judge& j, const commands::RestoreNumber& c, Events* out) {
    const auto op = Operation::restore_number;
    const auto [n, a] = j.number_for(op, c.number);
    if (n == nullptr) return;
    if (n->status != NumberStatus::released) {
        j.refuse(errc::number_not_released,
                 "tracking number " + n->id.str() + " is " + std::string(to_string(n->status)));
        return;
    }
    if (const auto* other = number_in_use(j.state, n->number, &n->id)) {
        j.refuse(errc::already_exists,
                 n->number.e164() + " is routing again as tracking number " + other->id.str());
    }
    // The self-service window is the one the cancel fixed (restore_until). Without a stored end
    // (never canceled, or canceled under a window that was unlimited or not offered) the rule
    // in force now decides, from the cancel or the release.
    const auto rule = rule_for(j.policy, *a);
    const auto& canceled_at = a->timeline.canceled_at;
    const Time since = canceled_at.value_or(n->released_at.value_or(j.now));
    std::optional<std::string> closed;
    if (a->restore_until && canceled_at) {
        if (j.now >= *a->restore_until) {
            closed = closed_window("self-service restore", *canceled_at, *a->restore_until);
        }
    } else if (!rule.number_restore_window.is_offered()) {
        j.refuse(errc::window_not_offered,
                 "the " + j.policy.name + " policy does not restore released numbers");
    } else if (const TimeZone zone = zone_of(j.state, *a);
               !rule.number_restore_window.is_open(since, j.now, zone)) {
        closed = closed_window("self-service restore", since,
                               *rule.number_restore_window.end_from(since, zone));
    }
    bool carrier_level = false;
    if (closed) {
        if (!rule.support_restores_after_window) {
            j.refuse(errc::window_closed, *closed);
        } else if (!is_support(j.actor, j.policy)) {
            j.refuse(errc::support_only, *closed + "; support can attempt a carrier-level restore");
        } else {
            carrier_level = true;
        }
    }
    if (out && j.ok()) {
        out->push_back(events::NumberRestored{n->id, a->id, carrier_level, j.now});
    }
}

void handle(Judge& j, const commands::StartPortOut& c, Events* out) {
    handle_port(j, Operation::start_port_out, c.number, out);
}
void handle(Judge& j, const commands::CompletePortOut& c, Events* out) {
    handle_port(j, Operation::complete_port_out, c.number, out);
}
void handle(Judge& j, const commands::AbandonPortOut& c, Events* out) {
    handle_port(j, Operation::abandon_port_out, c.number, out);
}

}  // namespace calltrack::core
