// The vendor presets. docs/policies.md traces every value to the article sentence it comes from,
// or says why it is a choice where the articles are silent.

#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack::policies {
namespace {

using R = Role;

OperationRule offered(RoleSet account, RoleSet sub_account, RoleSet agency,
                      ConfirmationRule confirmation = {}) {
    OperationRule rule;
    rule.offered = true;
    rule.account_roles = account;
    rule.sub_account_roles = sub_account;
    rule.agency_roles = agency;
    rule.confirmation = std::move(confirmation);
    return rule;
}

ConfirmationRule click() {
    ConfirmationRule c;
    c.click = true;
    return c;
}

RoleDefinition role(std::string_view name, std::string title, std::vector<ScopeKind> granted_on,
                    RoleSet implies = {}) {
    return RoleDefinition{Role(name), std::move(title), std::move(granted_on), std::move(implies),
                          false};
}

/// A role of one account, which may also be granted on an agency for all its sub-accounts.
RoleDefinition account_role(std::string_view name, std::string title) {
    return role(name, std::move(title), {ScopeKind::account, ScopeKind::agency});
}

RoleDefinition support_role() {
    return role("support", "Support", {ScopeKind::platform});
}

/// Who sets up an account's numbers and billing, and who grants roles: the same operations in
/// every preset, each vendor's roles in them. No vendor article covers provisioning; the
/// choices are marked in docs/policies.md.
struct Provisioning {
    RoleSet sub_account_opener;  ///< opens a sub-account in an agency, with support
    RoleSet numbers;             ///< adds tracking numbers and changes their forwarding
    RoleSet billing;             ///< sets the plan and adjusts the balance
    RoleSet grants;              ///< grants and revokes roles
    RoleSet agency;              ///< all of these on an agency itself
};

void add_provisioning(Policy& p, const Provisioning& who) {
    const auto with_support = [](RoleSet roles) {
        roles.insert(R::support);
        return roles;
    };
    p.rule(Operation::create_agency) = offered({}, {}, {R::support});
    p.rule(Operation::open_account) =
        offered({R::support}, with_support(who.sub_account_opener), {});
    const std::pair<Operation, const RoleSet*> rules[] = {
        {Operation::add_tracking_number, &who.numbers},
        {Operation::change_forwarding, &who.numbers},
        {Operation::set_plan, &who.billing},
        {Operation::adjust_balance, &who.billing},
        {Operation::grant_role, &who.grants},
        {Operation::revoke_role, &who.grants}};
    for (const auto& [op, roles] : rules) {
        p.rule(op) = offered(with_support(*roles), with_support(*roles), with_support(who.agency));
    }
    // The host's billing posts usage and renewals, as the platform: an account's own users never
    // charge it. Charges are on accounts; no article says an agency's balance pays for usage.
    p.rule(Operation::charge_usage) = offered({R::support}, {R::support}, {});
    p.rule(Operation::charge_renewal) = offered({R::support}, {R::support}, {});
}

/// Only a full cancel stops charges, in every vendor; a paused account pays the hold fee.
ChargeRule standard_charges() {
    const Charges in_service{Charge::subscription, Charge::number_renewals, Charge::usage};
    ChargeRule c;
    c.active = in_service;
    c.tracking_paused = in_service;
    c.calls_stopped = in_service;
    c.paused = {Charge::hold_fee};
    c.canceled = {};
    c.agency_active = in_service;
    c.agency_canceled = {};
    return c;
}

/// No account pause: nothing held, no fee.
PauseRule no_pause() {
    PauseRule pause;
    pause.number_limit = 0;
    pause.maximum = Window::not_offered();
    pause.monthly_hold_fee.reset();
    pause.suspends_report_access = false;
    pause.on_maximum = OnPauseMaximum::release_numbers;
    return pause;
}

Policy base(std::string name, std::vector<RoleDefinition> roles, const Provisioning& who) {
    Policy p;
    p.name = std::move(name);
    p.roles = std::move(roles);
    add_provisioning(p, who);
    p.charges = standard_charges();
    return p;
}

/// CallRail's user roles. Only administrators handle billing, pause, close and reopen; a manager
/// also sets up tracking numbers (a choice); reporting and notification users act on nothing the
/// library decides.
std::vector<RoleDefinition> callrail_roles() {
    return {account_role("administrator", "Administrator"), account_role("manager", "Manager"),
            account_role("reporting", "Reporting"),
            account_role("notification", "Notification (Agent in CallRail's newer help)"),
            support_role()};
}

/// CTM's user roles. The agency roles imply their account roles, so an agency administrator
/// acts as administrator on every sub-account of its agency.
std::vector<RoleDefinition> ctm_roles() {
    return {role("agency_administrator", "Agency Administrator", {ScopeKind::agency},
                 {R::administrator}),
            role("agency_billing_manager", "Agency Billing Manager", {ScopeKind::agency},
                 {Role("billing_manager")}),
            account_role("administrator", "Administrator"),
            account_role("billing_manager", "Billing Manager"),
            account_role("marketing_manager", "Marketing Manager"),
            account_role("call_manager", "Call Manager"),
            account_role("report_manager", "Report Manager"),
            account_role("call_agent", "Call Agent"),
            support_role()};
}

/// smrtPhone's Account Owner, exactly one per account, and the users under it.
std::vector<RoleDefinition> smrtphone_roles() {
    RoleDefinition owner = role("account_owner", "Account Owner", {ScopeKind::account});
    owner.one_holder = true;
    return {owner, role("user", "User", {ScopeKind::account}), support_role()};
}

}  // namespace

