#pragma once

// result<T>: a T, or why not. It is Boost.Outcome's result<T, boost::system::error_code>, declared
// here without Outcome so that the light headers (ids, money, phone numbers, clock) can declare
// functions that return one while a file that includes only them parses no Boost at all. A file
// that calls such a function, and so needs the type complete, includes <calltrack/errors.hpp>.

namespace boost {
namespace system {
class error_code;
}  // namespace system
namespace outcome_v2 {
template <class R, class S, class NoValuePolicy>
class basic_result;
namespace policy {
template <class T, class EC, class E>
struct error_code_throw_as_system_error;
}  // namespace policy
}  // namespace outcome_v2
}  // namespace boost

namespace calltrack {

namespace detail {
/// The no-value policy Outcome gives result<T, E>: named here for error_code, and defined for
/// every other error type (such as Refused) in errors.hpp.
template <class T, class E>
struct result_policy;
template <class T>
struct result_policy<T, boost::system::error_code> {
    using type =
        boost::outcome_v2::policy::error_code_throw_as_system_error<T, boost::system::error_code,
                                                                    void>;
};
}  // namespace detail

/// A T, or why not: an error_code, or an error type that is one and carries more (Refused).
template <class T, class E = boost::system::error_code>
using result = boost::outcome_v2::basic_result<T, E, typename detail::result_policy<T, E>::type>;

}  // namespace calltrack
