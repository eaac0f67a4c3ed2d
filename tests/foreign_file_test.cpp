// Only an empty file or a calltrack database becomes one, only `run` creates one, and --fresh
// never deletes a file: other programs' SQLite files, devices, read-only files and databases
// that another connection has open are left exactly as they were (issue 9, finding 1).

#include <calltrack/sqlite_store.hpp>

#include <catch2/catch.hpp>

#include "cli.hpp"
#include "temp_dir.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ct = calltrack;
namespace fs = std::filesystem;
using calltrack::errc;
using calltrack::testing::TempDir;

namespace {

/// Runs statements on a raw connection, outside calltrack.
void raw_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO((message != nullptr ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

/// Every row of a query, its columns joined by '|', on a raw read-only connection.
std::vector<std::string> raw_rows(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::vector<std::string> rows;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::string row;
        for (int c = 0; c < sqlite3_column_count(statement); ++c) {
            if (c > 0) row += '|';
            const unsigned char* text = sqlite3_column_text(statement, c);
            if (text != nullptr) row += reinterpret_cast<const char*>(text);
        }
        rows.push_back(row);
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
}

/// Another program's notes: one table, one row, no application_id, rollback journal.
std::string make_notes(const TempDir& dir) {
    const std::string path = dir.file("notes.sqlite");
    raw_exec(path, "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('call the dentist');");
    return path;
}

/// What another program would notice had changed in its notes file: its tables, its row, its
/// journal mode and application_id, and files left beside it.
void check_notes_untouched(const std::string& path) {
    CHECK(raw_rows(path, "SELECT type, name FROM sqlite_master")
          == std::vector<std::string>{"table|notes"});
    CHECK(raw_rows(path, "SELECT body FROM notes") == std::vector<std::string>{"call the dentist"});
    CHECK(raw_rows(path, "PRAGMA journal_mode") == std::vector<std::string>{"delete"});
    CHECK(raw_rows(path, "PRAGMA application_id") == std::vector<std::string>{"0"});
    for (const char* suffix : {"-journal", "-wal", "-shm"}) {
        INFO(path << suffix);
        CHECK_FALSE(fs::exists(path + suffix));
    }
}

void check_no_stray_files(const std::string& path) {
    for (const char* suffix : {"-journal", "-wal", "-shm"}) {
        INFO(path << suffix);
        CHECK_FALSE(fs::exists(path + suffix));
    }
}

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

CliRun run_cli(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    CliRun r;
    r.status = ct::cli::run_cli(args, out, err);
    r.out = out.str();
    r.err = err.str();
    UNSCOPED_INFO("calltrack " << args.front() << " -> " << r.status << "\nstdout:\n"
                               << r.out << "stderr:\n"
                               << r.err);
    return r;
}

/// A scenario of two steps on a standalone CTM account.
std::string write_scenario(const TempDir& dir) {
    const std::string path = dir.file("scenario.json");
    std::ofstream(path) << R"({
  "policy": "ctm",
  "start": "2024-03-01T09:00:00Z",
  "actors": {"sam": [{"role": "administrator", "scope": {"account": "solo"}}]},
  "setup": [
    {"command": "open_account", "account": "solo", "plan": {"name": "Starter", "add_ons": []}, "currency": "USD"}
  ],
  "steps": [
    {"at": "2024-03-02T09:00:00Z", "actor": "sam",
     "command": {"command": "pause_tracking", "account": "solo", "confirmation": {"clicked": true}}},
    {"at": "2024-03-03T09:00:00Z", "actor": "sam",
     "command": {"command": "resume_tracking", "account": "solo"}}
  ]
})";
    return path;
}

const std::string pause_command =
    R"({"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}})";