Policy callrail() {
    const RoleSet admin{R::administrator};
    Provisioning who;
    who.sub_account_opener = admin;
    who.numbers = {R::administrator, Role("manager")};
    who.billing = admin;
    who.grants = admin;
    who.agency = admin;
    Policy p = base("callrail", callrail_roles(), who);

    OperationRule pause = offered(admin, admin, {}, click());
    pause.offered_until = parse_time("2020-10-01T00:00:00Z").value();
    p.rule(Operation::pause_account) = pause;

    ConfirmationRule terms;
    terms.terms = true;
    p.rule(Operation::resume_account) = offered(admin, admin, {}, terms);

    ConfirmationRule close = click();
    close.reason = true;
    p.rule(Operation::close_account) = offered(admin, admin, {}, close);

    ConfirmationRule billing;
    billing.billing_details = true;
    p.rule(Operation::reopen_account) = offered(admin, admin, {}, billing);

    p.rule(Operation::request_refund) = offered({R::administrator, R::support}, {}, {});

    CancellationRule closed;
    closed.data = DataOnCancel::retain;
    closed.data_retention = Window::unlimited();
    closed.balance = BalanceOnCancel::refundable;
    closed.refund_window = Window::unlimited();
    closed.reactivation = Reactivation::self_service;
    closed.reactivation_window = Window::unlimited();
    closed.number_restore_window = Window::not_offered();
    closed.support_restores_after_window = false;
    closed.final_usage_invoice = true;
    p.standalone = closed;
    p.sub_account = closed;
    p.agency = closed;

    p.pause.number_limit = 50;
    p.pause.maximum = Window::days(182);
    p.pause.monthly_hold_fee = Money(500, Currency::parse("USD").value());
    p.pause.suspends_report_access = true;
    p.pause.on_maximum = OnPauseMaximum::release_numbers;
    return p;
}

Policy ctm() {
    // An agency administrator holds administrator too (ctm_roles), so the sub-account rules that
    // name administrator are the article's "an Agency Administrator or Administrator".
    const RoleSet admin{R::administrator};
    const RoleSet agency_admin{R::agency_administrator};
    const RoleSet admin_or_support{R::administrator, R::support};
    const Role billing_manager("billing_manager");
    Provisioning who;
    who.sub_account_opener = agency_admin;
    who.numbers = {R::administrator, Role("marketing_manager")};
    who.billing = {R::administrator, billing_manager};
    who.grants = admin;
    who.agency = {R::agency_administrator, Role("agency_billing_manager")};
    Policy p = base("ctm", ctm_roles(), who);
    // Granting on an agency is its administrator's alone; its billing manager only bills.
    p.rule(Operation::grant_role).agency_roles = {R::agency_administrator, R::support};
    p.rule(Operation::revoke_role).agency_roles = {R::agency_administrator, R::support};

    p.rule(Operation::pause_tracking) = offered(admin, admin, {}, click());
    p.rule(Operation::resume_tracking) = offered(admin, admin, {});
    p.rule(Operation::stop_calls) = offered(admin, admin, {}, click());
    p.rule(Operation::resume_calls) = offered(admin, admin, {});
    p.rule(Operation::cancel_account) = offered(admin, {}, {}, click());
    p.rule(Operation::close_sub_account) = offered({}, admin, {}, click());
    p.rule(Operation::cancel_agency) = offered({}, {}, agency_admin, click());
    p.rule(Operation::reactivate_account) =
        offered(admin_or_support, admin_or_support, {}, click());
    p.rule(Operation::reactivate_agency) = offered({}, {}, {R::support});
    p.rule(Operation::restore_number) = offered(admin_or_support, admin_or_support, {});
    p.rule(Operation::request_refund) =
        offered({R::administrator, billing_manager, R::support},
                {R::administrator, billing_manager, R::support},
                {R::agency_administrator, Role("agency_billing_manager"), R::support});
    // Either agency's administrator asks and the other's answers; the handlers pick the sides.
    p.rule(Operation::request_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::approve_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::refuse_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::withdraw_transfer) = offered({}, agency_admin, {});
    p.transfer.approval_window = Window::days(14);
    // Issue 13, from CTM's billing help: an account below 0 USD becomes inactive, incoming calls
    // are not processed, and numbers due for renewal may be released (docs/policies.md).
    p.balance.suspends = BalanceSuspension::below;
    p.balance.threshold = 0;
    p.balance.releases_unpaid_renewals = true;

    CancellationRule canceled;
    canceled.data = DataOnCancel::retain;
    canceled.data_retention = Window::days(60);
    canceled.balance = BalanceOnCancel::refundable;
    canceled.refund_window = Window::days(90);
    canceled.reactivation = Reactivation::self_service;
    canceled.reactivation_window = Window::days(60);
    canceled.number_restore_window = Window::days(14);
    canceled.support_restores_after_window = true;
    canceled.final_usage_invoice = false;
    p.standalone = canceled;
    p.sub_account = canceled;
    p.agency = canceled;
    p.agency.reactivation = Reactivation::support_only;

    p.pause = no_pause();
    return p;
}

