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

/// How a host builds its world: the same in every preset, since no vendor article covers it.
void add_provisioning(Policy& p) {
    p.rule(Operation::create_agency) = offered({}, {}, {R::support});
    p.rule(Operation::open_account) =
        offered({R::support}, {R::agency_administrator, R::support}, {});
    for (const Operation op :
         {Operation::add_tracking_number, Operation::change_forwarding, Operation::set_plan,
          Operation::adjust_balance, Operation::grant_role, Operation::revoke_role}) {
        p.rule(op) =
            offered({R::administrator, R::account_owner, R::support},
                    {R::agency_administrator, R::administrator, R::account_owner, R::support},
                    {R::agency_administrator, R::support});
    }
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

Policy base(std::string name) {
    Policy p;
    p.name = std::move(name);
    add_provisioning(p);
    p.charges = standard_charges();
    return p;
}

}  // namespace

Policy callrail() {
    Policy p = base("callrail");
    const RoleSet admin{R::administrator};

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
    Policy p = base("ctm");
    const RoleSet admin{R::administrator};
    const RoleSet agency_admin{R::agency_administrator};
    const RoleSet either_admin{R::agency_administrator, R::administrator};
    const RoleSet admin_or_support{R::administrator, R::support};
    const RoleSet either_admin_or_support{R::agency_administrator, R::administrator, R::support};

    p.rule(Operation::pause_tracking) = offered(admin, either_admin, {}, click());
    p.rule(Operation::resume_tracking) = offered(admin, either_admin, {});
    p.rule(Operation::stop_calls) = offered(admin, either_admin, {}, click());
    p.rule(Operation::resume_calls) = offered(admin, either_admin, {});
    p.rule(Operation::cancel_account) = offered(admin, {}, {}, click());
    p.rule(Operation::close_sub_account) = offered({}, either_admin, {}, click());
    p.rule(Operation::cancel_agency) = offered({}, {}, agency_admin, click());
    p.rule(Operation::reactivate_account) =
        offered(admin_or_support, either_admin_or_support, {}, click());
    p.rule(Operation::reactivate_agency) = offered({}, {}, {R::support});
    p.rule(Operation::restore_number) = offered(admin_or_support, either_admin_or_support, {});
    p.rule(Operation::request_refund) =
        offered(admin_or_support, either_admin_or_support, {R::agency_administrator, R::support});
    // Either agency's administrator asks and the other's answers; the handlers pick the sides.
    p.rule(Operation::request_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::approve_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::refuse_transfer) = offered({}, agency_admin, {});
    p.rule(Operation::withdraw_transfer) = offered({}, agency_admin, {});
    p.transfer.approval_window = Window::days(14);

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
    Policy p = base("smrtphone");
    const RoleSet owner{R::account_owner};

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
    return p;
}

namespace {

PolicyVersion version(std::string name, Time from, Policy policy) {
    return PolicyVersion{std::move(name), from, std::move(policy)};
}

/// CallRail before and after October 2020 (seed 000: "account pause deprecated since October
/// 2020"). Before, an administrator paused an account (and "suspended" what is now closed);
/// after, no account can be paused, and a paused one can still resume. callrail() folds the two
/// into one policy with pause offered until that instant.
PolicyHistory callrail_history() {
    Policy before = callrail();
    before.rule(Operation::pause_account).offered_until.reset();
    Policy after = callrail();
    after.rule(Operation::pause_account) = OperationRule{};
    const Time withdrawn = *callrail().rule(Operation::pause_account).offered_until;
    return PolicyHistory::make({version("callrail-original", first_time(), std::move(before)),
                                version("callrail-2020-10", withdrawn, std::move(after))})
        .value();
}

/// smrtPhone's older cancel article (seed 003: nothing comes back) and the newer one: "the
/// customer can still change their mind within 90 days of canceling, after which everything is
/// permanently lost". Neither is dated; the newer is taken to be in force from 2025-01-01
/// (docs/policies.md marks the date and each value of it a choice).
PolicyHistory smrtphone_history() {
    Policy newer = smrtphone();
    auto& canceled = newer.standalone;
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
