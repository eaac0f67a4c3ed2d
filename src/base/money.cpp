#include <calltrack/money.hpp>

#include "ascii.hpp"
#include "invalid_text.hpp"

#include <algorithm>
#include <limits>

namespace calltrack {
namespace {

using detail::is_digit;

// ISO 4217 codes whose minor unit is not 2 digits; every other code has 2.
constexpr std::string_view zero_digit_codes[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                 "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                 "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::string_view three_digit_codes[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

template <std::size_t N>
bool contains(const std::string_view (&codes)[N], std::string_view code) {
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

// Appends decimal `digit` to `value`; false past 64 bits.
bool append_digit(std::uint64_t& value, char digit) noexcept {
    return !__builtin_mul_overflow(value, std::uint64_t{10}, &value)
           && !__builtin_add_overflow(value, static_cast<std::uint64_t>(digit - '0'), &value);
}

}  // namespace

Currency::Currency(std::string_view code) : Currency() {
    const auto parsed = parse(code);
    if (!parsed) detail::throw_invalid_text("currency", code, parsed.error());
    *this = parsed.value();
}

result<Currency> Currency::parse(std::string_view code) {
    if (code.size() != 3) return errc::invalid_currency_code;
    std::array<char, 3> letters{};
    for (std::size_t i = 0; i < 3; ++i) {
        if (code[i] < 'A' || code[i] > 'Z') return errc::invalid_currency_code;
        letters[i] = code[i];
    }
    return Currency(letters);
}

int Currency::minor_digits() const noexcept {
    if (contains(zero_digit_codes, code())) return 0;
    if (contains(three_digit_codes, code())) return 3;
    return 2;
}

// The inverse of to_string(): the same digits are read back into the same minor units, and
// anything to_string() would not write (a '+', a bare '.', more digits than the currency has,
// separators between thousands) is refused rather than guessed at.
result<Money> Money::parse(std::string_view amount, Currency currency) {
    const int digits = currency.minor_digits();
    std::size_t pos = 0;
    const bool negative = !amount.empty() && amount[0] == '-';
    if (negative) ++pos;
    std::uint64_t magnitude = 0;
    const std::size_t whole_start = pos;
    for (; pos < amount.size() && is_digit(amount[pos]); ++pos) {
        if (!append_digit(magnitude, amount[pos])) return errc::amount_overflow;
    }
    if (pos == whole_start) return errc::invalid_amount;
    int fraction = 0;
    if (pos < amount.size() && amount[pos] == '.') {
        for (++pos; pos < amount.size() && is_digit(amount[pos]); ++pos, ++fraction) {
            if (fraction == digits) return errc::invalid_amount;
            if (!append_digit(magnitude, amount[pos])) return errc::amount_overflow;
        }
        if (fraction == 0) return errc::invalid_amount;
    }
    if (pos != amount.size()) return errc::invalid_amount;
    for (; fraction < digits; ++fraction) {
        if (!append_digit(magnitude, '0')) return errc::amount_overflow;
    }
    // INT64_MIN has a magnitude one larger than INT64_MAX; built without overflowing either.
    constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (magnitude > (negative ? largest + 1 : largest)) return errc::amount_overflow;
    if (!negative) return Money(static_cast<std::int64_t>(magnitude), currency);
    if (magnitude == 0) return Money(0, currency);
    return Money(-static_cast<std::int64_t>(magnitude - 1) - 1, currency);
}

result<Money> Money::parse(std::string_view text) {
    const auto space = text.rfind(' ');
    if (space == std::string_view::npos) return errc::invalid_amount;
    auto currency = Currency::parse(text.substr(space + 1));
    if (!currency) return currency.error();
    return parse(text.substr(0, space), currency.value());
}

Money::Money(std::string_view text) : Money() {
    const auto parsed = parse(text);
    if (!parsed) detail::throw_invalid_text("amount", text, parsed.error());
    *this = parsed.value();
}

Money::Money(std::string_view amount, Currency currency) : Money() {
    const auto parsed = parse(amount, currency);
    if (!parsed) {
        detail::throw_invalid_text(
            "amount", std::string(amount) + " " + std::string(currency.code()), parsed.error());
    }
    *this = parsed.value();
}

result<Money> add(const Money& a, const Money& b) noexcept {
    if (a.currency() != b.currency()) return errc::currency_mismatch;
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a.minor_units(), b.minor_units(), &sum)) {
        return errc::amount_overflow;
    }
    return Money(sum, a.currency());
}

result<Money> subtract(const Money& a, const Money& b) noexcept {
    if (a.currency() != b.currency()) return errc::currency_mismatch;
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(a.minor_units(), b.minor_units(), &difference)) {
        return errc::amount_overflow;
    }
    return Money(difference, a.currency());
}

result<Money> multiply(const Money& amount, std::int64_t factor) noexcept {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(amount.minor_units(), factor, &product)) {
        return errc::amount_overflow;
    }
    return Money(product, amount.currency());
}

result<int> compare(const Money& a, const Money& b) noexcept {
    if (a.currency() != b.currency()) return errc::currency_mismatch;
    return a.minor_units() < b.minor_units() ? -1 : (a.minor_units() > b.minor_units() ? 1 : 0);
}

std::string to_string(const Money& m) {
    const int digits = m.currency().minor_digits();
    // Work in unsigned so that INT64_MIN has a magnitude.
    const bool negative = m.is_negative();
    const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(m.minor_units())
                                    : static_cast<std::uint64_t>(m.minor_units());
    std::uint64_t scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    std::string text = negative ? "-" : "";
    text += std::to_string(magnitude / scale);
    if (digits > 0) {
        std::string fraction = std::to_string(magnitude % scale);
        text += '.';
        text.append(static_cast<std::size_t>(digits) - fraction.size(), '0');
        text += fraction;
    }
    text += ' ';
    text += m.currency().code();
    return text;
}

}  // namespace calltrack
