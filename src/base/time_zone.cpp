// The only file that includes date/tz: the zone names of the tz database and the conversions of
// an instant to a local date and back, on Debian's tzdata (/usr/share/zoneinfo, USE_OS_TZDB: the
// library reads the system's files and never downloads).
#include <calltrack/time_zone.hpp>
#include <calltrack/window.hpp>

#include "invalid_text.hpp"

#include <date/tz.h>

#include <chrono>
#include <exception>

namespace calltrack {
namespace {

using Micros = date::sys_time<std::chrono::microseconds>;

const Time epoch(boost::gregorian::date(1970, 1, 1));

Micros to_sys(Time t) {
    return Micros(std::chrono::microseconds((t - epoch).total_microseconds()));
}

Time from_sys(Micros t) {
    // Outside the calendar Boost holds, the window's end saturates as Window::end_from does.
    if (t >= to_sys(last_time())) return last_time();
    if (t <= to_sys(first_time())) return first_time();
    return epoch + boost::posix_time::microseconds(t.time_since_epoch().count());
}

date::local_days to_local_days(boost::gregorian::date day) {
    return date::local_days(date::days(static_cast<int>((day - epoch.date()).days())));
}

}  // namespace

TimeZone::TimeZone(std::string_view name) {
    auto parsed = parse(name);
    if (!parsed) detail::throw_invalid_text("time zone", name, parsed.error());
    *this = std::move(parsed).value();
}

result<TimeZone> TimeZone::parse(std::string_view name) {
    try {
        // Throws for a name the database lacks, and when there is no database at all.
        const date::time_zone* rules = date::locate_zone(name);
        // The zone's file is read on its first use: use it now, so that no decision reads it.
        static_cast<void>(rules->get_info(date::sys_seconds{}));
        return TimeZone(std::string(name), rules);
    } catch (const std::exception&) {
        return errc::unknown_time_zone;
    }
}

boost::gregorian::date local_date(const TimeZone& zone, Time t) {
    if (zone.rules() == nullptr || t.is_special()) return t.date();
    const auto local = zone.rules()->to_local(to_sys(t));
    const long day = date::floor<date::days>(local).time_since_epoch().count();
    // A zone east of UTC reaches a date past the calendar Boost holds in the last hours of it.
    const long last = (last_time().date() - epoch.date()).days();
    const long first = (first_time().date() - epoch.date()).days();
    return epoch.date() + boost::gregorian::days(day > last ? last : day < first ? first : day);
}

Time start_of_local_day(const TimeZone& zone, boost::gregorian::date day) {
    if (day.is_special()) return Time(day);
    if (zone.rules() == nullptr) return Time(day);
    const auto midnight = to_local_days(day);
    // choose::earliest: a skipped midnight gives the instant the skip ends (date/tz returns the
    // transition), a repeated one gives its first occurrence.
    const auto start = zone.rules()->to_sys(midnight, date::choose::earliest);
    return from_sys(std::chrono::time_point_cast<std::chrono::microseconds>(start));
}

Duration utc_offset(const TimeZone& zone, Time t) {
    if (zone.rules() == nullptr || t.is_special()) return Duration(0, 0, 0);
    const auto info = zone.rules()->get_info(to_sys(t));
    return boost::posix_time::seconds(static_cast<long>(info.offset.count()));
}

std::string format_local_time(const TimeZone& zone, Time t) {
    if (t.is_special()) return format_time(t);
    const Duration offset = utc_offset(zone, t);
    const bool off_calendar =
        offset.is_negative() ? t - first_time() < -offset : last_time() - t < offset;
    if (off_calendar) return format_time(t);
    // format_time ends in 'Z'; the local reading is the UTC text of the shifted instant.
    std::string text = format_time(t + offset);
    text.pop_back();
    const long minutes = offset.total_seconds() / 60;
    const long size = minutes < 0 ? -minutes : minutes;
    text += minutes < 0 ? '-' : '+';
    const char digits[] = {
        static_cast<char>('0' + size / 600),     static_cast<char>('0' + size / 60 % 10), ':',
        static_cast<char>('0' + size % 60 / 10), static_cast<char>('0' + size % 10),      '\0'};
    text += digits;
    return text;
}

}  // namespace calltrack
