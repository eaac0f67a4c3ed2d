#pragma once

// What every part of the SQLite store shares about its connection: the statements it prepares
// once (named by Sql, their texts in the same order), what a failed SQLite call means as an errc,
// and the definitions of SqliteStore's private Statements, Counters and CounterUndo. The public
// header only forward-declares these, so that it needs no <sqlite3.h>; the store's sources, split
// by what they do, all need them whole.

#include <calltrack/sqlite_store.hpp>

#include "columns.hpp"

#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

// UPSERT (INSERT ... ON CONFLICT DO UPDATE) needs 3.24.
static_assert(SQLITE_VERSION_NUMBER >= 3024000, "calltrack::sqlite needs SQLite 3.24 or newer");

namespace calltrack::sqlite_detail {

// --- the statements, prepared once per connection --------------------------------------------

enum class Sql : std::size_t {
    begin_immediate,
    commit,
    rollback,
    savepoint,
    release,
    rollback_to,

    load_agency,
    load_account,
    load_number,
    load_grants,
    load_grants_on,
    load_numbers_of,
    load_sub_accounts,
    load_incoming_transfers,
    find_number_by_phone,

    agency_version,
    account_version,
    number_version,
    grants_version,
    idempotency_exists,

    write_agency,
    write_account,
    write_number,
    write_grants,
    clear_grant_scopes,
    add_grant_scope,
    last_sequence,
    last_stream_version,
    append_event,
    raise_last_event_at,
    remove_deadline,
    add_deadline,
    last_outbox_sequence,
    add_effect,
    add_idempotency,

    due_deadlines,
    deadlines_of,
    claimable_deadlines,
    claim_deadline,
    claimable_effects,
    lease_effect,
    acknowledge_effect,
    read_stream,
    read_all,
    last_event_at,
    pending_effects,
    acknowledge_effects,
    find_idempotency,

    count
};

inline constexpr std::array<const char*, static_cast<std::size_t>(Sql::count)> sql_text = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT calltrack_batch",
    "RELEASE calltrack_batch",
    "ROLLBACK TO calltrack_batch",

    "SELECT version, json FROM agencies WHERE id = ?1",
    "SELECT version, json FROM accounts WHERE id = ?1",
    "SELECT version, json FROM numbers WHERE id = ?1",
    "SELECT version, json FROM grants WHERE user = ?1",
    "SELECT grants.user, grants.version, grants.json FROM grant_scopes "
    "JOIN grants ON grants.user = grant_scopes.user WHERE grant_scopes.scope = ?1 "
    "ORDER BY grants.user",
    "SELECT version, json FROM numbers WHERE account = ?1 ORDER BY id",
    "SELECT version, json FROM accounts WHERE agency = ?1 ORDER BY id",
    "SELECT version, json FROM accounts WHERE transfer_to = ?1 ORDER BY id",
    "SELECT id FROM numbers WHERE phone = ?1 AND on_account = 1 ORDER BY id LIMIT 1",

    "SELECT version FROM agencies WHERE id = ?1",
    "SELECT version FROM accounts WHERE id = ?1",
    "SELECT version FROM numbers WHERE id = ?1",
    "SELECT version FROM grants WHERE user = ?1",
    "SELECT 1 FROM idempotency WHERE key = ?1",

    "INSERT INTO agencies (id, version, json) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json",
    "INSERT INTO accounts (id, version, agency, transfer_to, json) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, agency = excluded.agency, "
    "transfer_to = excluded.transfer_to, json = excluded.json",
    "INSERT INTO numbers (id, version, account, phone, on_account, json) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, account = excluded.account, "
    "phone = excluded.phone, on_account = excluded.on_account, json = excluded.json",
    "INSERT INTO grants (user, version, json) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (user) DO UPDATE SET version = excluded.version, json = excluded.json",
    "DELETE FROM grant_scopes WHERE user = ?1",
    "INSERT OR IGNORE INTO grant_scopes (scope, user) VALUES (?1, ?2)",
    "SELECT sequence, hash FROM events ORDER BY sequence DESC LIMIT 1",
    "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream = ?1",
    "INSERT INTO events (sequence, stream, stream_version, json, policy_version, audit, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO meta (key, value) VALUES ('last_event_at', ?1) "
    "ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
    "DELETE FROM deadlines WHERE at = ?1 AND kind = ?2 AND subject = ?3",
    "INSERT OR IGNORE INTO deadlines (at, kind, subject) VALUES (?1, ?2, ?3)",
    "SELECT coalesce(max(sequence), 0) FROM outbox",
    "INSERT INTO outbox (sequence, json, owner) VALUES (?1, ?2, ?3)",
    "INSERT INTO idempotency (key, fingerprint, json) VALUES (?1, ?2, ?3)",

