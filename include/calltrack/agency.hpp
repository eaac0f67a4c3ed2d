#pragma once

// An agency: the parent of sub-accounts, billed at agency level. Closing every sub-account does
// not cancel it; only an agency cancel does, and that cascades to its active sub-accounts.

#include <calltrack/account.hpp>
#include <calltrack/export.hpp>

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
    std::optional<Time> reactivation_until;
    Time created_at;
    std::optional<Time> canceled_at;
    std::optional<Time> reactivated_at;
    std::optional<Time> closed_at;

    friend bool operator==(const Agency& a, const Agency& b) {
        return a.id == b.id && a.status == b.status && a.charges == b.charges
               && a.balance == b.balance && a.cancel_reasons == b.cancel_reasons
               && a.reactivation_until == b.reactivation_until && a.created_at == b.created_at
               && a.canceled_at == b.canceled_at && a.reactivated_at == b.reactivated_at
               && a.closed_at == b.closed_at;
    }
    friend bool operator!=(const Agency& a, const Agency& b) { return !(a == b); }
};

}  // namespace calltrack
