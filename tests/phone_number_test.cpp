#include <calltrack/errors.hpp>  // parse() returns result<T>, complete only here
#include <calltrack/phone_number.hpp>

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <type_traits>

#include <stdexcept>
#include <string>
#include <unordered_set>

using calltrack::errc;
using calltrack::PhoneNumber;

TEST_CASE("E.164 numbers and common human spellings parse to canonical form", "[phone_number]") {
    struct Case {
        const char* input;
        const char* e164;
    };
    const Case cases[] = {
        {"+14045550123", "+14045550123"},
        {"+1 404 555 0123", "+14045550123"},
        {"+1 (404) 555-0123", "+14045550123"},
        {"+1.404.555.0123", "+14045550123"},
        {"+1-404-555-0123", "+14045550123"},
        {"  +14045550123  ", "+14045550123"},
        {"+44 20 7946 0958", "+442079460958"},
        {"+49 (0)30 1234567", "+490301234567"},    // the (0) is kept: digits are never guessed away
        {"+12345678", "+12345678"},                // 8 digits, the shortest accepted
        {"+123456789012345", "+123456789012345"},  // 15 digits, the E.164 maximum
        {"+40 21 123 4567", "+40211234567"},
    };
    for (const auto& c : cases) {
        INFO("input: '" << c.input << "'");
        const auto parsed = PhoneNumber::parse(c.input);
        REQUIRE(parsed);
        CHECK(parsed.value().e164() == c.e164);
    }
}

TEST_CASE("malformed phone numbers are refused with the reason", "[phone_number]") {
    struct Case {
        const char* input;
        errc expected;
    };
    const Case cases[] = {
        {"", errc::phone_number_empty},
        {"   ", errc::phone_number_empty},
        {"+", errc::phone_number_empty},
        {"+ - ()", errc::phone_number_empty},
        {"4045550123", errc::phone_number_missing_plus},
        {"(404) 555-0123", errc::phone_number_missing_plus},
        {"0014045550123", errc::phone_number_missing_plus},
        {"+1 404 555 O123", errc::phone_number_invalid_character},  // letter O, not zero
        {"+1404555012x3", errc::phone_number_invalid_character},
        {"++14045550123", errc::phone_number_invalid_character},
        {"+1/404/5550123", errc::phone_number_invalid_character},
        {"tel:+14045550123", errc::phone_number_invalid_character},
        {"+1234567", errc::phone_number_too_short},
        {"+1 555", errc::phone_number_too_short},
        {"+1234567890123456", errc::phone_number_too_long},
        {"+04045550123", errc::phone_number_leading_zero},
    };
    for (const auto& c : cases) {
        INFO("input: '" << c.input << "'");
        const auto parsed = PhoneNumber::parse(c.input);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == c.expected);
    }
}

TEST_CASE("phone numbers compare by their E.164 form", "[phone_number]") {
    CHECK(PhoneNumber::parse("+1 404 555 0123").value()
          == PhoneNumber::parse("+1-404-555-0123").value());
    CHECK(PhoneNumber::parse("+14045550123").value() != PhoneNumber::parse("+14045550124").value());
}

TEST_CASE("property: separators between digits never change the parsed number",
          "[phone_number][property]") {
    const bool ok = rc::check("separators are normalised away", [] {
        const auto length = *rc::gen::inRange<std::size_t>(8, 16);
        std::string digits = std::to_string(*rc::gen::inRange(1, 10));
        while (digits.size() < length) digits += std::to_string(*rc::gen::inRange(0, 10));
        std::string spelled = "+";
        for (const char d : digits) {
            spelled += d;
            const auto sep = *rc::gen::element<std::string>("", "", " ", "-", ".", "(", ")");
            spelled += sep;
        }
        const auto parsed = PhoneNumber::parse(spelled);
        RC_ASSERT(parsed.has_value());
        RC_ASSERT(parsed.value().e164() == "+" + digits);
        // Parsing the canonical form again is a fixed point.
        RC_ASSERT(PhoneNumber::parse(parsed.value().e164()).value() == parsed.value());
    });
    CHECK(ok);
}

TEST_CASE("phone numbers hash by their E.164 form", "[phone_number]") {
    std::unordered_set<PhoneNumber> seen;
    seen.insert(PhoneNumber::parse("+1 404 555 0123").value());
    seen.insert(PhoneNumber::parse("+1 (404) 555-0123").value());
    seen.insert(PhoneNumber::parse("+442079460958").value());
    CHECK(seen.size() == 2);
}

TEST_CASE("a phone number the program spells is the parsed one, and a bad one throws naming it",
          "[phone_number]") {
    CHECK(PhoneNumber("+1 (404) 555-0123") == PhoneNumber::parse("+14045550123").value());
    CHECK(PhoneNumber("+1 404 555 0123").e164() == "+14045550123");
    struct Case {
        const char* input;
        errc why;
    };
    const Case cases[] = {
        {"+1 555", errc::phone_number_too_short},
        {"4045550123", errc::phone_number_missing_plus},
        {"", errc::phone_number_empty},
        {"tel:+14045550123", errc::phone_number_invalid_character},
    };
    for (const auto& c : cases) {
        INFO("input: '" << c.input << "'");
        CHECK_THROWS_MATCHES(
            PhoneNumber(c.input), std::invalid_argument,
            Catch::Message("calltrack: invalid phone number '" + std::string(c.input)
                           + "': " + make_error_code(c.why).message()));
    }
}

TEST_CASE("property: parsing a phone number never throws, and agrees with the constructor",
          "[phone_number][property]") {
    // An exception escaping parse() fails the property.
    const bool ok = rc::check("parse(text) is a value or an errc", [](const std::string& noise) {
        const auto text = *rc::gen::oneOf(rc::gen::just(noise),
                                          rc::gen::container<std::string>(rc::gen::element(
                                              '+', '0', '1', '4', '5', ' ', '-', '(', ')', 'x')));
        const auto parsed = PhoneNumber::parse(text);
        if (parsed) {
            RC_ASSERT(PhoneNumber(text) == parsed.value());
        } else {
            RC_ASSERT(parsed.error() == calltrack::condition::invalid_input);
            RC_ASSERT_THROWS_AS(static_cast<void>(PhoneNumber(text)), std::invalid_argument);
        }
    });
    CHECK(ok);
}

// PhoneNumber(0) picks the deleted nullptr_t constructor and does not compile.
static_assert(!std::is_constructible_v<calltrack::PhoneNumber, std::nullptr_t>);
static_assert(std::is_constructible_v<calltrack::PhoneNumber, const char*>);
