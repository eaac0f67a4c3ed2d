#include <calltrack/billing.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(Charge c) noexcept {
    return detail::name_of(detail::charge_names, c);
}

std::string to_string(Charges charges) {
    std::string text;
    for (const Charge c : all_charges) {
        if (!charges.contains(c)) continue;
        if (!text.empty()) text += ", ";
        text += to_string(c);
    }
    return text.empty() ? "nothing" : text;
}

}  // namespace calltrack
