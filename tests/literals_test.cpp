// The literals of <calltrack/literals.hpp>: each is its type's constructor from text, so a good
// literal is the value parse() gives, and a bad one is a programming error that throws
// std::invalid_argument with the literal in the message.
#include <calltrack/literals.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

using calltrack::errc;

namespace {

/// The message a bad literal throws: its kind, the text, and the errc's own words.
std::string invalid(const char* kind, const char* text, errc why) {
    return std::string("calltrack: invalid ") + kind + " '" + text
           + "': " + make_error_code(why).message();
}

}  // namespace

TEST_CASE("literals need only calltrack::literals, and are the types they name", "[literals]") {
    using namespace calltrack::literals;
    static_assert(std::is_same_v<decltype("a"_agency), calltrack::AgencyId>);
    static_assert(std::is_same_v<decltype("a"_account), calltrack::AccountId>);
    static_assert(std::is_same_v<decltype("a"_number), calltrack::NumberId>);
    static_assert(std::is_same_v<decltype("a"_user), calltrack::UserId>);
    static_assert(std::is_same_v<decltype("+14045550123"_phone), calltrack::PhoneNumber>);
    static_assert(std::is_same_v<decltype("USD"_currency), calltrack::Currency>);
    static_assert(std::is_same_v<decltype("1 USD"_money), calltrack::Money>);
    static_assert(std::is_same_v<decltype("2024-03-01T09:00:00Z"_time), calltrack::Time>);
}

TEST_CASE("a good literal is the value parse() gives", "[literals]") {
    using namespace calltrack;
    CHECK("ag1"_agency == AgencyId::parse("ag1").value());
    CHECK("acme"_account == AccountId::parse("acme").value());
    CHECK("n1"_number == NumberId::parse("n1").value());
    CHECK("alice"_user == UserId::parse("alice").value());
    CHECK("+1 404 555 0123"_phone == PhoneNumber::parse("+14045550123").value());
    CHECK("USD"_currency == Currency::parse("USD").value());
    CHECK("12.50 USD"_money == Money(1'250, Currency::parse("USD").value()));
    CHECK("500 JPY"_money == Money(500, Currency::parse("JPY").value()));
    CHECK("2024-03-01T09:00:00Z"_time == parse_time("2024-03-01T09:00:00Z").value());
    CHECK("2024-02-29T23:59:59.5Z"_time == parse_time("2024-02-29T23:59:59.500000Z").value());
}

TEST_CASE("a bad literal throws std::invalid_argument with the literal in the message",
          "[literals]") {
    using namespace calltrack::literals;
    CHECK_THROWS_MATCHES("x y"_account, std::invalid_argument,
                         Catch::Message("calltrack: invalid id 'x y': ids are 1 to 128 printable "
                                        "ASCII characters without spaces"));
    CHECK_THROWS_AS(""_agency, std::invalid_argument);
    CHECK_THROWS_AS("tab\tid"_number, std::invalid_argument);
    CHECK_THROWS_AS("new\nline"_user, std::invalid_argument);
    CHECK_THROWS_MATCHES(
        "+1 555"_phone, std::invalid_argument,
        Catch::Message(invalid("phone number", "+1 555", errc::phone_number_too_short)));
    CHECK_THROWS_MATCHES("usd"_currency, std::invalid_argument,
                         Catch::Message(invalid("currency", "usd", errc::invalid_currency_code)));
    CHECK_THROWS_MATCHES("12.505 USD"_money, std::invalid_argument,
                         Catch::Message(invalid("amount", "12.505 USD", errc::invalid_amount)));
    CHECK_THROWS_MATCHES(
        "12.50 usd"_money, std::invalid_argument,
        Catch::Message(invalid("amount", "12.50 usd", errc::invalid_currency_code)));
    CHECK_THROWS_MATCHES(
        "2024-02-30T09:00:00Z"_time, std::invalid_argument,
        Catch::Message(invalid("time", "2024-02-30T09:00:00Z", errc::invalid_time)));
    CHECK_THROWS_MATCHES("2024-03-01 09:00"_time, std::invalid_argument,
                         Catch::Message(invalid("time", "2024-03-01 09:00", errc::invalid_time)));
}

TEST_CASE("a literal keeps every byte it is given, embedded NULs included", "[literals]") {
    using namespace calltrack::literals;
    // "ab\0c" is four bytes; reading it as a C string would make it the valid id "ab".
    CHECK_THROWS_AS("ab\0c"_account, std::invalid_argument);
    CHECK_THROWS_AS("USD\0"_currency, std::invalid_argument);
}
