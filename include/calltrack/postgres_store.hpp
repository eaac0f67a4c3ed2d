#pragma once

// A Store in one schema of a PostgreSQL database (15 or newer), shared by every process that opens
// it: records, events, deadlines, the outbox and idempotency receipts, kept as calltrack's
// canonical JSON (calltrack/json.hpp) next to the columns that index them. Several calltrack
// instances may share one database, each in its own schema. docs/postgres.md describes the
// schema, the isolation level, how the global event order stays safe for readers, and what a
// failure means.
//
// One PostgresStore is one connection. Its calls are serialised by a mutex, so threads may share
// it; several PostgresStores, in one process or on many machines, may open the same schema, and
// optimistic versions sort out their commits: a writer that loses gets errc::concurrency_conflict
// and may retry. A connection that drops is reported as errc::store_unavailable (nothing of an
// unfinished commit is written) and opened again by the next call.
//
// No <libpq-fe.h> here: the connection lives behind a pointer to a private Impl.

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace calltrack {

struct PostgresOptions {
    /// The schema that holds this instance's tables; any name PostgreSQL accepts (at most 63
    /// bytes), quoted as an identifier, so case and punctuation are kept as given.
    std::string schema = "calltrack";
    /// Whether open() may create the schema and its tables. With false, only a schema that already
    /// holds a calltrack store opens; anything else is errc::store_not_found.
    bool create = true;
    /// How long a commit waits for a row another transaction holds before giving up with
    /// errc::concurrency_conflict (PostgreSQL's lock_timeout).
    std::chrono::milliseconds lock_timeout{5000};
    /// How long connecting may take, at open and at each reconnection (libpq's connect_timeout,
    /// whole seconds, at least 1). A connect_timeout in the URI takes precedence.
    std::chrono::seconds connect_timeout{10};
    /// The connection's application_name, as pg_stat_activity shows it; empty: the URI's, or
    /// "calltrack".
    std::string application_name = {};
    /// Whether a commit that adds effects notifies the schema's channel when it commits, so that
    /// wait_for_effects() on any connection wakes (PostgreSQL's NOTIFY).
    bool notify_effects = true;
};

class CALLTRACK_POSTGRES_API PostgresStore final : public Store {
  public:
    /// The schema version this library writes (the `calltrack_schema` table). Older schemas are
    /// migrated forward on open; newer ones are refused with errc::schema_too_new.
    static constexpr int schema_version = 3;

    /// Connects to `uri` (`postgresql://user@host:port/database?...`, or any libpq connection
    /// string) and opens the store in `options.schema`, creating and migrating it when allowed.
    /// Errors, each with a sentence in `why` naming the server, database or schema and the cause:
    /// errc::store_unavailable (the server refused or did not answer: retryable),
    /// errc::store_not_found (no such database, or no store in the schema without
    /// PostgresOptions::create), errc::store_access_denied (a login, or a privilege on the
    /// database, schema or tables, is missing), errc::schema_too_new (written by a newer
    /// calltrack), errc::store_corrupt (the schema holds another application's tables),
    /// errc::invalid_id (a schema name PostgreSQL cannot hold).
    static result<std::unique_ptr<PostgresStore>> open(const std::string& uri,
                                                       PostgresOptions options = {},
                                                       std::string* why = nullptr);

    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;
    ~PostgresStore() override;

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

    /// One READ COMMITTED transaction (inside a group, one savepoint), its statements sent in
    /// two pipelines of libpq's pipeline mode: one round trip for the records, receipt, deadlines
    /// and the log_head numbering, one for the events, effects and COMMIT. docs/postgres.md says
    /// why that level is enough.
    result<void> commit(const CommitBatch& batch) override;

    result<std::vector<Deadline>> due_deadlines(Time t, std::size_t limit) override;
    result<std::vector<Deadline>> deadlines_of(const std::string& subject) override;
    /// One UPDATE of the first free due deadlines, chosen FOR UPDATE SKIP LOCKED: workers
    /// claiming at once take disjoint sets without waiting for each other (docs/postgres.md).
    result<std::vector<Deadline>> claim_due_deadlines(Time t, std::size_t limit,
                                                      const std::string& worker,
                                                      Time lease_until) override;

    result<std::vector<StoredEvent>> read_stream(const StreamId& stream,
                                                 Version after = 0) override;
    result<std::vector<StoredEvent>> read_all(std::uint64_t after, std::size_t limit) override;
    result<std::optional<Time>> last_event_time() override;

    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit) override;
    result<void> acknowledge_effects(std::uint64_t up_to) override;
    /// One transaction under the schema's outbox advisory lock, so claims are taken one after
    /// another, each seeing the leases of those before (docs/postgres.md).
    result<std::vector<OutboxEntry>> claim_effects(std::size_t limit, const std::string& consumer,
                                                   Time now, Time lease_until) override;
    result<void> acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) override;

    // --- waiting for effects --------------------------------------------------------------------

    /// Waits, at most `timeout`, for a commit on any connection to add effects to this schema's
    /// outbox (LISTEN on the channel PostgresOptions::notify_effects commits notify). True when
    /// one did, or when this connection only now began to listen (its first call, or the first
    /// after a reconnection: effects committed before were not announced to it, so look); false
    /// when the time ran out. Call it when a claim or read found nothing, then look again. The
    /// store's other calls may run from other threads while it waits.
    result<bool> wait_for_effects(std::chrono::milliseconds timeout);
    /// The channel commits with effects notify: "calltrack_effects_" and 16 hex digits of the
    /// schema name's SHA-256, for a host that LISTENs on a connection of its own.
    const std::string& effects_channel() const;

    result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key) override;

    // --- group commit ----------------------------------------------------------------------------
    // Many commits in one transaction, for bulk imports and deadline sweeps, as SqliteStore has:
    // one WAL flush for the lot. Inside a group each commit() (and claim_effects()) is a
    // savepoint, so a refused batch is rolled back alone and the others stay; reads on this store
    // see the group's writes, other connections see none of them until end_group(). Groups nest;
    // only the outermost one commits. From the group's first commit with events or effects to
    // its end, this connection holds the log_head row, so other commits that append wait for it:
    // keep groups short. A connection lost inside a group loses the group: every call fails with
    // errc::store_unavailable until the group is ended or rolled back, and nothing of it is
    // written.

    /// Starts a group (BEGIN ISOLATION LEVEL READ COMMITTED).
    result<void> begin_group();
    /// Commits every batch of the group at once. On failure nothing of the group is written.
    result<void> end_group();
    /// Drops every batch of the group.
    result<void> rollback_group();
    bool is_in_group() const;

    /// A group that rolls back unless commit() is called: `auto g = store.group();` ...
    /// `g.value().commit();`.
    class CALLTRACK_POSTGRES_API Group {
      public:
        Group(Group&& other) noexcept;
        Group& operator=(Group&&) = delete;
        Group(const Group&) = delete;
        Group& operator=(const Group&) = delete;
        ~Group();
        result<void> commit();

      private:
        friend class PostgresStore;
        explicit Group(PostgresStore& store) : store_(&store) {}
        PostgresStore* store_;
    };
    result<Group> group();

    // --- maintenance ----------------------------------------------------------------------------

    /// Deletes every record, event, deadline, outbox entry and receipt of this store's schema in
    /// one transaction, leaving an empty calltrack store (the program's `run --fresh`). Other
    /// schemas, and the schema itself, are left as they are. Refused inside a group
    /// (errc::invalid_state).
    result<void> erase_all();
    /// The schema version stored in the schema's `calltrack_schema` table.
    result<int> stored_schema_version();
    /// The schema this store uses, as given in PostgresOptions::schema.
    const std::string& schema() const;
    /// PostgreSQL's words for the last failure on this store (with the SQLSTATE), for logs; for a
    /// refused commit it names the row and both versions.
    std::string last_error() const;

  private:
    struct Impl;
    explicit PostgresStore(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

}  // namespace calltrack
