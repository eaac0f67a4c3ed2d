#pragma once

// The operations the core decides, named as the vendors name them. A command is judged as one
// (operation_of in command.hpp), and a policy holds one rule per operation (policy.hpp).

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace calltrack {

/// Every operation the core decides, in vendors' words.
enum class Operation : std::uint8_t {
    // provisioning: how a host builds its world through the same path and the same events
    create_agency,
    open_account,
    add_tracking_number,
    change_forwarding,
    set_plan,
    adjust_balance,
    grant_role,
    revoke_role,
    // the lifecycle
    pause_tracking,      ///< CTM: stop the script swapping numbers; charges and calls go on
    resume_tracking,     ///< CTM
    stop_calls,          ///< CTM: numbers stay but receive no calls; swapping stops too
    resume_calls,        ///< CTM
    pause_account,       ///< CallRail: hold numbers for a monthly fee (withdrawn Oct 2020)
    resume_account,      ///< CallRail: numbers, plan and swapping come back
    cancel_account,      ///< CTM standalone cancel; smrtPhone cancel
    close_sub_account,   ///< CTM
    cancel_agency,       ///< CTM: cascades to every active sub-account
    close_account,       ///< CallRail close (formerly "suspend")
    reopen_account,      ///< CallRail: log in and enter billing details
    reactivate_account,  ///< CTM: a canceled account or sub-account
    reactivate_agency,   ///< CTM: support only
    restore_number,      ///< CTM: a released number, after reactivation
    request_refund,      ///< CTM: the available balance, on request
    start_port_out,      ///< smrtPhone: move a number to another carrier
    complete_port_out,   ///< smrtPhone
    abandon_port_out,    ///< smrtPhone
    request_transfer,    ///< CTM: one agency asks to move a sub-account to another
    approve_transfer,    ///< CTM: the other agency agrees, and the sub-account moves
    refuse_transfer,     ///< CTM: the other agency declines
    withdraw_transfer,   ///< CTM: the asking agency takes it back
    record_survey,       ///< smrtPhone: the cancellation survey's outcome
    // the balance as the host's billing draws on it (after the lifecycle, so that the numbers
    // of the operations before them stay what stored audit records and policies were written
    // with)
    charge_usage,    ///< minutes and features used, debited from the balance
    charge_renewal,  ///< the monthly renewal of tracking numbers, debited from the balance
};
inline constexpr std::size_t operation_count =
    static_cast<std::size_t>(Operation::charge_renewal) + 1;

CALLTRACK_API std::string_view to_string(Operation op) noexcept;
CALLTRACK_API result<Operation> parse_operation(std::string_view text);

}  // namespace calltrack
