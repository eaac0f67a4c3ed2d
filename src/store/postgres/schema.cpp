// The schema itself: its tables and forward migrations, and open(), which connects, decides whether
// the schema may be used at all before anything is written to it (another application's tables,
// a newer calltrack's schema, a missing privilege are refused with a sentence saying what to do),
// then creates or migrates it. Kept apart so that the refusals read as one piece, next to the
// schema whose version they check.

#include "connection.hpp"

#include <calltrack/json.hpp>

#include <iterator>
#include <string>
#include <utility>

namespace calltrack {

using postgres_detail::in_quotes;
using postgres_detail::Sql;

namespace {

struct Migration {
    int to;              ///< the version once applied
    const char* script;  ///< runs inside the open's transaction; `{s}` is the quoted schema
};

// Forward migrations in order; each takes the schema from `to - 1` to `to`. Applied ones are
// never edited: a change is a new entry, and PostgresStore::schema_version follows the last one.
constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE {s}.calltrack_schema (
    version integer NOT NULL
);
INSERT INTO {s}.calltrack_schema (version) VALUES (0);

CREATE TABLE {s}.log_head (
    one                  boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_sequence        bigint NOT NULL,
    last_outbox_sequence bigint NOT NULL,
    last_event_at        bigint
);
INSERT INTO {s}.log_head (one, last_sequence, last_outbox_sequence) VALUES (true, 0, 0);

CREATE TABLE {s}.agencies (
    id      text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL,
    json    text NOT NULL
);

CREATE TABLE {s}.accounts (
    id          text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL,
    agency      text COLLATE "C",
    transfer_to text COLLATE "C",
    json        text NOT NULL
);
CREATE INDEX accounts_by_agency ON {s}.accounts (agency, id) WHERE agency IS NOT NULL;
CREATE INDEX accounts_by_transfer_to ON {s}.accounts (transfer_to, id)
    WHERE transfer_to IS NOT NULL;

CREATE TABLE {s}.numbers (
    id         text COLLATE "C" PRIMARY KEY,
    version    bigint NOT NULL,
    account    text COLLATE "C" NOT NULL,
    phone      text COLLATE "C" NOT NULL,
    on_account boolean NOT NULL,
    json       text NOT NULL
);
CREATE INDEX numbers_by_account ON {s}.numbers (account, id);
CREATE INDEX numbers_by_phone ON {s}.numbers (phone, id) WHERE on_account;

CREATE TABLE {s}.grants (
    "user"  text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL,
    json    text NOT NULL
);

-- The scopes each user holds a role on (scope_subject: "account:a1", "agency:g1", "platform"),
-- rewritten with the user's grants, so that a role with one holder finds the other.
CREATE TABLE {s}.grant_scopes (
    scope  text COLLATE "C" NOT NULL,
    "user" text COLLATE "C" NOT NULL,
    PRIMARY KEY (scope, "user")
);
CREATE INDEX grant_scopes_by_user ON {s}.grant_scopes ("user");

CREATE TABLE {s}.events (
    sequence       bigint PRIMARY KEY,
    stream         text COLLATE "C" NOT NULL,
    stream_version bigint NOT NULL,
    policy_version text NOT NULL,
    json           text NOT NULL,
    UNIQUE (stream, stream_version)
);

CREATE TABLE {s}.deadlines (
    at      bigint NOT NULL,
    kind    smallint NOT NULL,
    subject text COLLATE "C" NOT NULL,
    PRIMARY KEY (at, kind, subject)
);
CREATE INDEX deadlines_by_subject ON {s}.deadlines (subject, at, kind);

CREATE TABLE {s}.outbox (
    sequence     bigint PRIMARY KEY,
    json         text NOT NULL,
    acknowledged boolean NOT NULL DEFAULT false
);
CREATE INDEX outbox_pending ON {s}.outbox (sequence) WHERE NOT acknowledged;

CREATE TABLE {s}.idempotency (
    key         text COLLATE "C" PRIMARY KEY,
    fingerprint text NOT NULL,
    json        text NOT NULL
);
)sql"},
    // Each event records who acted and how, and is chained by hash to the one before it; the
    // head keeps the last link. The events already stored record no actor; chain_stored_events()
    // hashes them in order.
    {2, R"sql(
ALTER TABLE {s}.events ADD COLUMN audit text NOT NULL DEFAULT '',
                       ADD COLUMN hash text NOT NULL DEFAULT '';
ALTER TABLE {s}.log_head ADD COLUMN last_hash text NOT NULL DEFAULT '';
)sql"},
    // Claims and leases, for several workers and consumers: the worker that holds a due deadline
    // and until when, and each outbox entry's owner (effect_owner), consumer and lease. The
    // pending entries already stored get their owners from fill_outbox_owners().
    {3, R"sql(
ALTER TABLE {s}.deadlines ADD COLUMN claimed_by text COLLATE "C",
                          ADD COLUMN claimed_until bigint;
ALTER TABLE {s}.outbox ADD COLUMN owner text COLLATE "C" NOT NULL DEFAULT '',
                       ADD COLUMN leased_by text COLLATE "C",
                       ADD COLUMN leased_until bigint;
CREATE INDEX outbox_leased ON {s}.outbox (owner) WHERE NOT acknowledged AND leased_by IS NOT NULL;
)sql"},
};

