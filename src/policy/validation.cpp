// validate(): the values that are wrong on their own and the fields that cannot hold together.
// Apart from the JSON reader because a Policy built in code (a preset, a host's own) is checked
// by the same rules as one read from a document; only the field paths are shared
// (policy_json.hpp).

#include <calltrack/policy.hpp>

#include "policy_json.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/suggest.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calltrack {

using detail::in_quotes;
using detail::indexed;
using detail::join;
using policy_detail::all_operations;
using policy_detail::cancellation_fields;
using policy_detail::refuse;

namespace policy_detail {

result<void> refuse(PolicyDiagnostic* diagnostic, errc code, std::string field,
                    std::string problem) {
    if (diagnostic != nullptr) {
        diagnostic->field = std::move(field);
        diagnostic->problem = std::move(problem);
    }
    return code;
}

}  // namespace policy_detail

namespace {

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
        if (!rule.title.empty() && !is_valid_utf8(rule.title)) {
            return refuse(diagnostic, errc::policy_invalid_value, join(path, "title"),
                          "an operation's title must be valid UTF-8 text (use \"\" for none)");
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
        const auto& linked = rule.linked_subscriptions;
        for (std::size_t i = 0; i < linked.size(); ++i) {
            const std::string field = indexed(join(path, "linked_subscriptions"), i);
            // A host matches the effect's name to its product, so it is a plain identifier.
            if (!is_role_name(linked[i])) {
                return refuse(diagnostic, errc::policy_invalid_value, field,
                              in_quotes(linked[i])
                                  + " is not a subscription name: 1 to 31 of a-z, 0-9 and _, a "
                                    "letter first");
            }
            if (std::find(linked.begin(), linked.begin() + static_cast<std::ptrdiff_t>(i),
                          linked[i])
                != linked.begin() + static_cast<std::ptrdiff_t>(i)) {
                return refuse(diagnostic, errc::policy_invalid_value, field,
                              "the subscription " + in_quotes(linked[i]) + " is listed twice");
            }
        }
    }
    if (auto r = check_window_days(diagnostic, "pause.maximum", policy.pause.maximum); !r) {
        return r;
    }
    if (auto r = check_window_days(diagnostic, "transfer.approval_window",
                                   policy.transfer.approval_window);
        !r) {
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

/// `role` must be one the policy declares: a rule or an implication naming another would allow
/// or give what no grant can hold.
result<void> check_declared(const Policy& policy, const std::vector<std::string>& names,
                            const std::string& field, const Role& role,
                            PolicyDiagnostic* diagnostic) {
    if (policy.role(role) != nullptr) return boost::outcome_v2::success();
    return refuse(diagnostic, errc::policy_invalid_value, field,
                  in_quotes(to_string(role)) + " is not a role of this policy; "
                      + detail::suggest(to_string(role), names));
}

/// The roles themselves, and every role a rule names.
result<void> check_roles(const Policy& policy, PolicyDiagnostic* diagnostic) {
    std::vector<std::string> names;
    for (const auto& role : policy.roles) names.emplace_back(to_string(role.name));
    for (std::size_t i = 0; i < policy.roles.size(); ++i) {
        const RoleDefinition& role = policy.roles[i];
        const std::string path = indexed("roles", i);
        if (role.name.empty()) {
            return refuse(diagnostic, errc::policy_invalid_value, join(path, "name"),
                          "a role needs a name");
        }
        const auto first = std::find(names.begin(), names.end(), to_string(role.name));
        if (first != names.begin() + static_cast<std::ptrdiff_t>(i)) {
            return refuse(diagnostic, errc::policy_invalid_value, join(path, "name"),
                          in_quotes(to_string(role.name)) + " is declared twice (first at "
                              + indexed("roles", static_cast<std::size_t>(first - names.begin()))
                              + ")");
        }
        if (auto r = check_text(diagnostic, join(path, "title"), role.title, "a role's title");
            !r) {
            return r;
        }
        if (role.granted_on.empty()) {
            return refuse(diagnostic, errc::policy_invalid_value, join(path, "granted_on"),
                          "a role granted on no scope can never be held; name at least one of "
                          "\"platform\", \"agency\", \"account\"");
        }
        // The platform is the vendor's own staff, many of them: the engine finds another holder
        // on an account or an agency only.
        if (role.one_holder && role.is_granted_on(ScopeKind::platform)) {
            return refuse(diagnostic, errc::policy_contradictory, join(path, "one_holder"),
                          "a role with one holder is granted on an account or an agency, not on "
                          "the platform");
        }
        std::size_t k = 0;
        for (const Role& implied : role.implies) {
            const std::string field = indexed(join(path, "implies"), k++);
            if (auto r = check_declared(policy, names, field, implied, diagnostic); !r) return r;
        }
    }
    for (std::size_t i = 0; i < policy.roles.size(); ++i) {
        const RoleDefinition& role = policy.roles[i];
        for (const Role& implied : role.implies) {
            if (policy.implied_by(implied).contains(role.name)) {
                return contradiction(diagnostic, join(indexed("roles", i), "implies"),
                                     std::string(to_string(role.name)) + " implies "
                                         + std::string(to_string(implied))
                                         + ", which implies it back; an implication goes one "
                                           "way");
            }
        }
    }
    for (const Operation op : all_operations) {
        const OperationRule& rule = policy.rule(op);
        const std::string path = join(join("operations", to_string(op)), "roles");
        const std::pair<const char*, const RoleSet*> sets[] = {
            {"account", &rule.account_roles},
            {"sub_account", &rule.sub_account_roles},
            {"agency", &rule.agency_roles}};
        for (const auto& [key, set] : sets) {
            std::size_t k = 0;
            for (const Role& role : *set) {
                const std::string field = indexed(join(path, key), k++);
                if (auto r = check_declared(policy, names, field, role, diagnostic); !r) return r;
            }
        }
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
    if (policy.rule(Operation::request_transfer).offered
        && !policy.transfer.approval_window.is_offered()) {
        return contradiction(diagnostic, "transfer.approval_window",
                             "request_transfer is offered, so the approval window must be a number "
                             "of days or \"unlimited\", got not offered");
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
    if (policy.balance.releases_unpaid_renewals
        && policy.balance.suspends == BalanceSuspension::never) {
        return contradiction(diagnostic, "balance.releases_unpaid_renewals",
                             "releases_unpaid_renewals needs a threshold: with suspends \"never\" "
                             "no renewal is ever unpaid");
    }
    return boost::outcome_v2::success();
}

}  // namespace

result<void> validate(const Policy& policy, PolicyDiagnostic* diagnostic) {
    if (auto r = check_values(policy, diagnostic); !r) return r;
    if (auto r = check_roles(policy, diagnostic); !r) return r;
    return check_contradictions(policy, diagnostic);
}

}  // namespace calltrack
