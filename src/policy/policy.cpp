#include <calltrack/policy.hpp>

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/model_names.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <string>
#include <utility>

namespace calltrack {

using detail::describe_type;
using detail::in_quotes;
using detail::indexed;
using detail::join;

// --- names -----------------------------------------------------------------------------------

namespace {

constexpr auto all_operations = detail::values_of(detail::operation_names);

}  // namespace

std::string_view to_string(DataOnCancel v) noexcept {
    switch (v) {
        case DataOnCancel::retain:
            return "retain";
        case DataOnCancel::purge_now:
            return "purge_now";
    }
    return "unknown";
}

std::string_view to_string(BalanceOnCancel v) noexcept {
    switch (v) {
        case BalanceOnCancel::refundable:
            return "refundable";
        case BalanceOnCancel::forfeit:
            return "forfeit";
    }
    return "unknown";
}

std::string_view to_string(Reactivation v) noexcept {
    switch (v) {
        case Reactivation::self_service:
            return "self_service";
        case Reactivation::support_only:
            return "support_only";
        case Reactivation::impossible:
            return "impossible";
    }
    return "unknown";
}

std::string_view to_string(OnPauseMaximum v) noexcept {
    switch (v) {
        case OnPauseMaximum::release_numbers:
            return "release_numbers";
        case OnPauseMaximum::close_account:
            return "close_account";
    }
    return "unknown";
}

// --- validation ------------------------------------------------------------------------------

namespace {

constexpr DataOnCancel all_data_on_cancel[] = {DataOnCancel::retain, DataOnCancel::purge_now};
constexpr BalanceOnCancel all_balance_on_cancel[] = {BalanceOnCancel::refundable,
                                                     BalanceOnCancel::forfeit};
constexpr Reactivation all_reactivations[] = {Reactivation::self_service,
                                              Reactivation::support_only, Reactivation::impossible};
constexpr OnPauseMaximum all_on_pause_maximum[] = {OnPauseMaximum::release_numbers,
                                                   OnPauseMaximum::close_account};

/// The JSON keys of the three cancellation rules, with the member each one names.
struct CancellationField {
    const char* key;
    CancellationRule Policy::*rule;
};
constexpr CancellationField cancellation_fields[] = {
    {"standalone", &Policy::standalone},
    {"sub_account", &Policy::sub_account},
    {"agency", &Policy::agency},
};

/// The JSON keys of the charge sets, with the member each one names.
struct ChargesField {
    const char* key;
    Charges ChargeRule::*charges;
};
constexpr ChargesField charges_fields[] = {
    {"active", &ChargeRule::active},
    {"tracking_paused", &ChargeRule::tracking_paused},
    {"calls_stopped", &ChargeRule::calls_stopped},
    {"paused", &ChargeRule::paused},
    {"canceled", &ChargeRule::canceled},
    {"agency_active", &ChargeRule::agency_active},
    {"agency_canceled", &ChargeRule::agency_canceled},
};

result<void> refuse(PolicyDiagnostic* diagnostic, errc code, std::string field,
                    std::string problem) {
    if (diagnostic != nullptr) {
        diagnostic->field = std::move(field);
        diagnostic->problem = std::move(problem);
    }
    return code;
}

/// Strict UTF-8 (no overlong forms, no surrogates): the only text a JSON document can carry.
bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t code = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code = lead & 0x0Fu;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code = lead & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u) return false;
            code = (code << 6) | (next & 0x3Fu);
        }
        if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF
            || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

result<void> check_text(PolicyDiagnostic* diagnostic, const std::string& field,
                        std::string_view text, std::string_view what) {
    if (text.empty()) {
        return refuse(diagnostic, errc::policy_invalid_value, field,
                      std::string(what) + " must not be empty");
    }
    if (!is_valid_utf8(text)) {
        return refuse(diagnostic, errc::policy_invalid_value, field,
                      std::string(what) + " must be valid UTF-8 text");
    }
    return boost::outcome_v2::success();
}

