#pragma once

// Every state change is an event with its time. decide() returns them, evolve() applies them,
// and replaying an account's stored events rebuilds its state. A cascade is a list of events
// from one command.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/command.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/tracking_number.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace calltrack {

/// How an account came to be canceled; it decides which policy applies and who can undo it.
enum class CancelKind : std::uint8_t {
    cancel,             ///< cancel_account on a standalone account
    sub_account_close,  ///< close_sub_account
    agency_cascade,     ///< part of cancel_agency
    close,              ///< CallRail close
};
CALLTRACK_API std::string_view to_string(CancelKind k) noexcept;

namespace events {

struct AgencyCreated {
    AgencyId agency;
    Money balance;
    Charges charges;
    Time at;
    CALLTRACK_FIELDS(AgencyCreated, agency, balance, charges, at)
};
struct AccountOpened {
    AccountId account;
    std::optional<AgencyId> agency;
    Plan plan;
    Money balance;
    Charges charges;
    Time at;
    CALLTRACK_FIELDS(AccountOpened, account, agency, plan, balance, charges, at)
};
struct TrackingNumberAdded {
    NumberId number;
    AccountId account;
    PhoneNumber phone_number;
    PhoneNumber forwarding_destination;
    NumberSource source;
    Time at;
    CALLTRACK_FIELDS(TrackingNumberAdded, number, account, phone_number, forwarding_destination,
                     source, at)
};
struct ForwardingChanged {
    NumberId number;
    PhoneNumber forwarding_destination;
    Time at;
    CALLTRACK_FIELDS(ForwardingChanged, number, forwarding_destination, at)
};
struct PlanChanged {
    AccountId account;
    Plan plan;
    Time at;
    CALLTRACK_FIELDS(PlanChanged, account, plan, at)
};
/// `amount` is added to the available balance (negative for a debit).
struct BalanceAdjusted {
    BalanceOwner owner;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(BalanceAdjusted, owner, amount, at)
};
struct RoleGranted {
    UserId user;
    RoleGrant grant;
    Time at;
    CALLTRACK_FIELDS(RoleGranted, user, grant, at)
};
struct RoleRevoked {
    UserId user;
    RoleGrant grant;
    Time at;
    CALLTRACK_FIELDS(RoleRevoked, user, grant, at)
};
/// The website script stops swapping: the whole account, or one number.
struct TrackingPaused {
    AccountId account;
    std::optional<NumberId> number;
    Time at;
    CALLTRACK_FIELDS(TrackingPaused, account, number, at)
};
struct TrackingResumed {
    AccountId account;
    std::optional<NumberId> number;
    Time at;
    CALLTRACK_FIELDS(TrackingResumed, account, number, at)
};
/// Callers hear a disconnected tone and swapping stops too: the whole account, or one number.
struct CallsStopped {
    AccountId account;
    std::optional<NumberId> number;
    Time at;
    CALLTRACK_FIELDS(CallsStopped, account, number, at)
};
struct CallsResumed {
    AccountId account;
    std::optional<NumberId> number;
    Time at;
    CALLTRACK_FIELDS(CallsResumed, account, number, at)
};
struct AccountPaused {
    AccountId account;
    Plan plan_before_pause;
    bool reports_suspended;
    std::optional<Time> pause_until;  ///< when the pause maximum is reached
    Time at;
    CALLTRACK_FIELDS(AccountPaused, account, plan_before_pause, reports_suspended, pause_until, at)
};
struct NumbersHeld {
    AccountId account;
    std::vector<NumberId> numbers;
    Time at;
    CALLTRACK_FIELDS(NumbersHeld, account, numbers, at)
};
struct AccountResumed {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(AccountResumed, account, at)
};
/// Held numbers route again, to the forwarding destination they had before the pause.
struct NumbersReactivated {
    AccountId account;
    std::vector<NumberId> numbers;
    Time at;
    CALLTRACK_FIELDS(NumbersReactivated, account, numbers, at)
};
/// The plan and add-ons in force before the pause.
struct PlanRestored {
    AccountId account;
    Plan plan;
    Time at;
    CALLTRACK_FIELDS(PlanRestored, account, plan, at)
};
struct NumberReleased {
    NumberId number;
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(NumberReleased, number, account, at)
};
/// `carrier_level`: support's attempt after the self-service window.
struct NumberRestored {
    NumberId number;
    AccountId account;
    bool carrier_level;
    Time at;
    CALLTRACK_FIELDS(NumberRestored, number, account, carrier_level, at)
};
struct AccountCanceled {
    AccountId account;
    CancelKind kind;
    std::vector<std::string> reasons;
    std::optional<Time> reactivation_until;  ///< nullopt: unlimited, or never (see policy)
    std::optional<Time> restore_until;       ///< end of the self-service number restore window
    Time at;
    CALLTRACK_FIELDS(AccountCanceled, account, kind, reasons, reactivation_until, restore_until, at)
};
struct AgencyCanceled {
    AgencyId agency;
    std::vector<std::string> reasons;
    std::vector<AccountId> sub_accounts;  ///< the active sub-accounts canceled with it
    std::optional<Time> reactivation_until;
    Time at;
    CALLTRACK_FIELDS(AgencyCanceled, agency, reasons, sub_accounts, reactivation_until, at)
};
struct AccountReactivated {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(AccountReactivated, account, at)
};
struct AgencyReactivated {
    AgencyId agency;
    Time at;
    CALLTRACK_FIELDS(AgencyReactivated, agency, at)
};
/// What the owner is charged from now on; empty means billing stopped.
struct BillingChanged {
    BalanceOwner owner;
    Charges charges;
    bool final_usage_invoice;  ///< one last usage invoice before charges stop
    Time at;
    /// The monthly hold fee, fixed when the charges start to include it; absent otherwise. Last,
    /// and defaulted, so that the four members before it still initialise an event by position.
    std::optional<Money> hold_fee = std::nullopt;
    CALLTRACK_FIELDS(BillingChanged, owner, charges, final_usage_invoice, at, hold_fee)
};
struct DataPurgeScheduled {
    AccountId account;
    Time purge_at;
    Time at;
    CALLTRACK_FIELDS(DataPurgeScheduled, account, purge_at, at)
};
/// A reactivation called off a scheduled purge.
struct DataPurgeCanceled {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(DataPurgeCanceled, account, at)
};
/// Agents, call flows, billing history and recordings held by the vendor are deleted. Data in
/// external systems (the customer's CRM) is never touched.
struct DataPurged {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(DataPurged, account, at)
};
struct BalanceRefundable {
    BalanceOwner owner;
    Money amount;
    std::optional<Time> until;  ///< nullopt: no time limit
    Time at;
    CALLTRACK_FIELDS(BalanceRefundable, owner, amount, until, at)
};
/// The balance is in use again after a reactivation.
struct BalanceReinstated {
    BalanceOwner owner;
    Time at;
    CALLTRACK_FIELDS(BalanceReinstated, owner, at)
};
struct RefundRequested {
    BalanceOwner owner;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(RefundRequested, owner, amount, at)
};
struct BalanceForfeited {
    BalanceOwner owner;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(BalanceForfeited, owner, amount, at)
};
struct PortOutStarted {
    NumberId number;
    Time at;
    CALLTRACK_FIELDS(PortOutStarted, number, at)
};
struct PortOutCompleted {
    NumberId number;
    Time at;
    CALLTRACK_FIELDS(PortOutCompleted, number, at)
};
struct PortOutAbandoned {
    NumberId number;
    Time at;
    CALLTRACK_FIELDS(PortOutAbandoned, number, at)
};
/// One agency asks to move the sub-account; it stays until the other agency approves.
struct TransferRequested {
    AccountId account;
    AgencyId from;
    AgencyId to;
    AgencyId requested_by;  ///< `from` or `to`: the side that asked
    UserId requester;
    std::optional<Time> expires_at;  ///< nullopt for an unlimited approval window
    Time at;
    CALLTRACK_FIELDS(TransferRequested, account, from, to, requested_by, requester, expires_at, at)
};
/// The other agency agreed; SubAccountTransferred follows.
struct TransferApproved {
    AccountId account;
    UserId approver;
    Time at;
    CALLTRACK_FIELDS(TransferApproved, account, approver, at)
};
struct TransferRefused {
    AccountId account;
    UserId refuser;
    Time at;
    CALLTRACK_FIELDS(TransferRefused, account, refuser, at)
};
struct TransferWithdrawn {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(TransferWithdrawn, account, at)
};
/// No one answered within the approval window fixed at the request.
struct TransferExpired {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(TransferExpired, account, at)
};
/// The sub-account was canceled or closed, alone or with its agency, or the agency it would move
/// to was canceled, while a transfer waited.
struct TransferDropped {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(TransferDropped, account, at)
};
/// Users, data and routing move with the sub-account.
struct SubAccountTransferred {
    AccountId account;
    AgencyId from;
    AgencyId to;
    Time at;
    CALLTRACK_FIELDS(SubAccountTransferred, account, from, to, at)
};
struct SurveyRecorded {
    AccountId account;
    SurveyOutcome outcome;
    Time at;
    CALLTRACK_FIELDS(SurveyRecorded, account, outcome, at)
};
/// Final: the reactivation window ended, or the policy never offered one.
struct AccountClosed {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(AccountClosed, account, at)
};
struct AgencyClosed {
    AgencyId agency;
    Time at;
    CALLTRACK_FIELDS(AgencyClosed, agency, at)
};
/// Released numbers can no longer be restored self-service; support may still try.
struct RestoreWindowClosed {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(RestoreWindowClosed, account, at)
};
struct PauseMaximumReached {
    AccountId account;
    Time at;
    CALLTRACK_FIELDS(PauseMaximumReached, account, at)
};

/// The account's subscription to another of the vendor's products ended with it
/// (CancellationRule::linked_subscriptions).
struct LinkedSubscriptionCanceled {
    AccountId account;
    std::string subscription;
    Time at;
    CALLTRACK_FIELDS(LinkedSubscriptionCanceled, account, subscription, at)
};

/// The host's billing debited usage from the account's balance.
struct UsageCharged {
    AccountId account;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(UsageCharged, account, amount, at)
};
/// The account's balance paid the monthly renewal of these numbers.
struct RenewalCharged {
    AccountId account;
    std::vector<NumberId> numbers;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(RenewalCharged, account, numbers, amount, at)
};
/// The balance could not pay the renewal, and the policy releases the numbers instead of
/// renewing them: nothing is debited, and a NumberReleased follows for each.
struct RenewalUnpaid {
    AccountId account;
    std::vector<NumberId> numbers;
    Money amount;
    Time at;
    CALLTRACK_FIELDS(RenewalUnpaid, account, numbers, amount, at)
};
/// The balance fell below the policy's threshold: incoming calls are not processed and the
/// website script stops swapping until a recharge lifts it. `balance` is what it fell to.
struct SuspendedForBalance {
    AccountId account;
    Money balance;
    Time at;
    CALLTRACK_FIELDS(SuspendedForBalance, account, balance, at)
};
/// A recharge brought the balance back above the threshold; service comes back, except what
/// another switch still holds off.
struct SuspensionLifted {
    AccountId account;
    Money balance;
    Time at;
    CALLTRACK_FIELDS(SuspensionLifted, account, balance, at)
};

}  // namespace events

