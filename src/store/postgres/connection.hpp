#pragma once

// What every part of the PostgreSQL store shares: the statements it prepares once per connection
// (named by Sql, their texts in the same order, written against the schema placeholder `{s}`),
// the rows a statement returns, what a failed call means as an errc, and PostgresStore's private
// Impl, which owns the connection. The public header only declares Impl, so that it needs no
// <libpq-fe.h>; the store's sources, split by what they do, all need it whole.

#include <calltrack/postgres_store.hpp>

#include <libpq-fe.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack::postgres_detail {

// --- the statements, prepared once per connection --------------------------------------------

enum class Sql : std::size_t {
    load_agency,
    load_account,
    load_number,
    load_grants,
    load_grants_on,
    load_numbers_of,
    load_sub_accounts,
    load_incoming_transfers,
    find_number_by_phone,

    insert_agency,
    update_agency,
    insert_account,
    update_account,
    insert_number,
    update_number,
    insert_grants,
    update_grants,
    clear_grant_scopes,
    add_grant_scope,
    agency_version,
    account_version,
    number_version,
    grants_version,
    add_idempotency,
    remove_deadline,
    add_deadline,
    advance_log_head,
    last_stream_version,
    append_event,
    add_effect,
    set_last_hash,

    notify_effects,

    due_deadlines,
    deadlines_of,
    claim_due_deadlines,
    lock_outbox_claims,
    claim_effects,
    acknowledge_claimed_effects,
    read_stream,
    read_all,
    last_event_at,
    pending_effects,
    acknowledge_effects,
    find_idempotency,
    stored_schema_version,

    count
};

inline constexpr std::size_t statement_count = static_cast<std::size_t>(Sql::count);