result<void> check_window_days(PolicyDiagnostic* diagnostic, const std::string& field, Window w) {
    if (w.kind() == Window::Kind::days && w.day_count() < 0) {
        return refuse(diagnostic, errc::policy_invalid_value, join(field, "days"),
                      "window days must be 0 or more, got " + std::to_string(w.day_count()));
    }
    if (w.kind() == Window::Kind::days && w.day_count() > Window::max_days) {
        return refuse(diagnostic, errc::policy_invalid_value, join(field, "days"),
                      "window days must be at most " + std::to_string(Window::max_days)
                          + " (100 years; use \"unlimited\" for no end), got "
                          + std::to_string(w.day_count()));
    }
    return boost::outcome_v2::success();
}

result<void> check_time(PolicyDiagnostic* diagnostic, const std::string& field,
                        const std::optional<Time>& t) {
    if (t && t->is_special()) {
        return refuse(diagnostic, errc::policy_invalid_value, field,
                      "expected a real UTC time such as 2020-10-01T00:00:00Z or null, got "
                          + format_time(*t));
    }
    return boost::outcome_v2::success();
}

/// Values that are wrong on their own, whatever the rest of the policy says.
result<void> check_values(const Policy& policy, PolicyDiagnostic* diagnostic) {
    if (auto r = check_text(diagnostic, "name", policy.name, "the policy name"); !r) return r;
    for (const Operation op : all_operations) {
        const OperationRule& rule = policy.rule(op);
        const std::string path = join("operations", to_string(op));
        if (auto r = check_time(diagnostic, join(path, "offered_from"), rule.offered_from); !r) {
            return r;
        }
        if (auto r = check_time(diagnostic, join(path, "offered_until"), rule.offered_until); !r) {
            return r;
        }
        const std::string confirmation = join(path, "confirmation");
        if (rule.confirmation.typed_phrase) {
            if (auto r = check_text(diagnostic, join(confirmation, "typed_phrase"),
                                    *rule.confirmation.typed_phrase,
                                    "a typed confirmation phrase (use null for none)");
                !r) {
                return r;
            }
        }
        const auto& keys = rule.confirmation.acknowledgements;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::string field = indexed(join(confirmation, "acknowledgements"), i);
            if (auto r = check_text(diagnostic, field, keys[i], "an acknowledgement key"); !r) {
                return r;
            }
            if (std::find(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(i), keys[i])
                != keys.begin() + static_cast<std::ptrdiff_t>(i)) {
                return refuse(diagnostic, errc::policy_invalid_value, field,
                              "the acknowledgement " + in_quotes(keys[i]) + " is listed twice");
            }
        }
    }
    for (const auto& [key, member] : cancellation_fields) {
        const CancellationRule& rule = policy.*member;
        const std::string path = join("cancellation", key);
        const std::pair<const char*, Window> windows[] = {
            {"data_retention", rule.data_retention},
            {"refund_window", rule.refund_window},
            {"reactivation_window", rule.reactivation_window},
            {"number_restore_window", rule.number_restore_window}};
        for (const auto& [name, window] : windows) {
            if (auto r = check_window_days(diagnostic, join(path, name), window); !r) return r;
        }
    }
    if (auto r = check_window_days(diagnostic, "pause.maximum", policy.pause.maximum); !r) {
        return r;
    }
    if (policy.pause.monthly_hold_fee && policy.pause.monthly_hold_fee->is_negative()) {
        return refuse(diagnostic, errc::policy_invalid_value, "pause.monthly_hold_fee.minor_units",
                      "the monthly hold fee must be 0 or more, got "
                          + to_string(*policy.pause.monthly_hold_fee));
    }
    return boost::outcome_v2::success();
}

result<void> contradiction(PolicyDiagnostic* diagnostic, std::string field, std::string problem) {
    return refuse(diagnostic, errc::policy_contradictory, std::move(field), std::move(problem));
}

