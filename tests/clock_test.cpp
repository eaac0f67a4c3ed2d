#include <calltrack/clock.hpp>

#include <rapidcheck.h>
#include <catch2/catch.hpp>

using calltrack::errc;
using calltrack::ManualClock;
using calltrack::parse_time;
using namespace boost::posix_time;

namespace {
calltrack::Time at(const char* text) {
    return parse_time(text).value();
}
}  // namespace

TEST_CASE("ManualClock starts where it is told and moves only forward", "[clock]") {
    ManualClock clock(at("2020-09-15T10:00:00Z"));
    CHECK(clock.now() == at("2020-09-15T10:00:00Z"));
    REQUIRE(clock.advance(hours(24)));
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
    const auto negative = clock.advance(seconds(-1));
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

TEST_CASE("property: formatting a time and parsing it back gives the same time",
          "[clock][property]") {
    const bool ok = rc::check("parse(format(t)) == t", [] {
        const auto day = *rc::gen::inRange(0, 365 * 200);
        const auto micros = *rc::gen::inRange<std::int64_t>(0, 86'400'000'000LL);
        const calltrack::Time t(boost::gregorian::date(1970, 1, 1) + boost::gregorian::days(day),
                                microseconds(micros));
        const auto back = parse_time(calltrack::format_time(t));
        RC_ASSERT(back.has_value());
        RC_ASSERT(back.value() == t);
    });
    CHECK(ok);
}
