#pragma once

// A host effect as one type per kind, holding exactly the members that apply to that kind, so a
// host's std::visit says at compile time what it may read: a ReleaseNumber has a number and no
// charges, a ChangeBilling has its owner, its charges and the hold fee they include. The outbox
// keeps HostEffect, the one shape every store writes; typed() and untyped() convert, and the JSON
// of a HostEffect carries only the members of its kind's type.

#include <calltrack/command.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>

#include <optional>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace calltrack {
namespace effects {

/// On one tracking number. The account, phone number and destination are the number's own; they
/// are absent only when the state that produced the effect did not hold the number.
template <EffectKind K>
struct OnNumber {
    static constexpr EffectKind kind = K;
    std::optional<AccountId> account;
    NumberId number;
    std::optional<PhoneNumber> phone_number;
    std::optional<PhoneNumber> forwarding_destination;
    Time at;
    CALLTRACK_FIELDS(OnNumber, account, number, phone_number, forwarding_destination, at)
};
using ReleaseNumber = OnNumber<EffectKind::release_number>;
using HoldNumber = OnNumber<EffectKind::hold_number>;
using ReactivateNumber = OnNumber<EffectKind::reactivate_number>;
using UpdateForwarding = OnNumber<EffectKind::update_forwarding>;
using PortOutNumber = OnNumber<EffectKind::port_out_number>;

/// Buy a released number back; `carrier_level` is support's attempt at the carrier.
struct RestoreNumber {
    static constexpr EffectKind kind = EffectKind::restore_number;
    std::optional<AccountId> account;
    NumberId number;
    std::optional<PhoneNumber> phone_number;
    std::optional<PhoneNumber> forwarding_destination;
    bool carrier_level = false;
    Time at;
    CALLTRACK_FIELDS(RestoreNumber, account, number, phone_number, forwarding_destination,
                     carrier_level, at)
};

/// A switch of the website script or of call routing: for the whole account (`number` absent),
/// or for one tracking number (`number` set, with that number's account and phone numbers).
template <EffectKind K>
struct OnSwitch {
    static constexpr EffectKind kind = K;
    std::optional<AccountId> account;
    std::optional<NumberId> number;
    std::optional<PhoneNumber> phone_number;
    std::optional<PhoneNumber> forwarding_destination;
    Time at;
    CALLTRACK_FIELDS(OnSwitch, account, number, phone_number, forwarding_destination, at)
};
using StopSwapping = OnSwitch<EffectKind::stop_swapping>;
using ResumeSwapping = OnSwitch<EffectKind::resume_swapping>;
using StopRoutingCalls = OnSwitch<EffectKind::stop_routing_calls>;
using ResumeRoutingCalls = OnSwitch<EffectKind::resume_routing_calls>;

/// On one account's reports or call data.
template <EffectKind K>
struct OnAccount {
    static constexpr EffectKind kind = K;
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(OnAccount, account, at)
};
using SuspendReports = OnAccount<EffectKind::suspend_reports>;
using RestoreReports = OnAccount<EffectKind::restore_reports>;
using PurgeCallData = OnAccount<EffectKind::purge_call_data>;

/// One last invoice for usage, to an account or an agency.
struct FinalUsageInvoice {
    static constexpr EffectKind kind = EffectKind::final_usage_invoice;
    BalanceOwner owner;
    Time at;
    CALLTRACK_FIELDS(FinalUsageInvoice, owner, at)
};

/// Charge exactly `charges` from now on (empty: stop billing); `hold_fee` is the monthly fee
/// when the charges include it.
struct ChangeBilling {
    static constexpr EffectKind kind = EffectKind::change_billing;
    BalanceOwner owner;
    Charges charges;
    std::optional<Money> hold_fee;
    Time at;
    CALLTRACK_FIELDS(ChangeBilling, owner, charges, hold_fee, at)
};

/// Pay a balance back, or write it off.
template <EffectKind K>
struct OnBalance {
    static constexpr EffectKind kind = K;
    BalanceOwner owner;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(OnBalance, owner, amount, at)
};
using RefundBalance = OnBalance<EffectKind::refund_balance>;
using ForfeitBalance = OnBalance<EffectKind::forfeit_balance>;

/// End the account's subscription to another of the vendor's products, which the policy cancels
/// with the account.
struct CancelLinkedSubscription {
    static constexpr EffectKind kind = EffectKind::cancel_linked_subscription;
    AccountId account;
    std::string subscription;
    Time at;
    CALLTRACK_FIELDS(CancelLinkedSubscription, account, subscription, at)
};

}  // namespace effects

/// Every effect kind's own type, in EffectKind's order: the index of an alternative is its kind.
using TypedEffect =
    std::variant<effects::ReleaseNumber, effects::HoldNumber, effects::ReactivateNumber,
                 effects::RestoreNumber, effects::UpdateForwarding, effects::StopSwapping,
                 effects::ResumeSwapping, effects::StopRoutingCalls, effects::ResumeRoutingCalls,
                 effects::SuspendReports, effects::RestoreReports, effects::ChangeBilling,
                 effects::FinalUsageInvoice, effects::PurgeCallData, effects::RefundBalance,
                 effects::ForfeitBalance, effects::PortOutNumber,
                 effects::CancelLinkedSubscription>;

/// The effect as its kind's type. Throws std::invalid_argument for an effect that lacks what its
/// kind needs (a number to release, an owner to bill); effects_of() and effect_from_json() never
/// return such an effect.
CALLTRACK_API TypedEffect typed(const HostEffect& effect);

/// The effect in the outbox's one shape: the members of its kind set, every other one empty.
CALLTRACK_API HostEffect untyped(const TypedEffect& effect);

/// The kind of a typed effect.
CALLTRACK_API EffectKind kind_of(const TypedEffect& effect) noexcept;

/// The HostEffect members that apply to one kind, read off its typed effect's field list (the
/// owner as "account" and "agency"): what its JSON and describe() hold.
struct EffectMembers {
    std::vector<std::string_view> keys;      ///< in the typed effect's order
    std::vector<std::string_view> required;  ///< every key that is not optional, but the owner's
    bool needs_owner = false;                ///< exactly one of "account" and "agency"
    CALLTRACK_API bool has(std::string_view key) const noexcept;
};
CALLTRACK_API const EffectMembers& members_of(EffectKind kind);

/// Calls `visit(field)` for each HostEffect member of the effect's kind, in HostEffect's order
/// (`kind` itself is not one of them; `at` is the last): how its JSON and describe() walk it.
template <class Visit>
void for_each_member(const HostEffect& effect, Visit&& visit) {
    const auto& members = members_of(effect.kind);
    std::apply(
        [&](const auto&... f) {
            const auto one = [&](const auto& field) {
                if (members.has(field.name)) visit(field);
            };
            (one(f), ...);
        },
        HostEffect::fields());
}

}  // namespace calltrack
