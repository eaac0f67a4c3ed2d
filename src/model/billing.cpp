#include <calltrack/billing.hpp>

namespace calltrack {

std::string_view to_string(Charge c) noexcept {
    switch (c) {
        case Charge::subscription:
            return "subscription";
        case Charge::number_renewals:
            return "number_renewals";
        case Charge::usage:
            return "usage";
        case Charge::hold_fee:
            return "hold_fee";
    }
    return "unknown";
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
