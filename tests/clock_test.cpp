#include "lifecycle_fixture.hpp"

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>  // parse() returns result<T>, complete only here

#include <rapidcheck.h>
#include <catch2/catch.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <cstdio>
#include <string>

using calltrack::errc;
using calltrack::ManualClock;
using calltrack::parse_time;
using calltrack::testing::at;
namespace pt = boost::posix_time;

TEST_CASE("ManualClock starts where it is told and moves only forward", "[clock]") {
    ManualClock clock(at("2020-09-15T10:00:00Z"));
    CHECK(clock.now() == at("2020-09-15T10:00:00Z"));
    REQUIRE(clock.advance(pt::hours(24)));
    CHECK(clock.now() == at("2020-09-16T10:00:00Z"));
    REQUIRE(clock.set(at("2020-10-01T00:00:00Z")));
    CHECK(clock.now() == at("2020-10-01T00:00:00Z"));
    REQUIRE(clock.set(at("2020-10-01T00:00:00Z")));  // standing still is allowed
}

TEST_CASE("ManualClock refuses to go backwards and stays where it was", "[clock]") {
    ManualClock clock(at("2020-09-15T10:00:00Z"));
    const auto back = clock.set(at("2020-09-15T09:59:59Z"));
    REQUIRE_FALSE(back);
    CHECK(back.error() == errc::clock_went_backwards);
    const auto negative = clock.advance(pt::seconds(-1));
    REQUIRE_FALSE(negative);
    CHECK(negative.error() == errc::clock_went_backwards);
    CHECK(clock.now() == at("2020-09-15T10:00:00Z"));
}

TEST_CASE("SystemClock reads a plausible UTC time", "[clock]") {
    const calltrack::SystemClock clock;
    const auto now = clock.now();
    CHECK_FALSE(now.is_special());
    CHECK(now > at("2024-01-01T00:00:00Z"));
}

TEST_CASE("times parse from and format to ISO 8601 UTC", "[clock]") {
    CHECK(calltrack::format_time(at("2020-10-01T00:00:00Z")) == "2020-10-01T00:00:00Z");
    CHECK(calltrack::format_time(at("2024-02-29T23:59:59.5Z")) == "2024-02-29T23:59:59.500000Z");
    for (const char* bad : {"", "2020-10-01", "2020-10-01T00:00:00", "2020-10-01 00:00:00Z",
                            "2020-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2020-10-01T24:00:00Z",
                            "2020-10-01T00:00:00+02:00", "2020-10-01T00:00:00.Z"}) {
        INFO("input: '" << bad << "'");
        const auto parsed = parse_time(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == errc::invalid_time);
    }
}

namespace {

/// format_time's text as it was written before it went digit by digit: through snprintf.
std::string format_time_by_snprintf(calltrack::Time t) {
    const auto date = t.date();
    const auto tod = t.time_of_day();
    char buffer[40];
    const auto micros = tod.fractional_seconds();
    if (micros == 0) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                      static_cast<int>(date.year()), static_cast<int>(date.month()),
                      static_cast<int>(date.day()), static_cast<int>(tod.hours()),
                      static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()));
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
                      static_cast<int>(date.year()), static_cast<int>(date.month()),
                      static_cast<int>(date.day()), static_cast<int>(tod.hours()),
                      static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()),
                      static_cast<long>(micros));
    }
    return buffer;
}

}  // namespace

TEST_CASE("format_time writes the same text as the snprintf format, to the ends of the calendar",
          "[clock]") {
    const calltrack::Time first(boost::gregorian::date(1400, 1, 1));
    const calltrack::Time last(boost::gregorian::date(9999, 12, 31),
                               pt::microseconds(86'400'000'000LL - 1));
    for (const calltrack::Time t :
         {first, last, first + pt::microseconds(1), at("2024-02-29T23:59:59Z"),
          at("2020-10-01T00:00:00.000001Z")}) {
        CHECK(calltrack::format_time(t) == format_time_by_snprintf(t));
    }
    CHECK(calltrack::format_time(last) == "9999-12-31T23:59:59.999999Z");
    CHECK(calltrack::format_time(first) == "1400-01-01T00:00:00Z");
    const bool ok = rc::check("format_time(t) == snprintf's text", [] {
        const auto day = *rc::gen::inRange(0, 365 * 8000);
        const auto micros = *rc::gen::inRange<std::int64_t>(0, 86'400'000'000LL);
        const calltrack::Time t(boost::gregorian::date(1400, 1, 1) + boost::gregorian::days(day),
                                pt::microseconds(micros));
        RC_ASSERT(calltrack::format_time(t) == format_time_by_snprintf(t));
    });
    CHECK(ok);
}

TEST_CASE("property: formatting a time and parsing it back gives the same time",
          "[clock][property]") {
    const bool ok = rc::check("parse(format(t)) == t", [] {
        const auto day = *rc::gen::inRange(0, 365 * 200);
        const auto micros = *rc::gen::inRange<std::int64_t>(0, 86'400'000'000LL);
        const calltrack::Time t(boost::gregorian::date(1970, 1, 1) + boost::gregorian::days(day),
                                pt::microseconds(micros));
        const auto back = parse_time(calltrack::format_time(t));
        RC_ASSERT(back.has_value());
        RC_ASSERT(back.value() == t);
    });
    CHECK(ok);
}

TEST_CASE("property: parsing a time never throws, whatever the text", "[clock][property]") {
    // An exception escaping parse_time fails the property. Text shaped like a time, with any
    // digits (month 13, day 31 of February, year 0), reaches the calendar's own checks.
    const bool ok =
        rc::check("parse_time(text) is a time or invalid_time", [](const std::string& noise) {
            const auto digits = [](std::size_t n) {
                return *rc::gen::container<std::string>(
                    n, rc::gen::inRange('0', static_cast<char>('9' + 1)));
            };
            const std::string shaped = digits(4) + "-" + digits(2) + "-" + digits(2) + "T"
                                       + digits(2) + ":" + digits(2) + ":" + digits(2) + "Z";
            const auto text = *rc::gen::element(noise, shaped);
            const auto parsed = parse_time(text);
            if (!parsed) RC_ASSERT(parsed.error() == errc::invalid_time);
        });
    CHECK(ok);
}
