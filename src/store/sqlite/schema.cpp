// The file itself: the schema and its forward migrations, and open(), which decides whether a
// file may be used at all before anything is written to it (another application's SQLite file,
// a newer calltrack's file, a device or a read-only file is refused and left as it was), then
// sets the pragmas and migrates. Also the maintenance calls that act on the file as a whole.
// Kept apart so that the refusal of files that are not calltrack's reads as one piece, next to
// the schema whose application_id it checks.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <limits>
#include <string>

namespace calltrack {

using sqlite_detail::errc_of;
using sqlite_detail::in_quotes;

namespace {

// --- the schema ---------------------------------------------------------------------------------

/// Marks the file as calltrack's ("CTRK"), so another application's SQLite file is not mistaken
/// for an empty calltrack database and migrated.
constexpr int application_id = 0x4354524B;

struct Migration {
    int to;              ///< the user_version once applied
    const char* script;  ///< runs inside the migration's transaction
};

// Forward migrations in order; each takes the schema from `to - 1` to `to`. Applied ones are
// never edited: a change is a new entry, and SqliteStore::schema_version follows the last one.
constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

CREATE TABLE agencies (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    json    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    agency  TEXT,
    json    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX accounts_by_agency ON accounts (agency, id) WHERE agency IS NOT NULL;

CREATE TABLE numbers (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    account    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    on_account INTEGER NOT NULL,
    json       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX numbers_by_account ON numbers (account, id);
CREATE INDEX numbers_by_phone ON numbers (phone, on_account, id);

CREATE TABLE grants (
    user    TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    json    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
    sequence       INTEGER PRIMARY KEY,
    stream         TEXT NOT NULL,
    stream_version INTEGER NOT NULL,
    json           TEXT NOT NULL,
    UNIQUE (stream, stream_version)
);

CREATE TABLE deadlines (
    at      INTEGER NOT NULL,
    kind    INTEGER NOT NULL,
    subject TEXT NOT NULL,
    PRIMARY KEY (at, kind, subject)
) WITHOUT ROWID;
CREATE INDEX deadlines_by_subject ON deadlines (subject, at, kind);

CREATE TABLE outbox (
    sequence     INTEGER PRIMARY KEY,
    json         TEXT NOT NULL,
    acknowledged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (sequence) WHERE acknowledged = 0;

CREATE TABLE idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    json        TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    // Each event records the policy version it was decided under; older events name none.
    {2, R"sql(
ALTER TABLE events ADD COLUMN policy_version TEXT NOT NULL DEFAULT '';
)sql"},
    // The agency a pending transfer would move an account to, indexed so that the receiving
    // side finds its requests, and the scopes each user holds a role on, so that a role with one
    // holder finds the other; both filled from the stored records.
    {3, R"sql(
ALTER TABLE accounts ADD COLUMN transfer_to TEXT;
UPDATE accounts SET transfer_to = json_extract(json, '$.pending_transfer.to');
CREATE INDEX accounts_by_transfer_to ON accounts (transfer_to, id) WHERE transfer_to IS NOT NULL;

CREATE TABLE grant_scopes (
    scope TEXT NOT NULL,
    user  TEXT NOT NULL,
    PRIMARY KEY (scope, user)
) WITHOUT ROWID;
INSERT OR IGNORE INTO grant_scopes (scope, user)
SELECT CASE
           WHEN json_type(g.value, '$.scope') = 'text' THEN 'platform'
           WHEN json_type(g.value, '$.scope.account') IS NOT NULL
               THEN 'account:' || json_extract(g.value, '$.scope.account')
           ELSE 'agency:' || json_extract(g.value, '$.scope.agency')
       END,
       grants.user
FROM grants, json_each(grants.json) AS g;
)sql"},
    // Each event records who acted and how, and is chained by hash to the one before it. The
    // events already stored record no actor; chain_stored_events() hashes them in order.
    {4, R"sql(
ALTER TABLE events ADD COLUMN audit TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
)sql"},
    // Claims and leases, for several workers and consumers: the worker that holds a due deadline
    // and until when, and each outbox entry's owner (effect_owner), consumer and lease. The
    // pending entries already stored get their owners from fill_outbox_owners().
    {5, R"sql(
ALTER TABLE deadlines ADD COLUMN claimed_by TEXT;
ALTER TABLE deadlines ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN leased_by TEXT;
ALTER TABLE outbox ADD COLUMN leased_until INTEGER;
CREATE INDEX outbox_leased ON outbox (owner) WHERE acknowledged = 0 AND leased_by IS NOT NULL;
)sql"},
};

/// Sets the hash of every stored event, in sequence order, as commit() would have: the chain
/// over a log written before there was one. Inside the migration's transaction.
result<void> chain_stored_events(sqlite3* db, std::string& error) {
    sqlite3_stmt* read = nullptr;
    sqlite3_stmt* write = nullptr;
    const auto finish = [&](result<void> r) {
        sqlite3_finalize(read);
        sqlite3_finalize(write);
        return r;
    };
    const auto failed = [&](int rc) {
        error = std::string("chaining the stored events: ") + sqlite3_errmsg(db);
        return finish(make_error_code(errc_of(rc)));
    };
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT sequence, stream, stream_version, json, policy_version FROM events "
        "ORDER BY sequence",
        -1, &read, nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    rc = sqlite3_prepare_v2(db, "UPDATE events SET hash = ?1 WHERE sequence = ?2", -1, &write,
                            nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    const auto text = [&](int column) {
        const unsigned char* t = sqlite3_column_text(read, column);
        return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
    };
    std::string previous(chain_start);
    while ((rc = sqlite3_step(read)) == SQLITE_ROW) {
        StoredEvent e;
        e.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(read, 0));
        e.stream = text(1);
        e.stream_version = static_cast<Version>(sqlite3_column_int64(read, 2));
        auto event = event_from_json(text(3));
        if (!event) {
            error = "events row " + in_quotes(std::to_string(e.sequence))
                    + " holds JSON calltrack cannot read, so the log cannot be chained";
            return finish(errc::store_corrupt);
        }
        e.event = std::move(event).value();
        e.policy_version = text(4);
        previous = chain_hash(previous, e);
        sqlite3_bind_text(write, 1, previous.c_str(), static_cast<int>(previous.size()),
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(write, 2, static_cast<sqlite3_int64>(e.sequence));
        if ((rc = sqlite3_step(write)) != SQLITE_DONE) return failed(rc);
        sqlite3_reset(write);
    }
    if (rc != SQLITE_DONE) return failed(rc);
    return finish(boost::outcome_v2::success());
}

/// Sets the owner of every unacknowledged outbox entry from its effect, as commit() would have.
/// Acknowledged entries keep none: no claim reads them. Inside the migration's transaction.
result<void> fill_outbox_owners(sqlite3* db, std::string& error) {
    sqlite3_stmt* read = nullptr;
    sqlite3_stmt* write = nullptr;
    const auto finish = [&](result<void> r) {
        sqlite3_finalize(read);
        sqlite3_finalize(write);
        return r;
    };
    const auto failed = [&](int rc) {
        error = std::string("setting the outbox entries' owners: ") + sqlite3_errmsg(db);
        return finish(make_error_code(errc_of(rc)));
    };
    int rc = sqlite3_prepare_v2(db, "SELECT sequence, json FROM outbox WHERE acknowledged = 0", -1,
                                &read, nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    rc = sqlite3_prepare_v2(db, "UPDATE outbox SET owner = ?1 WHERE sequence = ?2", -1, &write,
                            nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    while ((rc = sqlite3_step(read)) == SQLITE_ROW) {
        const sqlite3_int64 sequence = sqlite3_column_int64(read, 0);
        const unsigned char* t = sqlite3_column_text(read, 1);
        auto effect = effect_from_json(
            t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t)));
        if (!effect) {
            error = "outbox row " + in_quotes(std::to_string(sequence))
                    + " holds JSON calltrack cannot read, so its owner is unknown";
            return finish(errc::store_corrupt);
        }
        const std::string owner = effect_owner(effect.value());
        sqlite3_bind_text(write, 1, owner.c_str(), static_cast<int>(owner.size()),
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(write, 2, sequence);
        if ((rc = sqlite3_step(write)) != SQLITE_DONE) return failed(rc);
        sqlite3_reset(write);
    }
    if (rc != SQLITE_DONE) return failed(rc);
    return finish(boost::outcome_v2::success());
}

static_assert(migrations[std::size(migrations) - 1].to == SqliteStore::schema_version,
              "SqliteStore::schema_version must name the last migration");

}  // namespace

// --- opening, checking and migrating the file ----------------------------------------------------

result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       SqliteOptions options, std::string* why) {
    const auto explain = [&](const std::string& sentence) {
        if (why != nullptr) *why = sentence;
    };
    // SQLite would open a device or a FIFO and later write "-journal" and "-wal" files beside it
    // (as root, /dev/null-journal); only a regular file, or a name not yet taken, can be ours.
    if (path != ":memory:" && !path.empty()) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (status.type() == std::filesystem::file_type::not_found) {
            if (!options.create) {
                explain("no calltrack database at " + in_quotes(path));
                return errc::store_not_found;
            }
        } else if (ec) {
            explain("cannot open " + in_quotes(path) + ": " + ec.message());
            return errc::store_unavailable;
        } else if (status.type() != std::filesystem::file_type::regular) {
            explain(in_quotes(path)
                    + " is not a regular file, so it cannot be a calltrack database");
            return errc::store_corrupt;
        }
    }
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        explain("cannot open " + in_quotes(path) + ": "
                + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
        sqlite3_close_v2(db);
        return make_error_code(errc_of(rc));
    }
    std::unique_ptr<SqliteStore> store(new SqliteStore(db, options));
    if (auto ready = store->initialise(path, why); !ready) return ready.error();
    return store;
}

result<void> SqliteStore::initialise(const std::string& path, std::string* why) {
    const auto explain = [&](const std::string& sentence) {
        if (why != nullptr) *why = sentence;
    };
    sqlite3_extended_result_codes(db_, 1);
    const auto timeout = std::clamp<std::chrono::milliseconds::rep>(
        options_.busy_timeout.count(), 0, std::numeric_limits<int>::max());
    sqlite3_busy_timeout(db_, static_cast<int>(timeout));

    // A file opened read-only would fail at the first write; say so before anything is read,
    // since even a read of a WAL file may create its -shm beside it.
    if (sqlite3_db_readonly(db_, "main") == 1) {
        explain(in_quotes(path)
                + " is read-only for this process; calltrack writes to its database (and to the "
                  "-wal and -shm files beside it), so give it and its folder write permission");
        last_error_ = "read-only database";
        return errc::store_unavailable;
    }
    // The first read of the file's header tells a database from anything else.
    auto version = read_pragma_int("PRAGMA user_version");
    if (!version) {
        if (version.error() == errc::store_corrupt) {
            explain(in_quotes(path) + " is not a SQLite database, or its header is damaged ("
                    + last_error_ + ")");
        } else {
            explain("cannot read " + in_quotes(path) + ": " + last_error_);
        }
        return version.error();
    }
    auto owner = read_pragma_int("PRAGMA application_id");
    if (!owner) return owner.error();
    if (owner.value() != 0 && owner.value() != application_id) {
        explain(in_quotes(path) + " is a SQLite database of another application (application_id "
                + std::to_string(owner.value()) + "), not a calltrack store");
        return corrupt("application_id " + std::to_string(owner.value()));
    }
    if (owner.value() == 0) {
        // Most SQLite files carry no application_id. Only one with nothing in it may become ours:
        // any table, index or user_version means another program's data.
        auto objects = read_pragma_int("SELECT count(*) FROM sqlite_master");
        if (!objects) return objects.error();
        if (objects.value() != 0 || version.value() != 0) {
            explain(in_quotes(path)
                    + " is a SQLite database of another application (it has tables of its own "
                      "and no calltrack application_id), not a calltrack store; it was left "
                      "unchanged");
            return corrupt("application_id 0 with " + std::to_string(objects.value())
                           + " schema objects");
        }
        if (!options_.create) {
            explain(in_quotes(path) + " is empty: it holds no calltrack database, and none is "
                                      "created without SqliteOptions::create");
            last_error_ = "empty database";
            return errc::store_not_found;
        }
    }
    if (version.value() > schema_version) {
        explain(in_quotes(path) + " has schema version " + std::to_string(version.value())
                + ", written by a newer calltrack; this one reads up to version "
                + std::to_string(schema_version));
        last_error_ = "schema version " + std::to_string(version.value());
        return errc::schema_too_new;
    }

    // WAL: readers never block the writer, and a commit is one append to the log. The mode is
    // stored in the file; ":memory:" answers "memory" and stays so.
    {
        sqlite3_stmt* statement = nullptr;
        int rc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode = WAL", -1, &statement, nullptr);
        std::string mode;
        if (rc == SQLITE_OK) rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(statement, 0);
            if (text != nullptr) mode = reinterpret_cast<const char*>(text);
        } else {
            const auto error = fail(rc, "PRAGMA journal_mode = WAL");
            sqlite3_finalize(statement);
            explain("cannot switch " + in_quotes(path) + " to WAL mode: " + last_error_);
            return error;
        }
        sqlite3_finalize(statement);
        if (mode != "wal" && mode != "memory") {
            explain(in_quotes(path) + " cannot use WAL mode (SQLite answered journal_mode " + mode
                    + ")");
            last_error_ = "journal_mode " + mode;
            return errc::store_unavailable;
        }
    }
    const char* synchronous = options_.synchronous == SqliteSynchronous::full
                                  ? "PRAGMA synchronous = FULL"
                                  : "PRAGMA synchronous = NORMAL";
    for (const char* pragma : {synchronous, "PRAGMA foreign_keys = OFF"}) {
        if (auto done = execute(pragma); !done) {
            explain("cannot set " + std::string(pragma) + " on " + in_quotes(path) + ": "
                    + last_error_);
            return done.error();
        }
    }

    if (version.value() < schema_version) {
        if (auto migrated = migrate(); !migrated) {
            explain("cannot migrate " + in_quotes(path) + " to schema version "
                    + std::to_string(schema_version) + ": " + last_error_);
            return migrated.error();
        }
    }
    return boost::outcome_v2::success();
}

// Every migration runs in one write transaction with the version bump, so a crash leaves the
// file at the old version or the new one. The version is read again under the write lock: two
// processes opening a new file at once migrate it once.
result<void> SqliteStore::migrate() {
    if (auto begun = execute("BEGIN IMMEDIATE"); !begun) return begun.error();
    const auto abandon = [this](boost::system::error_code error) -> result<void> {
        if (sqlite3_get_autocommit(db_) == 0) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        return error;
    };
    auto current = read_pragma_int("PRAGMA user_version");
    if (!current) return abandon(current.error());
    if (current.value() > schema_version) return abandon(errc::schema_too_new);
    for (const Migration& m : migrations) {
        if (m.to <= current.value()) continue;
        if (auto done = execute(m.script); !done) return abandon(done.error());
        if (m.to == 4) {
            if (auto done = chain_stored_events(db_, last_error_); !done) {
                return abandon(done.error());
            }
        }
        if (m.to == 5) {
            if (auto done = fill_outbox_owners(db_, last_error_); !done) {
                return abandon(done.error());
            }
        }
        const std::string bump = "PRAGMA user_version = " + std::to_string(m.to);
        if (auto done = execute(bump.c_str()); !done) return abandon(done.error());
    }
    const std::string mark = "PRAGMA application_id = " + std::to_string(application_id);
    if (auto done = execute(mark.c_str()); !done) return abandon(done.error());
    if (auto done = execute("COMMIT"); !done) return abandon(done.error());
    return boost::outcome_v2::success();
}

result<void> SqliteStore::erase_all() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (group_depth_ > 0) {
        last_error_ = "erase_all inside a group";
        return errc::invalid_state;
    }
    if (auto begun = execute("BEGIN IMMEDIATE"); !begun) return begun.error();
    // Every table of the schema; INTEGER PRIMARY KEY sequences start again at 1 once empty.
    static constexpr const char* erase =
        "DELETE FROM meta; DELETE FROM agencies; DELETE FROM accounts; DELETE FROM numbers; "
        "DELETE FROM grant_scopes; "
        "DELETE FROM grants; DELETE FROM events; DELETE FROM deadlines; DELETE FROM outbox; "
        "DELETE FROM idempotency;";
    for (const char* sql : {erase, "COMMIT"}) {
        if (auto done = execute(sql); !done) {
            if (sqlite3_get_autocommit(db_) == 0) {
                sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            }
            return done.error();
        }
    }
    return boost::outcome_v2::success();
}

result<int> SqliteStore::stored_schema_version() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return read_pragma_int("PRAGMA user_version");
}

result<std::string> SqliteStore::integrity_check() {
    const std::lock_guard<std::mutex> lock(mutex_);
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA integrity_check", -1, &statement, nullptr);
    std::string report;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(statement, 0);
            if (!report.empty()) report += '\n';
            if (text != nullptr) report += reinterpret_cast<const char*>(text);
        }
    }
    if (rc != SQLITE_DONE) {
        const auto error = fail(rc, "PRAGMA integrity_check");
        sqlite3_finalize(statement);
        return error;
    }
    sqlite3_finalize(statement);
    return report;
}

}  // namespace calltrack
