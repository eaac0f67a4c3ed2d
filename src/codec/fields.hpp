#pragma once

// The field lists: each struct the codec writes and reads, with its members once, in order, under
// their JSON keys. Apart from writing and reading because both follow the same lists, and the
// lists are the one place a new member has to be added.

#include "codec.hpp"

#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace calltrack::codec_detail {

// One list per struct: its members in declaration order, each under its own name. Writing, reading
// and the unknown-key check all follow the list. blank() below builds each struct by aggregate
// initialisation from its list, so a list that misses a member is a -Wmissing-field-initializers
// warning (an error in the dev and CI builds), and one out of order fails on the member types.

template <class T, class M>
struct Field {
    using member_type = M;
    std::string_view key;
    M T::*member;
};

template <class T, class M>
constexpr Field<T, M> field(std::string_view key, M T::*member) {
    return {key, member};
}

#define CALLTRACK_FIELDS(T, ...)             \
    constexpr auto fields_of(Tag<T>) {       \
        using S = T;                         \
        return std::make_tuple(__VA_ARGS__); \
    }
#define F(member) field(#member, &S::member)

CALLTRACK_FIELDS(Confirmation, F(clicked), F(typed), F(acknowledged), F(terms_accepted), F(reasons),
                 F(billing_details_entered))
CALLTRACK_FIELDS(Plan, F(name), F(add_ons))
CALLTRACK_FIELDS(RoleGrant, F(role), F(scope))
CALLTRACK_FIELDS(Balance, F(available), F(status), F(refundable_until))
CALLTRACK_FIELDS(AccountTimeline, F(opened_at), F(paused_at), F(resumed_at), F(canceled_at),
                 F(reactivated_at), F(closed_at), F(data_purged_at))
CALLTRACK_FIELDS(Account, F(id), F(agency), F(status), F(plan), F(plan_before_pause),
                 F(is_tracking_paused), F(are_calls_stopped), F(has_report_access), F(charges),
                 F(balance), F(survey), F(was_canceled_with_agency), F(data), F(data_purge_at),
                 F(reactivation_until), F(restore_until), F(pause_until), F(timeline))
CALLTRACK_FIELDS(Agency, F(id), F(status), F(charges), F(balance), F(cancel_reasons),
                 F(reactivation_until), F(created_at), F(canceled_at), F(reactivated_at),
                 F(closed_at))
CALLTRACK_FIELDS(TrackingNumber, F(id), F(account), F(number), F(forwarding_destination), F(source),
                 F(status), F(is_swap_paused), F(are_calls_stopped), F(released_at))
// The kind is the discriminator, written first under "effect" like "command" and "event".
CALLTRACK_FIELDS(HostEffect, field("effect", &S::kind), F(account), F(agency), F(number),
                 F(phone_number), F(forwarding_destination), F(charges), F(amount),
                 F(carrier_level), F(at))

// Commands.
CALLTRACK_FIELDS(commands::CreateAgency, F(agency), F(currency))
CALLTRACK_FIELDS(commands::OpenAccount, F(account), F(agency), F(plan), F(currency))
CALLTRACK_FIELDS(commands::AddTrackingNumber, F(number), F(account), F(phone_number),
                 F(forwarding_destination), F(source))
CALLTRACK_FIELDS(commands::ChangeForwarding, F(number), F(forwarding_destination))
CALLTRACK_FIELDS(commands::SetPlan, F(account), F(plan))
CALLTRACK_FIELDS(commands::AdjustBalance, F(owner), F(amount))
CALLTRACK_FIELDS(commands::GrantRole, F(user), F(grant))
CALLTRACK_FIELDS(commands::RevokeRole, F(user), F(grant))
CALLTRACK_FIELDS(commands::PauseTracking, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeTracking, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::StopCalls, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeCalls, F(account), F(number), F(confirmation))
CALLTRACK_FIELDS(commands::PauseAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ResumeAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CancelAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CloseSubAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::CancelAgency, F(agency), F(confirmation))
CALLTRACK_FIELDS(commands::CloseAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReopenAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReactivateAccount, F(account), F(confirmation))
CALLTRACK_FIELDS(commands::ReactivateAgency, F(agency), F(confirmation))
CALLTRACK_FIELDS(commands::RestoreNumber, F(number))
CALLTRACK_FIELDS(commands::RequestRefund, F(owner))
CALLTRACK_FIELDS(commands::StartPortOut, F(number))
CALLTRACK_FIELDS(commands::CompletePortOut, F(number))
CALLTRACK_FIELDS(commands::AbandonPortOut, F(number))
CALLTRACK_FIELDS(commands::TransferSubAccount, F(account), F(to), F(source_approver),
                 F(target_approver))
CALLTRACK_FIELDS(commands::RecordSurvey, F(account), F(outcome))