/// What a cancel does to data, balance, reactivation and numbers must hold together.
result<void> check_cancellation(const CancellationRule& rule, const std::string& path,
                                PolicyDiagnostic* diagnostic) {
    const Window retention = rule.data_retention;
    if (rule.data == DataOnCancel::purge_now && retention.is_offered()) {
        return contradiction(diagnostic, join(path, "data_retention"),
                             "data is purged at cancel (purge_now), so data_retention must be "
                             "\"not_offered\", got "
                                 + to_string(retention));
    }
    if (rule.data == DataOnCancel::retain && !retention.is_offered()) {
        return contradiction(diagnostic, join(path, "data_retention"),
                             "data is retained at cancel (retain), so data_retention must be a "
                             "number of days or \"unlimited\", got not offered");
    }
    if (rule.balance == BalanceOnCancel::forfeit && rule.refund_window.is_offered()) {
        return contradiction(diagnostic, join(path, "refund_window"),
                             "the balance is forfeited at cancel (forfeit), so refund_window must "
                             "be \"not_offered\", got "
                                 + to_string(rule.refund_window));
    }
    if (rule.balance == BalanceOnCancel::refundable && !rule.refund_window.is_offered()) {
        return contradiction(diagnostic, join(path, "refund_window"),
                             "the balance is refundable at cancel (refundable), so refund_window "
                             "must be a number of days or \"unlimited\", got not offered");
    }
    const Window reactivation = rule.reactivation_window;
    if (rule.reactivation == Reactivation::impossible && reactivation.is_offered()) {
        return contradiction(diagnostic, join(path, "reactivation_window"),
                             "reactivation is impossible, so reactivation_window must be "
                             "\"not_offered\", got "
                                 + to_string(reactivation));
    }
    if (rule.reactivation != Reactivation::impossible && !reactivation.is_offered()) {
        return contradiction(diagnostic, join(path, "reactivation_window"),
                             "reactivation is " + std::string(to_string(rule.reactivation))
                                 + ", so reactivation_window must be a number of days or "
                                   "\"unlimited\", got not offered");
    }
    if (reactivation.is_offered()) {
        if (rule.data == DataOnCancel::purge_now) {
            return contradiction(diagnostic, join(path, "reactivation_window"),
                                 "data is purged at cancel, so nothing is left to reactivate; "
                                 "reactivation must be impossible");
        }
        const bool outlives_data =
            retention.kind() == Window::Kind::days
            && (reactivation.is_unlimited() || reactivation.day_count() > retention.day_count());
        if (outlives_data) {
            return contradiction(diagnostic, join(path, "reactivation_window"),
                                 "the reactivation window (" + to_string(reactivation)
                                     + ") outlasts data retention (" + to_string(retention)
                                     + "); an account whose data is gone cannot be reactivated");
        }
    }
    if (rule.number_restore_window.is_offered() && rule.reactivation == Reactivation::impossible) {
        return contradiction(diagnostic, join(path, "number_restore_window"),
                             "numbers are restored after reactivation, but reactivation is "
                             "impossible; number_restore_window must be \"not_offered\", got "
                                 + to_string(rule.number_restore_window));
    }
    if (rule.support_restores_after_window && !rule.number_restore_window.is_offered()) {
        return contradiction(diagnostic, join(path, "support_restores_after_window"),
                             "support restores numbers after the restore window, but "
                             "number_restore_window is not offered; set it or set this to false");
    }
    return boost::outcome_v2::success();
}