/// The checks every subcommand other than run makes of a database, on `path`.
void check_read_only_subcommands_refuse(const std::string& path, const std::string& expected) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"check", "--db", path, "--policy", "ctm", "--actor", "sam", "--command",
              pause_command},
             {"preview", "--db", path, "--policy", "ctm", "--actor", "sam", "--command",
              pause_command},
             {"advance", "--db", path, "--policy", "ctm", "--to", "2024-06-01T00:00:00Z"}}) {
        const auto r = run_cli(args);
        CHECK(r.status == ct::cli::exit_failed);
        CHECK(r.err.find(expected) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("SqliteStore leaves another application's SQLite file without an application_id alone",
          "[sqlite][foreign]") {
    TempDir dir;
    const std::string path = make_notes(dir);
    for (const bool create : {true, false}) {
        ct::SqliteOptions options;
        options.create = create;
        std::string why;
        const auto store = ct::SqliteStore::open(path, options, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_corrupt);
        INFO(why);
        CHECK(why.find("another application") != std::string::npos);
        CHECK(why.find(path) != std::string::npos);
    }
    check_notes_untouched(path);
}

TEST_CASE("SqliteStore without create opens only a calltrack database, and creates no file",
          "[sqlite][foreign]") {
    TempDir dir;
    ct::SqliteOptions existing;
    existing.create = false;

    SECTION("a missing file is not created") {
        const std::string path = dir.file("missing.db");
        std::string why;
        const auto store = ct::SqliteStore::open(path, existing, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_not_found);
        CHECK_FALSE(ct::is_retryable(store.error()));
        CHECK(why.find("no calltrack database") != std::string::npos);
        CHECK_FALSE(fs::exists(path));
        check_no_stray_files(path);
    }
    SECTION("a 0-byte file stays empty") {
        const std::string path = dir.file("empty.db");
        std::ofstream{path};
        std::string why;
        const auto store = ct::SqliteStore::open(path, existing, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_not_found);
        INFO(why);
        CHECK(why.find("is empty") != std::string::npos);
        CHECK(fs::file_size(path) == 0);
        check_no_stray_files(path);
    }
    SECTION("a calltrack database opens") {
        const std::string path = dir.file("calltrack.db");
        REQUIRE(ct::SqliteStore::open(path));
        std::string why;
        const auto store = ct::SqliteStore::open(path, existing, &why);
        INFO(why);
        CHECK(store);
    }
}

TEST_CASE("SqliteStore refuses a device such as /dev/null and writes nothing beside it",
          "[sqlite][foreign]") {
    for (const bool create : {true, false}) {
        ct::SqliteOptions options;
        options.create = create;
        std::string why;
        const auto store = ct::SqliteStore::open("/dev/null", options, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_corrupt);
        INFO(why);
        CHECK(why.find("not a regular file") != std::string::npos);
    }
    check_no_stray_files("/dev/null");
}

TEST_CASE("SqliteStore names a read-only file as such and leaves nothing beside it",
          "[sqlite][foreign]") {
    TempDir dir;
    // The folder is writable by anyone, so the file's own mode is the only thing in the way.
    fs::permissions(dir.path(), fs::perms::all);
    const std::string path = dir.file("calltrack.db");
    REQUIRE(ct::SqliteStore::open(path));
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

    // Root writes any file whatever its mode, so as root the open runs as "nobody" in a child.
    const auto open_read_only = [&]() -> int {
        std::string why;
        const auto store = ct::SqliteStore::open(path, {}, &why);
        if (store) return 10;
        if (store.error() != errc::store_unavailable) return 11;
        if (why.find("read-only") == std::string::npos) return 12;
        return 0;
    };
    int outcome = -1;
    if (::geteuid() == 0) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(20);
            ::_exit(open_read_only());
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        outcome = WEXITSTATUS(status);
    } else {
        outcome = open_read_only();
    }
    CHECK(outcome == 0);  // 10 opened, 11 another code, 12 another message, 20 setuid failed
    check_no_stray_files(path);
}

TEST_CASE("calltrack run --fresh refuses another application's SQLite file and keeps its rows",
          "[cli][foreign]") {
    TempDir dir;
    const std::string notes = make_notes(dir);
    const std::string scenario = write_scenario(dir);
    for (const bool fresh : {true, false}) {
        std::vector<std::string> args{"run", scenario, "--db", notes};
        if (fresh) args.push_back("--fresh");
        const auto r = run_cli(args);
        CHECK(r.status == ct::cli::exit_failed);
        CHECK(r.err.find("another application") != std::string::npos);
    }
    check_notes_untouched(notes);
    CHECK_FALSE(fs::exists(ct::cli::policy_sidecar(notes)));
}

TEST_CASE("calltrack check, preview and advance never make a file into a database",
          "[cli][foreign]") {
    TempDir dir;
    SECTION("another application's file") {
        const std::string notes = make_notes(dir);
        check_read_only_subcommands_refuse(notes, "another application");
        check_notes_untouched(notes);
    }
    SECTION("a 0-byte file") {
        const std::string empty = dir.file("empty.db");
        std::ofstream{empty};
        check_read_only_subcommands_refuse(empty, "`calltrack run` creates one");
        CHECK(fs::file_size(empty) == 0);
        check_no_stray_files(empty);
    }
    SECTION("/dev/null") {
        check_read_only_subcommands_refuse("/dev/null", "not a regular file");
        check_no_stray_files("/dev/null");
    }
}

TEST_CASE("calltrack run makes an empty file into a database; --fresh empties it in place",
          "[cli][foreign]") {
    TempDir dir;
    const std::string scenario = write_scenario(dir);
    const std::string db = dir.file("calltrack.db");
    std::ofstream{db};
    REQUIRE(run_cli({"run", scenario, "--db", db}).status == ct::cli::exit_ok);

    // Another process's connection, open across the --fresh run.
    auto other = ct::SqliteStore::open(db);
    REQUIRE(other);
    auto before = other.value()->read_all(0, 1000);
    REQUIRE(before);
    const std::size_t events_of_one_run = before.value().size();
    REQUIRE(events_of_one_run > 0);
    struct stat file_before {};
    REQUIRE(::stat(db.c_str(), &file_before) == 0);

    REQUIRE(run_cli({"run", scenario, "--db", db, "--fresh"}).status == ct::cli::exit_ok);

    struct stat file_after {};
    REQUIRE(::stat(db.c_str(), &file_after) == 0);
    CHECK(file_after.st_ino == file_before.st_ino);  // the same file, not a new one
    // The open connection sees one run's events, numbered from 1 again, and can still write.
    auto after = other.value()->read_all(0, 1000);
    REQUIRE(after);
    CHECK(after.value().size() == events_of_one_run);
    REQUIRE_FALSE(after.value().empty());
    CHECK(after.value().front().sequence == 1);
    CHECK(other.value()->integrity_check().value() == "ok");
}
