#pragma once

// Every rule that differs between vendors, as data. The presets in policies:: reproduce each
// vendor's documented behaviour; docs/policies.md traces every field to the article sentence it
// comes from. A Policy also loads from and saves to JSON.

#include <calltrack/actor.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/money.hpp>
#include <calltrack/operation.hpp>
#include <calltrack/window.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack {

/// What the person must give before the operation proceeds. Every part that is set is required.
struct ConfirmationRule {
    bool click = false;                         ///< a confirmation button
    std::optional<std::string> typed_phrase;    ///< typed exactly, case and spaces included
    std::vector<std::string> acknowledgements;  ///< keys that must each be acknowledged
    bool terms = false;                         ///< terms and conditions accepted
    bool survey_confirmed = false;              ///< the survey's outcome must be `confirm`
    bool reason = false;                        ///< at least one reason for leaving
    bool billing_details = false;               ///< billing details entered (CallRail reopen)
    /// Engine::execute() must carry the digest of the impact the person was shown (impact.hpp),
    /// and it must still be what the command does. No vendor asks it; a host's policy may, for
    /// the operations that release numbers or purge data. The engine judges it, after the rules.
    bool impact = false;

    bool requires_nothing() const noexcept {
        return !click && !typed_phrase && acknowledgements.empty() && !terms && !survey_confirmed
               && !reason && !billing_details && !impact;
    }
    CALLTRACK_FIELDS(ConfirmationRule, click, typed_phrase, acknowledgements, terms,
                     survey_confirmed, reason, billing_details, impact)
};

/// The kinds of scope a role is granted on (Scope in actor.hpp).
enum class ScopeKind : std::uint8_t {
    platform,  ///< the whole platform: the vendor's own staff
    agency,    ///< one agency, and through it each of its sub-accounts
    account,   ///< one account
};
CALLTRACK_API std::string_view to_string(ScopeKind k) noexcept;

/// The kind of a grant's scope.
inline ScopeKind scope_kind_of(const Scope& scope) noexcept {
    if (std::holds_alternative<Platform>(scope)) return ScopeKind::platform;
    return std::holds_alternative<AgencyId>(scope) ? ScopeKind::agency : ScopeKind::account;
}

/// One role of a vendor: its name in rules and grants, the vendor's own title for it, where it
/// may be granted, and what it implies. A grant of the role also gives every role it implies,
/// and theirs in turn, wherever the grant applies: CTM's agency administrator implies
/// administrator, so one acts as administrator on every sub-account of its agency.
struct RoleDefinition {
    Role name;
    std::string title;                  ///< as the vendor writes it: "Agency Administrator"
    std::vector<ScopeKind> granted_on;  ///< the scopes a grant of it may name
    RoleSet implies;
    /// At most one user holds it on a scope (smrtPhone's one Account Owner): a second grant is
    /// refused `role_already_held` until the first is revoked.
    bool one_holder = false;

    /// Whether a grant of the role may name a scope of this kind.
    bool is_granted_on(ScopeKind kind) const noexcept {
        for (const ScopeKind k : granted_on) {
            if (k == kind) return true;
        }
        return false;
    }

    CALLTRACK_FIELDS(RoleDefinition, name, title, granted_on, implies, one_holder)
};

/// What a command acts on, as a rule's role sets tell them apart.
enum class TargetKind : std::uint8_t {
    account,      ///< a standalone account
    sub_account,  ///< an account in an agency
    agency,       ///< an agency itself
};
CALLTRACK_API std::string_view to_string(TargetKind k) noexcept;

/// Whether an operation is offered, from and until when, to whom, and with what confirmation.
/// The role sets are per target: a standalone account, a sub-account, an agency.
struct OperationRule {
    bool offered = false;
    std::optional<Time> offered_from;   ///< refused before this time
    std::optional<Time> offered_until;  ///< refused at and after this time (withdrawn)
    RoleSet account_roles;              ///< when the target is a standalone account
    RoleSet sub_account_roles;          ///< when the target is a sub-account
    RoleSet agency_roles;               ///< when the target is an agency
    ConfirmationRule confirmation;
    /// What the vendor calls the operation under these rules, when its own word is not
    /// calltrack's ("Suspend account" for CallRail's close before October 2020); empty when it
    /// is. Refusals quote it beside the operation's name.
    std::string title;

    const RoleSet& roles_on(TargetKind k) const noexcept {
        return k == TargetKind::account       ? account_roles
               : k == TargetKind::sub_account ? sub_account_roles
                                              : agency_roles;
    }

    CALLTRACK_FIELDS(OperationRule, offered, offered_from, offered_until, account_roles,
                     sub_account_roles, agency_roles, confirmation, title)
};

enum class DataOnCancel : std::uint8_t {
    retain,     ///< kept for `data_retention`, then purged (unlimited: kept)
    purge_now,  ///< deleted at the moment of cancel
};
enum class BalanceOnCancel : std::uint8_t {
    refundable,  ///< kept, refunded on request within `refund_window`, then forfeited
    forfeit,     ///< lost at the moment of cancel
};
enum class Reactivation : std::uint8_t {
    self_service,  ///< the customer reactivates within the window
    support_only,  ///< only the vendor's support can reactivate, within the window
    impossible,    ///< never; a returning customer starts a new account
};
CALLTRACK_API std::string_view to_string(DataOnCancel v) noexcept;
CALLTRACK_API std::string_view to_string(BalanceOnCancel v) noexcept;
CALLTRACK_API std::string_view to_string(Reactivation v) noexcept;

