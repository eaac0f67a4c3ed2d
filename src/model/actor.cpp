#include <calltrack/actor.hpp>

#include <stdexcept>

namespace calltrack {

bool is_role_name(std::string_view text) noexcept {
    if (text.empty() || text.size() > Role::max_size) return false;
    if (text.front() < 'a' || text.front() > 'z') return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string_view Role::checked(std::string_view name) {
    if (!is_role_name(name)) {
        throw std::invalid_argument("not a role name: \"" + std::string(name)
                                    + "\" (1 to 31 of a-z, 0-9 and _, a letter first)");
    }
    return name;
}

Role::Role(std::string_view name) : Role(checked(name), Checked{}) {}

std::string_view to_string(const Role& r) noexcept {
    return r.str();
}

result<Role> parse_role(std::string_view text) {
    if (!is_role_name(text)) return errc::invalid_role;
    return Role(text, Role::Checked{});
}

std::string to_string(const RoleSet& roles) {
    std::string text;
    for (const Role& r : roles) {
        if (!text.empty()) text += ", ";
        text += r.str();
    }
    return text.empty() ? "none" : text;
}

std::string to_string(const Scope& scope) {
    if (const auto* account = std::get_if<AccountId>(&scope)) return "account " + account->str();
    if (const auto* agency = std::get_if<AgencyId>(&scope)) return "agency " + agency->str();
    return "platform";
}

}  // namespace calltrack
