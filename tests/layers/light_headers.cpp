// The light path: these headers parse without Boost.Outcome and Boost.System (result.hpp declares
// result<T> without them), so a host file that needs only ids, money, phone numbers, times and
// windows stays small (docs/headers.md has the sizes). Building this unit is the test: it fails
// when one of them comes to include either library, directly or through another header.

#include <calltrack/clock.hpp>
#include <calltrack/errc.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/literals.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>
#include <calltrack/result.hpp>
#include <calltrack/time_zone.hpp>
#include <calltrack/version.hpp>
#include <calltrack/window.hpp>

#if defined(BOOST_OUTCOME_V2_CONFIG_HPP) || defined(BOOST_SYSTEM_ERROR_CODE_HPP_INCLUDED)
#error "a header of the light path includes Boost.Outcome or Boost.System"
#endif

// What the light path offers without them: values from literals, and functions that return
// result<T>, declared (calling them needs <calltrack/errors.hpp>).
namespace {
[[maybe_unused]] calltrack::AccountId light_account() {
    return calltrack::AccountId("acme");
}
[[maybe_unused]] calltrack::result<calltrack::Money> (*light_parse)(std::string_view) =
    &calltrack::Money::parse;
}  // namespace
