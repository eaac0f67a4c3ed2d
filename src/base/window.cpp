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
    if (kind_ != Kind::days) return std::nullopt;
    if (start.is_special()) return start;
    // Whole days to the edge of the calendar fit in a long; N x 24h in microseconds might not.
    const long days = days_;
    if (days >= 0 && days > (last_time() - start).hours() / 24) return last_time();
    if (days < 0 && -days > (start - first_time()).hours() / 24) return first_time();
    return start + boost::posix_time::hours(24 * days);
}

bool Window::is_open(Time start, Time now) const {
    switch (kind_) {
        case Kind::not_offered:
            return false;
        case Kind::unlimited:
            return true;
        case Kind::days:
            return now < *end_from(start);
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
    }
    return "?";
}

}  // namespace calltrack
