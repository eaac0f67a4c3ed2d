#pragma once

// A Store in one SQLite database file: durable across process crashes and (with the default
// synchronous=FULL) power loss. Records, events, effects and idempotency receipts are kept as
// calltrack's canonical JSON (calltrack/json.hpp) next to the columns that index them. The schema,
// its migrations, the pragmas and the crash test are described in docs/sqlite.md.
//
// One SqliteStore is one connection. Its calls are serialised by a mutex, so threads may share
// it; several SqliteStore objects (in one process or many) may open the same file, and optimistic
// concurrency sorts out their commits: a writer that loses, or that waits longer than
// busy_timeout for the write lock, gets errc::concurrency_conflict and may retry.
//
// No <sqlite3.h> here: the connection and statements are forward-declared, as SQLiteCpp does.

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace calltrack {

/// How hard a commit waits for the disk (SQLite's `PRAGMA synchronous` in WAL mode).
enum class SqliteSynchronous : std::uint8_t {
    full,    ///< every commit is on disk before commit() returns: survives power loss
    normal,  ///< survives a process crash; a power loss may undo the last commits, never corrupt
};

struct SqliteOptions {
    SqliteSynchronous synchronous = SqliteSynchronous::full;
    /// How long a writer waits for another connection's write lock before giving up with
    /// errc::concurrency_conflict.
    std::chrono::milliseconds busy_timeout{5000};
    /// Whether open() may turn a missing or empty file into a calltrack database. With false, only
    /// a file that already is one opens; anything else is errc::store_not_found and no file is
    /// created.
    bool create = true;
};

class CALLTRACK_SQLITE_API SqliteStore final : public Store {
  public:
    /// The schema version this library writes (PRAGMA user_version). Older databases are
    /// migrated forward on open; newer ones are refused with errc::schema_too_new.
    static constexpr int schema_version = 5;

    /// Opens the database at `path`; ":memory:" gives a private, temporary one. Only a calltrack
    /// database is opened, or (with SqliteOptions::create) a missing or empty file made into one:
    /// another application's SQLite file, which is any file holding tables that calltrack did not
    /// stamp as its own, is refused with errc::store_corrupt and left untouched, as is a file that
    /// is not a SQLite database or not a regular file. A file this process may not write is
    /// errc::store_unavailable, one written by a newer calltrack errc::schema_too_new. `why`, when
    /// given, receives a sentence naming the file and the cause.
    static result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                     SqliteOptions options = {},
                                                     std::string* why = nullptr);

    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;
    /// Rolls back an unfinished group, then closes the connection.
    ~SqliteStore() override;

    result<std::optional<Versioned<Agency>>> load_agency(const AgencyId& id) override;
    result<std::optional<Versioned<Account>>> load_account(const AccountId& id) override;
    result<std::optional<Versioned<TrackingNumber>>> load_number(const NumberId& id) override;
    result<std::optional<Versioned<UserGrants>>> load_grants(const UserId& user) override;
    result<std::vector<Versioned<UserGrants>>> load_grants_on(const Scope& scope) override;
    result<std::vector<Versioned<TrackingNumber>>> load_numbers_of(
        const AccountId& account) override;
    result<std::vector<Versioned<Account>>> load_sub_accounts(const AgencyId& agency) override;
    result<std::vector<Versioned<Account>>> load_incoming_transfers(
        const AgencyId& agency) override;
    result<std::optional<NumberId>> find_number_by_phone(const PhoneNumber& phone) override;

    /// One transaction (BEGIN IMMEDIATE ... COMMIT); inside a group, one savepoint.
    result<void> commit(const CommitBatch& batch) override;

    result<std::vector<Deadline>> due_deadlines(Time t, std::size_t limit) override;
    result<std::vector<Deadline>> deadlines_of(const std::string& subject) override;
    /// One write transaction (inside a group, one savepoint): the due deadlines not held, then
    /// their claims.
    result<std::vector<Deadline>> claim_due_deadlines(Time t, std::size_t limit,
                                                      const std::string& worker,
                                                      Time lease_until) override;

    result<std::vector<StoredEvent>> read_stream(const StreamId& stream,
                                                 Version after = 0) override;
    result<std::vector<StoredEvent>> read_all(std::uint64_t after, std::size_t limit) override;
    result<std::optional<Time>> last_event_time() override;

    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit) override;
    result<void> acknowledge_effects(std::uint64_t up_to) override;
    /// One write transaction (inside a group, one savepoint), so claims are ordered by SQLite's
    /// write lock.
    result<std::vector<OutboxEntry>> claim_effects(std::size_t limit, const std::string& consumer,
                                                   Time now, Time lease_until) override;
    result<void> acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) override;

    result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key) override;

    // --- group commit -------------------------------------------------------------------------
    // Many commits in one transaction, for bulk imports and deadline sweeps: one disk flush for
    // the lot. Inside a group each commit() is a savepoint, so a refused batch is rolled back
    // alone and the others stay; reads on this store see the group's writes, other connections
    // see none of them until end_group(). Groups nest; only the outermost one commits. While a
    // group is open this connection holds the database's write lock.

    /// Starts a group (BEGIN IMMEDIATE). errc::concurrency_conflict when another connection
    /// holds the write lock for longer than busy_timeout.
    result<void> begin_group();
    /// Commits every batch of the group at once. On failure nothing of the group is written.
    result<void> end_group();
    /// Drops every batch of the group.
    result<void> rollback_group();
    bool is_in_group() const;

    /// A group that rolls back unless commit() is called: `auto g = store.group();` ...
    /// `g.value().commit();`.
    class CALLTRACK_SQLITE_API Group {
      public:
        Group(Group&& other) noexcept;
        Group& operator=(Group&&) = delete;
        Group(const Group&) = delete;
        Group& operator=(const Group&) = delete;
        ~Group();
        result<void> commit();

      private:
        friend class SqliteStore;
        explicit Group(SqliteStore& store) : store_(&store) {}
        SqliteStore* store_;
    };
    result<Group> group();

    // --- maintenance ----------------------------------------------------------------------------

    /// SQLite's `PRAGMA integrity_check`: "ok" for a sound file, otherwise the problems found.
    result<std::string> integrity_check();
    /// Deletes every record, event, deadline, outbox entry and receipt in one write transaction,
    /// leaving an empty calltrack database in the same file. The file is never deleted, so other
    /// connections to it stay valid. Refused inside a group (errc::invalid_state).
    result<void> erase_all();
    /// The schema version stored in the file (PRAGMA user_version).
    result<int> stored_schema_version();
    /// SQLite's words for the last failure on this connection, for logs.
    std::string last_error() const;

  private:
    struct Statements;
    struct Counters;

    /// Changes a batch made to the counters, kept until its savepoint is released so that a
    /// refused batch can put them back.
    struct CounterUndo;

    SqliteStore(sqlite3* db, SqliteOptions options);

    result<void> initialise(const std::string& path, std::string* why);
    result<void> migrate();
    result<int> read_pragma_int(const char* sql);
    result<void> commit_locked(const CommitBatch& batch);
    result<void> check_versions(const CommitBatch& batch);
    result<void> write_batch(const CommitBatch& batch, Counters& counters, CounterUndo& undo,
                             std::optional<std::int64_t>& latest_event_at);
    result<void> raise_last_event_at(std::int64_t micros);
    void drop_group_counters() noexcept;
    result<void> run(std::size_t which);
    result<void> end_group_locked();
    result<void> rollback_group_locked();
    result<sqlite3_stmt*> prepare(std::size_t which);
    /// A record row's version and JSON text.
    using RawRecord = std::pair<Version, std::string>;
    result<std::optional<RawRecord>> read_record(std::size_t which, const std::string& key);
    result<std::vector<RawRecord>> read_records(std::size_t which, const std::string& key);
    result<std::vector<Versioned<Account>>> read_accounts(std::size_t which, const std::string& key,
                                                          const std::string& what);
    result<void> execute(const char* sql);
    /// Begins one write transaction, or one savepoint inside a group (claims and leases).
    result<void> begin_write();
    /// Ends what begin_write() began: commits (releases) it when `done` succeeded, otherwise
    /// rolls it back and returns `done`'s error.
    result<void> end_write(result<void> done);
    boost::system::error_code fail(int code, const char* what);
    boost::system::error_code corrupt(std::string what);

    mutable std::mutex mutex_;
    sqlite3* db_ = nullptr;
    SqliteOptions options_;
    std::unique_ptr<Statements> statements_;
    /// The next numbers while a group holds the write lock (Counters in
    /// src/store/sqlite/connection.hpp).
    std::unique_ptr<Counters> group_counters_;
    int group_depth_ = 0;
    bool is_group_lost_ = false;  ///< SQLite rolled the group's transaction back after an error
    std::string last_error_;
};

}  // namespace calltrack
