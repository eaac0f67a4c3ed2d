#pragma once

// What an actor asks the library to do. Each command is a small struct carrying exactly the
// inputs the vendors' articles ask of the person: typed confirmation text, acknowledgements,
// accepted terms, reasons for leaving. `Command` is the variant of all of them.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/operation.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/tracking_number.hpp>

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack {

/// Whose balance: an account's or an agency's.
using BalanceOwner = std::variant<AccountId, AgencyId>;
CALLTRACK_API std::string to_string(const BalanceOwner& owner);

/// What the person gave along with the command. The policy says which parts are required.
///
/// Built in one expression: `Confirmation::click()` for the button, then any of the verbs
/// below, each returning the confirmation with that part added:
///
///     Confirmation::click().because("moving to an in-house call center")
///     Confirmation().type("CONFIRM").acknowledge("unported_numbers_lost")
///     Confirmation().accept_terms()
struct Confirmation {
    bool clicked = false;                   ///< pressed the confirmation button
    std::string typed;                      ///< the text typed into the confirmation box
    std::vector<std::string> acknowledged;  ///< keys of the statements acknowledged
    bool terms_accepted = false;            ///< accepted the terms and conditions
    std::vector<std::string> reasons;       ///< reasons for leaving
    bool billing_details_entered = false;   ///< entered billing details (CallRail reopen)

    /// The confirmation button pressed, and nothing else yet.
    static Confirmation click() {
        Confirmation c;
        c.clicked = true;
        return c;
    }
    /// With `phrase` typed into the confirmation box (exactly; the policy compares it as is).
    [[nodiscard]] Confirmation type(std::string phrase) const& {
        return Confirmation(*this).type(std::move(phrase));
    }
    [[nodiscard]] Confirmation type(std::string phrase) && {
        typed = std::move(phrase);
        return std::move(*this);
    }
    /// With the statement `key` acknowledged, as well as any acknowledged before.
    [[nodiscard]] Confirmation acknowledge(std::string key) const& {
        return Confirmation(*this).acknowledge(std::move(key));
    }
    [[nodiscard]] Confirmation acknowledge(std::string key) && {
        acknowledged.push_back(std::move(key));
        return std::move(*this);
    }
    /// With the terms and conditions accepted.
    [[nodiscard]] Confirmation accept_terms() const& { return Confirmation(*this).accept_terms(); }
    [[nodiscard]] Confirmation accept_terms() && {
        terms_accepted = true;
        return std::move(*this);
    }
    /// With `reason` given for leaving, as well as any given before.
    [[nodiscard]] Confirmation because(std::string reason) const& {
        return Confirmation(*this).because(std::move(reason));
    }
    [[nodiscard]] Confirmation because(std::string reason) && {
        reasons.push_back(std::move(reason));
        return std::move(*this);
    }
    /// With billing details entered (CallRail's reopen).
    [[nodiscard]] Confirmation enter_billing_details() const& {
        return Confirmation(*this).enter_billing_details();
    }
    [[nodiscard]] Confirmation enter_billing_details() && {
        billing_details_entered = true;
        return std::move(*this);
    }

    CALLTRACK_FIELDS(Confirmation, clicked, typed, acknowledged, terms_accepted, reasons,
                     billing_details_entered)
};

namespace commands {

// --- provisioning --------------------------------------------------------------------------
struct CreateAgency {
    AgencyId agency;
    Currency currency;
    CALLTRACK_FIELDS(CreateAgency, agency, currency)
};
struct OpenAccount {
    AccountId account;
    std::optional<AgencyId> agency;  ///< set to open a sub-account of this agency
    Plan plan;
    Currency currency;
    CALLTRACK_FIELDS(OpenAccount, account, agency, plan, currency)
};
struct AddTrackingNumber {
    NumberId number;
    AccountId account;
    PhoneNumber phone_number;
    PhoneNumber forwarding_destination;
    NumberSource source = NumberSource::offsite;
    CALLTRACK_FIELDS(AddTrackingNumber, number, account, phone_number, forwarding_destination,
                     source)
};
struct ChangeForwarding {
    NumberId number;
    PhoneNumber forwarding_destination;
    CALLTRACK_FIELDS(ChangeForwarding, number, forwarding_destination)
};
struct SetPlan {
    AccountId account;
    Plan plan;
    CALLTRACK_FIELDS(SetPlan, account, plan)
};
/// Credits (positive amount) or debits (negative amount) an available balance.
struct AdjustBalance {
    BalanceOwner owner;
    Money amount;
    CALLTRACK_FIELDS(AdjustBalance, owner, amount)
};
struct GrantRole {
    UserId user;
    RoleGrant grant;
    CALLTRACK_FIELDS(GrantRole, user, grant)
};
struct RevokeRole {
    UserId user;
    RoleGrant grant;
    CALLTRACK_FIELDS(RevokeRole, user, grant)
};

// --- tracking code and incoming calls (CTM) ----------------------------------------------
/// Without `number`, the whole account; with it, that onsite dynamic number only.
struct PauseTracking {
    AccountId account;
    std::optional<NumberId> number;
    Confirmation confirmation;
    CALLTRACK_FIELDS(PauseTracking, account, number, confirmation)
};
struct ResumeTracking {
    AccountId account;
    std::optional<NumberId> number;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ResumeTracking, account, number, confirmation)
};
struct StopCalls {
    AccountId account;
    std::optional<NumberId> number;
    Confirmation confirmation;
    CALLTRACK_FIELDS(StopCalls, account, number, confirmation)
};
struct ResumeCalls {
    AccountId account;
    std::optional<NumberId> number;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ResumeCalls, account, number, confirmation)
};

