#pragma once

// Money as integer minor units (cents for USD) with an ISO 4217 code. Never floating point, and
// never mixed across currencies: arithmetic across two currencies is refused. Text from outside
// goes through parse(), which never throws; text the program spells, through the constructors or
// "USD"_currency and "12.50 USD"_money, which throw std::invalid_argument naming it
// (docs/concepts.md, "Values from text").

#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace calltrack {

/// An ISO 4217 alphabetic code such as "USD".
class CALLTRACK_API Currency {
  public:
    /// "XXX", ISO 4217's code for "no currency": what a default-constructed Money holds.
    Currency() noexcept : code_{'X', 'X', 'X'} {}
    /// For codes the program itself spells ("USD"). A malformed code is a programming error and
    /// throws std::invalid_argument with the code in the message.
    explicit Currency(std::string_view code);
    Currency(std::nullptr_t) = delete;  ///< as Money's
    static result<Currency> parse(std::string_view code);

    std::string_view code() const noexcept { return {code_.data(), code_.size()}; }
    /// Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD.
    int minor_digits() const noexcept;

    friend bool operator==(Currency a, Currency b) { return a.code_ == b.code_; }
    friend bool operator!=(Currency a, Currency b) { return !(a == b); }
    friend bool operator<(Currency a, Currency b) { return a.code_ < b.code_; }

  private:
    explicit Currency(std::array<char, 3> code) : code_(code) {}
    std::array<char, 3> code_;
};

class CALLTRACK_API Money {
  public:
    /// Zero in "XXX" (no currency), so that value types holding Money are default-constructible.
    Money() noexcept : minor_(0) {}
    Money(std::int64_t minor_units, Currency currency) : minor_(minor_units), currency_(currency) {}
    static Money zero(Currency currency) { return Money(0, currency); }

    /// For amounts the program itself spells, as parse() reads them: Money("12.50 USD"),
    /// Money("12.50", usd). Malformed text is a programming error and throws
    /// std::invalid_argument with the text in the message.
    explicit Money(std::string_view text);
    Money(std::nullptr_t) = delete;  ///< `Money(0)` is no amount: a compile error, not a crash
    explicit Money(std::string_view amount, Currency currency);
    /// "12.50 USD", "-3 EUR", "500 JPY", as to_string() writes them: an optional '-', digits, at
    /// most the currency's minor digits after a '.', one space and the code. Exact: "12.505 USD"
    /// is invalid_amount, never rounded; past 64-bit minor units, amount_overflow.
    static result<Money> parse(std::string_view text);
    /// The amount alone ("12.50"), in `currency`.
    static result<Money> parse(std::string_view amount, Currency currency);

    std::int64_t minor_units() const noexcept { return minor_; }
    Currency currency() const noexcept { return currency_; }
    bool is_zero() const noexcept { return minor_ == 0; }
    bool is_negative() const noexcept { return minor_ < 0; }

    friend bool operator==(const Money& a, const Money& b) {
        return a.minor_ == b.minor_ && a.currency_ == b.currency_;
    }
    friend bool operator!=(const Money& a, const Money& b) { return !(a == b); }

  private:
    std::int64_t minor_;
    Currency currency_;
};

/// a + b; currency_mismatch across currencies, amount_overflow past 64 bits.
CALLTRACK_API result<Money> add(const Money& a, const Money& b) noexcept;
/// a - b; currency_mismatch across currencies, amount_overflow past 64 bits.
CALLTRACK_API result<Money> subtract(const Money& a, const Money& b) noexcept;
/// amount × factor (a monthly fee over several months); amount_overflow past 64 bits.
CALLTRACK_API result<Money> multiply(const Money& amount, std::int64_t factor) noexcept;
/// -1, 0 or 1; currency_mismatch across currencies.
CALLTRACK_API result<int> compare(const Money& a, const Money& b) noexcept;

/// "5.00 USD", "-12.50 EUR", "500 JPY".
CALLTRACK_API std::string to_string(const Money& m);
inline std::ostream& operator<<(std::ostream& os, const Money& m) {
    return os << to_string(m);
}

}  // namespace calltrack
