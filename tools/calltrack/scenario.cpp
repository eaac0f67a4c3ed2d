#include "scenario.hpp"

#include <calltrack/account.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/json.hpp>
#include <calltrack/tracking_number.hpp>

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <utility>

namespace calltrack::cli {
namespace {

using Json = nlohmann::ordered_json;
using calltrack::detail::describe_type;
using calltrack::detail::in_quotes;
using calltrack::detail::indexed;
using calltrack::detail::join;

/// Every value of an enumeration that runs from 0 to `last`, by name.
template <class E>
std::vector<std::string> names_up_to(E last) {
    std::vector<std::string> names;
    for (int i = 0; i <= static_cast<int>(last); ++i) {
        names.emplace_back(to_string(static_cast<E>(i)));
    }
    return names;
}

const std::vector<std::string>& account_statuses() {
    static const auto names = names_up_to(AccountStatus::closed);
    return names;
}
const std::vector<std::string>& data_statuses() {
    static const auto names = names_up_to(DataStatus::purged);
    return names;
}
const std::vector<std::string>& balance_statuses() {
    static const auto names = names_up_to(BalanceStatus::forfeited);
    return names;
}
const std::vector<std::string>& agency_statuses() {
    static const auto names = names_up_to(AgencyStatus::closed);
    return names;
}
const std::vector<std::string>& number_statuses() {
    static const auto names = names_up_to(NumberStatus::ported_out);
    return names;
}
const std::vector<std::string>& effect_kinds() {
    static const auto names = names_up_to(EffectKind::port_out_number);
    return names;
}
const std::vector<std::string>& error_names() {
    static const auto names = [] {
        std::vector<std::string> all;
        for (int i = errc_first; i <= errc_last; ++i) {
            all.emplace_back(calltrack::to_string(static_cast<errc>(i)));
        }
        return all;
    }();
    return names;
}

/// Edits between two short names: insertions, deletions, substitutions, and swaps of two
/// neighbouring letters ("sma" is one edit from "sam").
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t k = 0; k <= b.size(); ++k) d[0][k] = k;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t k = 1; k <= b.size(); ++k) {
            const std::size_t cost = a[i - 1] == b[k - 1] ? 0U : 1U;
            d[i][k] = std::min({d[i - 1][k] + 1, d[i][k - 1] + 1, d[i - 1][k - 1] + cost});
            if (i > 1 && k > 1 && a[i - 1] == b[k - 2] && a[i - 2] == b[k - 1]) {
                d[i][k] = std::min(d[i][k], d[i - 2][k - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

/// "did you mean "x"?" for a near miss (at most two edits), otherwise the whole list when it is
/// short, otherwise nothing.
template <class Names>
std::string suggest(std::string_view got, const Names& names) {
    std::string best;
    std::size_t best_distance = got.size() <= 5 ? 2 : 3;
    for (const auto& candidate : names) {
        const std::size_t d = edit_distance(got, candidate);
        if (d < best_distance) {
            best = std::string(candidate);
            best_distance = d;
        }
    }
    if (!best.empty()) return "; did you mean " + in_quotes(best) + "?";
    if (std::size(names) > 12) return {};
    std::string list = "; expected one of ";
    bool first = true;
    for (const auto& candidate : names) {
        if (!first) list += ", ";
        list += in_quotes(candidate);
        first = false;
    }
    return list;
}

/// "step 3" for the parts of "steps[2].command", "setup 1" for "setup[0]", "actor alice" for
/// "actors.alice[0]": the entry a path found while parsing lies in. Built from the parts, never
/// from the path's text, where a key "steps[1]" would read as a step.
std::string location_of(const std::vector<calltrack::detail::PathPart>& parts) {
    if (parts.size() < 2 || parts[0].index) return {};
    if (parts[0].key == "steps" && parts[1].index)
        return "step " + std::to_string(*parts[1].index + 1);
    if (parts[0].key == "setup" && parts[1].index) {
        return "setup " + std::to_string(*parts[1].index + 1);
    }
    if (parts[0].key == "actors" && !parts[1].index) return "actor " + parts[1].key;
    return {};
}

/// Reads the document; every method returns false after recording the first thing wrong.
class Parser {
  public:
    explicit Parser(ScenarioDiagnostic* diagnostic) : diagnostic_(diagnostic) {}

    errc error() const noexcept { return error_; }

    /// The entry the parser is reading now ("step 3", "setup 1", "actor alice"), named in every
    /// refusal; empty outside the entries.
    void locate(std::string location) { location_ = std::move(location); }

    bool refuse(errc code, const std::string& field, std::string problem) {
        return refuse(code, field, location_, std::move(problem));
    }
    bool refuse(errc code, const std::string& field, const std::string& location,
                std::string problem) {
        if (error_ == errc{}) {
            error_ = code;
            if (diagnostic_ != nullptr) {
                diagnostic_->field = field;
                diagnostic_->location = location;
                diagnostic_->problem = std::move(problem);
            }
        }
        return false;
    }
    bool invalid(const std::string& field, std::string problem) {
        return refuse(errc::json_invalid_field, field, std::move(problem));
    }
    bool wrong_type(const Json& j, const std::string& field, std::string_view expected) {
        return invalid(field, "expected " + std::string(expected) + ", got " + describe_type(j));
    }

    /// Every key of `j` is one of `keys`.
    bool only_keys(const Json& j, const std::string& path,
                   std::initializer_list<std::string> keys) {
        for (const auto& item : j.items()) {
            if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
                return refuse(errc::json_unknown_field, join(path, item.key()),
                              "unknown key " + in_quotes(item.key()) + suggest(item.key(), keys));
            }
        }
        return true;
    }

    bool text(const Json& j, const std::string& field, std::string& out) {
        if (!j.is_string()) return wrong_type(j, field, "a string");
        out = j.get<std::string>();
        return true;
    }

    bool time(const Json& j, const std::string& field, Time& out) {
        if (!j.is_string())
            return wrong_type(j, field, "a UTC time such as \"2024-03-01T09:00:00Z\"");
        const auto& s = j.get_ref<const std::string&>();
        auto parsed = parse_time(s);
        if (!parsed) return invalid(field, parsed.error().message() + "; got " + in_quotes(s));
        out = parsed.value();
        return true;
    }

    /// One of `names`.
    bool name(const Json& j, const std::string& field, const std::vector<std::string>& names,
              std::string_view what, std::string& out) {
        if (!j.is_string()) return wrong_type(j, field, "a " + std::string(what) + " name");
        const auto& s = j.get_ref<const std::string&>();
        if (std::find(names.begin(), names.end(), s) == names.end()) {
            return invalid(field,
                           "unknown " + std::string(what) + " " + in_quotes(s) + suggest(s, names));
        }
        out = s;
        return true;
    }

    bool names(const Json& j, const std::string& field, const std::vector<std::string>* allowed,
               std::string_view what, std::vector<std::string>& out) {
        if (!j.is_array())
            return wrong_type(j, field, "an array of " + std::string(what) + " names");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            std::string s;
            if (allowed != nullptr) {
                if (!name(j[i], indexed(field, i), *allowed, what, s)) return false;
            } else if (!text(j[i], indexed(field, i), s)) {
                return false;
            }
            out.push_back(std::move(s));
        }
        return true;
    }

    bool charges(const Json& j, const std::string& field, Charges& out) {
        if (!j.is_array()) return wrong_type(j, field, "an array of charge names");
        std::vector<std::string> known;
        for (const Charge c : all_charges) known.emplace_back(to_string(c));
        out = Charges{};
        for (std::size_t i = 0; i < j.size(); ++i) {
            std::string s;
            if (!name(j[i], indexed(field, i), known, "charge", s)) return false;
            for (const Charge c : all_charges) {
                if (to_string(c) == s) out.insert(c);
            }
        }
        return true;
    }

    template <class Id>
    bool id(const std::string& text_value, const std::string& field, Id& out) {
        auto parsed = Id::parse(text_value);
        if (!parsed) {
            return invalid(field, parsed.error().message() + "; got " + in_quotes(text_value));
        }
        out = std::move(parsed).value();
        return true;
    }

    /// A command object, read by calltrack's own command reader; its diagnostic's field is put
    /// under `field`.
    bool command(const Json& j, const std::string& field, Command& out) {
        if (!j.is_object()) {
            return wrong_type(j, field,
                              "a command object such as {\"command\": \"cancel_account\", ...}");
        }
        JsonDiagnostic d;
        auto parsed = command_from_json(j.dump(), &d);
        if (!parsed) {
            return refuse(static_cast<errc>(parsed.error().value()),
                          d.field.empty() ? field : join(field, d.field), d.problem);
        }
        out = std::move(parsed).value();
        return true;
    }

    // --- the document ------------------------------------------------------------------------

    bool scenario(const Json& j, Scenario& out) {
        if (!j.is_object()) return wrong_type(j, "", "a scenario object");
        if (!only_keys(j, "",
                       {"title", "description", "policy", "start", "actors", "setup", "steps"})) {
            return false;
        }
        if (j.contains("title") && !text(j["title"], "title", out.title)) return false;
        std::string ignored;
        if (j.contains("description") && !text(j["description"], "description", ignored)) {
            return false;
        }
        if (j.contains("policy") && !policy(j["policy"], out.policy)) return false;
        if (!j.contains("start")) return invalid("start", "missing key \"start\"; it is required");
        if (!time(j["start"], "start", out.start)) return false;
        if (j.contains("actors") && !actors(j["actors"], out.actors)) return false;
        if (j.contains("setup") && !setup(j["setup"], out.setup)) return false;
        if (!grants_as_setup(out.actors, out.setup)) return false;
        if (!j.contains("steps")) return invalid("steps", "missing key \"steps\"; it is required");
        return steps(j["steps"], out);
    }

    bool policy(const Json& j, PolicySource& out) {
        if (j.is_string()) {
            const auto& s = j.get_ref<const std::string&>();
            if (!policies::by_name(s)) {
                static const std::vector<std::string> presets = {"callrail", "ctm", "smrtphone"};
                return invalid("policy", "unknown preset " + in_quotes(s) + suggest(s, presets));
            }
            out = s;
            return true;
        }
        if (!j.is_object()) {
            return wrong_type(j, "policy", "a preset name or a policy object");
        }
        PolicyDiagnostic d;
        auto parsed = policy_from_json(j.dump(), &d);
        if (!parsed) {
            return refuse(errc::json_invalid_field, join("policy", d.field),
                          d.problem.empty() ? parsed.error().message() : d.problem);
        }
        out = std::move(parsed).value();
        return true;
    }

    bool actors(const Json& j, std::vector<ActorSpec>& out) {
        if (!j.is_object()) return wrong_type(j, "actors", "an object of actor name: [grants]");
        for (const auto& item : j.items()) {
            const std::string path = join("actors", item.key());
            locate("actor " + item.key());
            ActorSpec actor;
            actor.name = item.key();
            actor.field = path;
            UserId user;
            if (!id(item.key(), path, user)) return false;
            const Json& grants = item.value();
            if (!grants.is_array()) return wrong_type(grants, path, "an array of grants");
            for (std::size_t i = 0; i < grants.size(); ++i) {
                RoleGrant grant{Role::support, Platform{}};
                if (!role_grant(grants[i], indexed(path, i), grant)) return false;
                actor.grants.push_back(std::move(grant));
            }
            if (actor.name == support_actor
                && actor.grants != std::vector<RoleGrant>{RoleGrant{Role::support, Platform{}}}) {
                return invalid(path,
                               "the actor \"support\" is the platform's support staff; declare it "
                               "as [{\"role\": \"support\"}] or leave it out");
            }
            out.push_back(std::move(actor));
        }
        locate({});
        return true;
    }

    /// {"role": "administrator", "account": "acme"}, {"role": "agency_administrator", "agency":
    /// "acme"}, or {"role": "support"} (the platform).
    bool role_grant(const Json& j, const std::string& path, RoleGrant& out) {
        if (!j.is_object()) {
            return wrong_type(j, path,
                              "a grant such as {\"role\": \"administrator\", \"account\": "
                              "\"acme\"}");
        }
        if (!only_keys(j, path, {"role", "account", "agency"})) return false;
        if (!j.contains("role")) {
            return invalid(join(path, "role"), "missing key \"role\"; it is required");
        }
        std::string role_name;
        std::vector<std::string> roles;
        for (const Role r : all_roles) roles.emplace_back(to_string(r));
        if (!name(j["role"], join(path, "role"), roles, "role", role_name)) return false;
        out.role = parse_role(role_name).value();
        if (j.contains("account") && j.contains("agency")) {
            return invalid(path, "a grant has one scope: \"account\" or \"agency\", not both");
        }
        std::string scope;
        if (j.contains("account")) {
            AccountId account;
            if (!text(j["account"], join(path, "account"), scope)
                || !id(scope, join(path, "account"), account)) {
                return false;
            }
            out.scope = std::move(account);
        } else if (j.contains("agency")) {
            AgencyId agency;
            if (!text(j["agency"], join(path, "agency"), scope)
                || !id(scope, join(path, "agency"), agency)) {
                return false;
            }
            out.scope = std::move(agency);
        } else {
            out.scope = Platform{};
        }
        const bool on_platform = std::holds_alternative<Platform>(out.scope);
        if ((out.role == Role::support) != on_platform) {
            return invalid(path, out.role == Role::support
                                     ? "the support role is platform-wide; give it no account or "
                                       "agency"
                                     : "this role needs a scope: \"account\" or \"agency\"");
        }
        return true;
    }

    bool setup(const Json& j, std::vector<SetupEntry>& out) {
        if (!j.is_array()) return wrong_type(j, "setup", "an array of commands");
        for (std::size_t i = 0; i < j.size(); ++i) {
            SetupEntry entry{"setup " + std::to_string(i + 1), indexed("setup", i), Command{}};
            locate(entry.label);
            if (!command(j[i], entry.field, entry.command)) return false;
            out.push_back(std::move(entry));
        }
        locate({});
        return true;
    }

    /// Each declared grant becomes a GrantRole command, run as support after the file's setup.
    bool grants_as_setup(const std::vector<ActorSpec>& actors, std::vector<SetupEntry>& out) {
        for (const auto& actor : actors) {
            if (actor.name == support_actor) continue;
            for (std::size_t i = 0; i < actor.grants.size(); ++i) {
                out.push_back(SetupEntry{"actor " + actor.name, indexed(actor.field, i),
                                         commands::GrantRole{UserId(actor.name), actor.grants[i]}});
            }
        }
        return true;
    }

    bool steps(const Json& j, Scenario& out) {
        if (!j.is_array()) return wrong_type(j, "steps", "an array of steps");
        Time previous = out.start;
        std::string previous_name = "the start";
        for (std::size_t i = 0; i < j.size(); ++i) {
            Step s;
            s.number = i + 1;
            s.field = indexed("steps", i);
            locate("step " + std::to_string(s.number));
            if (!step(j[i], out, previous, s)) return false;
            if (s.at < previous) {
                return invalid(join(s.field, "at"),
                               format_time(s.at) + " is earlier than " + previous_name + " ("
                                   + format_time(previous) + "); time never goes backwards");
            }
            previous = s.at;
            previous_name = "step " + std::to_string(s.number);
            out.steps.push_back(std::move(s));
        }
        locate({});
        return true;
    }

    bool step(const Json& j, const Scenario& scenario, Time previous, Step& s) {
        if (!j.is_object()) return wrong_type(j, s.field, "a step object");
        if (!only_keys(
                j, s.field,
                {"at", "actor", "command", "advance", "note", "expect", "expect_by_policy"})) {
            return false;
        }
        s.at = previous;
        if (j.contains("at") && !time(j["at"], join(s.field, "at"), s.at)) return false;
        if (j.contains("note") && !text(j["note"], join(s.field, "note"), s.note)) return false;
        const bool has_command = j.contains("command");
        const bool has_advance = j.contains("advance");
        if (has_command == has_advance) {
            return invalid(s.field, "a step has exactly one of \"command\" or \"advance\"");
        }
        if (has_advance) {
            s.kind = Step::Kind::advance;
            if (!j["advance"].is_boolean() || !j["advance"].get<bool>()) {
                return invalid(join(s.field, "advance"), "write \"advance\": true");
            }
            if (j.contains("actor")) {
                return invalid(join(s.field, "actor"),
                               "an advance has no actor: deadlines fire on their own");
            }
        } else {
            s.kind = Step::Kind::command;
            if (!j.contains("actor")) {
                return invalid(join(s.field, "actor"),
                               "missing key \"actor\"; a command needs one");
            }
            if (!text(j["actor"], join(s.field, "actor"), s.actor)) return false;
            if (!is_declared(scenario, s.actor)) {
                std::vector<std::string> declared{std::string(support_actor)};
                for (const auto& a : scenario.actors) {
                    if (a.name != support_actor) declared.push_back(a.name);
                }
                return invalid(join(s.field, "actor"), "unknown actor " + in_quotes(s.actor)
                                                           + suggest(s.actor, declared)
                                                           + " (declare it under \"actors\")");
            }
            if (!command(j["command"], join(s.field, "command"), s.command)) return false;
        }
        if (j.contains("expect")
            && !expectation(j["expect"], join(s.field, "expect"), s.kind, s.expect)) {
            return false;
        }
        if (j.contains("expect_by_policy")) {
            const Json& by = j["expect_by_policy"];
            const std::string path = join(s.field, "expect_by_policy");
            if (!by.is_object()) {
                return wrong_type(by, path, "an object of policy name: expectation");
            }
            for (const auto& item : by.items()) {
                Expectation e;
                if (!expectation(item.value(), join(path, item.key()), s.kind, e)) return false;
                s.expect_by_policy.emplace(item.key(), std::move(e));
            }
        }
        return true;
    }

    static bool is_declared(const Scenario& scenario, const std::string& name) {
        if (name == support_actor) return true;
        return std::any_of(scenario.actors.begin(), scenario.actors.end(),
                           [&](const ActorSpec& a) { return a.name == name; });
    }

    bool expectation(const Json& j, const std::string& path, Step::Kind kind, Expectation& out) {
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
                       {"error", "events", "events_include", "effects", "effects_include",
                        "accounts", "agencies", "numbers"})) {
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
            for (const auto& c : codes) out.errors.push_back(*errc_from_name(c));
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
            && !names(j["effects_include"], join(path, "effects_include"), &effect_kinds(),
                      "effect", out.effects_include)) {
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

    /// The optional key `key` of `object`: absent leaves `out` empty, present must be one of
    /// `names`.
    bool optional_name(const Json& object, const std::string& path, const char* key,
                       const std::vector<std::string>& names, std::string_view what,
                       std::optional<std::string>& out) {
        if (!object.contains(key)) return true;
        std::string s;
        if (!name(object[key], join(path, key), names, what, s)) return false;
        out = std::move(s);
        return true;
    }

    bool optional_charges(const Json& object, const std::string& path,
                          std::optional<Charges>& out) {
        if (!object.contains("charges")) return true;
        Charges c;
        if (!charges(object["charges"], join(path, "charges"), c)) return false;
        out = c;
        return true;
    }

    bool accounts(const Json& j, const std::string& path, Expectation& out) {
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

    bool agencies(const Json& j, const std::string& path, Expectation& out) {
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

    bool numbers(const Json& j, const std::string& path, Expectation& out) {
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

  private:
    ScenarioDiagnostic* diagnostic_;
    errc error_{};
    std::string location_;
};

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

}  // namespace

std::string to_string(const ScenarioDiagnostic& d) {
    std::string out;
    if (!d.location.empty()) out += d.location + ": ";
    if (!d.field.empty()) out += d.field + ": ";
    out += d.problem;
    return out;
}

Actor support_actor_value() {
    return Actor{UserId(std::string(support_actor)), {RoleGrant{Role::support, Platform{}}}};
}

std::optional<errc> errc_from_name(std::string_view name) {
    for (int i = errc_first; i <= errc_last; ++i) {
        if (calltrack::to_string(static_cast<errc>(i)) == name) return static_cast<errc>(i);
    }
    return std::nullopt;
}

std::string to_string(const Expectation& e) {
    std::vector<std::string> parts;
    if (e.refused) {
        std::vector<std::string> codes;
        for (const errc c : e.errors) codes.emplace_back(calltrack::to_string(c));
        parts.push_back("refused with " + join_names(codes));
    }
    if (e.events) parts.push_back("events [" + join_names(*e.events) + "]");
    if (!e.events_include.empty()) {
        parts.push_back("events including [" + join_names(e.events_include) + "]");
    }
    if (e.effects) parts.push_back("effects [" + join_names(*e.effects) + "]");
    if (!e.effects_include.empty()) {
        parts.push_back("effects including [" + join_names(e.effects_include) + "]");
    }
    const std::size_t states = e.accounts.size() + e.agencies.size() + e.numbers.size();
    if (states != 0) {
        parts.push_back(std::to_string(states) + (states == 1 ? " state check" : " state checks"));
    }
    if (parts.empty()) return "ok";
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

const Expectation& Step::expectation_for(const std::string& policy_name) const {
    const auto it = expect_by_policy.find(policy_name);
    return it == expect_by_policy.end() ? expect : it->second;
}

result<Scenario> parse_scenario(std::string_view json, ScenarioDiagnostic* diagnostic) {
    Parser parser(diagnostic);
    Json document;
    if (const auto failure = calltrack::detail::parse_document(json, document)) {
        using Kind = calltrack::detail::ParseFailure::Kind;
        switch (failure->kind) {
            case Kind::not_json:
                parser.refuse(errc::json_malformed, "", "not valid JSON: " + failure->problem);
                break;
            case Kind::number_out_of_range:
                parser.refuse(errc::json_invalid_field, failure->field, location_of(failure->parts),
                              failure->problem);
                break;
            case Kind::duplicate_key:
                parser.refuse(errc::json_malformed, failure->field, location_of(failure->parts),
                              failure->problem);
                break;
        }
        return parser.error();
    }
    Scenario scenario;
    if (!parser.scenario(document, scenario)) return parser.error();
    return scenario;
}

}  // namespace calltrack::cli
