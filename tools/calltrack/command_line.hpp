#pragma once

// The parts of the `calltrack` command line that its files share: the parsed arguments and the
// usage error, the opened database, and the subcommands run_cli dispatches to. The command line
// is split into argument parsing (arguments.cpp), database opening (database.cpp) and the
// subcommands (subcommands.cpp), because each changes for its own reason: a new flag, a new
// store, a new question asked of the engine.

#include "cli.hpp"

#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/store.hpp>

#if CALLTRACK_CLI_HAS_SQLITE
#include <calltrack/sqlite_store.hpp>
#endif
#if CALLTRACK_CLI_HAS_POSTGRES
#include <calltrack/postgres_store.hpp>
#endif

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack::cli::command_line {

inline constexpr std::string_view memory_database = ":memory:";

// --- arguments (arguments.cpp) -------------------------------------------------------------------

struct UsageError {
    std::string message;
    std::string_view help;
};

/// Flags after the subcommand: "--name value", "--name=value", or a switch; the rest positional.
struct Arguments {
    std::map<std::string, std::string> values;
    std::set<std::string> switches;
    std::vector<std::string> positional;
    bool help = false;

    std::optional<std::string> value(const std::string& name) const {
        const auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    bool has(const std::string& name) const { return switches.count(name) != 0; }
};

std::optional<UsageError> parse_arguments(const std::vector<std::string>& args, std::size_t from,
                                          const std::set<std::string>& with_value,
                                          const std::set<std::string>& switches,
                                          std::string_view help, Arguments& out);

int usage(std::ostream& err, const UsageError& e);

/// Prints "calltrack: MESSAGE" on err and returns exit_failed.
int fail(std::ostream& err, const std::string& message);

/// Reads a subcommand's arguments. Returns the exit code when nothing more is to be done: the
/// usage was wrong (said on err), or --help asked for the help (printed on out).
std::optional<int> read_arguments(const std::vector<std::string>& all,
                                  const std::set<std::string>& with_value,
                                  const std::set<std::string>& switches, std::string_view help,
                                  std::ostream& out, std::ostream& err, Arguments& args);

std::optional<std::string> read_file(const std::string& path, std::string* why);

// --- policy files (policy_files.cpp) -------------------------------------------------------------

/// The policy in `text`, read from the file `path`: an "extends" that names no preset is a file
/// relative to the directory of the file that says it. `why` receives "FILE: field: problem".
result<Policy> policy_from_file(const std::string& path, const std::string& text, std::string* why);

/// A preset's name, or a policy file read as policy_from_file reads it; `unreadable` is added to
/// `why` when the file cannot be read.
result<Policy> load_preset_or_file(const std::string& argument, std::string* why,
                                   std::string_view unreadable = {});

/// Whether `text` is a history document ({"versions": [...]}) rather than one policy's.
bool is_history_document(std::string_view text);

/// The versions in `text`, read from the file `path`: a history document (each version's policy
/// may extend a preset), or one policy document as policy_from_file reads it.
result<PolicyHistory> history_from_file(const std::string& path, const std::string& text,
                                        std::string* why);

/// The document of `history`: one version as the policy document it is (as a run recorded it before
/// versions existed), more as a history document.
std::string history_document(const PolicyHistory& history);

/// A preset's name (one policy, as policies::by_name gives it), or a policy or history file;
/// `unreadable` is added to `why` when the file cannot be read.
result<PolicyHistory> load_preset_or_history(const std::string& argument, std::string* why,
                                             std::string_view unreadable = {});

// --- stores (database.cpp) -----------------------------------------------------------------------

struct OpenedStore {
    std::unique_ptr<Store> store;
    std::string description;
    std::optional<std::string> path;  ///< a database file; nullopt in memory
#if CALLTRACK_CLI_HAS_SQLITE
    SqliteStore* sqlite = nullptr;  ///< the same store, when it is a SQLite file
#endif
#if CALLTRACK_CLI_HAS_POSTGRES
    PostgresStore* postgres = nullptr;  ///< the same store, when it is a PostgreSQL schema
#endif
};

bool is_memory(const std::string& database);
/// A PostgreSQL connection URI (postgresql://... or postgres://...), optionally ending in
/// #SCHEMA: the schema that holds the store (default "calltrack"), which libpq never sees.
bool is_postgres(const std::string& database);

/// Opens the database; `must_exist` refuses a file that is not there yet (check, preview and
/// advance never create one).
std::optional<OpenedStore> open_database(const std::string& database, bool must_exist,
                                         std::string* why);

/// Empties a previous calltrack database for --fresh, in one transaction. The file is never
/// deleted: another process may have it open, and removing it (or its -wal and -shm files) under
/// that process would lose what it writes. A file that is not a calltrack database is left as it
/// is.
bool empty_database(const std::string& database, std::string* why);

/// How many events the store holds, up to 2 (enough to tell empty from not).
result<std::size_t> events_held(Store& store);

/// The policy for a database: --policy, else the one `run` recorded beside it.
std::optional<PolicyHistory> database_policy(const Arguments& args, const std::string& database,
                                             std::string* why);

// --- subcommands (subcommands.cpp) ---------------------------------------------------------------

int run_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err,
                const Environment& env);

/// check, preview and execute: the same arguments, a different question (execute also takes an
/// idempotency key).
enum class Judgement { check, preview, execute };
int judge_command(const std::vector<std::string>& all, Judgement mode, std::ostream& out,
                  std::ostream& err);

int advance_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);

/// history: one event stream; effects: the outbox, optionally acknowledging first.
// Reading a database back (inspect.cpp): one stream's events with who acted, the outbox, the
// audit trail's verification, and a record or the deadlines as of any instant.
int history_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);
int effects_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);
int verify_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);
/// The state as of any instant, replayed from the events (calltrack/replay.hpp).
int show_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);
int deadlines_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);

int policy_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);

// --- compare (compare_command.cpp) ---------------------------------------------------------------

/// One scenario under several policies, side by side (compare.hpp).
int compare_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err);

}  // namespace calltrack::cli::command_line