// `{s}` stands for the quoted schema. Every id, stream and subject column is COLLATE "C", so
// ORDER BY compares bytes as std::string's operator< does, whatever the database's collation.
inline constexpr std::array<const char*, statement_count> sql_text = {
    "SELECT version, json FROM {s}.agencies WHERE id = $1",
    "SELECT version, json FROM {s}.accounts WHERE id = $1",
    "SELECT version, json FROM {s}.numbers WHERE id = $1",
    "SELECT version, json FROM {s}.grants WHERE \"user\" = $1",
    "SELECT g.\"user\", g.version, g.json FROM {s}.grant_scopes gs "
    "JOIN {s}.grants g ON g.\"user\" = gs.\"user\" WHERE gs.scope = $1 ORDER BY g.\"user\"",
    "SELECT version, json FROM {s}.numbers WHERE account = $1 ORDER BY id",
    "SELECT version, json FROM {s}.accounts WHERE agency = $1 ORDER BY id",
    "SELECT version, json FROM {s}.accounts WHERE transfer_to = $1 ORDER BY id",
    "SELECT id FROM {s}.numbers WHERE phone = $1 AND on_account ORDER BY id LIMIT 1",

    "INSERT INTO {s}.agencies (id, version, json) VALUES ($1, 1, $2) ON CONFLICT (id) DO NOTHING",
    "UPDATE {s}.agencies SET version = version + 1, json = $3 WHERE id = $1 AND version = $2",
    "INSERT INTO {s}.accounts (id, version, agency, transfer_to, json) VALUES ($1, 1, $2, $3, $4) "
    "ON CONFLICT (id) DO NOTHING",
    "UPDATE {s}.accounts SET version = version + 1, agency = $3, transfer_to = $4, json = $5 "
    "WHERE id = $1 AND version = $2",
    "INSERT INTO {s}.numbers (id, version, account, phone, on_account, json) "
    "VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    "UPDATE {s}.numbers SET version = version + 1, account = $3, phone = $4, on_account = $5, "
    "json = $6 WHERE id = $1 AND version = $2",
    "INSERT INTO {s}.grants (\"user\", version, json) VALUES ($1, 1, $2) "
    "ON CONFLICT (\"user\") DO NOTHING",
    "UPDATE {s}.grants SET version = version + 1, json = $3 WHERE \"user\" = $1 AND version = $2",
    "DELETE FROM {s}.grant_scopes WHERE \"user\" = $1",
    "INSERT INTO {s}.grant_scopes (scope, \"user\") VALUES ($1, $2) ON CONFLICT DO NOTHING",
    "SELECT version FROM {s}.agencies WHERE id = $1",
    "SELECT version FROM {s}.accounts WHERE id = $1",
    "SELECT version FROM {s}.numbers WHERE id = $1",
    "SELECT version FROM {s}.grants WHERE \"user\" = $1",
    "INSERT INTO {s}.idempotency (key, fingerprint, json) VALUES ($1, $2, $3) "
    "ON CONFLICT (key) DO NOTHING",
    "DELETE FROM {s}.deadlines WHERE at = $1 AND kind = $2 AND subject = $3",
    "INSERT INTO {s}.deadlines (at, kind, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    // The one row every commit with events or effects updates: its row lock orders those commits,
    // so sequences are handed out in commit order (docs/postgres.md, "The global order").
    "UPDATE {s}.log_head SET last_sequence = last_sequence + $1, "
    "last_outbox_sequence = last_outbox_sequence + $2, "
    "last_event_at = greatest(last_event_at, $3::bigint) "
    "RETURNING last_sequence, last_outbox_sequence, last_hash",
    "SELECT coalesce(max(stream_version), 0) FROM {s}.events WHERE stream = $1",
    "INSERT INTO {s}.events (sequence, stream, stream_version, policy_version, json, audit, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    "INSERT INTO {s}.outbox (sequence, json, owner) VALUES ($1, $2, $3)",
    "UPDATE {s}.log_head SET last_hash = $1",
    // Sent when the transaction commits, to every session that listens (wait_for_effects).
    "SELECT pg_notify($1, $2)",

    "SELECT at, kind, subject FROM {s}.deadlines WHERE at <= $1 ORDER BY at, kind, subject "
    "LIMIT $2",
    "SELECT at, kind FROM {s}.deadlines WHERE subject = $1 ORDER BY at, kind",
    // The first due deadlines no other worker holds (unclaimed, this worker's, or expired by $1),
    // passing over the rows another claim or commit has locked this instant, then claimed: two
    // workers claiming at once take disjoint sets, and neither waits for the other.
    "UPDATE {s}.deadlines AS d SET claimed_by = $3, claimed_until = $4 "
    "FROM (SELECT at, kind, subject FROM {s}.deadlines WHERE at <= $1 "
    "AND (claimed_by IS NULL OR claimed_by = $3 OR claimed_until <= $1) "
    "ORDER BY at, kind, subject LIMIT $2 FOR UPDATE SKIP LOCKED) AS free "
    "WHERE d.at = free.at AND d.kind = free.kind AND d.subject = free.subject "
    "RETURNING d.at, d.kind, d.subject",
    // Outbox claims are taken one at a time per schema (the key names the schema), each then
    // seeing every lease the ones before it granted.
    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
    // The oldest pending entries of the owners no other consumer holds under a lease after $3.
    "UPDATE {s}.outbox AS o SET leased_by = $2, leased_until = $4 "
    "FROM (SELECT sequence FROM {s}.outbox WHERE NOT acknowledged AND owner NOT IN ("
    "SELECT owner FROM {s}.outbox WHERE NOT acknowledged AND leased_by IS NOT NULL "
    "AND leased_by <> $2 AND leased_until > $3) ORDER BY sequence LIMIT $1) AS free "
    "WHERE o.sequence = free.sequence RETURNING o.sequence, o.json",
    "UPDATE {s}.outbox SET acknowledged = true WHERE NOT acknowledged "
    "AND sequence = ANY($1::bigint[])",
    "SELECT sequence, stream_version, json, policy_version, audit, hash FROM {s}.events "
    "WHERE stream = $1 AND stream_version > $2 ORDER BY stream_version",
    "SELECT sequence, stream, stream_version, json, policy_version, audit, hash FROM {s}.events "
    "WHERE sequence > $1 ORDER BY sequence LIMIT $2",
    "SELECT last_event_at FROM {s}.log_head",
    "SELECT sequence, json FROM {s}.outbox WHERE NOT acknowledged ORDER BY sequence LIMIT $1",
    "UPDATE {s}.outbox SET acknowledged = true WHERE NOT acknowledged AND sequence <= $1",
    "SELECT fingerprint, json FROM {s}.idempotency WHERE key = $1",
    "SELECT version FROM {s}.calltrack_schema",
};