using Event =
    std::variant<events::AgencyCreated, events::AccountOpened, events::TrackingNumberAdded,
                 events::ForwardingChanged, events::PlanChanged, events::BalanceAdjusted,
                 events::RoleGranted, events::RoleRevoked, events::TrackingPaused,
                 events::TrackingResumed, events::CallsStopped, events::CallsResumed,
                 events::AccountPaused, events::NumbersHeld, events::AccountResumed,
                 events::NumbersReactivated, events::PlanRestored, events::NumberReleased,
                 events::NumberRestored, events::AccountCanceled, events::AgencyCanceled,
                 events::AccountReactivated, events::AgencyReactivated, events::BillingChanged,
                 events::DataPurgeScheduled, events::DataPurgeCanceled, events::DataPurged,
                 events::BalanceRefundable, events::BalanceReinstated, events::RefundRequested,
                 events::BalanceForfeited, events::PortOutStarted, events::PortOutCompleted,
                 events::PortOutAbandoned, events::TransferRequested, events::TransferApproved,
                 events::TransferRefused, events::TransferWithdrawn, events::TransferExpired,
                 events::TransferDropped, events::SubAccountTransferred, events::SurveyRecorded,
                 events::AccountClosed, events::AgencyClosed, events::RestoreWindowClosed,
                 events::PauseMaximumReached, events::LinkedSubscriptionCanceled,
                 events::UsageCharged, events::RenewalCharged, events::RenewalUnpaid,
                 events::SuspendedForBalance, events::SuspensionLifted>;

/// The event's name in snake case, e.g. "account_canceled".
CALLTRACK_API std::string_view event_name(const Event& event) noexcept;
/// When it happened.
CALLTRACK_API Time event_time(const Event& event) noexcept;
/// One line for logs and timelines: "account_canceled account=acme at=2024-01-01T00:00:00Z". It
/// names the event's subjects (agency, account, number or numbers, owner, user) and what it
/// changed to: a number's phone number and forwarding destination, a plan and its add-ons, the
/// charges, an amount, the deadlines it sets; not every member (reasons, sub-accounts, a transfer's
/// requester), which to_json gives.
CALLTRACK_API std::string describe(const Event& event);

}  // namespace calltrack
