#include <calltrack/window.hpp>

namespace calltrack {

std::optional<Time> Window::end_from(Time start) const {
    if (kind_ != Kind::days) return std::nullopt;
    return start + boost::posix_time::hours(24 * static_cast<long>(days_));
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