static_assert(migrations[std::size(migrations) - 1].to == PostgresStore::schema_version,
              "PostgresStore::schema_version must name the last migration");

}  // namespace

result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& uri,
                                                           PostgresOptions options,
                                                           std::string* why) {
    const auto explain = [&](const std::string& sentence) {
        if (why != nullptr) *why = sentence;
    };
    // PostgreSQL truncates a longer identifier to 63 bytes, and cannot hold a NUL in one.
    if (options.schema.empty() || options.schema.size() > 63
        || options.schema.find('\0') != std::string::npos) {
        explain("the schema name " + in_quotes(options.schema)
                + " cannot be a PostgreSQL identifier: give 1 to 63 bytes without NUL");
        return errc::invalid_id;
    }
    auto impl = std::make_unique<Impl>(uri, std::move(options));
    if (auto connected = impl->connect(why); !connected) return connected.error();
    std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(impl)));
    Impl& s = *store->impl_;
    const std::string schema = in_quotes(s.options.schema);
    const std::string where = s.where();

    // Everything below is one transaction: a crash or a refusal leaves the schema as it was.
    // Two processes opening a new schema at once are ordered by an advisory lock on its name, so
    // one creates and migrates it and the other then finds it current.
    const auto abandon =
        [&](boost::system::error_code error,
            const std::string& sentence) -> result<std::unique_ptr<PostgresStore>> {
        explain(sentence);
        s.rollback();
        return error;
    };
    if (auto begun = s.exec_script("BEGIN ISOLATION LEVEL READ COMMITTED"); !begun) {
        return abandon(begun.error(),
                       "cannot begin a transaction on " + where + ": " + s.last_error);
    }
    if (auto locked = s.exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                             {"calltrack schema " + s.options.schema});
        !locked) {
        return abandon(locked.error(),
                       "cannot lock the schema name on " + where + ": " + s.last_error);
    }
    auto found = s.exec(
        "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = $1), "
        "to_regclass($2) IS NOT NULL, "
        "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1)",
        {s.options.schema, s.quoted_schema + ".calltrack_schema"});
    // A role without USAGE on an existing schema is refused here, when its name is looked up.
    const std::string usage =
        "; grant the role USAGE on the schema and SELECT, INSERT, UPDATE, DELETE on its tables";
    if (!found) {
        return abandon(found.error(),
                       "cannot look for schema " + schema + " in " + where + ": " + s.last_error
                           + (found.error() == errc::store_access_denied ? usage : ""));
    }
    const bool schema_exists = found.value().int64(0, 0) > 0;
    const bool is_calltrack = found.value().text(0, 1) == "t";
    const std::int64_t relations = found.value().int64(0, 2);

    int current = 0;
    if (is_calltrack) {
        auto stored = s.run(Sql::stored_schema_version);
        if (!stored) {
            return abandon(stored.error(),
                           "cannot read the schema version of " + schema + " in " + where + ": "
                               + s.last_error
                               + (stored.error() == errc::store_access_denied ? usage : ""));
        }
        if (stored.value().size() != 1) {
            return abandon(s.corrupt("calltrack_schema holds "
                                     + std::to_string(stored.value().size()) + " rows"),
                           "schema " + schema + " in " + where
                               + " has a damaged calltrack_schema table (not one row)");
        }
        current = static_cast<int>(stored.value().int64(0, 0));
        if (current > schema_version) {
            s.last_error = "schema version " + std::to_string(current);
            return abandon(make_error_code(errc::schema_too_new),
                           "schema " + schema + " in " + where + " has schema version "
                               + std::to_string(current)
                               + ", written by a newer calltrack; this one reads up to version "
                               + std::to_string(schema_version) + ": upgrade calltrack");
        }
    } else if (relations > 0) {
        s.last_error = std::to_string(relations) + " relations and no calltrack_schema table";
        return abandon(make_error_code(errc::store_corrupt),
                       "schema " + schema + " in " + where + " holds " + std::to_string(relations)
                           + " tables or other relations of another application, and no "
                             "calltrack_schema table; it was left unchanged: give calltrack a "
                             "schema of its own (PostgresOptions::schema)");
    } else if (!s.options.create) {
        s.last_error = "no calltrack store in schema " + schema;
        return abandon(make_error_code(errc::store_not_found),
                       "schema " + schema + " in " + where
                           + " holds no calltrack store, and none is created without "
                             "PostgresOptions::create");
    }

    if (current < schema_version) {
        if (!schema_exists) {
            if (auto made = s.exec_script("CREATE SCHEMA {s}"); !made) {
                const std::string advice =
                    made.error() == errc::store_access_denied
                        ? "; grant the role CREATE on the database, or create the schema for it "
                          "(CREATE SCHEMA ... AUTHORIZATION role)"
                        : "";
                return abandon(made.error(), "cannot create schema " + schema + " in " + where
                                                 + ": " + s.last_error + advice);
            }
        }
        // Sets the hash of every stored event, in sequence order, as commit() would have, and the
        // head's last link: the chain over a log written before there was one. Inside the open's
        // transaction.
        const auto chain_stored_events = [](Impl& session) -> result<void> {
            auto rows = session.exec(
                "SELECT sequence, stream, stream_version, json, policy_version FROM {s}.events "
                "ORDER BY sequence");
            if (!rows) return rows.error();
            const postgres_detail::Rows& r = rows.value();
            std::string previous(chain_start);
            for (int i = 0; i < r.size(); ++i) {
                StoredEvent e;
                e.sequence = r.uint64(i, 0);
                e.stream = r.text(i, 1);
                e.stream_version = r.uint64(i, 2);
                auto event = event_from_json(r.text(i, 3));
                if (!event) {
                    return session.corrupt(
                        "events row " + std::to_string(e.sequence)
                        + " holds JSON calltrack cannot read, so the log cannot be chained");
                }
                e.event = std::move(event).value();
                e.policy_version = r.text(i, 4);
                previous = chain_hash(previous, e);
                auto done = session.exec("UPDATE {s}.events SET hash = $1 WHERE sequence = $2",
                                         {previous, std::to_string(e.sequence)});
                if (!done) return done.error();
            }
            auto head = session.exec("UPDATE {s}.log_head SET last_hash = $1", {previous});
            if (!head) return head.error();
            return boost::outcome_v2::success();
        };
        // Sets the owner of every unacknowledged outbox entry from its effect, as commit() would
        // have. Acknowledged entries keep none: no claim reads them.
        const auto fill_outbox_owners = [](Impl& session) -> result<void> {
            auto rows =
                session.exec("SELECT sequence, json FROM {s}.outbox WHERE NOT acknowledged");
            if (!rows) return rows.error();
            const postgres_detail::Rows& r = rows.value();
            for (int i = 0; i < r.size(); ++i) {
                auto entry = postgres_detail::outbox_entry_of(r.uint64(i, 0), r.text(i, 1),
                                                              session.last_error);
                if (!entry) return entry.error();
                auto done = session.exec("UPDATE {s}.outbox SET owner = $1 WHERE sequence = $2",
                                         {effect_owner(entry.value().effect), r.text(i, 0)});
                if (!done) return done.error();
            }
            return boost::outcome_v2::success();
        };
        for (const Migration& m : migrations) {
            if (m.to <= current) continue;
            auto done = s.exec_script(m.script);
            if (done && m.to == 2) done = chain_stored_events(s);
            if (done && m.to == 3) done = fill_outbox_owners(s);
            if (done) {
                done = s.exec_script("UPDATE {s}.calltrack_schema SET version = "
                                     + std::to_string(m.to));
            }
            if (!done) {
                const std::string advice =
                    done.error() == errc::store_access_denied
                        ? "; grant the role CREATE on the schema, or let its owner open it first"
                        : "";
                return abandon(done.error(), "cannot migrate schema " + schema + " in " + where
                                                 + " to version " + std::to_string(m.to) + ": "
                                                 + s.last_error + advice);
            }
        }
    }
    if (auto committed = s.exec_script("COMMIT"); !committed) {
        return abandon(committed.error(), "cannot commit the schema of " + schema + " in " + where
                                              + ": " + s.last_error);
    }
    return store;
}

