#pragma once

// An agency: the parent of sub-accounts, billed at agency level. Closing every sub-account does
// not cancel it; only an agency cancel does, and that cascades to its active sub-accounts.

#include <calltrack/account.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack {

enum class AgencyStatus : std::uint8_t {
    active,    ///< in service and billed
    canceled,  ///< canceled with its sub-accounts; support may reactivate it inside the window
    closed,    ///< the reactivation window has ended: final
};
CALLTRACK_API std::string_view to_string(AgencyStatus s) noexcept;

struct Agency {
    AgencyId id;
    AgencyStatus status = AgencyStatus::active;
    Charges charges;
    Balance balance;
    std::vector<std::string> cancel_reasons;  ///< the reasons for leaving given at cancel
    /// While canceled: the end of the reactivation window, fixed at the cancel; it stays after the
    /// window closes the agency, as the record of when it ended.
    std::optional<Time> reactivation_until;
    Time created_at;
    std::optional<Time> canceled_at;
    std::optional<Time> reactivated_at;
    std::optional<Time> closed_at;
    /// The zone its and its sub-accounts' local calendar days are counted in; UTC without one.
    std::optional<TimeZone> time_zone = std::nullopt;

    CALLTRACK_FIELDS(Agency, id, status, charges, balance, cancel_reasons, reactivation_until,
                     created_at, canceled_at, reactivated_at, closed_at, time_zone)
};

}  // namespace calltrack
