// The store's values as SQLite's integers and texts: times as microseconds since 1970, unsigned
// counts clamped into SQLite's signed integers, and the quoting its messages use. The commit and
// the reads both rely on these conversions meaning the same thing, so they live apart from either.

#include "columns.hpp"

#include <calltrack/json.hpp>
#include <calltrack/window.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

namespace calltrack::sqlite_detail {

namespace {

const Time& epoch() {
    static const Time t(boost::gregorian::date(1970, 1, 1));
    return t;
}

constexpr int last_deadline_kind = static_cast<int>(DeadlineKind::transfer_expires);

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

result<Deadline> deadline_of(std::int64_t micros, std::int64_t kind, std::string subject,
                             std::string& error) {
    const auto key = [&] {
        return "deadlines row (" + std::to_string(micros) + ", " + std::to_string(kind) + ", "
               + in_quotes(subject) + ")";
    };
    if (kind < 0 || kind > last_deadline_kind) {
        error = key() + ": unknown kind " + std::to_string(kind);
        return errc::store_corrupt;
    }
    if (!is_stored_time(micros)) {
        error = key() + ": the time is outside the calendar calltrack writes";
        return errc::store_corrupt;
    }
    return Deadline{time_of(micros), static_cast<DeadlineKind>(kind), std::move(subject)};
}

result<OutboxEntry> outbox_entry_of(std::uint64_t sequence, const std::string& json,
                                    std::string& error) {
    JsonDiagnostic diagnostic;
    auto effect = effect_from_json(json, &diagnostic);
    if (effect) return OutboxEntry{sequence, std::move(effect).value()};
    error = "outbox row " + in_quotes(std::to_string(sequence))
            + " holds JSON calltrack cannot read: "
            + (diagnostic.field.empty() ? std::string() : diagnostic.field + ": ")
            + (diagnostic.problem.empty() ? effect.error().message() : diagnostic.problem);
    return errc::store_corrupt;
}

}  // namespace calltrack::sqlite_detail
