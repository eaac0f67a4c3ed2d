#include <calltrack/tracking_number.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(NumberSource s) noexcept {
    return detail::name_of(detail::number_source_names, s);
}

result<NumberSource> parse_number_source(std::string_view text) {
    if (const auto s = detail::value_named(detail::number_source_names, text)) return *s;
    return errc::invalid_number_source;
}

std::string_view to_string(NumberStatus s) noexcept {
    return detail::name_of(detail::number_status_names, s);
}

}  // namespace calltrack
