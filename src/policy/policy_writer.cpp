// policy_to_json(): the document a policy is written as. Apart from the reader because writing
// never fails and needs none of the reader's checks; the two agree through the key tables in
// policy_json.hpp and the round-trip tests.

#include <calltrack/policy.hpp>

#include "policy_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calltrack {

using policy_detail::all_operations;
using policy_detail::cancellation_fields;
using policy_detail::charges_fields;

namespace {

using Json = nlohmann::ordered_json;

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

Json roles_to_json(const RoleSet& roles) {
    Json list = Json::array();
    for (const Role& r : roles) list.push_back(std::string(to_string(r)));
    return list;
}

Json role_definitions_to_json(const std::vector<RoleDefinition>& roles) {
    Json list = Json::array();
    for (const auto& role : roles) {
        Json j = Json::object();
        j["name"] = std::string(to_string(role.name));
        j["title"] = role.title;
        j["granted_on"] = Json::array();
        for (const ScopeKind k : role.granted_on) j["granted_on"].push_back(to_string(k));
        j["implies"] = roles_to_json(role.implies);
        j["one_holder"] = role.one_holder;
        list.push_back(std::move(j));
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
    j["impact"] = c.impact;
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
    j["title"] = rule.title;
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
    j["linked_subscriptions"] = rule.linked_subscriptions;
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

}  // namespace

std::string policy_to_json(const Policy& policy) {
    Json j = Json::object();
    j["name"] = policy.name;
    j["roles"] = role_definitions_to_json(policy.roles);
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
    j["transfer"] = Json{{"approval_window", window_to_json(policy.transfer.approval_window)}};
    Json charges = Json::object();
    for (const auto& [key, member] : charges_fields) {
        charges[key] = charges_to_json(policy.charges.*member);
    }
    j["charges"] = std::move(charges);
    j["balance"] = Json{{"suspends", std::string(to_string(policy.balance.suspends))},
                        {"threshold", policy.balance.threshold},
                        {"releases_unpaid_renewals", policy.balance.releases_unpaid_renewals}};
    // Text that is not UTF-8 (which validate() refuses) is replaced rather than thrown on.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace calltrack
