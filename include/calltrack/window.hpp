#pragma once

// A policy window: N days, N local calendar days, unlimited, or not offered at all. They are
// distinct values and never stand in for one another: "not offered" is not zero days, "unlimited"
// is not a large N, and N days of exactly 24 hours are not N local calendar days.

#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace calltrack {

class TimeZone;

class CALLTRACK_API Window {
  public:
    enum class Kind : std::uint8_t { not_offered, days, unlimited, local_days };

    static constexpr Window not_offered() noexcept { return Window(Kind::not_offered, 0); }
    static constexpr Window unlimited() noexcept { return Window(Kind::unlimited, 0); }
    /// The most days a window may hold (100 years); policy validation refuses more. A real rule
    /// is weeks or months; a bound keeps every window's end inside the calendar.
    static constexpr std::int32_t max_days = 36'525;

    /// N whole days of exactly 24 hours; policy validation refuses N below 0 or above max_days.
    static constexpr Window days(std::int32_t n) noexcept { return Window(Kind::days, n); }
    /// The rest of the local calendar day it opens on and N more whole local days, in the
    /// subject's time zone: it ends at the first instant of the (N+1)th local date after the
    /// opening one (start_of_local_day, time_zone.hpp), however long the days are. The same
    /// bounds as days(n).
    static constexpr Window local_days(std::int32_t n) noexcept {
        return Window(Kind::local_days, n);
    }

    constexpr Kind kind() const noexcept { return kind_; }
    constexpr bool is_offered() const noexcept { return kind_ != Kind::not_offered; }
    constexpr bool is_unlimited() const noexcept { return kind_ == Kind::unlimited; }
    /// Whether the window counts whole days, either kind.
    constexpr bool is_counted() const noexcept {
        return kind_ == Kind::days || kind_ == Kind::local_days;
    }
    /// The day count; meaningful only for Kind::days and Kind::local_days.
    constexpr std::int32_t day_count() const noexcept { return days_; }

    /// When a window opened at `start` ends: start + N x 24h, or for local days the start of the
    /// local date N + 1 days after the opening one in `zone`; nullopt when unlimited or not
    /// offered. An operation is allowed while now < end; the deadline fires at end. The end
    /// saturates at the ends of the calendar (last_time() and first_time()), so that it never
    /// overflows and is always a time calltrack can write.
    std::optional<Time> end_from(Time start, const TimeZone& zone) const;
    /// The same in UTC, which is the zone of a subject without one.
    std::optional<Time> end_from(Time start) const;
    /// Whether the window opened at `start` is still open at `now`.
    bool is_open(Time start, Time now, const TimeZone& zone) const;
    bool is_open(Time start, Time now) const;

    friend constexpr bool operator==(Window a, Window b) {
        return a.kind_ == b.kind_ && a.days_ == b.days_;
    }
    friend constexpr bool operator!=(Window a, Window b) { return !(a == b); }

  private:
    constexpr Window(Kind kind, std::int32_t days) : kind_(kind), days_(days) {}
    Kind kind_;
    std::int32_t days_;
};

/// The last instant calltrack's times hold, 9999-12-31T23:59:59.999999Z: Boost.DateTime's
/// Gregorian calendar ends with the year 9999.
CALLTRACK_API Time last_time();
/// The first instant, 1400-01-01T00:00:00Z, where the same calendar starts.
CALLTRACK_API Time first_time();

/// "60 days", "3 local calendar days", "unlimited", "not offered".
CALLTRACK_API std::string to_string(Window w);

}  // namespace calltrack
