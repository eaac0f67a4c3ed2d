// The store's values as SQLite's integers and texts: times as microseconds since 1970, unsigned
// counts clamped into SQLite's signed integers, and the quoting its messages use. The commit and
// the reads both rely on these conversions meaning the same thing, so they live apart from either.

#include "columns.hpp"

#include <calltrack/window.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

namespace calltrack::sqlite_detail {

namespace {

const Time& epoch() {
    static const Time t(boost::gregorian::date(1970, 1, 1));
    return t;
}

}  // namespace

std::optional<std::int64_t> micros_of(Time t) {
    if (t.is_pos_infinity()) return max_micros;
    if (t.is_neg_infinity()) return min_micros;
    if (t.is_special()) return std::nullopt;
    return (t - epoch()).total_microseconds();
}

Time time_of(std::int64_t micros) {
    if (micros == max_micros) return Time(boost::posix_time::pos_infin);
    if (micros == min_micros) return Time(boost::posix_time::neg_infin);
    return epoch() + boost::posix_time::microseconds(micros);
}

bool is_stored_time(std::int64_t micros) {
    static const std::int64_t first = *micros_of(first_time());
    static const std::int64_t last = *micros_of(last_time());
    return micros == max_micros || micros == min_micros || (first <= micros && micros <= last);
}

std::int64_t to_int64(std::uint64_t v) noexcept {
    return v > static_cast<std::uint64_t>(max_micros) ? max_micros : static_cast<std::int64_t>(v);
}

std::int64_t limit_of(std::size_t limit) noexcept {
    return to_int64(static_cast<std::uint64_t>(limit));
}

std::string in_quotes(std::string_view text) {
    std::string out = "'";
    out += text;
    out += '\'';
    return out;
}

}  // namespace calltrack::sqlite_detail