constexpr std::size_t at(Sql which) noexcept {
    return static_cast<std::size_t>(which);
}

/// `text` with every `{s}` replaced by the quoted schema.
std::string with_schema(std::string_view text, const std::string& quoted_schema);

/// A name as a PostgreSQL identifier: in double quotes, inner quotes doubled.
std::string quote_identifier(std::string_view name);
std::string in_quotes(std::string_view text);

// --- values as text parameters ------------------------------------------------------------------

inline constexpr std::int64_t max_micros = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t min_micros = std::numeric_limits<std::int64_t>::min();

// Times are bigint microseconds since 1970-01-01T00:00:00Z, so that integer order is time order
// (the deadlines' primary key sorts exactly as Deadline's operator<). The infinities take the ends
// of the range; "not a date time" has no place in the order and is not stored.
std::optional<std::int64_t> micros_of(Time t);
Time time_of(std::int64_t micros);
/// Whether stored microseconds are a time calltrack can have written.
bool is_stored_time(std::int64_t micros);
std::int64_t to_int64(std::uint64_t v) noexcept;

/// A deadlines row back into its Deadline; a row calltrack never writes is corruption, named by
/// its key in `error`.
result<Deadline> deadline_of(std::int64_t micros, std::int64_t kind, std::string subject,
                             std::string& error);
/// An outbox row back into its entry; JSON that does not decode is corruption, named by its
/// sequence in `error`.
result<OutboxEntry> outbox_entry_of(std::uint64_t sequence, const std::string& json,
                                    std::string& error);

/// A statement's parameters, as text; nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

/// Whether a statement succeeded (with or without rows).
bool is_success(const PGresult* r);
/// PostgreSQL's text cannot hold a NUL, and libpq passes parameters as C strings: a value with
/// one would be cut short and name another row. The first such value, or null.
const std::string* with_nul(const Params& params);

/// What a statement returned; owns the PGresult.
class Rows {
  public:
    Rows() = default;
    explicit Rows(PGresult* r) : r_(r) {}
    Rows(Rows&& other) noexcept : r_(other.r_) { other.r_ = nullptr; }
    Rows& operator=(Rows&& other) noexcept {
        if (this != &other) {
            if (r_ != nullptr) PQclear(r_);
            r_ = other.r_;
            other.r_ = nullptr;
        }
        return *this;
    }
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;
    ~Rows() {
        if (r_ != nullptr) PQclear(r_);
    }

    const PGresult* get() const { return r_; }
    int size() const { return r_ != nullptr ? PQntuples(r_) : 0; }
    bool is_null(int row, int column) const { return PQgetisnull(r_, row, column) == 1; }
    std::string text(int row, int column) const {
        return std::string(PQgetvalue(r_, row, column),
                           static_cast<std::size_t>(PQgetlength(r_, row, column)));
    }
    std::int64_t int64(int row, int column) const;
    std::uint64_t uint64(int row, int column) const {
        const std::int64_t v = int64(row, column);
        return v < 0 ? 0 : static_cast<std::uint64_t>(v);
    }
    /// Rows an INSERT, UPDATE or DELETE touched.
    std::uint64_t affected() const;

  private:
    PGresult* r_ = nullptr;
};

