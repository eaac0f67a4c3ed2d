#pragma once

// A policy window: N days, unlimited, or not offered at all. The three are distinct values and
// never stand in for one another: "not offered" is not zero days, and "unlimited" is not a large N.

#include <calltrack/clock.hpp>
#include <calltrack/export.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace calltrack {

class CALLTRACK_API Window {
  public:
    enum class Kind : std::uint8_t { not_offered, days, unlimited };

    static constexpr Window not_offered() noexcept { return Window(Kind::not_offered, 0); }
    static constexpr Window unlimited() noexcept { return Window(Kind::unlimited, 0); }
    /// N whole days of exactly 24 hours; N must be at least 0 (policy validation refuses less).
    static constexpr Window days(std::int32_t n) noexcept { return Window(Kind::days, n); }

    constexpr Kind kind() const noexcept { return kind_; }
    constexpr bool is_offered() const noexcept { return kind_ != Kind::not_offered; }
    constexpr bool is_unlimited() const noexcept { return kind_ == Kind::unlimited; }
    /// The day count; meaningful only for Kind::days.
    constexpr std::int32_t day_count() const noexcept { return days_; }

    /// When a window opened at `start` ends: start + N x 24h; nullopt when unlimited or not
    /// offered. An operation is allowed while now < end; the deadline fires at end.
    std::optional<Time> end_from(Time start) const;
    /// Whether the window opened at `start` is still open at `now`.
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

/// "60 days", "unlimited", "not offered".
CALLTRACK_API std::string to_string(Window w);

}  // namespace calltrack
