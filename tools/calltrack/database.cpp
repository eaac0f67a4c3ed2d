// The command line's database handling: opening the store --db names (a SQLite file, a
// PostgreSQL schema, or memory), emptying it for --fresh, and finding the policy recorded beside
// it. Every subcommand but policy
// opens a database the same way, and most of what depends on whether this build has SQLite is
// here, so it is kept apart from the subcommands.

#include "command_line.hpp"

#include <calltrack/in_memory_store.hpp>

#include <filesystem>
#include <system_error>
#include <utility>

namespace calltrack::cli::command_line {

namespace fs = std::filesystem;

bool is_memory(const std::string& database) {
    return database == memory_database;
}

bool is_postgres(const std::string& database) {
    return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

namespace {

#if CALLTRACK_CLI_HAS_POSTGRES
std::optional<OpenedStore> open_postgres(const std::string& database, bool must_exist,
                                         std::string* why) {
    // A URI has no '#' of its own (libpq takes none), so the last one starts the schema.
    const auto hash = database.rfind('#');
    const std::string uri = database.substr(0, hash);
    PostgresOptions options;
    if (hash != std::string::npos) options.schema = database.substr(hash + 1);
    options.create = !must_exist;
    options.application_name = "calltrack-cli";
    std::string reason;
    auto opened = PostgresStore::open(uri, options, &reason);
    if (!opened) {
        *why = reason.empty() ? "PostgreSQL: " + opened.error().message() : reason;
        if (opened.error() == errc::store_not_found) *why += "; `calltrack run` creates one";
        return std::nullopt;
    }
    PostgresStore* postgres = opened.value().get();
    // The URI may hold a password: the description names the schema only.
    OpenedStore result{std::move(opened).value(), "PostgreSQL schema \"" + options.schema + "\"",
                       std::nullopt};
    result.postgres = postgres;
    return result;
}
#endif

}  // namespace

std::optional<OpenedStore> open_database(const std::string& database, bool must_exist,
                                         std::string* why) {
    if (is_memory(database)) {
        return OpenedStore{std::make_unique<InMemoryStore>(), "in memory", std::nullopt};
    }
    if (is_postgres(database)) {
#if CALLTRACK_CLI_HAS_POSTGRES
        return open_postgres(database, must_exist, why);
#else
        *why =
            "this calltrack was built without PostgreSQL (CALLTRACK_BUILD_POSTGRES); use a "
            "SQLite file or --db :memory:";
        return std::nullopt;
#endif
    }
#if CALLTRACK_CLI_HAS_SQLITE
    std::error_code ec;
    if (must_exist && !fs::exists(database, ec)) {
        *why = "no database at " + database + "; `calltrack run` creates one";
        return std::nullopt;
    }
    // A simulation's database: synchronous=NORMAL survives a crash of this process (every step is
    // still one atomic commit) without waiting for the disk on each of them.
    SqliteOptions options;
    options.synchronous = SqliteSynchronous::normal;
    // Only `run` makes a file into a calltrack database; the other subcommands judge or advance
    // one that exists, and must not stamp a stranger's empty file as theirs.
    options.create = !must_exist;
    std::string reason;
    auto opened = SqliteStore::open(database, options, &reason);
    if (!opened) {
        *why = reason.empty() ? database + ": " + opened.error().message() : reason;
        if (opened.error() == errc::store_not_found) *why += "; `calltrack run` creates one";
        return std::nullopt;
    }
    SqliteStore* sqlite = opened.value().get();
    OpenedStore result{std::move(opened).value(), database + " (SQLite)", database};
    result.sqlite = sqlite;
    return result;
#else
    (void)must_exist;
    *why = "this calltrack was built without SQLite; use --db :memory:";
    return std::nullopt;
#endif
}

bool empty_database(const std::string& database, std::string* why) {
#if CALLTRACK_CLI_HAS_POSTGRES
    if (is_postgres(database)) {
        std::string reason;
        auto opened = open_database(database, false, &reason);
        if (!opened) {
            *why = "--fresh: " + reason;
            return false;
        }
        if (auto erased = opened->postgres->erase_all(); !erased) {
            *why = "--fresh: cannot empty " + opened->description + ": " + erased.error().message()
                   + " (" + opened->postgres->last_error() + ")";
            return false;
        }
        return true;
    }
#endif
    std::error_code ec;
    if (!fs::exists(database, ec)) return true;
    std::string reason;
    auto opened = open_database(database, true, &reason);
    if (!opened) {
        *why = "--fresh: not deleting or emptying " + database
               + ", which is not a calltrack database: " + reason;
        return false;
    }
#if CALLTRACK_CLI_HAS_SQLITE
    if (auto erased = opened->sqlite->erase_all(); !erased) {
        *why = "--fresh: cannot empty " + database + ": " + erased.error().message() + " ("
               + opened->sqlite->last_error() + ")";
        return false;
    }
#endif
    return true;
}

result<std::size_t> events_held(Store& store) {
    auto events = store.read_all(0, 2);
    if (!events) return events.error();
    return events.value().size();
}

std::optional<PolicyHistory> database_policy(const Arguments& args, const std::string& database,
                                             std::string* why) {
    if (auto given = args.value("--policy")) {
        auto policy = load_policy_argument(*given, why);
        if (!policy) return std::nullopt;
        return std::move(policy).value();
    }
    if (!is_memory(database) && !is_postgres(database)) {
        const std::string sidecar = policy_sidecar(database);
        std::error_code ec;
        if (fs::exists(sidecar, ec)) {
            auto policy = load_policy_argument(sidecar, why);
            if (!policy) return std::nullopt;
            return std::move(policy).value();
        }
    }
    if (is_postgres(database)) {
        // The hosts that share a PostgreSQL store each run a policy of their own configuration;
        // a file beside a server's database would be beside no one.
        *why =
            "a PostgreSQL database records no policy; give --policy "
            "ctm|callrail|smrtphone|FILE.json";
        return std::nullopt;
    }
    *why =
        "no policy recorded for " + database + "; give --policy ctm|callrail|smrtphone|FILE.json";
    return std::nullopt;
}

}  // namespace calltrack::cli::command_line
