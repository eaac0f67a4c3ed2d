#pragma once

// Strong ids: an AccountId can never be passed where an AgencyId is expected. Ids are the host's
// own text (a UUID, a database key, a slug), compared byte-wise, so maps keyed by them iterate in
// a defined order. Text from outside goes through parse(), which never throws; text the program
// spells, through the constructor or "acme"_account, which throw std::invalid_argument naming it
// (docs/concepts.md, "Values from text").

#include <calltrack/errc.hpp>
#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace calltrack {

namespace detail {
/// True for 1..128 bytes of printable ASCII without spaces.
CALLTRACK_API bool is_valid_id_text(std::string_view text) noexcept;
[[noreturn]] CALLTRACK_API void throw_invalid_id(std::string_view text);
}  // namespace detail

template <class Tag>
class StrongId {
  public:
    /// An empty id, which refers to nothing; `empty()` tells.
    StrongId() = default;

    /// For ids the program itself spells (literals, ids read back from our own store). Malformed
    /// text here is a programming error and throws std::invalid_argument; input from outside goes
    /// through parse().
    explicit StrongId(std::string text) : text_(std::move(text)) {
        if (!detail::is_valid_id_text(text_)) detail::throw_invalid_id(text_);
    }
    /// `AccountId(0)` would otherwise build a std::string from a null pointer and fail at run
    /// time; this makes it a compile error.
    StrongId(std::nullptr_t) = delete;

    static result<StrongId> parse(std::string_view text) {
        if (!detail::is_valid_id_text(text)) return errc::invalid_id;
        return StrongId(std::string(text));
    }

    const std::string& str() const noexcept { return text_; }
    bool empty() const noexcept { return text_.empty(); }

    friend bool operator==(const StrongId& a, const StrongId& b) { return a.text_ == b.text_; }
    friend bool operator!=(const StrongId& a, const StrongId& b) { return a.text_ != b.text_; }
    friend bool operator<(const StrongId& a, const StrongId& b) { return a.text_ < b.text_; }
    friend bool operator>(const StrongId& a, const StrongId& b) { return b < a; }
    friend bool operator<=(const StrongId& a, const StrongId& b) { return !(b < a); }
    friend bool operator>=(const StrongId& a, const StrongId& b) { return !(a < b); }
    friend std::ostream& operator<<(std::ostream& os, const StrongId& id) { return os << id.text_; }

  private:
    std::string text_;
};

struct AgencyTag {};
struct AccountTag {};
struct NumberTag {};
struct UserTag {};

using AgencyId = StrongId<AgencyTag>;    ///< an agency: the parent of sub-accounts
using AccountId = StrongId<AccountTag>;  ///< a standalone account or a sub-account
using NumberId = StrongId<NumberTag>;    ///< a tracking number on an account
using UserId = StrongId<UserTag>;        ///< a person who acts on accounts

template <class Tag>
const std::string& to_string(const StrongId<Tag>& id) noexcept {
    return id.str();
}

}  // namespace calltrack

template <class Tag>
struct std::hash<calltrack::StrongId<Tag>> {
    std::size_t operator()(const calltrack::StrongId<Tag>& id) const noexcept {
        return std::hash<std::string>{}(id.str());
    }
};
