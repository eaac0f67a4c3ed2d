#include <calltrack/clock.hpp>

#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace calltrack {

Time SystemClock::now() const {
    return boost::posix_time::microsec_clock::universal_time();
}

ManualClock::ManualClock(Time start) : now_(start) {
    if (start.is_special()) throw std::invalid_argument("ManualClock needs a real start time");
}

result<void> ManualClock::set(Time to) {
    if (to.is_special() || to < now_) return errc::clock_went_backwards;
    now_ = to;
    return boost::outcome_v2::success();
}

result<void> ManualClock::advance(Duration by) {
    if (by.is_special() || by.is_negative()) return errc::clock_went_backwards;
    now_ += by;
    return boost::outcome_v2::success();
}

namespace {

// Reads exactly `width` digits at `pos`; false when any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

}  // namespace

result<Time> parse_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.ffffff]Z
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || !read_digits(text, 0, 4, year) || text[4] != '-'
        || !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)
        || text[10] != 'T' || !read_digits(text, 11, 2, hour) || text[13] != ':'
        || !read_digits(text, 14, 2, minute) || text[16] != ':'
        || !read_digits(text, 17, 2, second)) {
        return errc::invalid_time;
    }
    std::size_t pos = 19;
    long micros = 0;
    if (text[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            if (digits < 6) micros = micros * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return errc::invalid_time;
        for (std::size_t d = digits; d < 6; ++d) micros *= 10;
    }
    if (pos + 1 != text.size() || text[pos] != 'Z') return errc::invalid_time;
    if (hour > 23 || minute > 59 || second > 59) return errc::invalid_time;
    try {
        const boost::gregorian::date date(static_cast<unsigned short>(year),
                                          static_cast<unsigned short>(month),
                                          static_cast<unsigned short>(day));
        return Time(date, boost::posix_time::hours(hour) + boost::posix_time::minutes(minute)
                              + boost::posix_time::seconds(second)
                              + boost::posix_time::microseconds(micros));
    } catch (const std::out_of_range&) {
        // Boost.DateTime validates calendar dates by throwing; we report it as a value error.
        return errc::invalid_time;
    }
}

namespace {

/// `value` as exactly `width` decimal digits, zero-padded, at `p`; returns the end.
char* put_digits(char* p, long value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return p + width;
}

}  // namespace

// Digit by digit rather than through snprintf, which showed in profiles of the stores' writes:
// the same text as "%04d-%02d-%02dT%02d:%02d:%02d[.%06ld]Z" for every time ptime can hold.
std::string format_time(Time t) {
    if (t.is_not_a_date_time()) return "not-a-date-time";
    if (t.is_pos_infinity()) return "+infinity";
    if (t.is_neg_infinity()) return "-infinity";
    const auto date = t.date();
    const auto tod = t.time_of_day();
    const auto ymd = date.year_month_day();
    const long year = static_cast<long>(ymd.year);
    const long micros = static_cast<long>(tod.fractional_seconds());
    char buffer[40];
    if (year < 0 || year > 9999 || micros < 0 || micros > 999'999 || tod.hours() < 0
        || tod.hours() > 23) {
        // Not reachable with boost's Gregorian calendar (years 1400 to 9999) and microsecond
        // resolution; kept so that the text never differs from the format's.
        if (micros == 0) {
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                          static_cast<int>(year), static_cast<int>(ymd.month),
                          static_cast<int>(ymd.day), static_cast<int>(tod.hours()),
                          static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()));
        } else {
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
                          static_cast<int>(year), static_cast<int>(ymd.month),
                          static_cast<int>(ymd.day), static_cast<int>(tod.hours()),
                          static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()), micros);
        }
        return buffer;
    }
    char* p = put_digits(buffer, year, 4);
    *p++ = '-';
    p = put_digits(p, static_cast<long>(ymd.month), 2);
    *p++ = '-';
    p = put_digits(p, static_cast<long>(ymd.day), 2);
    *p++ = 'T';
    p = put_digits(p, static_cast<long>(tod.hours()), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<long>(tod.minutes()), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<long>(tod.seconds()), 2);
    if (micros != 0) {
        *p++ = '.';
        p = put_digits(p, micros, 6);
    }
    *p++ = 'Z';
    return std::string(buffer, p);
}

}  // namespace calltrack
