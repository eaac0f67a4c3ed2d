// The reader of a whole policy document: unknown and missing keys and values of the wrong type are
// refused, each refusal naming the field at fault. policy_from_json() (policy_overlay.cpp) first
// merges an overlay onto what it extends, then reads the result here and validates it. Apart from
// the writer because reading is where a document can be wrong and writing cannot fail; the two
// agree through the key tables in policy_json.hpp, which validate() names fields by too.

#include <calltrack/policy.hpp>

#include "policy_document.hpp"
#include "policy_json.hpp"
#include "policy_leaf_reader.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/model_names.hpp>
#include <calltrack/detail/policy_names.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

using detail::balance_on_cancel_names;
using detail::balance_suspension_names;
using detail::charge_names;
using detail::data_on_cancel_names;
using detail::in_quotes;
using detail::indexed;
using detail::join;
using detail::on_pause_maximum_names;
using detail::reactivation_names;
using detail::scope_kind_names;
using policy_detail::all_operations;
using policy_detail::cancellation_fields;
using policy_detail::charges_fields;
using policy_detail::refuse;

namespace {

using policy_detail::Json;

// Reading the sections of a document, on the leaf readers (policy_leaf_reader.hpp). Every reader
// returns false after recording what is wrong and where; the first refusal is the one reported.

class Reader : public policy_detail::LeafReader {
  public:
    using LeafReader::LeafReader;

