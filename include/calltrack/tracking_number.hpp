#pragma once

// A tracking number on an account: the number callers dial, where it forwards, whether the
// website script swaps it, and where it is in its own lifecycle.

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/phone_number.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace calltrack {

/// How visitors find the number. Only onsite dynamic numbers are swapped by the website script,
/// so only they can have their tracking paused one by one (CTM).
enum class NumberSource : std::uint8_t { onsite_dynamic, offsite };

enum class NumberStatus : std::uint8_t {
    active,            ///< on the account, routing calls
    held,              ///< kept by the vendor while the account is paused (CallRail)
    released,          ///< given back to the carrier; restorable only inside a window
    port_out_pending,  ///< a port-out to another carrier has started
    ported_out,        ///< moved to another carrier; gone from the account for good
};

CALLTRACK_API std::string_view to_string(NumberSource s) noexcept;
CALLTRACK_API result<NumberSource> parse_number_source(std::string_view text);
CALLTRACK_API std::string_view to_string(NumberStatus s) noexcept;

struct TrackingNumber {
    NumberId id;
    AccountId account;
    PhoneNumber number;
    PhoneNumber forwarding_destination;
    NumberSource source = NumberSource::offsite;
    NumberStatus status = NumberStatus::active;
    bool is_swap_paused = false;     ///< tracking code paused for this number alone
    bool are_calls_stopped = false;  ///< incoming calls stopped for this number alone
    std::optional<Time> released_at;

    CALLTRACK_FIELDS(TrackingNumber, id, account, number, forwarding_destination, source, status,
                     is_swap_paused, are_calls_stopped, released_at)
};

/// Counts toward the account: active, held, or in the middle of a port-out.
inline bool is_on_account(const TrackingNumber& n) noexcept {
    return n.status == NumberStatus::active || n.status == NumberStatus::held
           || n.status == NumberStatus::port_out_pending;
}

}  // namespace calltrack
