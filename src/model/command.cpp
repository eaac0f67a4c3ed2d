#include <calltrack/command.hpp>

namespace calltrack {

std::string to_string(const BalanceOwner& owner) {
    if (const auto* id = std::get_if<AccountId>(&owner)) return "account " + id->str();
    return "agency " + std::get<AgencyId>(owner).str();
}

namespace {

// The operation of each Command alternative, in the variant's order.
constexpr Operation operations[] = {
    Operation::create_agency,     Operation::open_account,       Operation::add_tracking_number,
    Operation::change_forwarding, Operation::set_plan,           Operation::adjust_balance,
    Operation::grant_role,        Operation::revoke_role,        Operation::pause_tracking,
    Operation::resume_tracking,   Operation::stop_calls,         Operation::resume_calls,
    Operation::pause_account,     Operation::resume_account,     Operation::cancel_account,
    Operation::close_sub_account, Operation::cancel_agency,      Operation::close_account,
    Operation::reopen_account,    Operation::reactivate_account, Operation::reactivate_agency,
    Operation::restore_number,    Operation::request_refund,     Operation::start_port_out,
    Operation::complete_port_out, Operation::abandon_port_out,   Operation::transfer_sub_account,
    Operation::record_survey,
};
static_assert(std::size(operations) == std::variant_size_v<Command>,
              "every Command alternative needs its operation");

}  // namespace

Operation operation_of(const Command& command) noexcept {
    return operations[command.index()];
}

}  // namespace calltrack
