// Time zones and windows of local calendar days (time_zone.hpp, window.hpp): a window of N local
// days ends at the first instant of the (N+1)th local date after the one it opened on, in the
// zone's rules of that date, read from the system's tzdata. Every expected end below was worked
// out by hand from the zone's published rules, not read back from the library.
#include <calltrack/errors.hpp>
#include <calltrack/time_zone.hpp>
#include <calltrack/window.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using calltrack::TimeZone;
using calltrack::Window;
using calltrack::testing::at;

namespace {

calltrack::Time local_end(const char* zone, const char* start, int days) {
    const auto end = Window::local_days(days).end_from(at(start), TimeZone(zone));
    REQUIRE(end);
    return *end;
}

}  // namespace

TEST_CASE("a time zone is an IANA name of the system's tz database", "[time_zone]") {
    const auto york = TimeZone::parse("America/New_York");
    REQUIRE(york);
    CHECK(york.value().name() == "America/New_York");
    CHECK(york.value().rules() != nullptr);
    CHECK(york.value() == TimeZone("America/New_York"));
    CHECK(york.value() != TimeZone("Europe/London"));
    // The default is UTC, the zone of an account without one; the database's UTC is the same.
    CHECK(TimeZone().name() == "UTC");
    CHECK(TimeZone() == TimeZone("UTC"));
    for (const char* bad : {"Mars/Olympus", "america/new_york", "", "EST5EDT,M3.2.0,M11.1.0"}) {
        INFO(bad);
        const auto parsed = TimeZone::parse(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error() == calltrack::errc::unknown_time_zone);
    }
    CHECK_THROWS_WITH(TimeZone("Mars/Olympus"),
                      Catch::Matchers::StartsWith("calltrack: invalid time zone 'Mars/Olympus'"));
}

TEST_CASE("local dates and offsets follow the zone's rules", "[time_zone]") {
    const TimeZone york("America/New_York");
    // 22:00 on 8 March in New York is already 9 March in UTC.
    CHECK(local_date(york, at("2024-03-09T03:00:00Z")) == boost::gregorian::date(2024, 3, 8));
    CHECK(local_date(TimeZone(), at("2024-03-09T03:00:00Z")) == boost::gregorian::date(2024, 3, 9));
    CHECK(utc_offset(york, at("2024-03-10T06:59:59Z")) == boost::posix_time::hours(-5));
    CHECK(utc_offset(york, at("2024-03-10T07:00:00Z")) == boost::posix_time::hours(-4));
    CHECK(utc_offset(TimeZone("Asia/Kathmandu"), at("2024-06-01T00:00:00Z"))
          == boost::posix_time::minutes(5 * 60 + 45));
    CHECK(format_local_time(york, at("2024-03-12T04:00:00Z")) == "2024-03-12T00:00:00-04:00");
    CHECK(format_local_time(TimeZone("Asia/Kathmandu"), at("2024-06-04T18:15:00Z"))
          == "2024-06-05T00:00:00+05:45");
    CHECK(format_local_time(TimeZone(), at("2024-06-04T18:15:00Z")) == "2024-06-04T18:15:00+00:00");
    // Kathmandu's rules changed at 1986: +05:30 before, +05:45 after.
    CHECK(utc_offset(TimeZone("Asia/Kathmandu"), at("1985-06-01T00:00:00Z"))
          == boost::posix_time::minutes(5 * 60 + 30));
}

TEST_CASE("N local days cross a daylight-saving change without losing or gaining an hour",
          "[time_zone][window]") {
    // New York springs forward on 10 March 2024: opened Friday 15:00 EST, ends at midnight EDT
    // starting Tuesday 12 March, four hours after UTC midnight.
    CHECK(local_end("America/New_York", "2024-03-08T20:00:00Z", 3) == at("2024-03-12T04:00:00Z"));
    // ... and falls back on 3 November: midnight EST is five hours after UTC midnight.
    CHECK(local_end("America/New_York", "2024-11-01T19:00:00Z", 3) == at("2024-11-05T05:00:00Z"));
    // London: BST starts 31 March 2024 and ends 27 October.
    CHECK(local_end("Europe/London", "2024-03-29T12:00:00Z", 3) == at("2024-04-01T23:00:00Z"));
    CHECK(local_end("Europe/London", "2024-10-25T12:00:00Z", 3) == at("2024-10-29T00:00:00Z"));
    // Lord Howe Island moves its clocks by 30 minutes (+11 to +10:30 on 7 April 2024).
    CHECK(local_end("Australia/Lord_Howe", "2024-04-05T02:00:00Z", 3)
          == at("2024-04-08T13:30:00Z"));
    // Exact days are untouched by any of it: 3 x 24 h.
    CHECK(Window::days(3).end_from(at("2024-03-08T20:00:00Z"), TimeZone("America/New_York"))
          == at("2024-03-11T20:00:00Z"));
}