// Events.
CALLTRACK_FIELDS(events::AgencyCreated, F(agency), F(balance), F(charges), F(at))
CALLTRACK_FIELDS(events::AccountOpened, F(account), F(agency), F(plan), F(balance), F(charges),
                 F(at))
CALLTRACK_FIELDS(events::TrackingNumberAdded, F(number), F(account), F(phone_number),
                 F(forwarding_destination), F(source), F(at))
CALLTRACK_FIELDS(events::ForwardingChanged, F(number), F(forwarding_destination), F(at))
CALLTRACK_FIELDS(events::PlanChanged, F(account), F(plan), F(at))
CALLTRACK_FIELDS(events::BalanceAdjusted, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::RoleGranted, F(user), F(grant), F(at))
CALLTRACK_FIELDS(events::RoleRevoked, F(user), F(grant), F(at))
CALLTRACK_FIELDS(events::TrackingPaused, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::TrackingResumed, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::CallsStopped, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::CallsResumed, F(account), F(number), F(at))
CALLTRACK_FIELDS(events::AccountPaused, F(account), F(plan_before_pause), F(reports_suspended),
                 F(pause_until), F(at))
CALLTRACK_FIELDS(events::NumbersHeld, F(account), F(numbers), F(at))
CALLTRACK_FIELDS(events::AccountResumed, F(account), F(at))
CALLTRACK_FIELDS(events::NumbersReactivated, F(account), F(numbers), F(at))
CALLTRACK_FIELDS(events::PlanRestored, F(account), F(plan), F(at))
CALLTRACK_FIELDS(events::NumberReleased, F(number), F(account), F(at))
CALLTRACK_FIELDS(events::NumberRestored, F(number), F(account), F(carrier_level), F(at))
CALLTRACK_FIELDS(events::AccountCanceled, F(account), F(kind), F(reasons), F(reactivation_until),
                 F(restore_until), F(at))
CALLTRACK_FIELDS(events::AgencyCanceled, F(agency), F(reasons), F(sub_accounts),
                 F(reactivation_until), F(at))
CALLTRACK_FIELDS(events::AccountReactivated, F(account), F(at))
CALLTRACK_FIELDS(events::AgencyReactivated, F(agency), F(at))
CALLTRACK_FIELDS(events::BillingChanged, F(owner), F(charges), F(final_usage_invoice), F(at))
CALLTRACK_FIELDS(events::DataPurgeScheduled, F(account), F(purge_at), F(at))
CALLTRACK_FIELDS(events::DataPurgeCanceled, F(account), F(at))
CALLTRACK_FIELDS(events::DataPurged, F(account), F(at))
CALLTRACK_FIELDS(events::BalanceRefundable, F(owner), F(amount), F(until), F(at))
CALLTRACK_FIELDS(events::BalanceReinstated, F(owner), F(at))
CALLTRACK_FIELDS(events::RefundRequested, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::BalanceForfeited, F(owner), F(amount), F(at))
CALLTRACK_FIELDS(events::PortOutStarted, F(number), F(at))
CALLTRACK_FIELDS(events::PortOutCompleted, F(number), F(at))
CALLTRACK_FIELDS(events::PortOutAbandoned, F(number), F(at))
CALLTRACK_FIELDS(events::SubAccountTransferred, F(account), F(from), F(to), F(at))
CALLTRACK_FIELDS(events::SurveyRecorded, F(account), F(outcome), F(at))
CALLTRACK_FIELDS(events::AccountClosed, F(account), F(at))
CALLTRACK_FIELDS(events::AgencyClosed, F(agency), F(at))
CALLTRACK_FIELDS(events::RestoreWindowClosed, F(account), F(at))
CALLTRACK_FIELDS(events::PauseMaximumReached, F(account), F(at))

#undef F
#undef CALLTRACK_FIELDS

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(fields_of(Tag<T>{}))>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// People write commands, so inside a command's confirmation every key may be left out, and so
/// may the confirmation itself: what is not given was not confirmed.
template <class T>
constexpr bool may_be_left_out = is_optional<T>::value || std::is_same_v<T, Confirmation>;
template <class T>
constexpr bool every_key_may_be_left_out = std::is_same_v<T, Confirmation>;

/// A value to read into. Reading sets every member, from its key or (where the key may be left
/// out) to its empty value, so nothing of a blank survives; in particular not the placeholder
/// phone number, which stands in only because PhoneNumber has no default.
PhoneNumber blank(Tag<PhoneNumber>);
template <class T>
T blank(Tag<T>) {
    if constexpr (has_fields<T>::value) {
        return std::apply(
            [](const auto&... f) {
                return T{blank(Tag<typename std::decay_t<decltype(f)>::member_type>{})...};
            },
            fields_of(Tag<T>{}));
    } else {
        return T{};
    }
}

}  // namespace calltrack::codec_detail
