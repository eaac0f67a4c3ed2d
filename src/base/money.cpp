#include <calltrack/money.hpp>

#include <algorithm>
#include <limits>

namespace calltrack {
namespace {

// ISO 4217 codes whose minor unit is not 2 digits; every other code has 2.
constexpr std::string_view zero_digit_codes[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                 "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                 "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::string_view three_digit_codes[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

template <std::size_t N>
bool contains(const std::string_view (&codes)[N], std::string_view code) {
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

}  // namespace

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
