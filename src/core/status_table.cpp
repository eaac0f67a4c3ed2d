// Whether each operation may proceed from each account and agency status, and the refusal when
// it may not. It is a file of its own so that every (status, operation) decision stays in one
// table, read in one place, whichever family's operation it answers for: the handlers only call
// Judge::gate().
#include "judge.hpp"

#include <cstdint>
#include <string>

namespace calltrack::core {
namespace {

// The status table: every (status, operation) pair that has a decision. A pair that is not
// listed is refused with errc::invalid_state, never allowed by falling through.

enum class Gate : std::uint8_t {
    allow,    ///< the operation may proceed from this status
    invalid,  ///< the operation makes no sense in this status
    already,  ///< the operation's result is this status already
    closed,   ///< the account or agency is closed for good
};
constexpr Gate A = Gate::allow;
constexpr Gate I = Gate::invalid;
constexpr Gate R = Gate::already;
constexpr Gate C = Gate::closed;

struct AccountRow {
    Operation op;
    Gate active, paused, canceled, closed;
};

// clang-format off
constexpr AccountRow account_table[] = {
    // operation                         active paused canceled closed
    {Operation::add_tracking_number,     A,     I,     I,       C},
    {Operation::change_forwarding,       A,     I,     I,       C},  // held as saved at the pause
    {Operation::set_plan,                A,     I,     I,       C},  // the pause keeps the plan
    {Operation::adjust_balance,          A,     A,     I,       C},  // a cancel freezes it
    {Operation::grant_role,              A,     A,     A,       I},  // read-only login
    {Operation::revoke_role,             A,     A,     A,       A},
    {Operation::pause_tracking,          A,     I,     I,       C},
    {Operation::resume_tracking,         A,     I,     I,       C},
    {Operation::stop_calls,              A,     I,     I,       C},
    {Operation::resume_calls,            A,     I,     I,       C},
    {Operation::pause_account,           A,     R,     I,       C},
    {Operation::resume_account,          R,     A,     I,       C},
    {Operation::cancel_account,          A,     A,     R,       C},
    {Operation::close_sub_account,       A,     A,     R,       C},
    {Operation::close_account,           A,     A,     R,       C},
    {Operation::reopen_account,          R,     I,     A,       C},
    {Operation::reactivate_account,      R,     I,     A,       C},
    {Operation::restore_number,          A,     I,     I,       C},  // reactivate first
    {Operation::request_refund,          I,     I,     A,       A},  // refund outlives closing
    {Operation::start_port_out,          A,     A,     I,       C},
    {Operation::complete_port_out,       A,     A,     A,       A},  // the carrier finishes it
    {Operation::abandon_port_out,        A,     A,     A,       A},
    {Operation::request_transfer,        A,     A,     I,       C},
    {Operation::approve_transfer,        A,     A,     I,       C},
    {Operation::refuse_transfer,         A,     A,     I,       C},  // a cancel drops it first
    {Operation::withdraw_transfer,       A,     A,     I,       C},
    {Operation::record_survey,           A,     A,     I,       C},
    {Operation::charge_usage,            A,     A,     I,       C},  // a cancel stops charges
    {Operation::charge_renewal,          A,     A,     I,       C},
};

struct AgencyRow {
    Operation op;
    Gate active, canceled, closed;
};

constexpr AgencyRow agency_table[] = {
    // operation                         active canceled closed
    {Operation::open_account,            A,     I,       C},  // a new sub-account
    {Operation::adjust_balance,          A,     I,       C},
    {Operation::grant_role,              A,     A,       I},
    {Operation::revoke_role,             A,     A,       A},
    {Operation::cancel_agency,           A,     R,       C},
    {Operation::reactivate_agency,       R,     A,       C},
    {Operation::request_refund,          I,     A,       A},
    {Operation::request_transfer,        A,     I,       C},  // both sides must be active
    {Operation::approve_transfer,        A,     I,       C},
    {Operation::refuse_transfer,         A,     A,       A},  // a canceled side may still say no
    {Operation::withdraw_transfer,       A,     A,       A},
};
// clang-format on

Gate account_gate(Operation op, AccountStatus status) {
    for (const auto& row : account_table) {
        if (row.op != op) continue;
        switch (status) {
            case AccountStatus::active:
                return row.active;
            case AccountStatus::paused:
                return row.paused;
            case AccountStatus::canceled:
                return row.canceled;
            case AccountStatus::closed:
                return row.closed;
        }
    }
    return Gate::invalid;
}

Gate agency_gate(Operation op, AgencyStatus status) {
    for (const auto& row : agency_table) {
        if (row.op != op) continue;
        switch (status) {
            case AgencyStatus::active:
                return row.active;
            case AgencyStatus::canceled:
                return row.canceled;
            case AgencyStatus::closed:
                return row.closed;
        }
    }
    return Gate::invalid;
}

}  // namespace

void Judge::gate(Operation op, const Account& a) {
    const auto name = std::string(to_string(op));
    switch (account_gate(op, a.status)) {
        case Gate::allow:
            return;
        case Gate::already:
            refuse(errc::already_in_state, "account " + a.id.str() + " is "
                                               + std::string(to_string(a.status)) + " already");
            return;
        case Gate::closed:
            refuse(errc::account_closed,
                   "account " + a.id.str() + " is closed for good; " + name + " is not possible");
            return;
        case Gate::invalid:
            refuse(errc::invalid_state, "cannot " + name + " while account " + a.id.str() + " is "
                                            + std::string(to_string(a.status)));
            return;
    }
}

void Judge::gate(Operation op, const Agency& g) {
    const auto name = std::string(to_string(op));
    switch (agency_gate(op, g.status)) {
        case Gate::allow:
            return;
        case Gate::already:
            refuse(errc::already_in_state,
                   "agency " + g.id.str() + " is " + std::string(to_string(g.status)) + " already");
            return;
        case Gate::closed:
        case Gate::invalid:
            refuse(g.status == AgencyStatus::active   ? errc::invalid_state
                   : g.status == AgencyStatus::closed ? errc::agency_closed
                                                      : errc::agency_canceled,
                   "cannot " + name + " while agency " + g.id.str() + " is "
                       + std::string(to_string(g.status)));
            return;
    }
}

}  // namespace calltrack::core
