// The scenario reader's expectations: "ok" or the errors a refusal must give, the events and host
// effects, and the state of accounts, agencies and tracking numbers after a step. They are read
// apart from the steps because they are checked against the library's own names: the statuses
// and effect kinds, whose lists are built here from the library's name tables and used by nothing
// else, and the error codes (error_names(), scenario.cpp).

#include "scenario_reader.hpp"

#include <calltrack/detail/core_names.hpp>
#include <calltrack/detail/enum_names.hpp>
#include <calltrack/detail/model_names.hpp>

#include <array>
#include <cstddef>
#include <iterator>
#include <utility>

namespace calltrack::cli::scenario_reader {

namespace {

/// Every name in an enum's table (enum_names.hpp), in its order.
template <class Enum, std::size_t N>
std::vector<std::string> names_in(const std::array<calltrack::detail::Named<Enum>, N>& table) {
    std::vector<std::string> names;
    for (const auto& entry : table) names.emplace_back(entry.name);
    return names;
}

const std::vector<std::string>& account_statuses() {
    static const auto names = names_in(calltrack::detail::account_status_names);
    return names;
}
const std::vector<std::string>& data_statuses() {
    static const auto names = names_in(calltrack::detail::data_status_names);
    return names;
}
const std::vector<std::string>& balance_statuses() {
    static const auto names = names_in(calltrack::detail::balance_status_names);
    return names;
}
const std::vector<std::string>& agency_statuses() {
    static const auto names = names_in(calltrack::detail::agency_status_names);
    return names;
}
const std::vector<std::string>& number_statuses() {
    static const auto names = names_in(calltrack::detail::number_status_names);
    return names;
}
const std::vector<std::string>& effect_kinds() {
    static const auto names = names_in(calltrack::detail::effect_kind_names);
    return names;
}

/// Every event's name: a misspelt name in "events_exclude" would otherwise hold for ever.
const std::vector<std::string>& event_names() {
    static const std::vector<std::string> names(std::begin(calltrack::detail::event_names),
                                                std::end(calltrack::detail::event_names));
    return names;
}

}  // namespace

bool Parser::expectation(const Json& j, const std::string& path, Step::Kind kind,
                         Expectation& out) {
    if (j.is_string()) {
        if (j.get_ref<const std::string&>() != "ok") {
            return invalid(path,
                           "expected \"ok\" or an object such as {\"error\": "
                           "\"window_closed\"}, got "
                               + in_quotes(j.get_ref<const std::string&>()));
        }
        return true;
    }
    if (!j.is_object()) return wrong_type(j, path, "\"ok\" or an expectation object");
    if (!only_keys(j, path,
                   {"error", "refused", "events", "events_include", "events_exclude", "effects",
                    "effects_include", "effects_exclude", "accounts", "agencies", "numbers"})) {
        return false;
    }
    if (j.contains("refused")) {
        const Json& r = j["refused"];
        if (!r.is_boolean()) return wrong_type(r, join(path, "refused"), "true");
        if (!r.get<bool>()) {
            return invalid(join(path, "refused"),
                           "write \"refused\": true, or leave it out for a command that must be "
                           "allowed");
        }
    }
    const char* const refusal = j.contains("error") ? "error" : "refused";
    if (j.contains(refusal)) {
        if (kind == Step::Kind::advance) {
            return invalid(join(path, refusal), "an advance is never refused");
        }
        for (const char* key : {"events", "events_include", "events_exclude", "effects",
                                "effects_include", "effects_exclude"}) {
            if (j.contains(key)) {
                return invalid(join(path, key),
                               "a refused command has no events or effects; expect either \""
                                   + std::string(refusal) + "\" or \"" + key + "\"");
            }
        }
        out.refused = true;
    }
    if (j.contains("error")) {
        std::vector<std::string> codes;
        const Json& e = j["error"];
        if (e.is_string()) {
            std::string code;
            if (!name(e, join(path, "error"), error_names(), "error code", code)) return false;
            codes.push_back(code);
        } else if (!names(e, join(path, "error"), &error_names(), "error code", codes)) {
            return false;
        }
        if (codes.empty()) {
            return invalid(join(path, "error"), "name at least one error code");
        }
        for (const auto& c : codes) out.errors.push_back(*errc_named(c));
    }
    std::vector<std::string> list;
    if (j.contains("events")) {
        if (!names(j["events"], join(path, "events"), &event_names(), "event", list)) return false;
        out.events = list;
    }
    if (j.contains("events_include")
        && !names(j["events_include"], join(path, "events_include"), &event_names(), "event",
                  out.events_include)) {
        return false;
    }
    if (j.contains("effects")) {
        if (!names(j["effects"], join(path, "effects"), &effect_kinds(), "effect", list)) {
            return false;
        }
        out.effects = list;
    }
    if (j.contains("effects_include")
        && !names(j["effects_include"], join(path, "effects_include"), &effect_kinds(), "effect",
                  out.effects_include)) {
        return false;
    }
    if (j.contains("events_exclude")
        && !names(j["events_exclude"], join(path, "events_exclude"), &event_names(), "event",
                  out.events_exclude)) {
        return false;
    }
    if (j.contains("effects_exclude")
        && !names(j["effects_exclude"], join(path, "effects_exclude"), &effect_kinds(), "effect",
                  out.effects_exclude)) {
        return false;
    }
    if (j.contains("accounts") && !accounts(j["accounts"], join(path, "accounts"), out)) {
        return false;
    }
    if (j.contains("agencies") && !agencies(j["agencies"], join(path, "agencies"), out)) {
        return false;
    }
    if (j.contains("numbers") && !numbers(j["numbers"], join(path, "numbers"), out)) {
        return false;
    }
    return true;
}

bool Parser::optional_name(const Json& object, const std::string& path, const char* key,
                           const std::vector<std::string>& names, std::string_view what,
                           std::optional<std::string>& out) {
    if (!object.contains(key)) return true;
    std::string s;
    if (!name(object[key], join(path, key), names, what, s)) return false;
    out = std::move(s);
    return true;
}

bool Parser::optional_charges(const Json& object, const std::string& path,
                              std::optional<Charges>& out) {
    if (!object.contains("charges")) return true;
    Charges c;
    if (!charges(object["charges"], join(path, "charges"), c)) return false;
    out = c;
    return true;
}

bool Parser::accounts(const Json& j, const std::string& path, Expectation& out) {
    if (!j.is_object()) return wrong_type(j, path, "an object of account id: expectation");
    for (const auto& item : j.items()) {
        const std::string at = join(path, item.key());
        AccountId account;
        if (!id(item.key(), at, account)) return false;
        const Json& v = item.value();
        if (!v.is_object()) return wrong_type(v, at, "an object");
        if (!only_keys(v, at,
                       {"status", "data", "balance", "charges", "plan", "agency", "report_access",
                        "suspended_for_balance"})) {
            return false;
        }
        AccountExpectation e;
        if (!optional_name(v, at, "status", account_statuses(), "account status", e.status)
            || !optional_name(v, at, "data", data_statuses(), "data status", e.data)
            || !optional_name(v, at, "balance", balance_statuses(), "balance status", e.balance)
            || !optional_charges(v, at, e.charges)) {
            return false;
        }
        if (v.contains("plan")) {
            std::string plan;
            if (!text(v["plan"], join(at, "plan"), plan)) return false;
            e.plan = std::move(plan);
        }
        if (v.contains("agency")) {
            if (v["agency"].is_null()) {
                e.agency = std::optional<AgencyId>();
            } else {
                AgencyId agency;
                std::string text_id;
                if (!text(v["agency"], join(at, "agency"), text_id)
                    || !id(text_id, join(at, "agency"), agency)) {
                    return false;
                }
                e.agency = std::optional<AgencyId>(agency);
            }
        }
        if (v.contains("report_access")) {
            const Json& access = v["report_access"];
            if (!access.is_boolean()) {
                return wrong_type(access, join(at, "report_access"), "true or false");
            }
            e.report_access = access.get<bool>();
        }
        if (v.contains("suspended_for_balance")) {
            const Json& suspended = v["suspended_for_balance"];
            if (!suspended.is_boolean()) {
                return wrong_type(suspended, join(at, "suspended_for_balance"), "true or false");
            }
            e.suspended_for_balance = suspended.get<bool>();
        }
        out.accounts[account] = e;
    }
    return true;
}

bool Parser::agencies(const Json& j, const std::string& path, Expectation& out) {
    if (!j.is_object()) return wrong_type(j, path, "an object of agency id: expectation");
    for (const auto& item : j.items()) {
        const std::string at = join(path, item.key());
        AgencyId agency;
        if (!id(item.key(), at, agency)) return false;
        const Json& v = item.value();
        if (!v.is_object()) return wrong_type(v, at, "an object");
        if (!only_keys(v, at, {"status", "balance", "charges"})) return false;
        AgencyExpectation e;
        if (!optional_name(v, at, "status", agency_statuses(), "agency status", e.status)
            || !optional_name(v, at, "balance", balance_statuses(), "balance status", e.balance)
            || !optional_charges(v, at, e.charges)) {
            return false;
        }
        out.agencies[agency] = e;
    }
    return true;
}

bool Parser::numbers(const Json& j, const std::string& path, Expectation& out) {
    if (!j.is_object()) return wrong_type(j, path, "an object of number id: expectation");
    for (const auto& item : j.items()) {
        const std::string at = join(path, item.key());
        NumberId number;
        if (!id(item.key(), at, number)) return false;
        const Json& v = item.value();
        NumberExpectation e;
        if (v.is_string()) {  // the status alone
            std::string s;
            if (!name(v, at, number_statuses(), "number status", s)) return false;
            e.status = std::move(s);
        } else {
            if (!v.is_object()) {
                return wrong_type(v, at, "a number status or {\"status\", \"forwarding\"}");
            }
            if (!only_keys(v, at, {"status", "forwarding"})) return false;
            if (!optional_name(v, at, "status", number_statuses(), "number status", e.status)) {
                return false;
            }
            if (v.contains("forwarding")) {
                std::string text_number;
                if (!text(v["forwarding"], join(at, "forwarding"), text_number)) return false;
                auto forwarding = PhoneNumber::parse(text_number);
                if (!forwarding) {
                    return invalid(join(at, "forwarding"), forwarding.error().message() + "; got "
                                                               + in_quotes(text_number));
                }
                e.forwarding = forwarding.value();
            }
        }
        out.numbers[number] = std::move(e);
    }
    return true;
}

}  // namespace calltrack::cli::scenario_reader