/// Fields whose values are fine alone but cannot hold together.
result<void> check_contradictions(const Policy& policy, PolicyDiagnostic* diagnostic) {
    for (const Operation op : all_operations) {
        const OperationRule& rule = policy.rule(op);
        const std::string path = join("operations", to_string(op));
        if (rule.offered && rule.account_roles.empty() && rule.sub_account_roles.empty()
            && rule.agency_roles.empty()) {
            return contradiction(diagnostic, join(path, "roles"),
                                 std::string(to_string(op))
                                     + " is offered but allowed to no role; give at least one "
                                       "role in account, sub_account or agency, or set offered "
                                       "to false");
        }
        if (rule.offered_from && rule.offered_until
            && !(*rule.offered_from < *rule.offered_until)) {
            return contradiction(diagnostic, join(path, "offered_until"),
                                 "offered_until (" + format_time(*rule.offered_until)
                                     + ") must be later than offered_from ("
                                     + format_time(*rule.offered_from) + ")");
        }
    }
    for (const auto& [key, member] : cancellation_fields) {
        if (auto r = check_cancellation(policy.*member, join("cancellation", key), diagnostic);
            !r) {
            return r;
        }
    }
    if (policy.rule(Operation::pause_account).offered) {
        if (!policy.pause.maximum.is_offered()) {
            return contradiction(diagnostic, "pause.maximum",
                                 "pause_account is offered, so the pause maximum must be a number "
                                 "of days or \"unlimited\", got not offered");
        }
        if (policy.pause.number_limit == 0) {
            return contradiction(diagnostic, "pause.number_limit",
                                 "pause_account is offered, so number_limit must be more than 0 "
                                 "(a pause that keeps no number holds nothing)");
        }
    }
    return boost::outcome_v2::success();
}

}  // namespace

result<void> validate(const Policy& policy, PolicyDiagnostic* diagnostic) {
    if (auto r = check_values(policy, diagnostic); !r) return r;
    return check_contradictions(policy, diagnostic);
}

// --- JSON ------------------------------------------------------------------------------------