using Lock = std::lock_guard<std::mutex>;

/// One statement of a pipeline: a cached statement with its parameters, or, when `text` is set,
/// a statement without parameters (BEGIN, SAVEPOINT, COMMIT).
struct Step {
    Sql which = Sql::count;
    Params params = {};
    const char* text = nullptr;
};

/// What a SQLSTATE means to the caller.
errc errc_of_sqlstate(std::string_view state) noexcept;

}  // namespace calltrack::postgres_detail

namespace calltrack {

struct PostgresStore::Impl {
    std::string uri;
    PostgresOptions options;
    std::string quoted_schema;
    std::array<std::string, postgres_detail::statement_count> sql;
    PGconn* conn = nullptr;
    /// Which statements are prepared on the current connection; cleared at each connection.
    std::array<bool, postgres_detail::statement_count> prepared{};
    mutable std::mutex mutex;
    std::string last_error;
    /// The channel commits with effects notify and wait_for_effects() listens on.
    std::string effects_channel;
    /// Whether this connection has run LISTEN on it; cleared at each connection.
    bool is_listening = false;

    Impl(std::string uri_, PostgresOptions options_);
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl();

    /// Opens a new connection and sets up the session; `why` gets a sentence on failure.
    result<void> connect(std::string* why);
    /// A connection that libpq found broken is replaced by a new one (the reconnection).
    result<void> ensure_connected();
    /// Runs one of the cached statements, preparing it on first use.
    result<postgres_detail::Rows> run(postgres_detail::Sql which,
                                      const postgres_detail::Params& params = {});
    /// Runs one statement given as text (with `{s}` for the schema), with parameters.
    result<postgres_detail::Rows> exec(const std::string& sql,
                                       const postgres_detail::Params& params = {});
    /// Runs a script of several statements without parameters (migrations).
    result<void> exec_script(const std::string& sql);
    /// ROLLBACK, when the connection is still there to hear it; its own failure is ignored.
    void rollback() noexcept;
    /// Sends every step and one Sync in libpq's pipeline mode, one round trip, then reads every
    /// result: the rows of each step in order, or the first step's failure (the steps after it
    /// were skipped by the server). src/store/postgres/pipeline.cpp.
    result<std::vector<postgres_detail::Rows>> run_pipeline(
        const std::vector<postgres_detail::Step>& steps);

    // --- group commit (src/store/postgres/group_commit.cpp) -----------------------------------

    /// Open groups; inside one, every write is a savepoint of the group's transaction.
    int group_depth = 0;
    /// The group's transaction is gone (its connection dropped, or a savepoint could not be
    /// undone): every write fails until the group is ended or rolled back.
    bool is_group_lost = false;
    /// The statement that starts one write: BEGIN, or inside a group a savepoint.
    const char* begin_write_text() const;
    /// The statement that ends one write that succeeded: COMMIT, or RELEASE of the savepoint.
    const char* end_write_text() const;
    /// errc::store_unavailable when the open group is lost, with last_error saying so.
    result<void> check_group();
    /// Undoes one write that failed (keeping last_error): ROLLBACK, or inside a group back to its
    /// savepoint, which leaves the group's earlier writes; a group whose savepoint cannot be
    /// undone is lost.
    void abandon_write() noexcept;

    /// The errc for a failed statement (or a lost connection), with last_error set.
    boost::system::error_code fail(const PGresult* r, std::string_view what);
    boost::system::error_code corrupt(std::string what);
    /// errc::invalid_id for a parameter with a NUL, which would reach the server cut short.
    boost::system::error_code refuse_nul(const std::string& value);
    /// The SQLSTATE of the last failure seen by fail(), or empty.
    std::string last_sqlstate;

    /// The server, database and user this store talks to, for messages.
    std::string where() const;

    // The commit, split by what it does (src/store/postgres/commit.cpp).
    result<void> commit(const CommitBatch& batch);
};

}  // namespace calltrack
