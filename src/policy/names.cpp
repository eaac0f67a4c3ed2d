// The to_string of the policy enums (DataOnCancel, BalanceOnCancel, Reactivation, OnPauseMaximum,
// BalanceSuspension), read from their tables in policy_names.hpp. Apart from validation and JSON
// because a name belongs to the enum, not to a format.

#include <calltrack/policy.hpp>

#include <calltrack/detail/policy_names.hpp>

#include <string_view>

namespace calltrack {

std::string_view to_string(DataOnCancel v) noexcept {
    return detail::name_of(detail::data_on_cancel_names, v);
}

std::string_view to_string(BalanceOnCancel v) noexcept {
    return detail::name_of(detail::balance_on_cancel_names, v);
}

std::string_view to_string(Reactivation v) noexcept {
    return detail::name_of(detail::reactivation_names, v);
}

std::string_view to_string(OnPauseMaximum v) noexcept {
    return detail::name_of(detail::on_pause_maximum_names, v);
}

std::string_view to_string(BalanceSuspension v) noexcept {
    return detail::name_of(detail::balance_suspension_names, v);
}

}  // namespace calltrack
