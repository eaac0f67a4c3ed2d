#pragma once

// Time is an input. The engine reads it from a Clock the host injects; the pure core takes it as
// an argument. SystemClock is the only place in calltrack that reads the real time. Times from
// outside go through parse_time(), which never throws; times the program spells, through
// "2024-03-01T09:00:00Z"_time, which throws std::invalid_argument naming the text
// (docs/concepts.md, "Values from text"). Time is Boost's type, so it has no constructor of ours.

#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <string>
#include <string_view>

namespace calltrack {

/// UTC time points and spans, in microsecond resolution.
using Time = boost::posix_time::ptime;
using Duration = boost::posix_time::time_duration;

/// The source of "now" for the engine. Implementations return UTC.
class CALLTRACK_API Clock {
  public:
    virtual ~Clock() = default;
    virtual Time now() const = 0;

  protected:
    Clock() = default;
    Clock(const Clock&) = default;
    Clock& operator=(const Clock&) = default;
};

/// The host's wall clock, in UTC.
class CALLTRACK_API SystemClock final : public Clock {
  public:
    Time now() const override;
};

/// A clock that moves only when told to: for tests, simulations and scenario replays. It never
/// goes backwards; asking it to is refused with errc::clock_went_backwards and leaves it unchanged.
class CALLTRACK_API ManualClock final : public Clock {
  public:
    explicit ManualClock(Time start);

    Time now() const override { return now_; }

    /// Moves to `to`, which must not be earlier than now().
    result<void> set(Time to);
    /// Moves forward by `by`, which must not be negative.
    result<void> advance(Duration by);

  private:
    Time now_;
};

/// Parses "2020-09-15T10:00:00Z" (ISO 8601 in UTC, optional fractional seconds, 'Z' required).
CALLTRACK_API result<Time> parse_time(std::string_view text);
/// Formats as "2020-09-15T10:00:00Z" (fractional seconds only when non-zero).
CALLTRACK_API std::string format_time(Time t);

}  // namespace calltrack
