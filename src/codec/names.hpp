#pragma once

// The enumerations the codec reads by name, with the list of each one's values, picked by type.
// Apart from the field lists because these are about the enums, not the structs. The values come
// from each enum's {value, "name"} table (model_names.hpp, core_names.hpp). A header and no .cpp,
// because the reader's templates pick these lists by type (has_values) at compile time.

#include "codec.hpp"

#include <calltrack/detail/core_names.hpp>
#include <calltrack/detail/model_names.hpp>

#include <type_traits>

namespace calltrack::codec_detail {

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
constexpr auto values_of(Tag<EffectKind>) {
    return detail::values_of(detail::effect_kind_names);
}
constexpr auto values_of(Tag<Operation>) {
    return detail::values_of(detail::operation_names);
}
constexpr const auto& values_of(Tag<Charge>) {
    return all_charges;
}

template <class E, class = void>
struct has_values : std::false_type {};
template <class E>
struct has_values<E, std::void_t<decltype(values_of(Tag<E>{}))>> : std::true_type {};

}  // namespace calltrack::codec_detail