    "SELECT at, kind, subject FROM deadlines WHERE at <= ?1 ORDER BY at, kind, subject LIMIT ?2",
    "SELECT at, kind FROM deadlines WHERE subject = ?1 ORDER BY at, kind",
    // Due, and held by no other worker: unclaimed, this worker's, or expired by ?1.
    "SELECT at, kind, subject FROM deadlines WHERE at <= ?1 "
    "AND (claimed_by IS NULL OR claimed_by = ?3 OR claimed_until <= ?1) "
    "ORDER BY at, kind, subject LIMIT ?2",
    "UPDATE deadlines SET claimed_by = ?4, claimed_until = ?5 "
    "WHERE at = ?1 AND kind = ?2 AND subject = ?3",
    // The oldest pending entries of owners that no other consumer holds under a lease after ?3.
    "SELECT sequence, json FROM outbox WHERE acknowledged = 0 AND owner NOT IN ("
    "SELECT owner FROM outbox WHERE acknowledged = 0 AND leased_by IS NOT NULL "
    "AND leased_by <> ?2 AND leased_until > ?3) ORDER BY sequence LIMIT ?1",
    "UPDATE outbox SET leased_by = ?2, leased_until = ?3 WHERE sequence = ?1",
    "UPDATE outbox SET acknowledged = 1 WHERE acknowledged = 0 AND sequence = ?1",
    "SELECT sequence, stream_version, json, policy_version, audit, hash FROM events "
    "WHERE stream = ?1 AND stream_version > ?2 ORDER BY stream_version",
    "SELECT sequence, stream, stream_version, json, policy_version, audit, hash FROM events "
    "WHERE sequence > ?1 ORDER BY sequence LIMIT ?2",
    "SELECT value FROM meta WHERE key = 'last_event_at'",
    "SELECT sequence, json FROM outbox WHERE acknowledged = 0 ORDER BY sequence LIMIT ?1",
    "UPDATE outbox SET acknowledged = 1 WHERE acknowledged = 0 AND sequence <= ?1",
    "SELECT fingerprint, json FROM idempotency WHERE key = ?1",
};

constexpr std::size_t at(Sql which) noexcept {
    return static_cast<std::size_t>(which);
}

/// What a failed SQLite call means to the caller.
errc errc_of(int code) noexcept;

using Lock = std::lock_guard<std::mutex>;

}  // namespace calltrack::sqlite_detail

// Reaches the cached statement for `which` as the Query `var`, or returns the failure.
#define CALLTRACK_SQLITE_QUERY(var, which)                                 \
    auto var##_statement = prepare(::calltrack::sqlite_detail::at(which)); \
    if (!var##_statement) return var##_statement.error();                  \
    ::calltrack::sqlite_detail::Query var(var##_statement.value())

namespace calltrack {

struct SqliteStore::Statements {
    std::array<sqlite3_stmt*, static_cast<std::size_t>(sqlite_detail::Sql::count)> cached{};

    Statements() = default;
    Statements(const Statements&) = delete;
    Statements& operator=(const Statements&) = delete;
    ~Statements() {
        for (sqlite3_stmt* s : cached) sqlite3_finalize(s);
    }
};

// The numbering while this connection holds the write lock. Between BEGIN IMMEDIATE and the
// end of the transaction no other connection can write, so a value read once changes only
// through this connection's own batches: a group reads each counter once instead of running a
// max() per batch. Outside a group a commit uses a fresh set that lives as long as its
// transaction. The group's set is cleared whenever its transaction ends, however it ends.
struct SqliteStore::Counters {
    std::optional<std::int64_t> last_sequence;  ///< max(events.sequence), once read
    std::string last_hash;  ///< that event's hash (chain_start for none), read with it
    std::optional<std::int64_t> last_outbox_sequence;  ///< max(outbox.sequence), once read
    /// max(events.stream_version) of each stream read or written so far.
    std::unordered_map<std::string, std::int64_t> stream_versions;
    /// meta.last_event_at as stored when it was first read in the group (the group does not
    /// write it until it commits); the outer optional says whether it was read.
    std::optional<std::optional<std::int64_t>> stored_last_event_at;
    /// The latest event time of the group's released batches: written to meta.last_event_at
    /// once, just before the group's COMMIT.
    std::optional<std::int64_t> pending_last_event_at;
};

// What a batch changed in the counters, to put back if its savepoint is rolled back. A stream
// version read from the file during the batch is the value from before the batch (the batch had
// not written to that stream yet), so restoring it is as good as forgetting it.
struct SqliteStore::CounterUndo {
    std::optional<std::int64_t> last_sequence;
    std::string last_hash;
    std::optional<std::int64_t> last_outbox_sequence;
    /// Each stream version the batch raised, with its value before; the map's values stay put
    /// when it rehashes, so the pointers stay valid.
    std::vector<std::pair<std::int64_t*, std::int64_t>> stream_versions;

    explicit CounterUndo(const Counters& c)
        : last_sequence(c.last_sequence),
          last_hash(c.last_hash),
          last_outbox_sequence(c.last_outbox_sequence) {}

    void restore(Counters& c) const {
        c.last_sequence = last_sequence;
        c.last_hash = last_hash;
        c.last_outbox_sequence = last_outbox_sequence;
        for (auto it = stream_versions.rbegin(); it != stream_versions.rend(); ++it) {
            *it->first = it->second;
        }
    }
};

}  // namespace calltrack