Policy smrtphone() {
    const RoleSet owner{R::account_owner};
    Provisioning who;
    who.numbers = owner;
    who.billing = owner;
    who.grants = owner;
    Policy p = base("smrtphone", smrtphone_roles(), who);

    ConfirmationRule cancel;
    cancel.survey_confirmed = true;
    cancel.typed_phrase = "CONFIRM";
    cancel.acknowledgements = {"unported_numbers_lost"};
    p.rule(Operation::cancel_account) = offered(owner, {}, {}, cancel);
    p.rule(Operation::record_survey) = offered(owner, {}, {});
    p.rule(Operation::start_port_out) = offered(owner, {}, {});
    p.rule(Operation::complete_port_out) = offered({R::support}, {}, {});
    p.rule(Operation::abandon_port_out) = offered({R::account_owner, R::support}, {}, {});

    CancellationRule canceled;
    canceled.data = DataOnCancel::purge_now;
    canceled.data_retention = Window::not_offered();
    canceled.balance = BalanceOnCancel::forfeit;
    canceled.refund_window = Window::not_offered();
    canceled.reactivation = Reactivation::impossible;
    canceled.reactivation_window = Window::not_offered();
    canceled.number_restore_window = Window::not_offered();
    canceled.support_restores_after_window = false;
    canceled.final_usage_invoice = false;
    p.standalone = canceled;
    p.sub_account = canceled;
    p.agency = canceled;

    p.pause = no_pause();
    // Issue 13, from smrtPhone's billing help: the account is paused until recharged, and calls
    // in progress are not cut (a suspension never cuts one). Nothing says numbers are released.
    p.balance.suspends = BalanceSuspension::below;
    p.balance.threshold = 0;
    p.balance.releases_unpaid_renewals = false;
    return p;
}

namespace {

PolicyVersion version(std::string name, Time from, Policy policy) {
    return PolicyVersion{std::move(name), from, std::move(policy)};
}

/// CallRail before and after October 2020 (seed 000: "account pause deprecated since October
/// 2020"). Before, an administrator paused an account and "suspended" what is now closed (the
/// spec: "Close an account (CallRail, formerly called suspend)"); after, no account can be paused,
/// a paused one can still resume, and closing is called closing. callrail() folds the two into
/// one policy with pause offered until that instant, in today's words.
PolicyHistory callrail_history() {
    Policy before = callrail();
    before.rule(Operation::pause_account).offered_until.reset();
    before.rule(Operation::close_account).title = "Suspend account";
    Policy after = callrail();
    after.rule(Operation::pause_account) = OperationRule{};
    const Time withdrawn = *callrail().rule(Operation::pause_account).offered_until;
    return PolicyHistory::make({version("callrail-original", first_time(), std::move(before)),
                                version("callrail-2020-10", withdrawn, std::move(after))})
        .value();
}

/// smrtPhone's older cancel article (seed 003: nothing comes back) and the newer one: "the
/// customer can still change their mind within 90 days of canceling, after which everything is
/// permanently lost", and "canceling smrtPhone also cancels the smrtDialer subscription". Neither
/// is dated; the newer is taken to be in force from 2025-01-01 (docs/policies.md marks the date
/// and each value of it a choice).
PolicyHistory smrtphone_history() {
    Policy newer = smrtphone();
    auto& canceled = newer.standalone;
    canceled.linked_subscriptions = {"smrtdialer"};
    canceled.data = DataOnCancel::retain;
    canceled.data_retention = Window::days(90);
    canceled.reactivation = Reactivation::self_service;
    canceled.reactivation_window = Window::days(90);
    canceled.number_restore_window = Window::days(90);
    newer.sub_account = canceled;
    newer.agency = canceled;
    newer.rule(Operation::reactivate_account) =
        offered({R::account_owner, R::support}, {}, {}, click());
    newer.rule(Operation::restore_number) = offered({R::account_owner, R::support}, {}, {});
    return PolicyHistory::make(
               {version("smrtphone-original", first_time(), smrtphone()),
                version("smrtphone-2025-01", parse_time("2025-01-01T00:00:00Z").value(),
                        std::move(newer))})
        .value();
}

}  // namespace

result<PolicyHistory> history_by_name(std::string_view name) {
    if (name == "callrail") return callrail_history();
    if (name == "ctm") return PolicyHistory(ctm());
    if (name == "smrtphone") return smrtphone_history();
    return errc::policy_invalid_value;
}

result<Policy> by_name(std::string_view name) {
    if (name == "callrail") return callrail();
    if (name == "ctm") return ctm();
    if (name == "smrtphone") return smrtphone();
    return errc::policy_invalid_value;
}

}  // namespace calltrack::policies
