#pragma once

// The name of every model enum, in one table each (enum_names.hpp), and of every event, in the
// Event variant's order: the model's to_string, parse and event_name functions read them, and the
// layers above read them to list and parse the names.

#include <calltrack/account.hpp>
#include <calltrack/actor.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/event.hpp>
#include <calltrack/operation.hpp>
#include <calltrack/state.hpp>
#include <calltrack/tracking_number.hpp>

#include <calltrack/detail/enum_names.hpp>

#include <array>
#include <string_view>
#include <variant>

namespace calltrack::detail {

// Snake-case names in the order of the Event variant's alternatives.
inline constexpr std::string_view event_names[] = {
    "agency_created",
    "account_opened",
    "tracking_number_added",
    "forwarding_changed",
    "plan_changed",
    "balance_adjusted",
    "role_granted",
    "role_revoked",
    "tracking_paused",
    "tracking_resumed",
    "calls_stopped",
    "calls_resumed",
    "account_paused",
    "numbers_held",
    "account_resumed",
    "numbers_reactivated",
    "plan_restored",
    "number_released",
    "number_restored",
    "account_canceled",
    "agency_canceled",
    "account_reactivated",
    "agency_reactivated",
    "billing_changed",
    "data_purge_scheduled",
    "data_purge_canceled",
    "data_purged",
    "balance_refundable",
    "balance_reinstated",
    "refund_requested",
    "balance_forfeited",
    "port_out_started",
    "port_out_completed",
    "port_out_abandoned",
    "transfer_requested",
    "transfer_approved",
    "transfer_refused",
    "transfer_withdrawn",
    "transfer_expired",
    "transfer_dropped",
    "sub_account_transferred",
    "survey_recorded",
    "account_closed",
    "agency_closed",
    "restore_window_closed",
    "pause_maximum_reached",
    "linked_subscription_canceled",
    "usage_charged",
    "renewal_charged",
    "renewal_unpaid",
    "suspended_for_balance",
    "suspension_lifted",
};
static_assert(std::size(event_names) == std::variant_size_v<Event>,
              "every Event alternative needs a name");

inline constexpr std::array<Named<Operation>, operation_count> operation_names{{
    {Operation::create_agency, "create_agency"},
    {Operation::open_account, "open_account"},
    {Operation::add_tracking_number, "add_tracking_number"},
    {Operation::change_forwarding, "change_forwarding"},
    {Operation::set_plan, "set_plan"},
    {Operation::adjust_balance, "adjust_balance"},
    {Operation::grant_role, "grant_role"},
    {Operation::revoke_role, "revoke_role"},
    {Operation::pause_tracking, "pause_tracking"},
    {Operation::resume_tracking, "resume_tracking"},
    {Operation::stop_calls, "stop_calls"},
    {Operation::resume_calls, "resume_calls"},
    {Operation::pause_account, "pause_account"},
    {Operation::resume_account, "resume_account"},
    {Operation::cancel_account, "cancel_account"},
    {Operation::close_sub_account, "close_sub_account"},
    {Operation::cancel_agency, "cancel_agency"},
    {Operation::close_account, "close_account"},
    {Operation::reopen_account, "reopen_account"},
    {Operation::reactivate_account, "reactivate_account"},
    {Operation::reactivate_agency, "reactivate_agency"},
    {Operation::restore_number, "restore_number"},
    {Operation::request_refund, "request_refund"},
    {Operation::start_port_out, "start_port_out"},
    {Operation::complete_port_out, "complete_port_out"},
    {Operation::abandon_port_out, "abandon_port_out"},
    {Operation::request_transfer, "request_transfer"},
    {Operation::approve_transfer, "approve_transfer"},
    {Operation::refuse_transfer, "refuse_transfer"},
    {Operation::withdraw_transfer, "withdraw_transfer"},
    {Operation::record_survey, "record_survey"},
    {Operation::charge_usage, "charge_usage"},
    {Operation::charge_renewal, "charge_renewal"},
}};
static_assert(names_every_value(operation_names),
              "operation_names lists every Operation once, in declaration order");

inline constexpr std::array<Named<AccountStatus>, count_through(AccountStatus::closed)>
    account_status_names{{
        {AccountStatus::active, "active"},
        {AccountStatus::paused, "paused"},
        {AccountStatus::canceled, "canceled"},
        {AccountStatus::closed, "closed"},
    }};
static_assert(names_every_value(account_status_names),
              "account_status_names lists every AccountStatus once, in declaration order");

inline constexpr std::array<Named<SurveyOutcome>, count_through(SurveyOutcome::confirm)>
    survey_outcome_names{{
        {SurveyOutcome::keep_account, "keep_account"},
        {SurveyOutcome::book_meeting, "book_meeting"},
        {SurveyOutcome::confirm, "confirm"},
    }};
static_assert(names_every_value(survey_outcome_names),
              "survey_outcome_names lists every SurveyOutcome once, in declaration order");

inline constexpr std::array<Named<DataStatus>, count_through(DataStatus::purged)> data_status_names{
    {
        {DataStatus::retained, "retained"},
        {DataStatus::purge_scheduled, "purge_scheduled"},
        {DataStatus::purged, "purged"},
    }};
static_assert(names_every_value(data_status_names),
              "data_status_names lists every DataStatus once, in declaration order");

inline constexpr std::array<Named<BalanceStatus>, count_through(BalanceStatus::forfeited)>
    balance_status_names{{
        {BalanceStatus::in_use, "in_use"},
        {BalanceStatus::refundable, "refundable"},
        {BalanceStatus::refund_requested, "refund_requested"},
        {BalanceStatus::forfeited, "forfeited"},
    }};
static_assert(names_every_value(balance_status_names),
              "balance_status_names lists every BalanceStatus once, in declaration order");

inline constexpr std::array<Named<AgencyStatus>, count_through(AgencyStatus::closed)>
    agency_status_names{{
        {AgencyStatus::active, "active"},
        {AgencyStatus::canceled, "canceled"},
        {AgencyStatus::closed, "closed"},
    }};
static_assert(names_every_value(agency_status_names),
              "agency_status_names lists every AgencyStatus once, in declaration order");

inline constexpr std::array<Named<Charge>, count_through(Charge::hold_fee)> charge_names{{
    {Charge::subscription, "subscription"},
    {Charge::number_renewals, "number_renewals"},
    {Charge::usage, "usage"},
    {Charge::hold_fee, "hold_fee"},
}};
static_assert(names_every_value(charge_names),
              "charge_names lists every Charge once, in declaration order");
static_assert(lists_same_values(charge_names, all_charges), "all_charges follows charge_names");

inline constexpr std::array<Named<CancelKind>, count_through(CancelKind::close)> cancel_kind_names{{
    {CancelKind::cancel, "cancel"},
    {CancelKind::sub_account_close, "sub_account_close"},
    {CancelKind::agency_cascade, "agency_cascade"},
    {CancelKind::close, "close"},
}};
static_assert(names_every_value(cancel_kind_names),
              "cancel_kind_names lists every CancelKind once, in declaration order");

inline constexpr std::array<Named<DeadlineKind>, count_through(DeadlineKind::transfer_expires)>
    deadline_kind_names{{
        {DeadlineKind::pause_maximum, "pause_maximum"},
        {DeadlineKind::restore_window_closes, "restore_window_closes"},
        {DeadlineKind::reactivation_window_closes, "reactivation_window_closes"},
        {DeadlineKind::agency_reactivation_window_closes, "agency_reactivation_window_closes"},
        {DeadlineKind::data_purge, "data_purge"},
        {DeadlineKind::refund_window_closes, "refund_window_closes"},
        {DeadlineKind::transfer_expires, "transfer_expires"},
    }};
static_assert(names_every_value(deadline_kind_names),
              "deadline_kind_names lists every DeadlineKind once, in declaration order");

inline constexpr std::array<Named<NumberSource>, count_through(NumberSource::offsite)>
    number_source_names{{
        {NumberSource::onsite_dynamic, "onsite_dynamic"},
        {NumberSource::offsite, "offsite"},
    }};
static_assert(names_every_value(number_source_names),
              "number_source_names lists every NumberSource once, in declaration order");

inline constexpr std::array<Named<NumberStatus>, count_through(NumberStatus::ported_out)>
    number_status_names{{
        {NumberStatus::active, "active"},
        {NumberStatus::held, "held"},
        {NumberStatus::released, "released"},
        {NumberStatus::port_out_pending, "port_out_pending"},
        {NumberStatus::ported_out, "ported_out"},
    }};
static_assert(names_every_value(number_status_names),
              "number_status_names lists every NumberStatus once, in declaration order");

}  // namespace calltrack::detail