/// What a cancel (or close) does to one kind of target, and what can undo it.
struct CancellationRule {
    DataOnCancel data = DataOnCancel::retain;
    Window data_retention = Window::not_offered();  ///< with `retain`: days or unlimited
    BalanceOnCancel balance = BalanceOnCancel::refundable;
    Window refund_window = Window::not_offered();  ///< with `refundable`: days or unlimited
    Reactivation reactivation = Reactivation::impossible;
    Window reactivation_window = Window::not_offered();
    /// After reactivation, released numbers can be restored one by one while the cancel is at
    /// most this old. Not offered: released numbers never come back.
    Window number_restore_window = Window::not_offered();
    /// After the restore window, support may still attempt a carrier-level restore.
    bool support_restores_after_window = false;
    /// Charges stop after one last invoice for usage (CallRail close).
    bool final_usage_invoice = false;
    /// The vendor's other products whose subscriptions end with the account ("smrtdialer": the
    /// newer smrtPhone article, "canceling smrtPhone also cancels the smrtDialer subscription"),
    /// each a host effect. Reactivating the account does not bring them back.
    std::vector<std::string> linked_subscriptions;

    CALLTRACK_FIELDS(CancellationRule, data, data_retention, balance, refund_window, reactivation,
                     reactivation_window, number_restore_window, support_restores_after_window,
                     final_usage_invoice, linked_subscriptions)
};

/// What happens when a paused account reaches the pause maximum. The articles say only that the
/// vendor keeps numbers "for at most" the maximum.
enum class OnPauseMaximum : std::uint8_t {
    release_numbers,  ///< held numbers are released; the account stays paused and can resume
    close_account,    ///< held numbers are released and the account is closed for good
};
CALLTRACK_API std::string_view to_string(OnPauseMaximum v) noexcept;

/// Account pause (CallRail).
struct PauseRule {
    std::size_t number_limit = 0;            ///< most numbers held; more must be disabled first
    Window maximum = Window::not_offered();  ///< longest pause
    std::optional<Money> monthly_hold_fee;   ///< charged on the regular billing date
    bool suspends_report_access = false;     ///< reports and call log hidden while paused
    OnPauseMaximum on_maximum = OnPauseMaximum::release_numbers;

    CALLTRACK_FIELDS(PauseRule, number_limit, maximum, monthly_hold_fee, suspends_report_access,
                     on_maximum)
};

/// Moving a sub-account between agencies (CTM): asked by one agency, answered by the other.
struct TransferRule {
    /// How long the other agency has to answer, from the request; then the request lapses.
    Window approval_window = Window::not_offered();

    CALLTRACK_FIELDS(TransferRule, approval_window)
};

/// What each state charges. Only a full cancel stops charges in every vendor.
struct ChargeRule {
    Charges active;           ///< an account in service
    Charges tracking_paused;  ///< tracking code paused (account-wide)
    Charges calls_stopped;    ///< incoming calls stopped (account-wide)
    Charges paused;           ///< account paused
    Charges canceled;         ///< canceled or closed account
    Charges agency_active;    ///< an agency not canceled at agency level
    Charges agency_canceled;  ///< a canceled agency

    CALLTRACK_FIELDS(ChargeRule, active, tracking_paused, calls_stopped, paused, canceled,
                     agency_active, agency_canceled)
};

/// When the balance running out suspends an account (BalanceRule).
enum class BalanceSuspension : std::uint8_t {
    never,        ///< a balance below zero is debt; service goes on
    below,        ///< suspended while the balance is below the threshold (CTM, smrtPhone)
    at_or_below,  ///< suspended while it is at or below the threshold (Twilio)
};
CALLTRACK_API std::string_view to_string(BalanceSuspension v) noexcept;

/// What the balance running out does to an account. A suspension is a switch of its own: it
/// stops incoming calls and swapping, leaves calls in progress alone, and only a balance back
/// past the threshold lifts it; resuming calls, tracking or a paused account does not.
struct BalanceRule {
    BalanceSuspension suspends = BalanceSuspension::never;
    /// In minor units of the account's own currency: 0 is "below 0 USD" for a USD account.
    std::int64_t threshold = 0;
    /// A renewal the balance cannot pay (one that would leave it suspended) releases the numbers
    /// due for it instead of renewing them, and debits nothing (CTM: "numbers due for renewal
    /// may be released").
    bool releases_unpaid_renewals = false;

    /// Whether an account with this balance is suspended under the rule.
    bool suspends_at(std::int64_t minor_units) const noexcept {
        switch (suspends) {
            case BalanceSuspension::never:
                return false;
            case BalanceSuspension::below:
                return minor_units < threshold;
            case BalanceSuspension::at_or_below:
                return minor_units <= threshold;
        }
        return false;
    }