    bool confirmation(const Json& j, const std::string& path, ConfirmationRule& out) {
        if (!object(j, path,
                    keys_with(j,
                              {"click", "typed_phrase", "acknowledgements", "terms",
                               "survey_confirmed", "reason", "billing_details"},
                              {"impact"}))) {
            return false;
        }
        out.impact = false;
        if (j.contains("impact") && !boolean(j["impact"], join(path, "impact"), out.impact)) {
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

    /// `keys`, with each of `later` that the object holds: keys added after documents were
    /// first written, which an older document lacks and reads as empty.
    static std::vector<std::string> keys_with(const Json& j, std::vector<std::string> keys,
                                              std::initializer_list<const char*> later) {
        for (const char* key : later) {
            if (j.is_object() && j.contains(key)) keys.emplace_back(key);
        }
        return keys;
    }

    bool operation(const Json& j, const std::string& path, OperationRule& out) {
        if (!object(
                j, path,
                keys_with(j, {"offered", "offered_from", "offered_until", "roles", "confirmation"},
                          {"title"}))) {
            return false;
        }
        out.title.clear();
        if (j.contains("title") && !text(j["title"], join(path, "title"), out.title)) return false;
        if (!boolean(j["offered"], join(path, "offered"), out.offered)
            || !optional_time(j["offered_from"], join(path, "offered_from"), out.offered_from)
            || !optional_time(j["offered_until"], join(path, "offered_until"), out.offered_until)) {
            return false;
        }
        const Json& roles = j["roles"];
        const std::string roles_path = join(path, "roles");
        if (!object(roles, roles_path, {"account", "sub_account", "agency"})) return false;
        return role_set(roles["account"], join(roles_path, "account"), out.account_roles)
               && role_set(roles["sub_account"], join(roles_path, "sub_account"),
                           out.sub_account_roles)
               && role_set(roles["agency"], join(roles_path, "agency"), out.agency_roles)
               && confirmation(j["confirmation"], join(path, "confirmation"), out.confirmation);
    }

    /// Role names, each once. Whether the policy declares them is validate()'s to say.
    bool role_set(const Json& j, const std::string& path, RoleSet& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of role names");
        out = RoleSet{};
        for (std::size_t i = 0; i < j.size(); ++i) {
            Role r;
            if (!role(j[i], indexed(path, i), r)) return false;
            if (out.contains(r)) {
                return refuse(errc::policy_invalid_value, indexed(path, i),
                              in_quotes(to_string(r)) + " is listed twice");
            }
            out.insert(r);
        }
        return true;
    }

    bool role(const Json& j, const std::string& path, Role& out) {
        std::string name;
        if (!text(j, path, name)) return false;
        auto parsed = parse_role(name);
        if (!parsed) {
            return refuse(
                errc::policy_invalid_value, path,
                in_quotes(name) + " is not a role name: 1 to 31 of a-z, 0-9 and _, a letter first");
        }
        out = parsed.value();
        return true;
    }

    bool role_definitions(const Json& j, const std::string& path,
                          std::vector<RoleDefinition>& out) {
        if (!j.is_array()) return wrong_type(j, path, "an array of roles");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            const Json& item = j[i];
            const std::string at = indexed(path, i);
            if (!object(item, at, {"name", "title", "granted_on", "implies", "one_holder"})) {
                return false;
            }
            RoleDefinition d;
            if (!role(item["name"], join(at, "name"), d.name)
                || !text(item["title"], join(at, "title"), d.title)
                || !role_set(item["implies"], join(at, "implies"), d.implies)
                || !boolean(item["one_holder"], join(at, "one_holder"), d.one_holder)) {
                return false;
            }
            const Json& on = item["granted_on"];
            const std::string on_path = join(at, "granted_on");
            if (!on.is_array()) return wrong_type(on, on_path, "an array of scope names");
            for (std::size_t k = 0; k < on.size(); ++k) {
                ScopeKind kind{};
                if (!name(on[k], indexed(on_path, k), scope_kind_names, kind)) return false;
                if (d.is_granted_on(kind)) {
                    return refuse(errc::policy_invalid_value, indexed(on_path, k),
                                  in_quotes(to_string(kind)) + " is listed twice");
                }
                d.granted_on.push_back(kind);
            }
            out.push_back(std::move(d));
        }
        return true;
    }

    /// The charges came after every document of their time was written: a document without
    /// them does not offer them.
    static bool may_be_left_out(Operation op) noexcept {
        return op == Operation::charge_usage || op == Operation::charge_renewal;
    }

    bool operations(const Json& j, const std::string& path, Policy& out) {
        std::vector<std::string> keys;
        for (const Operation op : all_operations) {
            if (!may_be_left_out(op) || (j.is_object() && j.contains(to_string(op)))) {
                keys.emplace_back(to_string(op));
            }
        }
        if (!object(j, path, keys)) return false;
        for (const Operation op : all_operations) {
            const std::string key(to_string(op));
            if (!j.contains(key)) {
                out.rule(op) = OperationRule{};
                continue;
            }
            if (!operation(j[key], join(path, key), out.rule(op))) return false;
        }
        return true;
    }

    bool balance(const Json& j, const std::string& path, BalanceRule& out) {
        return object(j, path, {"suspends", "threshold", "releases_unpaid_renewals"})
               && name(j["suspends"], join(path, "suspends"), balance_suspension_names,
                       out.suspends)
               && integer(j["threshold"], join(path, "threshold"),
                          std::numeric_limits<std::int64_t>::min(),
                          std::numeric_limits<std::int64_t>::max(), out.threshold)
               && boolean(j["releases_unpaid_renewals"], join(path, "releases_unpaid_renewals"),
                          out.releases_unpaid_renewals);
    }

    bool cancellation(const Json& j, const std::string& path, CancellationRule& out) {
        if (!object(j, path,
                    keys_with(j,
                              {"data", "data_retention", "balance", "refund_window", "reactivation",
                               "reactivation_window", "number_restore_window",
                               "support_restores_after_window", "final_usage_invoice"},
                              {"linked_subscriptions"}))) {
            return false;
        }
        out.linked_subscriptions.clear();
        if (j.contains("linked_subscriptions")
            && !strings(j["linked_subscriptions"], join(path, "linked_subscriptions"),
                        out.linked_subscriptions)) {
            return false;
        }
        return name(j["data"], join(path, "data"), data_on_cancel_names, out.data)
               && window(j["data_retention"], join(path, "data_retention"), out.data_retention)
               && name(j["balance"], join(path, "balance"), balance_on_cancel_names, out.balance)
               && window(j["refund_window"], join(path, "refund_window"), out.refund_window)
               && name(j["reactivation"], join(path, "reactivation"), reactivation_names,
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
               && name(j["on_maximum"], join(path, "on_maximum"), on_pause_maximum_names,
                       out.on_maximum);
    }

    bool transfer(const Json& j, const std::string& path, TransferRule& out) {
        return object(j, path, {"approval_window"})
               && window(j["approval_window"], join(path, "approval_window"), out.approval_window);
    }

    bool charges(const Json& j, const std::string& path, ChargeRule& out) {
        std::vector<std::string> keys;
        for (const auto& field : charges_fields) keys.emplace_back(field.key);
        if (!object(j, path, keys)) return false;
        for (const auto& [key, member] : charges_fields) {
            if (!name_set(j[key], join(path, key), charge_names, out.*member)) return false;
        }
        return true;
    }

    bool policy(const Json& j, Policy& out) {
        // A document written before roles were data has no "roles": it reads with the roles
        // calltrack had then, so that every policy file and database sidecar of that time opens.
        const bool has_roles = j.is_object() && j.contains("roles");
        // Nor "balance", written since balances could suspend: without it, none does.
        const bool has_balance = j.is_object() && j.contains("balance");
        std::vector<std::string> top{"name",  "operations", "cancellation",
                                     "pause", "transfer",   "charges"};
        if (has_roles) top.insert(top.begin() + 1, "roles");
        if (has_balance) top.emplace_back("balance");
        if (!object(j, "", top)) return false;
        if (!text(j["name"], "name", out.name)) return false;
        if (has_roles) {
            if (!role_definitions(j["roles"], "roles", out.roles)) return false;
        } else {
            out.roles = original_roles();
        }
        if (!operations(j["operations"], "operations", out)) return false;
        const Json& cancel = j["cancellation"];
        std::vector<std::string> keys;
        for (const auto& field : cancellation_fields) keys.emplace_back(field.key);
        if (!object(cancel, "cancellation", keys)) return false;
        for (const auto& [key, member] : cancellation_fields) {
            if (!cancellation(cancel[key], join("cancellation", key), out.*member)) return false;
        }
        out.balance = BalanceRule{};
        return pause(j["pause"], "pause", out.pause)
               && transfer(j["transfer"], "transfer", out.transfer)
               && charges(j["charges"], "charges", out.charges)
               && (!has_balance || balance(j["balance"], "balance", out.balance));
    }
};

}  // namespace

namespace policy_detail {

result<void> parse_policy_text(std::string_view text, Json& out, PolicyDiagnostic* diagnostic) {
    if (const auto failure = detail::parse_document(text, out)) {
        using Kind = detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                return refuse(diagnostic, errc::policy_malformed, "",
                              "the document is not valid JSON: " + failure->problem);
            case Kind::number_out_of_range:
                return refuse(diagnostic, errc::policy_invalid_value, failure->field,
                              failure->problem);
            case Kind::duplicate_key:
                return refuse(diagnostic, errc::policy_malformed, failure->field, failure->problem);
        }
    }
    return boost::outcome_v2::success();
}

result<void> read_policy(const Json& document, Policy& out, PolicyDiagnostic* diagnostic) {
    Reader reader(diagnostic);
    if (!reader.policy(document, out)) return reader.error();
    return boost::outcome_v2::success();
}

}  // namespace policy_detail

}  // namespace calltrack
