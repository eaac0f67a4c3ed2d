#pragma once

// The enumerations the codec reads by name, with the list of each one's values, picked by type.
// Apart from the field lists because these are about the enums, not the structs. The values come
// from each enum's {value, "name"} table (model_names.hpp), but for EffectKind, whose names are
// still a switch in the core (effect.cpp), so its list is kept here. A header and no .cpp,
// because the reader's templates pick these lists by type (has_values) at compile time.

#include "codec.hpp"

#include <calltrack/detail/model_names.hpp>

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace calltrack::codec_detail {

// Role, NumberSource, SurveyOutcome and Charge have public parsers or value lists; these do not.

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

// A value added at the end of EffectKind must be added to its list too.
static_assert(std::size(all_effect_kinds)
              == static_cast<std::size_t>(EffectKind::port_out_number) + 1);

constexpr auto values_of(Tag<AccountStatus>) {
    return detail::values_of(detail::account_status_names);
}
constexpr auto values_of(Tag<DataStatus>) {
    return detail::values_of(detail::data_status_names);
}
constexpr auto values_of(Tag<BalanceStatus>) {
    return detail::values_of(detail::balance_status_names);
}
constexpr auto values_of(Tag<AgencyStatus>) {
    return detail::values_of(detail::agency_status_names);
}
constexpr auto values_of(Tag<NumberStatus>) {
    return detail::values_of(detail::number_status_names);
}
constexpr auto values_of(Tag<CancelKind>) {
    return detail::values_of(detail::cancel_kind_names);
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
