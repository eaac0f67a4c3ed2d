#include <calltrack/phone_number.hpp>

#include <rapidcheck.h>
#include <catch2/catch.hpp>

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
