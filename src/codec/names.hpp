#pragma once

// The enumerations the codec reads by name, with the list of each one's values. Apart from the
// field lists because these are about the enums, not the structs: they are what one
// {value, "name"} table per enum (enum_names.hpp) will replace. A header and no .cpp, because the
// reader's templates pick these lists by type (has_values) at compile time.

#include "codec.hpp"

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace calltrack::codec_detail {

// Role, NumberSource, SurveyOutcome and Charge have public parsers or value lists; these do not.

inline constexpr AccountStatus all_account_statuses[] = {
    AccountStatus::active, AccountStatus::paused, AccountStatus::canceled, AccountStatus::closed};
inline constexpr DataStatus all_data_statuses[] = {DataStatus::retained,
                                                   DataStatus::purge_scheduled, DataStatus::purged};
inline constexpr BalanceStatus all_balance_statuses[] = {
    BalanceStatus::in_use, BalanceStatus::refundable, BalanceStatus::refund_requested,
    BalanceStatus::forfeited};
inline constexpr AgencyStatus all_agency_statuses[] = {AgencyStatus::active, AgencyStatus::canceled,
                                                       AgencyStatus::closed};
inline constexpr NumberStatus all_number_statuses[] = {
    NumberStatus::active, NumberStatus::held, NumberStatus::released,
    NumberStatus::port_out_pending, NumberStatus::ported_out};
inline constexpr CancelKind all_cancel_kinds[] = {CancelKind::cancel, CancelKind::sub_account_close,
                                                  CancelKind::agency_cascade, CancelKind::close};
inline constexpr EffectKind all_effect_kinds[] = {
    EffectKind::release_number,       EffectKind::hold_number,
    EffectKind::reactivate_number,    EffectKind::restore_number,
    EffectKind::update_forwarding,    EffectKind::stop_swapping,
    EffectKind::resume_swapping,      EffectKind::stop_routing_calls,
    EffectKind::resume_routing_calls, EffectKind::suspend_reports,
    EffectKind::restore_reports,      EffectKind::change_billing,
    EffectKind::final_usage_invoice,  EffectKind::purge_call_data,
    EffectKind::refund_balance,       EffectKind::forfeit_balance,
    EffectKind::port_out_number,
};

// A value added at the end of an enumeration must be added to its list too.
static_assert(std::size(all_account_statuses)
              == static_cast<std::size_t>(AccountStatus::closed) + 1);
static_assert(std::size(all_data_statuses) == static_cast<std::size_t>(DataStatus::purged) + 1);
static_assert(std::size(all_balance_statuses)
              == static_cast<std::size_t>(BalanceStatus::forfeited) + 1);
static_assert(std::size(all_agency_statuses) == static_cast<std::size_t>(AgencyStatus::closed) + 1);
static_assert(std::size(all_number_statuses)
              == static_cast<std::size_t>(NumberStatus::ported_out) + 1);
static_assert(std::size(all_cancel_kinds) == static_cast<std::size_t>(CancelKind::close) + 1);
static_assert(std::size(all_effect_kinds)
              == static_cast<std::size_t>(EffectKind::port_out_number) + 1);

constexpr const auto& values_of(Tag<AccountStatus>) {
    return all_account_statuses;
}
constexpr const auto& values_of(Tag<DataStatus>) {
    return all_data_statuses;
}
constexpr const auto& values_of(Tag<BalanceStatus>) {
    return all_balance_statuses;
}
constexpr const auto& values_of(Tag<AgencyStatus>) {
    return all_agency_statuses;
}
constexpr const auto& values_of(Tag<NumberStatus>) {
    return all_number_statuses;
}
constexpr const auto& values_of(Tag<CancelKind>) {
    return all_cancel_kinds;
}
constexpr const auto& values_of(Tag<EffectKind>) {
    return all_effect_kinds;
}
constexpr const auto& values_of(Tag<Charge>) {
    return all_charges;
}

template <class E, class = void>
struct has_values : std::false_type {};
template <class E>
struct has_values<E, std::void_t<decltype(values_of(Tag<E>{}))>> : std::true_type {};

}  // namespace calltrack::codec_detail
