#pragma once

// An account: standalone, or a sub-account of one agency. Its status, its switches, its plan, its
// balance, and the time of every lifecycle change.

#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>

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
    friend bool operator==(const Plan& a, const Plan& b) {
        return a.name == b.name && a.add_ons == b.add_ons;
    }
    friend bool operator!=(const Plan& a, const Plan& b) { return !(a == b); }
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
    std::optional<Time> refundable_until;  ///< nullopt while refundable means: no time limit
    friend bool operator==(const Balance& a, const Balance& b) {
        return a.available == b.available && a.status == b.status
               && a.refundable_until == b.refundable_until;
    }
    friend bool operator!=(const Balance& a, const Balance& b) { return !(a == b); }
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
    friend bool operator==(const AccountTimeline& a, const AccountTimeline& b) {
        return a.opened_at == b.opened_at && a.paused_at == b.paused_at
               && a.resumed_at == b.resumed_at && a.canceled_at == b.canceled_at
               && a.reactivated_at == b.reactivated_at && a.closed_at == b.closed_at
               && a.data_purged_at == b.data_purged_at;
    }
    friend bool operator!=(const AccountTimeline& a, const AccountTimeline& b) { return !(a == b); }
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
    std::optional<Time> data_purge_at;       ///< when a scheduled purge happens
    std::optional<Time> reactivation_until;  ///< while canceled: end of the reactivation window
    std::optional<Time> restore_until;       ///< end of the self-service number restore window
    std::optional<Time> pause_until;         ///< while paused: when the pause maximum is reached
    AccountTimeline timeline;

    bool is_sub_account() const noexcept { return agency.has_value(); }

    friend bool operator==(const Account& a, const Account& b) {
        return a.id == b.id && a.agency == b.agency && a.status == b.status && a.plan == b.plan
               && a.plan_before_pause == b.plan_before_pause
               && a.is_tracking_paused == b.is_tracking_paused
               && a.are_calls_stopped == b.are_calls_stopped
               && a.has_report_access == b.has_report_access && a.charges == b.charges
               && a.balance == b.balance && a.survey == b.survey
               && a.was_canceled_with_agency == b.was_canceled_with_agency && a.data == b.data
               && a.data_purge_at == b.data_purge_at && a.reactivation_until == b.reactivation_until
               && a.restore_until == b.restore_until && a.pause_until == b.pause_until
               && a.timeline == b.timeline;
    }
    friend bool operator!=(const Account& a, const Account& b) { return !(a == b); }
};

}  // namespace calltrack
