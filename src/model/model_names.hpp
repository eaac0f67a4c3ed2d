#pragma once

// The name of every model enum, in one table each (enum_names.hpp): the layers above read them
// to list an enum's values.

#include <calltrack/operation.hpp>

#include <calltrack/detail/enum_names.hpp>

#include <array>

namespace calltrack::detail {

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
    {Operation::transfer_sub_account, "transfer_sub_account"},
    {Operation::record_survey, "record_survey"},
}};
static_assert(names_every_value(operation_names),
              "operation_names lists every Operation once, in declaration order");

}  // namespace calltrack::detail