    CALLTRACK_FIELDS(BalanceRule, suspends, threshold, releases_unpaid_renewals)
};

struct Policy {
    std::string name;
    /// Every role a grant or a rule may name, in the order refusals list them.
    std::vector<RoleDefinition> roles;
    std::array<OperationRule, operation_count> operations{};
    CancellationRule standalone;   ///< cancel_account / close_account on a standalone account
    CancellationRule sub_account;  ///< close_sub_account, and sub-accounts in an agency cascade
    CancellationRule agency;       ///< cancel_agency, for the agency itself
    PauseRule pause;
    TransferRule transfer;
    ChargeRule charges;
    BalanceRule balance;

    const OperationRule& rule(Operation op) const noexcept {
        return operations[static_cast<std::size_t>(op)];
    }
    OperationRule& rule(Operation op) noexcept { return operations[static_cast<std::size_t>(op)]; }

    /// The declared role of that name, or null.
    CALLTRACK_API const RoleDefinition* role(const Role& wanted) const noexcept;
    /// `held` and every role it implies, directly or through others, in declaration order after
    /// `held`. A role the policy does not declare implies nothing but itself.
    CALLTRACK_API RoleSet implied_by(const Role& held) const;
    /// Every declared role whose grant gives one of `allowed` (itself or by implication) on a
    /// target of kind `on`, granted where a grant can reach such a target, in declaration order:
    /// who may do what a rule allows, for a refusal to name.
    CALLTRACK_API RoleSet roles_giving(const RoleSet& allowed, TargetKind on) const;

    CALLTRACK_FIELDS(Policy, name, roles, operations, standalone, sub_account, agency, pause,
                     transfer, charges, balance)
};

/// Where a policy document or value is wrong, for a person to fix: `field` is a JSON path such
/// as "operations.cancel_account.confirmation.typed_phrase".
struct PolicyDiagnostic {
    std::string field;
    std::string problem;
    /// In a chain of overlays, the document that gave the field (its PolicyDocument name, or a
    /// preset's), so that a person edits the file the value came from; empty for a nameless one.
    std::string document;
};

/// The four roles calltrack had before roles were a policy's data (support on the platform, an
/// agency administrator on an agency, an administrator or account owner on an account or agency),
/// which a policy document without "roles" is read with.
CALLTRACK_API std::vector<RoleDefinition> original_roles();

/// Refuses a policy that cannot be applied: a role a rule names that the policy does not declare,
/// a negative window, a typed confirmation with an empty
/// phrase, an offered operation allowed to no role, reactivation offered after the data is gone,
/// and the like.
CALLTRACK_API result<void> validate(const Policy& policy, PolicyDiagnostic* diagnostic = nullptr);

/// A policy document's text and the name it is known by: a file's path, for the diagnostics and
/// for telling that a chain of "extends" came back to a document already in it.
struct PolicyDocument {
    std::string name;
    std::string text;
};

/// Finds the document an overlay's `"extends": "..."` names when that is not a preset: `extends`
/// as written, `from` the name of the document that says it. A host decides what names mean (a
/// file relative to `from`, a database row); the library itself reads no files.
using PolicyResolver =
    std::function<result<PolicyDocument>(std::string_view extends, std::string_view from)>;

/// Parses and validates a policy document. Unknown keys are refused; every field is required, so
/// a document never silently inherits a default, unless it says `"extends": "ctm"` and gives
/// only what it changes (an overlay, docs/policies.md). This overload resolves presets only.
CALLTRACK_API result<Policy> policy_from_json(std::string_view json,
                                              PolicyDiagnostic* diagnostic = nullptr);
/// The same, with every "extends" that names no preset found by `resolve`.
CALLTRACK_API result<Policy> policy_from_json(const PolicyDocument& document,
                                              const PolicyResolver& resolve,
                                              PolicyDiagnostic* diagnostic = nullptr);
/// A document that policy_from_json reads back to an equal Policy.
CALLTRACK_API std::string policy_to_json(const Policy& policy);

/// One field in which two policies differ: its JSON path, and its value in each as JSON text.
struct PolicyDifference {
    std::string field;
    std::string a;
    std::string b;

    CALLTRACK_FIELDS(PolicyDifference, field, a, b)
};

/// Every field in which `a` and `b` differ, in document order, each at the deepest path where
/// their documents (policy_to_json) still have the same shape; an array is one value. Empty when
/// the policies are equal.
CALLTRACK_API std::vector<PolicyDifference> policy_diff(const Policy& a, const Policy& b);

namespace policies {
CALLTRACK_API Policy
callrail();                  ///< CallRail: account pause (withdrawn Oct 2020), close and reopen
CALLTRACK_API Policy ctm();  ///< CallTrackingMetrics: tracking pause, stop calls, cancels, agencies
CALLTRACK_API Policy
smrtphone();  ///< smrtPhone: permanent cancel behind a survey and a typed CONFIRM
/// The preset with that name ("callrail", "ctm", "smrtphone").
CALLTRACK_API result<Policy> by_name(std::string_view name);
}  // namespace policies

}  // namespace calltrack
