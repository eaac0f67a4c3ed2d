#pragma once

// What validation, the reader and the writer of a policy share: the list of operations, the JSON
// keys of the cancellation rules and of the charge sets with the member each names, and the one
// way a refusal is recorded in a PolicyDiagnostic. validate() names a field by the same JSON path
// the reader uses, so these tables belong to neither side alone.

#include <calltrack/policy.hpp>

#include <calltrack/detail/model_names.hpp>

#include <string>

namespace calltrack::policy_detail {

inline constexpr auto all_operations = detail::values_of(detail::operation_names);

/// The JSON keys of the three cancellation rules, with the member each one names.
struct CancellationField {
    const char* key;
    CancellationRule Policy::*rule;
};
inline constexpr CancellationField cancellation_fields[] = {
    {"standalone", &Policy::standalone},
    {"sub_account", &Policy::sub_account},
    {"agency", &Policy::agency},
};

/// The JSON keys of the charge sets, with the member each one names.
struct ChargesField {
    const char* key;
    Charges ChargeRule::*charges;
};
inline constexpr ChargesField charges_fields[] = {
    {"active", &ChargeRule::active},
    {"tracking_paused", &ChargeRule::tracking_paused},
    {"calls_stopped", &ChargeRule::calls_stopped},
    {"paused", &ChargeRule::paused},
    {"canceled", &ChargeRule::canceled},
    {"agency_active", &ChargeRule::agency_active},
    {"agency_canceled", &ChargeRule::agency_canceled},
};

/// Records `field` and `problem` in `diagnostic`, when there is one, and returns `code`.
result<void> refuse(PolicyDiagnostic* diagnostic, errc code, std::string field,
                    std::string problem);

}  // namespace calltrack::policy_detail