namespace {

using Json = nlohmann::ordered_json;

// Writing.

Json window_to_json(Window w) {
    switch (w.kind()) {
        case Window::Kind::not_offered:
            return "not_offered";
        case Window::Kind::unlimited:
            return "unlimited";
        case Window::Kind::days:
            return Json{{"days", w.day_count()}};
    }
    return nullptr;
}

Json time_to_json(const std::optional<Time>& t) {
    if (!t) return nullptr;
    return format_time(*t);
}

Json roles_to_json(RoleSet roles) {
    Json list = Json::array();
    for (const Role r : all_roles) {
        if (roles.contains(r)) list.push_back(to_string(r));
    }
    return list;
}

Json charges_to_json(Charges charges) {
    Json list = Json::array();
    for (const Charge c : all_charges) {
        if (charges.contains(c)) list.push_back(to_string(c));
    }
    return list;
}

Json confirmation_to_json(const ConfirmationRule& c) {
    Json j = Json::object();
    j["click"] = c.click;
    j["typed_phrase"] = c.typed_phrase ? Json(*c.typed_phrase) : Json(nullptr);
    j["acknowledgements"] = Json::array();
    for (const auto& key : c.acknowledgements) j["acknowledgements"].push_back(key);
    j["terms"] = c.terms;
    j["survey_confirmed"] = c.survey_confirmed;
    j["reason"] = c.reason;
    j["billing_details"] = c.billing_details;
    return j;
}

Json operation_to_json(const OperationRule& rule) {
    Json j = Json::object();
    j["offered"] = rule.offered;
    j["offered_from"] = time_to_json(rule.offered_from);
    j["offered_until"] = time_to_json(rule.offered_until);
    j["roles"] = Json{{"account", roles_to_json(rule.account_roles)},
                      {"sub_account", roles_to_json(rule.sub_account_roles)},
                      {"agency", roles_to_json(rule.agency_roles)}};
    j["confirmation"] = confirmation_to_json(rule.confirmation);
    return j;
}

Json cancellation_to_json(const CancellationRule& rule) {
    Json j = Json::object();
    j["data"] = to_string(rule.data);
    j["data_retention"] = window_to_json(rule.data_retention);
    j["balance"] = to_string(rule.balance);
    j["refund_window"] = window_to_json(rule.refund_window);
    j["reactivation"] = to_string(rule.reactivation);
    j["reactivation_window"] = window_to_json(rule.reactivation_window);
    j["number_restore_window"] = window_to_json(rule.number_restore_window);
    j["support_restores_after_window"] = rule.support_restores_after_window;
    j["final_usage_invoice"] = rule.final_usage_invoice;
    return j;
}

Json pause_to_json(const PauseRule& pause) {
    Json j = Json::object();
    j["number_limit"] = pause.number_limit;
    j["maximum"] = window_to_json(pause.maximum);
    if (pause.monthly_hold_fee) {
        j["monthly_hold_fee"] =
            Json{{"minor_units", pause.monthly_hold_fee->minor_units()},
                 {"currency", std::string(pause.monthly_hold_fee->currency().code())}};
    } else {
        j["monthly_hold_fee"] = nullptr;
    }
    j["suspends_report_access"] = pause.suspends_report_access;
    j["on_maximum"] = to_string(pause.on_maximum);
    return j;
}

// Reading. Every reader returns false after recording what is wrong and where; the first
// refusal is the one reported.

class Reader {
  public:
    explicit Reader(PolicyDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    bool refuse(errc code, const std::string& field, std::string problem) {
        if (error_ == errc{}) {
            error_ = code;
            (void)calltrack::refuse(diagnostic_, code, field, std::move(problem));
        }
        return false;
    }

    bool wrong_type(const Json& j, const std::string& field, std::string_view expected) {
        return refuse(errc::policy_invalid_value, field,
                      "expected " + std::string(expected) + ", got " + describe_type(j));
    }

    /// `j` must be an object with exactly `keys`: unknown keys are refused first, then missing
    /// ones.
    template <class Keys>
    bool object(const Json& j, const std::string& path, const Keys& keys) {
        if (!j.is_object()) return wrong_type(j, path, "an object");
        for (const auto& item : j.items()) {
            if (std::find(std::begin(keys), std::end(keys), item.key()) == std::end(keys)) {
                std::string expected;
                for (const auto& k : keys) {
                    if (!expected.empty()) expected += ", ";
                    expected += k;
                }
                return refuse(
                    errc::policy_unknown_key, join(path, item.key()),
                    "unknown key " + in_quotes(item.key()) + "; expected one of " + expected);
            }
        }
        for (const auto& k : keys) {
            if (!j.contains(k)) {
                return refuse(errc::policy_invalid_value, join(path, k),
                              "missing key " + in_quotes(k) + "; every policy key is required");
            }
        }
        return true;
    }
    bool object(const Json& j, const std::string& path, std::initializer_list<std::string> keys) {
        return object<std::initializer_list<std::string>>(j, path, keys);
    }

    bool boolean(const Json& j, const std::string& path, bool& out) {
        if (!j.is_boolean()) return wrong_type(j, path, "true or false");
        out = j.get<bool>();
        return true;
    }

    bool text(const Json& j, const std::string& path, std::string& out) {
        if (!j.is_string()) return wrong_type(j, path, "a string");
        out = j.get<std::string>();
        return true;
    }

    bool optional_text(const Json& j, const std::string& path, std::optional<std::string>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_string()) return wrong_type(j, path, "a string or null");
        out = j.get<std::string>();
        return true;
    }

    bool optional_time(const Json& j, const std::string& path, std::optional<Time>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_string()) {
            return wrong_type(j, path, "a UTC time such as \"2020-10-01T00:00:00Z\" or null");
        }
        const auto& s = j.get_ref<const std::string&>();
        auto parsed = parse_time(s);
        if (!parsed) {
            return refuse(errc::policy_invalid_value, path,
                          "expected a UTC time such as \"2020-10-01T00:00:00Z\" or null, got "
                              + in_quotes(s));
        }
        out = parsed.value();
        return true;
    }

