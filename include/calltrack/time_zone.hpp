#pragma once

// An IANA time zone ("America/New_York"), in which an account or agency counts local calendar
// days. The zone is looked up in the system's tz database (Debian's tzdata, through Howard
// Hinnant's date/tz) once, when the name is parsed, so a decision never reads a file; the
// header names no date/tz type beyond a declaration. Text from outside goes through parse(),
// which never throws; names the program spells, through the constructor, which throws
// std::invalid_argument naming the text (docs/concepts.md, "Values from text").

#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace date {
class time_zone;
}  // namespace date

namespace calltrack {

class CALLTRACK_API TimeZone {
  public:
    /// UTC, which is what an account and an agency without a zone count days in.
    TimeZone() = default;
    /// For names the program spells; an unknown one throws std::invalid_argument.
    explicit TimeZone(std::string_view name);
    TimeZone(std::nullptr_t) = delete;
    /// A zone of the tz database by its IANA name, exactly as spelt (case matters, as in the
    /// database); unknown_time_zone otherwise.
    static result<TimeZone> parse(std::string_view name);

    const std::string& name() const noexcept { return name_; }
    /// The zone's rules, resolved by parse(); nullptr for the default UTC, which has no rules.
    const date::time_zone* rules() const noexcept { return rules_; }

    /// The same name is the same zone: the rules are a function of the name.
    friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.name_ == b.name_; }
    friend bool operator!=(const TimeZone& a, const TimeZone& b) { return !(a == b); }

  private:
    TimeZone(std::string name, const date::time_zone* rules)
        : name_(std::move(name)), rules_(rules) {}
    std::string name_ = "UTC";
    const date::time_zone* rules_ = nullptr;
};

/// The calendar date the zone's clocks show at `t`.
CALLTRACK_API boost::gregorian::date local_date(const TimeZone& zone, Time t);
/// The first instant at which the zone's clocks show `day` or a later date: local midnight, or,
/// where the clocks skip midnight (a change at 00:00, or a skipped day), the instant the skip
/// ends; where midnight comes twice (clocks set back to 00:00), the first of them. Saturates at
/// first_time() and last_time() (window.hpp).
CALLTRACK_API Time start_of_local_day(const TimeZone& zone, boost::gregorian::date day);
/// The zone's offset from UTC at `t`, such as +05:45, for a timeline that shows local times.
CALLTRACK_API Duration utc_offset(const TimeZone& zone, Time t);
/// `t` as the zone's clocks show it, with the offset: "2024-03-12T00:00:00-04:00".
CALLTRACK_API std::string format_local_time(const TimeZone& zone, Time t);

}  // namespace calltrack
