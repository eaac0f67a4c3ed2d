#pragma once

// Literals for the values a program spells itself: "acme"_account, "+14045550123"_phone,
// "USD"_currency, "12.50 USD"_money, "2024-03-01T09:00:00Z"_time. Each is the type's constructor
// from text (docs/concepts.md, "Values from text"): a malformed literal is a programming error
// and throws std::invalid_argument with the literal in the message. Text from outside the
// program goes through the types' parse() instead, which never throws. The namespace is inline,
// so either `using namespace calltrack::literals;` or `using namespace calltrack;` brings them.

#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>
#include <calltrack/ids.hpp>
#include <calltrack/money.hpp>
#include <calltrack/phone_number.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace calltrack {
inline namespace literals {

inline AgencyId operator""_agency(const char* text, std::size_t size) {
    return AgencyId(std::string(text, size));
}
inline AccountId operator""_account(const char* text, std::size_t size) {
    return AccountId(std::string(text, size));
}
/// A tracking number's id (NumberId), not the phone number itself: that is _phone.
inline NumberId operator""_number(const char* text, std::size_t size) {
    return NumberId(std::string(text, size));
}
inline UserId operator""_user(const char* text, std::size_t size) {
    return UserId(std::string(text, size));
}
/// E.164 with the separators people type, as PhoneNumber::parse reads it: "+1 404 555 0123".
inline PhoneNumber operator""_phone(const char* text, std::size_t size) {
    return PhoneNumber(std::string_view(text, size));
}
inline Currency operator""_currency(const char* text, std::size_t size) {
    return Currency(std::string_view(text, size));
}
/// An amount and its currency as to_string(Money) writes them: "12.50 USD", "500 JPY".
inline Money operator""_money(const char* text, std::size_t size) {
    return Money(std::string_view(text, size));
}
/// ISO 8601 in UTC, as parse_time reads it: "2024-03-01T09:00:00Z".
CALLTRACK_API Time operator""_time(const char* text, std::size_t size);

}  // namespace literals
}  // namespace calltrack