    bool strings(const Json& j, const std::string& path, std::vector<std::string>& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of strings");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            std::string s;
            if (!text(j[i], indexed(path, i), s)) return false;
            out.push_back(std::move(s));
        }
        return true;
    }

    /// One of `values`, written as its to_string name.
    template <class T, std::size_t N>
    bool name(const Json& j, const std::string& path, const T (&values)[N], T& out) {
        std::string expected;
        for (const T v : values) {
            if (!expected.empty()) expected += ", ";
            expected += in_quotes(to_string(v));
        }
        if (!j.is_string()) return wrong_type(j, path, "one of " + expected);
        const auto& s = j.get_ref<const std::string&>();
        for (const T v : values) {
            if (to_string(v) == s) {
                out = v;
                return true;
            }
        }
        return refuse(errc::policy_invalid_value, path,
                      "unknown value " + in_quotes(s) + "; expected one of " + expected);
    }

    /// A set of names from `values`, each at most once.
    template <class Set, class T, std::size_t N>
    bool name_set(const Json& j, const std::string& path, const T (&values)[N], Set& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of names");
        out = Set{};
        for (std::size_t i = 0; i < j.size(); ++i) {
            T v{};
            if (!name(j[i], indexed(path, i), values, v)) return false;
            if (out.contains(v)) {
                return refuse(errc::policy_invalid_value, indexed(path, i),
                              in_quotes(to_string(v)) + " is listed twice");
            }
            out.insert(v);
        }
        return true;
    }

    /// A whole number that fits in [low, high].
    bool integer(const Json& j, const std::string& path, std::int64_t low, std::int64_t high,
                 std::int64_t& out) {
        const auto range = "a whole number from " + std::to_string(low) + " to "
                           + std::to_string(high) + ", got " + j.dump();
        if (!j.is_number_integer()) {
            if (j.is_number())
                return refuse(errc::policy_invalid_value, path,
                              "expected " + range + ", " + describe_type(j));
            return wrong_type(j, path, "a whole number");
        }
        if (j.is_number_unsigned()) {
            const auto u = j.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(high)) {
                return refuse(errc::policy_invalid_value, path, "expected " + range);
            }
            out = static_cast<std::int64_t>(u);
        } else {
            out = j.get<std::int64_t>();
        }
        if (out < low || out > high) {
            return refuse(errc::policy_invalid_value, path, "expected " + range);
        }
        return true;
    }

    bool window(const Json& j, const std::string& path, Window& out) {
        constexpr std::string_view expected = "\"not_offered\", \"unlimited\" or {\"days\": N}";
        if (j.is_string()) {
            const auto& s = j.get_ref<const std::string&>();
            if (s == "not_offered") {
                out = Window::not_offered();
                return true;
            }
            if (s == "unlimited") {
                out = Window::unlimited();
                return true;
            }
            return refuse(errc::policy_invalid_value, path,
                          "expected " + std::string(expected) + ", got " + in_quotes(s));
        }
        if (!j.is_object()) return wrong_type(j, path, expected);
        if (!object(j, path, {"days"})) return false;
        std::int64_t days = 0;
        // Negative days are read here and refused by validate(), which names the same field.
        if (!integer(j["days"], join(path, "days"), std::numeric_limits<std::int32_t>::min(),
                     std::numeric_limits<std::int32_t>::max(), days)) {
            return false;
        }
        out = Window::days(static_cast<std::int32_t>(days));
        return true;
    }

    bool confirmation(const Json& j, const std::string& path, ConfirmationRule& out) {
        if (!object(j, path,
                    {"click", "typed_phrase", "acknowledgements", "terms", "survey_confirmed",
                     "reason", "billing_details"})) {
            return false;
        }
        return boolean(j["click"], join(path, "click"), out.click)
               && optional_text(j["typed_phrase"], join(path, "typed_phrase"), out.typed_phrase)
               && strings(j["acknowledgements"], join(path, "acknowledgements"),
                          out.acknowledgements)
               && boolean(j["terms"], join(path, "terms"), out.terms)
               && boolean(j["survey_confirmed"], join(path, "survey_confirmed"),
                          out.survey_confirmed)
               && boolean(j["reason"], join(path, "reason"), out.reason)
               && boolean(j["billing_details"], join(path, "billing_details"), out.billing_details);
    }

    bool operation(const Json& j, const std::string& path, OperationRule& out) {
        if (!object(j, path,
                    {"offered", "offered_from", "offered_until", "roles", "confirmation"})) {
            return false;
        }
        if (!boolean(j["offered"], join(path, "offered"), out.offered)
            || !optional_time(j["offered_from"], join(path, "offered_from"), out.offered_from)
            || !optional_time(j["offered_until"], join(path, "offered_until"), out.offered_until)) {
            return false;
        }
        const Json& roles = j["roles"];
        const std::string roles_path = join(path, "roles");
        if (!object(roles, roles_path, {"account", "sub_account", "agency"})) return false;
        return name_set(roles["account"], join(roles_path, "account"), all_roles, out.account_roles)
               && name_set(roles["sub_account"], join(roles_path, "sub_account"), all_roles,
                           out.sub_account_roles)
               && name_set(roles["agency"], join(roles_path, "agency"), all_roles, out.agency_roles)
               && confirmation(j["confirmation"], join(path, "confirmation"), out.confirmation);
    }

    bool operations(const Json& j, const std::string& path, Policy& out) {
        std::vector<std::string> keys;
        for (const Operation op : all_operations) keys.emplace_back(to_string(op));
        if (!object(j, path, keys)) return false;
        for (const Operation op : all_operations) {
            const std::string key(to_string(op));
            if (!operation(j[key], join(path, key), out.rule(op))) return false;
        }
        return true;
    }

    bool cancellation(const Json& j, const std::string& path, CancellationRule& out) {
        if (!object(j, path,
                    {"data", "data_retention", "balance", "refund_window", "reactivation",
                     "reactivation_window", "number_restore_window",
                     "support_restores_after_window", "final_usage_invoice"})) {
            return false;
        }
        return name(j["data"], join(path, "data"), all_data_on_cancel, out.data)
               && window(j["data_retention"], join(path, "data_retention"), out.data_retention)
               && name(j["balance"], join(path, "balance"), all_balance_on_cancel, out.balance)
               && window(j["refund_window"], join(path, "refund_window"), out.refund_window)
               && name(j["reactivation"], join(path, "reactivation"), all_reactivations,
                       out.reactivation)
               && window(j["reactivation_window"], join(path, "reactivation_window"),
                         out.reactivation_window)
               && window(j["number_restore_window"], join(path, "number_restore_window"),
                         out.number_restore_window)
               && boolean(j["support_restores_after_window"],
                          join(path, "support_restores_after_window"),
                          out.support_restores_after_window)
               && boolean(j["final_usage_invoice"], join(path, "final_usage_invoice"),
                          out.final_usage_invoice);
    }

    bool money(const Json& j, const std::string& path, std::optional<Money>& out) {
        if (j.is_null()) {
            out.reset();
            return true;
        }
        if (!j.is_object()) {
            return wrong_type(j, path, "{\"minor_units\": N, \"currency\": \"USD\"} or null");
        }
        if (!object(j, path, {"minor_units", "currency"})) return false;
        std::int64_t minor = 0;
        std::string code;
        if (!integer(j["minor_units"], join(path, "minor_units"),
                     std::numeric_limits<std::int64_t>::min(),
                     std::numeric_limits<std::int64_t>::max(), minor)
            || !text(j["currency"], join(path, "currency"), code)) {
            return false;
        }
        auto currency = Currency::parse(code);
        if (!currency) {
            return refuse(errc::policy_invalid_value, join(path, "currency"),
                          "expected an ISO 4217 code of three upper-case letters such as "
                          "\"USD\", got "
                              + in_quotes(code));
        }
        out = Money(minor, currency.value());
        return true;
    }

    bool pause(const Json& j, const std::string& path, PauseRule& out) {
        if (!object(j, path,
                    {"number_limit", "maximum", "monthly_hold_fee", "suspends_report_access",
                     "on_maximum"})) {
            return false;
        }
        std::int64_t limit = 0;
        constexpr auto most = static_cast<std::int64_t>(std::min<std::uint64_t>(
            std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::int64_t>::max()));
        if (!integer(j["number_limit"], join(path, "number_limit"), 0, most, limit)) return false;
        out.number_limit = static_cast<std::size_t>(limit);
        return window(j["maximum"], join(path, "maximum"), out.maximum)
               && money(j["monthly_hold_fee"], join(path, "monthly_hold_fee"), out.monthly_hold_fee)
               && boolean(j["suspends_report_access"], join(path, "suspends_report_access"),
                          out.suspends_report_access)
               && name(j["on_maximum"], join(path, "on_maximum"), all_on_pause_maximum,
                       out.on_maximum);
    }

    bool charges(const Json& j, const std::string& path, ChargeRule& out) {
        std::vector<std::string> keys;
        for (const auto& field : charges_fields) keys.emplace_back(field.key);
        if (!object(j, path, keys)) return false;
        for (const auto& [key, member] : charges_fields) {
            if (!name_set(j[key], join(path, key), all_charges, out.*member)) return false;
        }
        return true;
    }

    bool policy(const Json& j, Policy& out) {
        if (!object(j, "", {"name", "operations", "cancellation", "pause", "charges"})) {
            return false;
        }
        if (!text(j["name"], "name", out.name) || !operations(j["operations"], "operations", out)) {
            return false;
        }
        const Json& cancel = j["cancellation"];
        std::vector<std::string> keys;
        for (const auto& field : cancellation_fields) keys.emplace_back(field.key);
        if (!object(cancel, "cancellation", keys)) return false;
        for (const auto& [key, member] : cancellation_fields) {
            if (!cancellation(cancel[key], join("cancellation", key), out.*member)) return false;
        }
        return pause(j["pause"], "pause", out.pause)
               && charges(j["charges"], "charges", out.charges);
    }

  private:
    PolicyDiagnostic* diagnostic_;
    errc error_{};
};

}  // namespace