TEST_CASE("local days count from the local date, not the UTC one", "[time_zone][window]") {
    // 22:00 EST on 8 March: one local day ends at midnight starting 10 March, EST (before the
    // 02:00 change), though the UTC date was already the 9th.
    CHECK(local_end("America/New_York", "2024-03-09T03:00:00Z", 1) == at("2024-03-10T05:00:00Z"));
    // 01:45 on 2 June in Kathmandu (+05:45) is 1 June in UTC.
    CHECK(local_end("Asia/Kathmandu", "2024-06-01T20:00:00Z", 2) == at("2024-06-04T18:15:00Z"));
    // Without a zone, UTC: the rest of 8 March and one more day.
    CHECK(Window::local_days(1).end_from(at("2024-03-08T20:00:00Z")) == at("2024-03-10T00:00:00Z"));
    // Zero local days: the rest of the day it opened on.
    CHECK(local_end("Europe/London", "2024-10-25T12:00:00Z", 0) == at("2024-10-25T23:00:00Z"));
}

TEST_CASE("a skipped or repeated local midnight ends the window at the day's first instant",
          "[time_zone][window]") {
    // Havana springs forward at midnight: 10 March 2024 starts at 01:00 CDT (05:00Z).
    CHECK(local_end("America/Havana", "2024-03-08T17:00:00Z", 1) == at("2024-03-10T05:00:00Z"));
    // ... and falls back from 01:00 CDT to 00:00 CST, so 3 November has two midnights: the
    // first (CDT, 04:00Z) ends the window, not the second (05:00Z).
    CHECK(local_end("America/Havana", "2024-11-01T16:00:00Z", 1) == at("2024-11-03T04:00:00Z"));
    // Kathmandu's change of rules skipped 00:00-00:15 on 1 January 1986.
    CHECK(local_end("Asia/Kathmandu", "1985-12-30T06:30:00Z", 1) == at("1985-12-31T18:30:00Z"));
    // Samoa skipped 30 December 2011 whole: a window due to end at its start ends where the 31st
    // starts, as one ending at the 31st's start does.
    CHECK(local_end("Pacific/Apia", "2011-12-28T22:00:00Z", 1) == at("2011-12-30T10:00:00Z"));
    CHECK(local_end("Pacific/Apia", "2011-12-28T22:00:00Z", 2) == at("2011-12-30T10:00:00Z"));
}

TEST_CASE("local days open and close on the instant, and saturate at the calendar's end",
          "[time_zone][window]") {
    const TimeZone york("America/New_York");
    const Window w = Window::local_days(3);
    const auto start = at("2024-03-08T20:00:00Z");
    const auto end = at("2024-03-12T04:00:00Z");
    CHECK(w.is_open(start, end - boost::posix_time::seconds(1), york));
    CHECK_FALSE(w.is_open(start, end, york));
    CHECK_FALSE(w.is_open(start, end + boost::posix_time::seconds(1), york));
    // In UTC the same window closed four hours earlier.
    CHECK_FALSE(w.is_open(start, end - boost::posix_time::seconds(1)));
    CHECK(Window::local_days(Window::max_days).end_from(at("9990-01-01T00:00:00Z"), york)
          == calltrack::last_time());
    CHECK(Window::local_days(1).end_from(at("9999-12-31T20:00:00Z"), TimeZone("Pacific/Kiritimati"))
          == calltrack::last_time());
    CHECK(w != Window::days(3));
    CHECK(w.is_counted());
    CHECK(w.day_count() == 3);
    CHECK(to_string(w) == "3 local calendar days");
    CHECK(to_string(Window::local_days(1)) == "1 local calendar day");
}
