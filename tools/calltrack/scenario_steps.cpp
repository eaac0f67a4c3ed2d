// The scenario reader's document: its title and policy, the actors and their grants, the setup
// commands and the timed steps, in the order the file gives them. What a step must then produce
// is read by scenario_expectations.cpp; the two are apart so that each is short enough to read
// whole.

#include "scenario_reader.hpp"

#include <calltrack/json.hpp>

#include <algorithm>
#include <utility>

namespace calltrack::cli::scenario_reader {

bool Parser::scenario(const Json& j, Scenario& out) {
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

bool Parser::policy(const Json& j, PolicySource& out) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (!policies::by_name(s)) {
            static const std::vector<std::string> presets = {"callrail", "ctm", "smrtphone"};
            return invalid("policy", "unknown preset " + in_quotes(s) + "; " + suggest(s, presets));
        }
        out = s;
        return true;
    }
    if (!j.is_object()) {
        return wrong_type(j, "policy", "a preset name, a policy object or a history object");
    }
    PolicyDiagnostic d;
    auto parsed = policy_history_from_json(j.dump(), &d);
    if (!parsed) {
        return refuse(errc::json_invalid_field, join("policy", d.field),
                      d.problem.empty() ? parsed.error().message() : d.problem);
    }
    out = std::move(parsed).value();
    return true;
}

bool Parser::actors(const Json& j, std::vector<ActorSpec>& out) {
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
        // Read by the library's own grant reader, as a grant_role command's grant is, so the two
        // accept the same text and refuse the same mistakes alike.
        JsonDiagnostic d;
        auto parsed = grants_from_json(grants.dump(), &d);
        if (!parsed) {
            return refuse(static_cast<errc>(parsed.error().value()), path + d.field, d.problem);
        }
        // Whether the policy declares each role, on that scope, is the core's to say when the
        // grant is given as a setup command: the policy may be named only on the command line.
        actor.grants = std::move(parsed).value();
        if (actor.name == support_actor
            && actor.grants != std::vector<RoleGrant>{RoleGrant{Role::support, Platform{}}}) {
            return invalid(path,
                           "the actor \"support\" is the platform's support staff; declare it "
                           "as [{\"role\": \"support\", \"scope\": \"platform\"}] or leave it "
                           "out");
        }
        out.push_back(std::move(actor));
    }
    locate({});
    return true;
}

bool Parser::setup(const Json& j, std::vector<SetupEntry>& out) {
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

bool Parser::grants_as_setup(const std::vector<ActorSpec>& actors, std::vector<SetupEntry>& out) {
    for (const auto& actor : actors) {
        if (actor.name == support_actor) continue;
        for (std::size_t i = 0; i < actor.grants.size(); ++i) {
            out.push_back(SetupEntry{"actor " + actor.name, indexed(actor.field, i),
                                     commands::GrantRole{UserId(actor.name), actor.grants[i]}});
        }
    }
    return true;
}

bool Parser::steps(const Json& j, Scenario& out) {
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
            return invalid(join(s.field, "at"), format_time(s.at) + " is earlier than "
                                                    + previous_name + " (" + format_time(previous)
                                                    + "); time never goes backwards");
        }
        previous = s.at;
        previous_name = "step " + std::to_string(s.number);
        out.steps.push_back(std::move(s));
    }
    locate({});
    return true;
}

bool Parser::step(const Json& j, const Scenario& scenario, Time previous, Step& s) {
    if (!j.is_object()) return wrong_type(j, s.field, "a step object");
    if (!only_keys(j, s.field,
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
            return invalid(join(s.field, "actor"), "missing key \"actor\"; a command needs one");
        }
        if (!text(j["actor"], join(s.field, "actor"), s.actor)) return false;
        if (!is_declared(scenario, s.actor)) {
            std::vector<std::string> declared{std::string(support_actor)};
            for (const auto& a : scenario.actors) {
                if (a.name != support_actor) declared.push_back(a.name);
            }
            return invalid(join(s.field, "actor"), "unknown actor " + in_quotes(s.actor) + "; "
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

bool Parser::is_declared(const Scenario& scenario, const std::string& name) {
    if (name == support_actor) return true;
    return std::any_of(scenario.actors.begin(), scenario.actors.end(),
                       [&](const ActorSpec& a) { return a.name == name; });
}

}  // namespace calltrack::cli::scenario_reader
