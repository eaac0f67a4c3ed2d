#pragma once

// Every failure calltrack reports is a boost::system::error_code of the "calltrack" category,
// carried in result<T>. Exceptions are reserved for broken invariants (programming errors).

#include <boost/outcome/result.hpp>
#include <boost/system/error_code.hpp>
#include <calltrack/errc.hpp>
#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <optional>
#include <string_view>
#include <type_traits>

namespace calltrack {

CALLTRACK_API const boost::system::error_category& calltrack_category() noexcept;
CALLTRACK_API const boost::system::error_category& calltrack_condition_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), calltrack_category()};
}

inline boost::system::error_condition make_error_condition(condition c) noexcept {
    return {static_cast<int>(c), calltrack_condition_category()};
}

/// True where repeating the same call later can succeed without changing it.
CALLTRACK_API bool is_retryable(const boost::system::error_code& ec) noexcept;

/// The enumerator's name, e.g. "window_closed", for logs and JSON.
CALLTRACK_API std::string_view to_string(errc e) noexcept;

/// The errc whose name is exactly `name` (what to_string writes), if any.
CALLTRACK_API std::optional<errc> errc_named(std::string_view name) noexcept;

namespace detail {
/// Outcome's own choice of policy for any other error type (Refused). result.hpp names the one
/// for error_code without Outcome, so that the light headers can declare functions returning
/// result<T>; the assertion below keeps the two the same type as Outcome's result<T>.
template <class T, class E>
struct result_policy {
    using type = boost::outcome_v2::policy::default_policy<T, E, void>;
};
}  // namespace detail

static_assert(
    std::is_same_v<
        result<int>,
        boost::outcome_v2::result<
            int,
            boost::system::
                error_code>> && std::is_same_v<result<void>, boost::outcome_v2::result<void, boost::system::error_code>>,
    "calltrack/result.hpp must name Outcome's own result<T, error_code>");

}  // namespace calltrack

namespace boost::system {
template <>
struct is_error_code_enum<calltrack::errc> : std::true_type {};
template <>
struct is_error_condition_enum<calltrack::condition> : std::true_type {};
}  // namespace boost::system
