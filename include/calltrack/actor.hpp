#pragma once

// Who acts: a user and the roles granted to it, each grant scoped to one account, one agency, or
// (for the vendor's own support staff) the whole platform.

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace calltrack {

/// A role's name as a policy declares it: the vendor's word for it in lower case, words joined by
/// underscores ("administrator", "call_manager"). Which roles exist, where each is granted and
/// what it implies is the policy's (RoleDefinition in policy.hpp); a Role is only the name, held
/// in place (at most `max_size` characters), so a grant copies without allocating.
class CALLTRACK_API Role {
  public:
    static constexpr std::size_t max_size = 31;

    /// No role: the name is empty and `empty()` tells.
    constexpr Role() = default;
    /// For names the program itself spells. Text that is not a role name is a programming error
    /// and throws std::invalid_argument; input from outside goes through parse_role().
    explicit Role(std::string_view name);

    constexpr std::string_view str() const noexcept { return {name_, size_}; }
    constexpr bool empty() const noexcept { return size_ == 0; }

    friend bool operator==(const Role& a, const Role& b) noexcept { return a.str() == b.str(); }
    friend bool operator!=(const Role& a, const Role& b) noexcept { return !(a == b); }
    friend bool operator<(const Role& a, const Role& b) noexcept { return a.str() < b.str(); }

    /// The names every preset shares; a vendor's other roles are data of its policy.
    static const Role agency_administrator;  ///< administers an agency and its sub-accounts
    static const Role administrator;         ///< administers one account
    static const Role account_owner;         ///< owns one account (smrtPhone)
    static const Role support;               ///< the vendor's support staff, platform-wide

  private:
    struct Checked {};
    /// `name`, or std::invalid_argument when it is not a role name: checked before any byte is
    /// copied.
    static std::string_view checked(std::string_view name);
    constexpr Role(std::string_view name, Checked) noexcept {
        for (std::size_t i = 0; i < name.size(); ++i) name_[i] = name[i];
        size_ = static_cast<unsigned char>(name.size());
    }
    friend CALLTRACK_API result<Role> parse_role(std::string_view text);

    char name_[max_size]{};
    unsigned char size_ = 0;
};

inline constexpr Role Role::agency_administrator{"agency_administrator", Checked{}};
inline constexpr Role Role::administrator{"administrator", Checked{}};
inline constexpr Role Role::account_owner{"account_owner", Checked{}};
inline constexpr Role Role::support{"support", Checked{}};

/// True for 1..31 characters, a lower-case letter first, then lower-case letters, digits and
/// underscores.
CALLTRACK_API bool is_role_name(std::string_view text) noexcept;

CALLTRACK_API std::string_view to_string(const Role& r) noexcept;
/// A role name from outside; malformed text is `invalid_role`. Whether a policy declares the
/// role is the policy's to say.
CALLTRACK_API result<Role> parse_role(std::string_view text);

/// Roles in the order they were first inserted, each once.
class RoleSet {
  public:
    RoleSet() = default;
    RoleSet(std::initializer_list<Role> roles) {
        for (const Role& r : roles) insert(r);
    }
    bool contains(const Role& r) const noexcept {
        return std::find(roles_.begin(), roles_.end(), r) != roles_.end();
    }
    bool empty() const noexcept { return roles_.empty(); }
    std::size_t size() const noexcept { return roles_.size(); }
    void insert(const Role& r) {
        if (!contains(r)) roles_.push_back(r);
    }
    std::vector<Role>::const_iterator begin() const noexcept { return roles_.begin(); }
    std::vector<Role>::const_iterator end() const noexcept { return roles_.end(); }

    /// The same roles, whatever their order.
    friend bool operator==(const RoleSet& a, const RoleSet& b) {
        return a.size() == b.size()
               && std::all_of(a.begin(), a.end(), [&](const Role& r) { return b.contains(r); });
    }
    friend bool operator!=(const RoleSet& a, const RoleSet& b) { return !(a == b); }

  private:
    std::vector<Role> roles_;
};

/// "administrator, account_owner" in the set's order; "none" when empty.
CALLTRACK_API std::string to_string(const RoleSet& roles);

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