result<void> PostgresStore::erase_all() {
    const postgres_detail::Lock lock(impl_->mutex);
    if (impl_->group_depth > 0) {
        impl_->last_error = "erase_all inside a group";
        return errc::invalid_state;
    }
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    // Every table but calltrack_schema; log_head is reset rather than emptied, since every commit
    // that numbers events updates its one row.
    auto done = impl_->exec_script(
        "BEGIN; TRUNCATE {s}.agencies, {s}.accounts, {s}.numbers, {s}.grants, {s}.grant_scopes, "
        "{s}.events, {s}.deadlines, {s}.outbox, {s}.idempotency; "
        "UPDATE {s}.log_head SET last_sequence = 0, last_outbox_sequence = 0, "
        "last_event_at = NULL, last_hash = ''; COMMIT");
    if (!done) impl_->rollback();
    return done;
}

result<int> PostgresStore::stored_schema_version() {
    const postgres_detail::Lock lock(impl_->mutex);
    if (auto connected = impl_->ensure_connected(); !connected) return connected.error();
    auto rows = impl_->run(Sql::stored_schema_version);
    if (!rows) return rows.error();
    if (rows.value().size() != 1) return impl_->corrupt("calltrack_schema is not one row");
    return static_cast<int>(rows.value().int64(0, 0));
}

}  // namespace calltrack