// --- account pause (CallRail) -----------------------------------------------------------
struct PauseAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(PauseAccount, account, confirmation)
};
struct ResumeAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ResumeAccount, account, confirmation)
};

// --- cancel, close, reactivate ----------------------------------------------------------
/// A standalone account (CTM), or the account (smrtPhone).
struct CancelAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(CancelAccount, account, confirmation)
};
struct CloseSubAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(CloseSubAccount, account, confirmation)
};
/// Cascades to every active sub-account in one step.
struct CancelAgency {
    AgencyId agency;
    Confirmation confirmation;
    CALLTRACK_FIELDS(CancelAgency, agency, confirmation)
};
/// CallRail's close (formerly "suspend").
struct CloseAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(CloseAccount, account, confirmation)
};
/// CallRail: log in and enter billing details; the data comes back, the numbers do not.
struct ReopenAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ReopenAccount, account, confirmation)
};
struct ReactivateAccount {
    AccountId account;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ReactivateAccount, account, confirmation)
};
struct ReactivateAgency {
    AgencyId agency;
    Confirmation confirmation;
    CALLTRACK_FIELDS(ReactivateAgency, agency, confirmation)
};
/// Self-service inside the restore window; support-assisted (carrier level) after it.
struct RestoreNumber {
    NumberId number;
    CALLTRACK_FIELDS(RestoreNumber, number)
};
struct RequestRefund {
    BalanceOwner owner;
    CALLTRACK_FIELDS(RequestRefund, owner)
};

// --- port-out (smrtPhone) ------------------------------------------------------------------
struct StartPortOut {
    NumberId number;
    CALLTRACK_FIELDS(StartPortOut, number)
};
struct CompletePortOut {
    NumberId number;
    CALLTRACK_FIELDS(CompletePortOut, number)
};
struct AbandonPortOut {
    NumberId number;
    CALLTRACK_FIELDS(AbandonPortOut, number)
};

// --- agencies and surveys ---------------------------------------------------------------
/// Asks to move a sub-account, with its users, data and routing, to agency `to`. An
/// administrator of either agency asks; nothing moves until one of the other agency approves.
struct RequestTransfer {
    AccountId account;
    AgencyId to;
    CALLTRACK_FIELDS(RequestTransfer, account, to)
};
/// The other agency's administrator agrees, and the sub-account moves.
struct ApproveTransfer {
    AccountId account;
    CALLTRACK_FIELDS(ApproveTransfer, account)
};
/// The other agency's administrator declines; the sub-account stays.
struct RefuseTransfer {
    AccountId account;
    CALLTRACK_FIELDS(RefuseTransfer, account)
};
/// The asking agency's administrator takes the request back.
struct WithdrawTransfer {
    AccountId account;
    CALLTRACK_FIELDS(WithdrawTransfer, account)
};
struct RecordSurvey {
    AccountId account;
    SurveyOutcome outcome;
    CALLTRACK_FIELDS(RecordSurvey, account, outcome)
};

// --- the balance as billing draws on it ---------------------------------------------------
/// Posted by the host's billing for what the account used (minutes, features with rates).
/// `amount` is what is debited, above zero. Under a policy's balance rule it may suspend the
/// account (BalanceRule).
struct ChargeUsage {
    AccountId account;
    Money amount;
    CALLTRACK_FIELDS(ChargeUsage, account, amount)
};
/// Posted by the host's billing when tracking numbers of the account are due for their monthly
/// renewal: `amount`, above zero, renews all of `numbers`. A renewal the balance cannot pay may
/// release them instead (BalanceRule::releases_unpaid_renewals).
struct ChargeRenewal {
    AccountId account;
    std::vector<NumberId> numbers;
    Money amount;
    CALLTRACK_FIELDS(ChargeRenewal, account, numbers, amount)
};

}  // namespace commands

using Command =
    std::variant<commands::CreateAgency, commands::OpenAccount, commands::AddTrackingNumber,
                 commands::ChangeForwarding, commands::SetPlan, commands::AdjustBalance,
                 commands::GrantRole, commands::RevokeRole, commands::PauseTracking,
                 commands::ResumeTracking, commands::StopCalls, commands::ResumeCalls,
                 commands::PauseAccount, commands::ResumeAccount, commands::CancelAccount,
                 commands::CloseSubAccount, commands::CancelAgency, commands::CloseAccount,
                 commands::ReopenAccount, commands::ReactivateAccount, commands::ReactivateAgency,
                 commands::RestoreNumber, commands::RequestRefund, commands::StartPortOut,
                 commands::CompletePortOut, commands::AbandonPortOut, commands::RequestTransfer,
                 commands::ApproveTransfer, commands::RefuseTransfer, commands::WithdrawTransfer,
                 commands::RecordSurvey, commands::ChargeUsage, commands::ChargeRenewal>;

/// The policy operation a command is judged as.
CALLTRACK_API Operation operation_of(const Command& command) noexcept;

}  // namespace calltrack
