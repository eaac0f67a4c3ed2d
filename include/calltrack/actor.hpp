#pragma once

// Who acts: a user and the roles granted to it, each grant scoped to one account, one agency, or
// (for the vendor's own support staff) the whole platform.

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack {

enum class Role : std::uint8_t {
    agency_administrator,  ///< administers an agency and every sub-account in it (CTM)
    administrator,         ///< administers one account (CallRail, CTM)
    account_owner,         ///< owns one account (smrtPhone)
    support,               ///< the vendor's support staff, platform-wide
};
inline constexpr Role all_roles[] = {Role::agency_administrator, Role::administrator,
                                     Role::account_owner, Role::support};

CALLTRACK_API std::string_view to_string(Role r) noexcept;
CALLTRACK_API result<Role> parse_role(std::string_view text);

/// A set of roles without heap allocation.
class RoleSet {
  public:
    constexpr RoleSet() = default;
    constexpr RoleSet(std::initializer_list<Role> roles) {
        for (const Role r : roles) bits_ = static_cast<std::uint8_t>(bits_ | bit(r));
    }
    constexpr bool contains(Role r) const noexcept { return (bits_ & bit(r)) != 0; }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    constexpr void insert(Role r) noexcept { bits_ = static_cast<std::uint8_t>(bits_ | bit(r)); }
    friend constexpr bool operator==(RoleSet a, RoleSet b) { return a.bits_ == b.bits_; }
    friend constexpr bool operator!=(RoleSet a, RoleSet b) { return a.bits_ != b.bits_; }

  private:
    static constexpr std::uint8_t bit(Role r) noexcept {
        return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
    }
    std::uint8_t bits_ = 0;
};

/// "administrator, account_owner" in declaration order; "none" when empty.
CALLTRACK_API std::string to_string(RoleSet roles);

/// The platform scope: only the support role is granted on it.
struct Platform {
    friend bool operator==(Platform, Platform) { return true; }
    friend bool operator!=(Platform, Platform) { return false; }
    friend bool operator<(Platform, Platform) { return false; }
};

/// Where a grant applies. A grant on an agency also applies to that agency's sub-accounts.
using Scope = std::variant<AccountId, AgencyId, Platform>;

CALLTRACK_API std::string to_string(const Scope& scope);

struct RoleGrant {
    Role role;
    Scope scope;
    CALLTRACK_FIELDS(RoleGrant, role, scope)
};

/// A user as the core sees it when judging a command.
struct Actor {
    UserId user;
    std::vector<RoleGrant> grants;

    /// The vendor's support staff: `user` with the support role on the platform, the actor that
    /// provisions a world (agencies, accounts, numbers, grants) before anyone else can act.
    static Actor support(UserId user) {
        return Actor{std::move(user), {RoleGrant{Role::support, Platform{}}}};
    }

    CALLTRACK_FIELDS(Actor, user, grants)
};

}  // namespace calltrack
