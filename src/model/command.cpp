#include <calltrack/command.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string to_string(const BalanceOwner& owner) {
    if (const auto* id = std::get_if<AccountId>(&owner)) return "account " + id->str();
    return "agency " + std::get<AgencyId>(owner).str();
}

// Command's alternatives are declared in Operation's order, so alternative i is judged as the
// operation in row i of operation_names, and the operations are listed once, there.
static_assert(std::variant_size_v<Command> == operation_count,
              "every Command alternative needs its operation");

Operation operation_of(const Command& command) noexcept {
    return detail::operation_names[command.index()].value;
}

}  // namespace calltrack