result<Policy> policy_from_json(std::string_view json, PolicyDiagnostic* diagnostic) {
    Json document;
    if (const auto failure = detail::parse_document(json, document)) {
        using Kind = detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                return refuse(diagnostic, errc::policy_malformed, "",
                              "the document is not valid JSON: " + failure->problem)
                    .error();
            case Kind::number_out_of_range:
                return refuse(diagnostic, errc::policy_invalid_value, failure->field,
                              failure->problem)
                    .error();
            case Kind::duplicate_key:
                return refuse(diagnostic, errc::policy_malformed, failure->field, failure->problem)
                    .error();
        }
    }
    Policy policy;
    Reader reader(diagnostic);
    if (!reader.policy(document, policy)) return reader.error();
    if (auto valid = validate(policy, diagnostic); !valid) return valid.error();
    return policy;
}

std::string policy_to_json(const Policy& policy) {
    Json j = Json::object();
    j["name"] = policy.name;
    Json operations = Json::object();
    for (const Operation op : all_operations) {
        operations[std::string(to_string(op))] = operation_to_json(policy.rule(op));
    }
    j["operations"] = std::move(operations);
    Json cancellation = Json::object();
    for (const auto& [key, member] : cancellation_fields) {
        cancellation[key] = cancellation_to_json(policy.*member);
    }
    j["cancellation"] = std::move(cancellation);
    j["pause"] = pause_to_json(policy.pause);
    Json charges = Json::object();
    for (const auto& [key, member] : charges_fields) {
        charges[key] = charges_to_json(policy.charges.*member);
    }
    j["charges"] = std::move(charges);
    // Text that is not UTF-8 (which validate() refuses) is replaced rather than thrown on.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace calltrack
