#include <calltrack/tracking_number.hpp>

namespace calltrack {

std::string_view to_string(NumberSource s) noexcept {
    switch (s) {
        case NumberSource::onsite_dynamic:
            return "onsite_dynamic";
        case NumberSource::offsite:
            return "offsite";
    }
    return "unknown";
}

result<NumberSource> parse_number_source(std::string_view text) {
    if (text == "onsite_dynamic") return NumberSource::onsite_dynamic;
    if (text == "offsite") return NumberSource::offsite;
    return errc::invalid_number_source;
}

std::string_view to_string(NumberStatus s) noexcept {
    switch (s) {
        case NumberStatus::active:
            return "active";
        case NumberStatus::held:
            return "held";
        case NumberStatus::released:
            return "released";
        case NumberStatus::port_out_pending:
            return "port_out_pending";
        case NumberStatus::ported_out:
            return "ported_out";
    }
    return "unknown";
}

}  // namespace calltrack
