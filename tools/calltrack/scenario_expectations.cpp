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
                   {"error", "events", "events_include", "effects", "effects_include", "accounts",
                    "agencies", "numbers"})) {
        return false;
    }
    if (j.contains("error")) {
        if (kind == Step::Kind::advance) {
            return invalid(join(path, "error"), "an advance is never refused");
        }
        for (const char* key : {"events", "events_include", "effects", "effects_include"}) {
            if (j.contains(key)) {
                return invalid(join(path, key),
                               "a refused command has no events or effects; expect either "
                               "\"error\" or \""
                                   + std::string(key) + "\"");
            }
        }
        out.refused = true;
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
        if (!names(j["events"], join(path, "events"), nullptr, "event", list)) return false;
        out.events = list;
    }
    if (j.contains("events_include")
        && !names(j["events_include"], join(path, "events_include"), nullptr, "event",
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
        if (!only_keys(v, at, {"status", "data", "balance", "charges"})) return false;
        AccountExpectation e;
        if (!optional_name(v, at, "status", account_statuses(), "account status", e.status)
            || !optional_name(v, at, "data", data_statuses(), "data status", e.data)
            || !optional_name(v, at, "balance", balance_statuses(), "balance status", e.balance)
            || !optional_charges(v, at, e.charges)) {
            return false;
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
    if (!j.is_object()) return wrong_type(j, path, "an object of number id: status");
    for (const auto& item : j.items()) {
        const std::string at = join(path, item.key());
        NumberId number;
        if (!id(item.key(), at, number)) return false;
        std::string s;
        if (!name(item.value(), at, number_statuses(), "number status", s)) return false;
        out.numbers[number] = s;
    }
    return true;
}

}  // namespace calltrack::cli::scenario_reader
