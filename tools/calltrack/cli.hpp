#pragma once

// The `calltrack` command line, as a function tests can call: arguments in, text on two streams
// and an exit status out. main.cpp only adds the real streams and whether stderr is a terminal.
//
// Exit status: 0 success; 1 the work failed (an expectation not met, a command refused, a bad
// scenario, policy or database); 2 the command line itself is wrong (usage on stderr).

#include <calltrack/errors.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace calltrack::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;

struct Environment {
    /// Progress of long runs goes to stderr only when it is a terminal.
    bool stderr_is_terminal = false;
};

/// `args` excludes the program name.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const Environment& environment = {});

/// The --policy argument: a preset name ("ctm", "callrail", "smrtphone") or a policy file. `why`
/// receives the reason it cannot be used ("FILE: field: problem").
result<PolicyHistory> load_policy_argument(const std::string& argument, std::string* why = nullptr);

/// Whether this build has the SQLite store (and so a default database file).
bool has_sqlite() noexcept;

/// The database used without --db: "calltrack.db" with SQLite, ":memory:" without.
std::string default_database();

/// The file next to a database that records which policy `run` used, so that `check`,
/// `preview` and `advance` judge by the same rules: "<db>.policy.json".
std::string policy_sidecar(const std::string& database);

}  // namespace calltrack::cli
