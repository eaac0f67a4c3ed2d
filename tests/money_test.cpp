#include <calltrack/money.hpp>

#include "lifecycle_fixture.hpp"

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <limits>

using calltrack::Currency;
using calltrack::errc;
using calltrack::Money;

using calltrack::testing::usd;

namespace {
Currency eur() {
    return Currency::parse("EUR").value();
}
}  // namespace

TEST_CASE("currency codes are three upper-case ISO 4217 letters", "[money]") {
    CHECK(Currency::parse("USD"));
    CHECK(Currency::parse("JPY").value().minor_digits() == 0);
    CHECK(Currency::parse("KWD").value().minor_digits() == 3);
    CHECK(usd().minor_digits() == 2);
    for (const char* bad : {"", "US", "usd", "USDD", "U$D", "12A"}) {
        INFO("input: '" << bad << "'");
        const auto parsed = Currency::parse(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == errc::invalid_currency_code);
    }
}

TEST_CASE("money adds and subtracts in minor units within one currency", "[money]") {
    const Money fee(500, usd());
    const Money balance(12'345, usd());
    CHECK(add(balance, fee).value() == Money(12'845, usd()));
    CHECK(subtract(fee, balance).value() == Money(-11'845, usd()));
    CHECK(multiply(fee, 6).value() == Money(3'000, usd()));
    CHECK(compare(fee, balance).value() == -1);
    CHECK(compare(fee, fee).value() == 0);
}

TEST_CASE("arithmetic across currencies is refused", "[money]") {
    const Money dollars(100, usd());
    const Money euros(100, eur());
    CHECK(add(dollars, euros).error() == errc::currency_mismatch);
    CHECK(subtract(dollars, euros).error() == errc::currency_mismatch);
    CHECK(compare(dollars, euros).error() == errc::currency_mismatch);
    CHECK(dollars != euros);
}

TEST_CASE("money arithmetic refuses to overflow", "[money]") {
    const Money huge(std::numeric_limits<std::int64_t>::max(), usd());
    CHECK(add(huge, Money(1, usd())).error() == errc::amount_overflow);
    CHECK(subtract(Money(std::numeric_limits<std::int64_t>::min(), usd()), Money(1, usd())).error()
          == errc::amount_overflow);
    CHECK(multiply(huge, 2).error() == errc::amount_overflow);
}

TEST_CASE("money formats with its currency's minor digits", "[money]") {
    CHECK(to_string(Money(500, usd())) == "5.00 USD");
    CHECK(to_string(Money(-1'250, eur())) == "-12.50 EUR");
    CHECK(to_string(Money(7, usd())) == "0.07 USD");
    CHECK(to_string(Money(500, Currency::parse("JPY").value())) == "500 JPY");
    CHECK(to_string(Money(1'234, Currency::parse("KWD").value())) == "1.234 KWD");
    CHECK(to_string(Money(std::numeric_limits<std::int64_t>::min(), usd()))
          == "-92233720368547758.08 USD");
}

TEST_CASE("property: add then subtract gives back the original amount", "[money][property]") {
    const bool ok = rc::check("a + b - b == a", [](std::int32_t a, std::int32_t b) {
        const Money x(a, usd());
        const Money y(b, usd());
        RC_ASSERT(subtract(add(x, y).value(), y).value() == x);
        RC_ASSERT(add(x, y).value() == add(y, x).value());
    });
    CHECK(ok);
}

TEST_CASE("a zero balance is neither negative nor mistaken across currencies", "[money]") {
    const auto zero = Money::zero(usd());
    CHECK(zero.is_zero());
    CHECK_FALSE(zero.is_negative());
    CHECK(Money(-1, usd()).is_negative());
    CHECK(zero != Money::zero(eur()));
}
