// The names of the policy enums (DataOnCancel, BalanceOnCancel, Reactivation, OnPauseMaximum):
// the spelling a policy document and every diagnostic use. Apart from validation and JSON because
// a name belongs to the enum, not to a format; these switches are what one name table per enum
// (enum_names.hpp) will replace, and the reader lists its accepted values from them.

#include <calltrack/policy.hpp>

#include <string_view>

namespace calltrack {

std::string_view to_string(DataOnCancel v) noexcept {
    switch (v) {
        case DataOnCancel::retain:
            return "retain";
        case DataOnCancel::purge_now:
            return "purge_now";
    }
    return "unknown";
}

std::string_view to_string(BalanceOnCancel v) noexcept {
    switch (v) {
        case BalanceOnCancel::refundable:
            return "refundable";
        case BalanceOnCancel::forfeit:
            return "forfeit";
    }
    return "unknown";
}

std::string_view to_string(Reactivation v) noexcept {
    switch (v) {
        case Reactivation::self_service:
            return "self_service";
        case Reactivation::support_only:
            return "support_only";
        case Reactivation::impossible:
            return "impossible";
    }
    return "unknown";
}

std::string_view to_string(OnPauseMaximum v) noexcept {
    switch (v) {
        case OnPauseMaximum::release_numbers:
            return "release_numbers";
        case OnPauseMaximum::close_account:
            return "close_account";
    }
    return "unknown";
}

}  // namespace calltrack
