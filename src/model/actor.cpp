#include <calltrack/actor.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(Role r) noexcept {
    return detail::name_of(detail::role_names, r);
}

result<Role> parse_role(std::string_view text) {
    if (const auto r = detail::value_named(detail::role_names, text)) return *r;
    return errc::invalid_role;
}

std::string to_string(RoleSet roles) {
    std::string text;
    for (const Role r : all_roles) {
        if (!roles.contains(r)) continue;
        if (!text.empty()) text += ", ";
        text += to_string(r);
    }
    return text.empty() ? "none" : text;
}

std::string to_string(const Scope& scope) {
    if (const auto* account = std::get_if<AccountId>(&scope)) return "account " + account->str();
    if (const auto* agency = std::get_if<AgencyId>(&scope)) return "agency " + agency->str();
    return "platform";
}

}  // namespace calltrack
