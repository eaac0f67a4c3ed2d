#include <calltrack/effect.hpp>

#include <calltrack/detail/overloaded.hpp>
#include <calltrack/typed_effect.hpp>

#include "core_names.hpp"

namespace calltrack {

std::string_view to_string(EffectKind k) noexcept {
    return detail::name_of(detail::effect_kind_names, k);
}

namespace {

// describe()'s words for a member, where they are not its name.
std::string_view label_of(std::string_view member) {
    if (member == "phone_number") return "phone";
    if (member == "forwarding_destination") return "forwarding";
    return member;
}

template <class IdTag>
std::string text_of(const StrongId<IdTag>& id) {
    return id.str();
}
std::string text_of(const PhoneNumber& n) {
    return n.e164();
}
std::string text_of(const Money& m) {
    return to_string(m);
}
std::string text_of(const Charges& c) {
    return to_string(c);
}
const std::string& text_of(const std::string& s) {
    return s;
}

}  // namespace

// The members of the effect's kind, in HostEffect's order: an empty optional says nothing, a
// flag is its name.
std::string describe(const HostEffect& e) {
    std::string out(to_string(e.kind));
    for_each_member(e, [&](const auto& field) {
        using M = typename std::decay_t<decltype(field)>::member_type;
        const M& value = e.*(field.member);
        if constexpr (std::is_same_v<M, bool>) {
            if (value) (out += ' ') += field.name;
        } else if constexpr (std::is_same_v<M, Time>) {
            out += " at=" + format_time(value);
        } else if constexpr (std::is_same_v<M, Charges>) {
            ((out += ' ') += label_of(field.name)) += '=' + text_of(value);
        } else if constexpr (!std::is_same_v<M, EffectKind>) {
            if (value) ((out += ' ') += label_of(field.name)) += '=' + text_of(*value);
        }
    });
    return out;
}

namespace {

HostEffect on_account(EffectKind kind, const AccountId& account, Time at) {
    HostEffect e{};
    e.kind = kind;
    e.account = account;
    e.at = at;
    return e;
}

HostEffect on_number(EffectKind kind, const State& s, const NumberId& id, Time at) {
    HostEffect e{};
    e.kind = kind;
    e.number = id;
    e.at = at;
    if (const auto* n = s.find_number(id)) {
        e.account = n->account;
        e.phone_number = n->number;
        e.forwarding_destination = n->forwarding_destination;
    }
    return e;
}

HostEffect on_owner(EffectKind kind, const BalanceOwner& owner, Time at) {
    HostEffect e{};
    e.kind = kind;
    e.at = at;
    if (const auto* account = std::get_if<AccountId>(&owner)) {
        e.account = *account;
    } else {
        e.agency = std::get<AgencyId>(owner);
    }
    return e;
}

/// The switch event's subject: one number, or the whole account.
HostEffect switch_effect(EffectKind kind, const State& s, const AccountId& account,
                         const std::optional<NumberId>& number, Time at) {
    return number ? on_number(kind, s, *number, at) : on_account(kind, account, at);
}

/// Whether the account's balance holds its service off: then no other switch's resume routes
/// calls or swaps numbers again.
bool suspended(const State& s, const AccountId& account) {
    const auto* a = s.find_account(account);
    return a != nullptr && a->is_suspended_for_balance();
}

/// Swapping shows a number only while neither the tracking code nor incoming calls are off, nor
/// the account suspended for its balance, for the account and for the number.
bool swaps(const State& s, const AccountId& account, const std::optional<NumberId>& number) {
    const auto* a = s.find_account(account);
    if (a == nullptr || a->is_tracking_paused || a->are_calls_stopped
        || a->is_suspended_for_balance()) {
        return false;
    }
    if (!number) return true;
    const auto* n = s.find_number(*number);
    return n != nullptr && !n->is_swap_paused && !n->are_calls_stopped;
}

}  // namespace

std::vector<HostEffect> effects_of(const Event& event, const State& after) {
    std::vector<HostEffect> out;
    std::visit(
        detail::overloaded{
            [&](const events::ForwardingChanged& e) {
                out.push_back(on_number(EffectKind::update_forwarding, after, e.number, e.at));
            },
            [&](const events::TrackingPaused& e) {
                out.push_back(
                    switch_effect(EffectKind::stop_swapping, after, e.account, e.number, e.at));
            },
            [&](const events::TrackingResumed& e) {
                if (swaps(after, e.account, e.number)) {
                    out.push_back(switch_effect(EffectKind::resume_swapping, after, e.account,
                                                e.number, e.at));
                }
            },
            [&](const events::CallsStopped& e) {
                out.push_back(switch_effect(EffectKind::stop_routing_calls, after, e.account,
                                            e.number, e.at));
                out.push_back(
                    switch_effect(EffectKind::stop_swapping, after, e.account, e.number, e.at));
            },
            [&](const events::CallsResumed& e) {
                if (!suspended(after, e.account)) {
                    out.push_back(switch_effect(EffectKind::resume_routing_calls, after, e.account,
                                                e.number, e.at));
                }
                if (swaps(after, e.account, e.number)) {
                    out.push_back(switch_effect(EffectKind::resume_swapping, after, e.account,
                                                e.number, e.at));
                }
            },
            [&](const events::AccountPaused& e) {
                out.push_back(on_account(EffectKind::stop_swapping, e.account, e.at));
                if (e.reports_suspended) {
                    out.push_back(on_account(EffectKind::suspend_reports, e.account, e.at));
                }
            },
            [&](const events::NumbersHeld& e) {
                for (const auto& id : e.numbers) {
                    out.push_back(on_number(EffectKind::hold_number, after, id, e.at));
                }
            },
            [&](const events::AccountResumed& e) {
                if (swaps(after, e.account, std::nullopt)) {
                    out.push_back(on_account(EffectKind::resume_swapping, e.account, e.at));
                }
                out.push_back(on_account(EffectKind::restore_reports, e.account, e.at));
            },
            [&](const events::NumbersReactivated& e) {
                for (const auto& id : e.numbers) {
                    out.push_back(on_number(EffectKind::reactivate_number, after, id, e.at));
                }
            },
            [&](const events::NumberReleased& e) {
                out.push_back(on_number(EffectKind::release_number, after, e.number, e.at));
            },
            [&](const events::NumberRestored& e) {
                auto effect = on_number(EffectKind::restore_number, after, e.number, e.at);
                effect.carrier_level = e.carrier_level;
                out.push_back(effect);
            },
            [&](const events::BillingChanged& e) {
                if (e.final_usage_invoice) {
                    out.push_back(on_owner(EffectKind::final_usage_invoice, e.owner, e.at));
                }
                auto effect = on_owner(EffectKind::change_billing, e.owner, e.at);
                effect.charges = e.charges;
                effect.hold_fee = e.hold_fee;
                out.push_back(effect);
            },
            [&](const events::DataPurged& e) {
                out.push_back(on_account(EffectKind::purge_call_data, e.account, e.at));
            },
            [&](const events::RefundRequested& e) {
                auto effect = on_owner(EffectKind::refund_balance, e.owner, e.at);
                effect.amount = e.amount;
                out.push_back(effect);
            },
            [&](const events::BalanceForfeited& e) {
                auto effect = on_owner(EffectKind::forfeit_balance, e.owner, e.at);
                effect.amount = e.amount;
                out.push_back(effect);
            },
            [&](const events::SuspendedForBalance& e) {
                // New calls are not connected; a call in progress is left to end (smrtPhone).
                out.push_back(on_account(EffectKind::stop_routing_calls, e.account, e.at));
                out.push_back(on_account(EffectKind::stop_swapping, e.account, e.at));
            },
            [&](const events::SuspensionLifted& e) {
                // Only what no other switch holds off comes back.
                const auto* a = after.find_account(e.account);
                if (a == nullptr || a->status != AccountStatus::active) return;
                if (!a->are_calls_stopped) {
                    out.push_back(on_account(EffectKind::resume_routing_calls, e.account, e.at));
                }
                if (swaps(after, e.account, std::nullopt)) {
                    out.push_back(on_account(EffectKind::resume_swapping, e.account, e.at));
                }
            },
            [&](const events::PortOutStarted& e) {
                out.push_back(on_number(EffectKind::port_out_number, after, e.number, e.at));
            },
            [&](const events::LinkedSubscriptionCanceled& e) {
                auto effect = on_account(EffectKind::cancel_linked_subscription, e.account, e.at);
                effect.subscription = e.subscription;
                out.push_back(effect);
            },
            [](const auto&) {},
        },
        event);
    return out;
}

}  // namespace calltrack
