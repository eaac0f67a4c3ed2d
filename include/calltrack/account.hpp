#pragma once

// An account: standalone, or a sub-account of one agency. Its status, its switches, its plan, its
// balance, and the time of every lifecycle change.

#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/transfer.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack {

/// Exactly one at a time.
enum class AccountStatus : std::uint8_t {
    active,    ///< in service
    paused,    ///< service paused, numbers held (CallRail)
    canceled,  ///< reversible within the policy's reactivation window
    closed,    ///< final: nothing brings it back; data purged or purge due
};
CALLTRACK_API std::string_view to_string(AccountStatus s) noexcept;

/// The answer to smrtPhone's cancellation survey; only `confirm` lets a cancel proceed.
enum class SurveyOutcome : std::uint8_t { keep_account, book_meeting, confirm };
CALLTRACK_API std::string_view to_string(SurveyOutcome s) noexcept;
CALLTRACK_API result<SurveyOutcome> parse_survey_outcome(std::string_view text);

struct Plan {
    std::string name;
    std::vector<std::string> add_ons;
    CALLTRACK_FIELDS(Plan, name, add_ons)
};

/// Call history and recordings held by the vendor for the account.
enum class DataStatus : std::uint8_t {
    retained,         ///< kept, with no purge due
    purge_scheduled,  ///< kept until `purge_at`, then purged
    purged,           ///< deleted for good
};
CALLTRACK_API std::string_view to_string(DataStatus s) noexcept;

/// What happens to the available balance after a cancel.
enum class BalanceStatus : std::uint8_t {
    in_use,            ///< the account or agency is in service and uses it
    refundable,        ///< kept after a cancel; refunded on request until `refundable_until`
    refund_requested,  ///< the owner asked for the refund in time
    forfeited,         ///< the window closed or the policy forfeits it; no refund
};
CALLTRACK_API std::string_view to_string(BalanceStatus s) noexcept;

/// The available balance of an account or an agency, and what a cancel did to it.
struct Balance {
    Money available;
    BalanceStatus status = BalanceStatus::in_use;
    /// The refund window's end, fixed at the cancel; nullopt while refundable means no time
    /// limit. It stays after the window forfeits the balance, as the record of when it ended.
    std::optional<Time> refundable_until;
    CALLTRACK_FIELDS(Balance, available, status, refundable_until)
};

/// Every lifecycle change, by the time it last happened.
struct AccountTimeline {
    Time opened_at;
    std::optional<Time> paused_at;
    std::optional<Time> resumed_at;
    std::optional<Time> canceled_at;
    std::optional<Time> reactivated_at;
    std::optional<Time> closed_at;
    std::optional<Time> data_purged_at;
    std::optional<Time> suspension_lifted_at;  ///< a recharge last lifted a balance suspension
    CALLTRACK_FIELDS(AccountTimeline, opened_at, paused_at, resumed_at, canceled_at, reactivated_at,
                     closed_at, data_purged_at, suspension_lifted_at)
};

struct Account {
    AccountId id;
    std::optional<AgencyId> agency;  ///< set for a sub-account
    AccountStatus status = AccountStatus::active;
    Plan plan;
    std::optional<Plan> plan_before_pause;  ///< restored when a paused account resumes
    bool is_tracking_paused = false;        ///< tracking code paused for the whole account
    bool are_calls_stopped = false;         ///< incoming calls stopped for the whole account
    bool has_report_access = true;          ///< false while paused (CallRail)
    Charges charges;                        ///< what is charged now
    Balance balance;
    std::optional<SurveyOutcome> survey;    ///< the last cancellation survey answer
    bool was_canceled_with_agency = false;  ///< canceled by an agency cascade: support reactivates
    DataStatus data = DataStatus::retained;
    std::optional<Time> data_purge_at;  ///< when a scheduled purge happens
    /// While canceled: the end of the reactivation window, fixed at the cancel. It stays after the
    /// window closes the account, as the record of when it ended.
    std::optional<Time> reactivation_until;
    std::optional<Time> restore_until;  ///< end of the self-service number restore window
    std::optional<Time> pause_until;    ///< while paused: when the pause maximum is reached
    std::optional<PendingTransfer> pending_transfer;  ///< asked by one agency, not yet answered
    /// While the balance is below the policy's threshold (BalanceRule): since when. A switch of
    /// its own beside the tracking pause, stopped calls and the account pause; only a recharge
    /// lifts it. An optional time rather than a flag, so that records written before it read as
    /// not suspended.
    std::optional<Time> suspended_for_balance_at;
    AccountTimeline timeline;

    bool is_sub_account() const noexcept { return agency.has_value(); }
    bool is_suspended_for_balance() const noexcept { return suspended_for_balance_at.has_value(); }

    CALLTRACK_FIELDS(Account, id, agency, status, plan, plan_before_pause, is_tracking_paused,
                     are_calls_stopped, has_report_access, charges, balance, survey,
                     was_canceled_with_agency, data, data_purge_at, reactivation_until,
                     restore_until, pause_until, pending_transfer, suspended_for_balance_at,
                     timeline)
};

}  // namespace calltrack
