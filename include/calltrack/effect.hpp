#pragma once

// What the host must carry out in the world outside calltrack after a change: release a number at
// the carrier, stop swapping on the website, change billing, purge call data, refund a balance.
// Effects leave the engine through the durable outbox, at least once and in order.

#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/state.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack {

enum class EffectKind : std::uint8_t {
    release_number,              ///< give the number back to the carrier; it stops routing
    hold_number,                 ///< keep the number but stop routing it (account paused)
    reactivate_number,           ///< route the held or restored number again, to its destination
    restore_number,              ///< buy back a released number (carrier_level: support's attempt)
    update_forwarding,           ///< route the number to a new forwarding destination
    stop_swapping,               ///< the website script stops showing the number(s)
    resume_swapping,             ///< the website script shows the number(s) again
    stop_routing_calls,          ///< callers hear a disconnected tone
    resume_routing_calls,        ///< calls connect again
    suspend_reports,             ///< hide reports and the call log (account paused)
    restore_reports,             ///< show reports and the call log again, with all history
    change_billing,              ///< charge exactly `charges` from now on (empty: stop billing)
    final_usage_invoice,         ///< one last invoice for usage before charges stop
    purge_call_data,             ///< delete call history, recordings, agents, call flows
    refund_balance,              ///< pay `amount` back to the customer
    forfeit_balance,             ///< write `amount` off; it will not be refunded
    port_out_number,             ///< hand the number over to the gaining carrier
    cancel_linked_subscription,  ///< end the account's `subscription` to another product
};
CALLTRACK_API std::string_view to_string(EffectKind k) noexcept;

/// One effect for the host to carry out. Which members apply depends on `kind`; typed_effect.hpp
/// gives each kind its own type with exactly those members, and the JSON carries only them.
struct HostEffect {
    EffectKind kind = EffectKind::release_number;  ///< always set by effects_of()
    std::optional<AccountId> account;
    std::optional<AgencyId> agency;
    std::optional<NumberId> number;
    std::optional<PhoneNumber> phone_number;  ///< the E.164 number the carrier knows
    std::optional<PhoneNumber> forwarding_destination;
    Charges charges;                ///< with change_billing
    std::optional<Money> hold_fee;  ///< with change_billing, when the charges include the fee
    std::optional<Money> amount;    ///< with refund_balance and forfeit_balance
    bool carrier_level = false;     ///< with restore_number
    /// With cancel_linked_subscription: the product, as the policy names it ("smrtdialer").
    std::optional<std::string> subscription;
    Time at;

    CALLTRACK_FIELDS(HostEffect, kind, account, agency, number, phone_number,
                     forwarding_destination, charges, hold_fee, amount, carrier_level, subscription,
                     at)
};

/// "release_number number=n1 phone=+14045550001 account=acme at=...".
CALLTRACK_API std::string describe(const HostEffect& effect);

/// The effects of an event, read against the state *after* the event was applied (for phone
/// numbers and destinations). Provisioning and bookkeeping events have none.
CALLTRACK_API std::vector<HostEffect> effects_of(const Event& event, const State& after);

}  // namespace calltrack
