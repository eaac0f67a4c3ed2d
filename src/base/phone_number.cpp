#include <calltrack/phone_number.hpp>

#include "ascii.hpp"
#include "invalid_text.hpp"

namespace calltrack {
namespace {

using detail::is_digit;

constexpr std::size_t min_digits = 8;
constexpr std::size_t max_digits = 15;

bool is_separator(char c) noexcept {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t';
}

}  // namespace

result<PhoneNumber> PhoneNumber::parse(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    if (pos == text.size()) return errc::phone_number_empty;
    if (text[pos] != '+') {
        // Say "missing plus" only when the rest looks like a number; otherwise the character is
        // the problem.
        return is_digit(text[pos]) || is_separator(text[pos])
                   ? errc::phone_number_missing_plus
                   : errc::phone_number_invalid_character;
    }
    std::string out;
    out.reserve(1 + max_digits);
    out.push_back('+');
    std::size_t digits = 0;
    for (++pos; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (is_digit(c)) {
            if (digits == 0 && c == '0') return errc::phone_number_leading_zero;
            ++digits;
            if (digits > max_digits) return errc::phone_number_too_long;
            out.push_back(c);
        } else if (!is_separator(c)) {
            return errc::phone_number_invalid_character;
        }
    }
    if (digits == 0) return errc::phone_number_empty;
    if (digits < min_digits) return errc::phone_number_too_short;
    return PhoneNumber(Canonical{}, std::move(out));
}

PhoneNumber::PhoneNumber(std::string_view text) {
    auto parsed = parse(text);
    if (!parsed) detail::throw_invalid_text("phone number", text, parsed.error());
    digits_ = std::move(parsed).value().digits_;
}

}  // namespace calltrack
