#include <calltrack/time_zone.hpp>
#include <calltrack/window.hpp>

namespace calltrack {

Time last_time() {
    return Time(boost::gregorian::date(9999, 12, 31),
                boost::posix_time::hours(24) - boost::posix_time::microseconds(1));
}

Time first_time() {
    return Time(boost::gregorian::date(1400, 1, 1));
}

std::optional<Time> Window::end_from(Time start) const {
    return end_from(start, TimeZone());
}

std::optional<Time> Window::end_from(Time start, const TimeZone& zone) const {
    if (!is_counted()) return std::nullopt;
    if (start.is_special()) return start;
    if (kind_ == Kind::local_days) {
        const auto opened_on = local_date(zone, start);
        // Whole days to the calendar's edge, as below; the local date may be a day past UTC's.
        const long days = days_;
        if (days >= 0 && days + 1 > (last_time().date() - opened_on).days()) return last_time();
        if (days < 0 && -days - 1 > (opened_on - first_time().date()).days()) return first_time();
        return start_of_local_day(zone, opened_on + boost::gregorian::days(days + 1));
    }
    // Whole days to the edge of the calendar fit in a long; N x 24h in microseconds might not.
    const long days = days_;
    if (days >= 0 && days > (last_time() - start).hours() / 24) return last_time();
    if (days < 0 && -days > (start - first_time()).hours() / 24) return first_time();
    return start + boost::posix_time::hours(24 * days);
}

bool Window::is_open(Time start, Time now) const {
    return is_open(start, now, TimeZone());
}

bool Window::is_open(Time start, Time now, const TimeZone& zone) const {
    switch (kind_) {
        case Kind::not_offered:
            return false;
        case Kind::unlimited:
            return true;
        case Kind::days:
        case Kind::local_days:
            return now < *end_from(start, zone);
    }
    return false;
}

std::string to_string(Window w) {
    switch (w.kind()) {
        case Window::Kind::not_offered:
            return "not offered";
        case Window::Kind::unlimited:
            return "unlimited";
        case Window::Kind::days:
            return std::to_string(w.day_count()) + (w.day_count() == 1 ? " day" : " days");
        case Window::Kind::local_days:
            return std::to_string(w.day_count())
                   + (w.day_count() == 1 ? " local calendar day" : " local calendar days");
    }
    return "?";
}

}  // namespace calltrack
