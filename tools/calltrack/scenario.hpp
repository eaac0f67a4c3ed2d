#pragma once

// A scenario file, read into values: the policy, the start time, the actors and their grants,
// the setup commands, and the timed steps with what each is expected to do. docs/scenarios.md
// describes the format. Reading checks everything that can be checked without running it (the
// JSON, every command, every time, every actor named, every expectation), so a bad file is refused
// before anything is written.

#include <calltrack/actor.hpp>
#include <calltrack/clock.hpp>
#include <calltrack/command.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace calltrack::cli {

/// Where a scenario is wrong, for a person to fix. `field` is a JSON path such as
/// "steps[2].command.phone_number" (empty for the text as a whole); `location` names the entry in
/// words ("step 3", "setup 2", "actor alice"; empty at the top level); `problem` says what is
/// wrong.
struct ScenarioDiagnostic {
    std::string field;
    std::string location;
    std::string problem;
};

/// "step 3: steps[2].command.phone_number: <problem>", leaving out what is empty.
std::string to_string(const ScenarioDiagnostic& diagnostic);

/// The name every scenario can use for the platform's support staff. Its grant is given to the
/// engine directly as an Actor value (it is how the world gets built), never stored.
inline constexpr std::string_view support_actor = "support";

/// The built-in support actor.
Actor support_actor_value();

/// A preset's name, a policy document or a history document (one Policy is a history of one
/// version), or nothing (the command line must name one).
using PolicySource = std::variant<std::monostate, std::string, PolicyHistory>;

struct ActorSpec {
    std::string name;
    std::vector<RoleGrant> grants;
    std::string field;  ///< "actors.alice"
};

/// What the state must be after a step, checked through the engine's queries. Every member that is
/// set must match; the strings are the to_string names of the values.
struct AccountExpectation {
    std::optional<std::string> status;   ///< AccountStatus
    std::optional<std::string> data;     ///< DataStatus
    std::optional<std::string> balance;  ///< BalanceStatus
    std::optional<Charges> charges;
    std::optional<std::string> plan;  ///< the plan's name
    /// The agency it belongs to; a set nullopt: standalone.
    std::optional<std::optional<AgencyId>> agency;
    std::optional<bool> report_access;
    std::optional<bool> suspended_for_balance;
};
/// A tracking number after a step: its status, its forwarding destination, or both.
struct NumberExpectation {
    std::optional<std::string> status;  ///< NumberStatus
    std::optional<PhoneNumber> forwarding;
};
struct AgencyExpectation {
    std::optional<std::string> status;   ///< AgencyStatus
    std::optional<std::string> balance;  ///< BalanceStatus
    std::optional<Charges> charges;
};

struct Expectation {
    /// "ok": the command is allowed (for an advance: always true). Refused: it must be refused,
    /// with every code in `errors` among the reasons (none named: for any reason).
    bool refused = false;
    std::vector<errc> errors;
    /// The event names, exactly and in order.
    std::optional<std::vector<std::string>> events;
    /// Event names that must each appear (in any order, among others).
    std::vector<std::string> events_include;
    /// The host effect kinds, exactly and in order.
    std::optional<std::vector<std::string>> effects;
    /// Effect kinds that must each appear.
    std::vector<std::string> effects_include;
    /// Event names and effect kinds that must not appear.
    std::vector<std::string> events_exclude;
    std::vector<std::string> effects_exclude;
    std::map<AccountId, AccountExpectation> accounts;
    std::map<AgencyId, AgencyExpectation> agencies;
    std::map<NumberId, NumberExpectation> numbers;
};

/// "ok", "refused with window_closed", "events [a, b]", ... for timelines.
std::string to_string(const Expectation& expectation);

struct SetupEntry {
    std::string label;  ///< "setup 2", or "actor alice" for a generated grant
    std::string field;  ///< "setup[1]" or "actors.alice[0]"
    Command command;
};

struct Step {
    enum class Kind { command, advance };

    std::size_t number = 0;  ///< from 1
    std::string field;       ///< "steps[0]"
    Kind kind = Kind::command;
    Time at;
    std::string actor;  ///< for a command
    Command command;    ///< for a command
    std::string note;
    /// The default expectation ("ok" when the file gives none).
    Expectation expect;
    /// Overrides by policy name ("ctm", "callrail", "smrtphone" or a custom policy's name).
    std::map<std::string, Expectation> expect_by_policy;

    /// The expectation that applies under the named policy.
    const Expectation& expectation_for(const std::string& policy_name) const;
};

struct Scenario {
    std::string title;
    PolicySource policy;
    Time start;
    std::vector<ActorSpec> actors;  ///< in the order the file declares them
    std::vector<SetupEntry> setup;  ///< the file's setup commands, then one GrantRole per grant
    std::vector<Step> steps;
};

/// Reads a scenario document. Errors are errc::json_malformed, json_unknown_field or
/// json_invalid_field, with `diagnostic` filled when given.
result<Scenario> parse_scenario(std::string_view json, ScenarioDiagnostic* diagnostic = nullptr);

/// The to_string name of every errc, in declaration order.
const std::vector<std::string>& error_names();

}  // namespace calltrack::cli
