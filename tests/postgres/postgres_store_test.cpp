// PostgresStore against a real server (postgres_server.hpp says which): the store contract through
// the conformance suite, the schema and its refusals, optimistic concurrency across connections,
// deadlocks and dropped connections, and the global order as a tailing reader sees it while
// several writers commit. Its own executable, calltrack_postgres_tests, so that the unit binary
// needs no server.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/testing/forwarding_store.hpp>
#include <calltrack/testing/store_conformance.hpp>

#include "batches.hpp"
#include "postgres_server.hpp"
#include "store_scenario.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace ct = calltrack;
using calltrack::errc;
using calltrack::testing::TestSchemas;
using namespace calltrack::testing::batches;

// --- the contract --------------------------------------------------------------------------------

TEST_CASE("PostgresStore passes the store conformance suite", "[postgres][conformance]") {
    TestSchemas schemas;
    const auto failures = ct::testing::run_store_conformance([&]() -> std::unique_ptr<ct::Store> {
        ct::PostgresOptions options;
        options.schema = schemas.fresh("conformance");
        auto store = ct::PostgresStore::open(schemas.uri(), options);
        if (!store) return nullptr;
        return std::move(store).value();
    });
    for (const auto& f : failures) UNSCOPED_INFO(f.check << ": " << f.detail);
    CHECK(ct::testing::store_conformance_checks().size() >= 36);
    REQUIRE(failures.empty());
}

TEST_CASE("PostgresStore: a key with a NUL, which PostgreSQL text cannot hold, is refused whole",
          "[postgres]") {
    TestSchemas schemas;
    auto store = schemas.open_fresh();
    REQUIRE(store->commit(open_account("a", 0)));
    // Ids refuse a NUL themselves; an idempotency key is any string. Passed to libpq as a C string
    // it would be cut to "open-a" and collide with the receipt already stored.
    ct::CommitBatch batch = open_account("b", 1);
    batch.idempotency->key = std::string("open-a\0b", 8);
    const auto committed = store->commit(batch);
    REQUIRE_FALSE(committed);
    CHECK(committed.error() == errc::invalid_id);
    CHECK_THAT(store->last_error(), Catch::Contains("NUL"));
    CHECK_FALSE(store->load_account(ct::AccountId("b")).value());
    CHECK(store->read_all(0, 10).value().size() == 1);
    const auto found = store->find_idempotency(std::string("open-a\0b", 8));
    REQUIRE_FALSE(found);
    CHECK(found.error() == errc::invalid_id);
}

TEST_CASE("the engine over PostgresStore, opened again halfway, stores what it stores in memory",
          "[postgres][engine]") {
    namespace scenario = ct::testing::store_scenario;
    const ct::Time start = ct::testing::at("2024-03-01T09:00:00Z");
    ct::InMemoryStore memory;
    ct::ManualClock memory_clock(start);
    ct::Engine in_memory(ct::policies::ctm(), memory_clock, memory);
    scenario::open_and_cancel(in_memory);
    scenario::let_windows_close(in_memory, memory_clock);

    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh("engine");
    ct::ManualClock clock(start);
    {
        auto store = schemas.open(options);
        ct::Engine engine(ct::policies::ctm(), clock, *store);
        scenario::open_and_cancel(engine);
    }
    auto store = schemas.open(options);
    ct::Engine engine(ct::policies::ctm(), clock, *store);
    scenario::let_windows_close(engine, clock);

    CHECK(store->read_all(0, 1'000'000).value().size() > 20);
    CHECK(engine.account(ct::AccountId("solo")).value()->status == ct::AccountStatus::closed);
    scenario::require_same_contents(memory, *store);
}

// --- the schema ----------------------------------------------------------------------------------

TEST_CASE("PostgresStore stores its schema version and finds its data when opened again",
          "[postgres][schema]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh("Mixed Case \"quoted\"");
    {
        auto store = schemas.open(options);
        CHECK(store->stored_schema_version().value() == ct::PostgresStore::schema_version);
        REQUIRE(store->commit(open_account("a1", 1)));
    }
    auto again = schemas.open(options);
    const auto loaded = again->load_account(ct::AccountId("a1"));
    REQUIRE(loaded);
    REQUIRE(loaded.value());
    CHECK(loaded.value()->version == 1);
    CHECK(again->read_all(0, 10).value().size() == 1);
    CHECK(schemas.raw().exec("SELECT count(*) FROM pg_namespace WHERE nspname = "
                             + ct::testing::literal(options.schema))
          == "1");

    // Another schema of the same database is another store.
    auto neighbour = schemas.open_fresh();
    CHECK_FALSE(neighbour->load_account(ct::AccountId("a1")).value());
}

TEST_CASE("PostgresStore refuses a schema written by a newer calltrack", "[postgres][schema]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    schemas.open(options);
    schemas.raw().exec("UPDATE " + ct::testing::quoted(options.schema)
                       + ".calltrack_schema SET version = 99");
    std::string why;
    const auto store = ct::PostgresStore::open(schemas.uri(), options, &why);
    REQUIRE_FALSE(store);
    CHECK(store.error() == errc::schema_too_new);
    CHECK_FALSE(ct::is_retryable(store.error()));
    CHECK_THAT(why, Catch::Contains("schema version 99") && Catch::Contains("newer calltrack"));
}

TEST_CASE("PostgresStore: a refused connection is retryable and names the server",
          "[postgres][schema]") {
    std::string why;
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const auto store =
        ct::PostgresStore::open("postgresql://calltrack@127.0.0.1:1/calltrack", {}, &why);
    REQUIRE_FALSE(store);
    CHECK(store.error() == errc::store_unavailable);
    CHECK(ct::is_retryable(store.error()));
    CHECK_THAT(why, Catch::Contains("127.0.0.1") && Catch::Contains("refused"));
}

TEST_CASE("PostgresStore: a missing database is store_not_found, saying which",
          "[postgres][schema]") {
    TestSchemas schemas;
    std::string why;
    const auto store = ct::PostgresStore::open(
        schemas.uri_for("calltrack_no_such_database", schemas.raw().user()), {}, &why);
    REQUIRE_FALSE(store);
    CHECK(store.error() == errc::store_not_found);
    CHECK_THAT(why, Catch::Contains("calltrack_no_such_database") && Catch::Contains("createdb"));
}

TEST_CASE("PostgresStore: a missing privilege is store_access_denied, saying what to grant",
          "[postgres][schema]") {
    TestSchemas schemas;
    const std::string role = "ct_limited_" + std::to_string(static_cast<long>(::getpid()));
    schemas.raw().exec("DROP ROLE IF EXISTS " + role);
    schemas.raw().exec("CREATE ROLE " + role + " LOGIN");
    // Dropped however the test ends; it owns nothing, since every open is refused.
    struct DropRole {
        ct::testing::RawConnection& raw;
        std::string role;
        ~DropRole() { PQclear(PQexec(raw.get(), ("DROP ROLE IF EXISTS " + role).c_str())); }
    } drop_role{schemas.raw(), role};
    const std::string limited_uri = schemas.uri_for(schemas.raw().database(), role);

    SECTION("creating a schema needs CREATE on the database") {
        ct::PostgresOptions options;
        options.schema = schemas.fresh();
        std::string why;
        const auto store = ct::PostgresStore::open(limited_uri, options, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_access_denied);
        CHECK_FALSE(ct::is_retryable(store.error()));
        CHECK_THAT(why, Catch::Contains("GRANT") || Catch::Contains("grant"));
        CHECK_THAT(why, Catch::Contains(options.schema));
    }
    SECTION("a store in a schema the role may not use") {
        ct::PostgresOptions options;
        options.schema = schemas.fresh();
        schemas.open(options);  // made by the server's owner
        std::string why;
        const auto store = ct::PostgresStore::open(limited_uri, options, &why);
        REQUIRE_FALSE(store);
        CHECK(store.error() == errc::store_access_denied);
        CHECK_THAT(why, Catch::Contains("USAGE"));
    }
}

TEST_CASE("PostgresStore refuses a schema of another application and leaves it unchanged",
          "[postgres][schema]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    const std::string schema = ct::testing::quoted(options.schema);
    schemas.raw().exec("CREATE SCHEMA " + schema);
    schemas.raw().exec("CREATE TABLE " + schema + ".orders (id int)");
    std::string why;
    const auto store = ct::PostgresStore::open(schemas.uri(), options, &why);
    REQUIRE_FALSE(store);
    CHECK(store.error() == errc::store_corrupt);
    CHECK_THAT(why, Catch::Contains("another application"));
    CHECK(schemas.raw().exec("SELECT count(*) FROM pg_tables WHERE schemaname = '" + options.schema
                             + "'")
          == "1");

    SECTION("and without create, a schema with no store is store_not_found") {
        ct::PostgresOptions no_create;
        no_create.schema = schemas.fresh();
        no_create.create = false;
        const auto missing = ct::PostgresStore::open(schemas.uri(), no_create, &why);
        REQUIRE_FALSE(missing);
        CHECK(missing.error() == errc::store_not_found);
        CHECK(schemas.raw().exec("SELECT count(*) FROM pg_namespace WHERE nspname = "
                                 + ct::testing::literal(no_create.schema))
              == "0");
    }
}

// --- concurrency ---------------------------------------------------------------------------------

TEST_CASE("PostgresStore: two connections, two threads, 200 increments each, none lost",
          "[postgres][concurrency]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    auto first_store = schemas.open(options);
    auto second_store = schemas.open(options);
    REQUIRE(first_store->commit(open_account("a1", 0)));

    constexpr int increments = 200;
    std::atomic<int> conflicts{0};
    std::atomic<int> unexpected{0};
    std::vector<std::string> errors(2);
    auto worker = [&](ct::PostgresStore& store, std::string& error) {
        for (int done = 0; done < increments;) {
            auto loaded = store.load_account(ct::AccountId("a1"));
            if (!loaded || !loaded.value()) {
                error = loaded ? "a1 missing" : loaded.error().message() + store.last_error();
                ++unexpected;
                return;
            }
            const ct::Versioned<ct::Account> current = *loaded.value();
            ct::Account next = current.value;
            next.balance.available = usd(next.balance.available.minor_units() + 1);
            ct::CommitBatch batch;
            batch.accounts.push_back(ct::RecordWrite<ct::Account>{next, current.version});
            batch.events.push_back(ct::AppendEvent{"account:a1", resumed("a1", 1)});
            const auto committed = store.commit(batch);
            if (committed) {
                ++done;
            } else if (committed.error() == errc::concurrency_conflict) {
                ++conflicts;  // the other thread won: read again, decide again
            } else {
                error = committed.error().message() + ": " + store.last_error();
                ++unexpected;
                return;
            }
        }
    };
    std::thread first(worker, std::ref(*first_store), std::ref(errors[0]));
    std::thread second(worker, std::ref(*second_store), std::ref(errors[1]));
    first.join();
    second.join();

    INFO(errors[0] << " / " << errors[1]);
    CHECK(unexpected == 0);
    const auto final_account = first_store->load_account(ct::AccountId("a1")).value();
    REQUIRE(final_account);
    CHECK(final_account->version == 2 * increments + 1);
    CHECK(final_account->value.balance.available.minor_units() == 2 * increments);
    const auto stream = second_store->read_stream("account:a1").value();
    REQUIRE(stream.size() == 2 * increments + 1);
    for (std::size_t i = 0; i < stream.size(); ++i) {
        CHECK(stream[i].stream_version == i + 1);
        CHECK(stream[i].sequence == i + 1);
    }
    std::cout << "two writers: " << conflicts.load() << " conflicts retried\n";
}

TEST_CASE("PostgresStore: a deadlock is a retryable conflict and writes nothing",
          "[postgres][concurrency]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    options.application_name = "calltrack-deadlock-" + options.schema;
    auto store = schemas.open(options);
    REQUIRE(store->commit(open_account("a1", 0)));
    REQUIRE(store->commit(open_account("a2", 0)));
    const std::string accounts = ct::testing::quoted(options.schema) + ".accounts";

    // Behind the store's back: hold a2, so that the store's batch (a1, then a2) waits for it...
    ct::testing::RawConnection other(schemas.uri());
    other.exec("SET deadlock_timeout = '10s'");  // the store's backend is the one to give up
    other.exec("BEGIN");
    other.exec("UPDATE " + accounts + " SET version = version WHERE id = 'a2'");

    ct::CommitBatch batch;
    ct::Account a1 = account("a1");
    ct::Account a2 = account("a2");
    a1.balance.available = usd(100);
    a2.balance.available = usd(200);
    batch.accounts.push_back({a1, 1});
    batch.accounts.push_back({a2, 1});
    batch.events.push_back(ct::AppendEvent{"account:a1", resumed("a1", 2)});
    ct::result<void> committed = boost::outcome_v2::success();
    std::thread writer([&] { committed = store->commit(batch); });
    REQUIRE(eventually([&] {
        return schemas.raw().exec("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                                  + options.application_name + "' AND wait_event_type = 'Lock'")
               == "1";
    }));
    // ...then ask for a1, which the store's transaction holds: a cycle.
    other.send("UPDATE " + accounts + " SET version = version WHERE id = 'a1'");
    writer.join();
    CHECK(other.finish_send());
    other.exec("ROLLBACK");

    REQUIRE_FALSE(committed);
    CHECK(committed.error() == errc::concurrency_conflict);
    CHECK(ct::is_retryable(committed.error()));
    CHECK_THAT(store->last_error(), Catch::Contains("40P01"));
    CHECK(store->load_account(ct::AccountId("a1")).value()->version == 1);
    CHECK(store->read_all(0, 10).value().size() == 2);
    REQUIRE(store->commit(batch));  // tried again, it goes through
}

TEST_CASE("PostgresStore: a row held past lock_timeout is a retryable conflict, nothing written",
          "[postgres][concurrency]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    options.lock_timeout = std::chrono::milliseconds(100);
    auto store = schemas.open(options);
    REQUIRE(store->commit(open_account("a1", 0)));
    ct::testing::RawConnection other(schemas.uri());
    other.exec("BEGIN");
    other.exec("SELECT * FROM " + ct::testing::quoted(options.schema)
               + ".accounts WHERE id = 'a1' FOR UPDATE");

    ct::CommitBatch batch;
    batch.accounts.push_back({account("a1"), 1});
    batch.events.push_back(ct::AppendEvent{"account:a1", resumed("a1", 2)});
    const auto committed = store->commit(batch);
    other.exec("ROLLBACK");
    REQUIRE_FALSE(committed);
    CHECK(committed.error() == errc::concurrency_conflict);
    CHECK_THAT(store->last_error(), Catch::Contains("55P03"));
    CHECK(store->load_account(ct::AccountId("a1")).value()->version == 1);
    CHECK(store->read_all(0, 10).value().size() == 1);
    REQUIRE(store->commit(batch));
}

TEST_CASE("PostgresStore: a connection dropped mid-commit writes nothing, and the store reconnects",
          "[postgres][reconnect]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    options.application_name = "calltrack-dropped-" + options.schema;
    auto store = schemas.open(options);
    REQUIRE(store->commit(open_account("a1", 0)));
    const std::string schema = ct::testing::quoted(options.schema);
    const std::string backend = "SELECT pid FROM pg_stat_activity WHERE application_name = '"
                                + options.application_name + "'";

    SECTION("while the commit waits, half-written") {
        // Hold the log head, so the commit writes its account and deadline, then waits there.
        ct::testing::RawConnection other(schemas.uri());
        other.exec("BEGIN");
        other.exec("SELECT * FROM " + schema + ".log_head FOR UPDATE");
        ct::result<void> committed = boost::outcome_v2::success();
        std::thread writer([&] { committed = store->commit(open_account("a2", 1)); });
        REQUIRE(eventually([&] {
            return !schemas.raw().exec(backend + " AND wait_event_type = 'Lock'").empty();
        }));
        schemas.raw().exec("SELECT pg_terminate_backend((" + backend + "))");
        writer.join();
        other.exec("ROLLBACK");

        REQUIRE_FALSE(committed);
        CHECK(committed.error() == errc::store_unavailable);
        CHECK(ct::is_retryable(committed.error()));
        CHECK_THAT(store->last_error(), Catch::Contains("reconnects"));
    }
    SECTION("while the connection is idle") {
        const std::string before = schemas.raw().exec(backend);
        REQUIRE_FALSE(before.empty());
        schemas.raw().exec("SELECT pg_terminate_backend(" + before + ")");
        REQUIRE(eventually([&] { return schemas.raw().exec(backend).empty(); }));
        const auto committed = store->commit(open_account("a2", 1));
        REQUIRE_FALSE(committed);
        CHECK(committed.error() == errc::store_unavailable);
    }

    // Nothing of a2 was written, and the next calls work on a new connection.
    const auto a2 = store->load_account(ct::AccountId("a2"));
    INFO(store->last_error());
    REQUIRE(a2);
    CHECK_FALSE(a2.value());
    CHECK(store->deadlines_of("account:a2").value().empty());
    CHECK_FALSE(store->find_idempotency("open-a2").value());
    CHECK(store->read_all(0, 10).value().size() == 1);
    REQUIRE(store->commit(open_account("a2", 1)));
    CHECK(store->read_all(0, 10).value().back().sequence == 2);
}

TEST_CASE(
    "PostgresStore: two engines on two connections grant the one account owner at once; "
    "one lands, the other retries and is refused",
    "[postgres][engine][concurrency]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh("owner");
    auto first_store = schemas.open(options);
    auto other_store = schemas.open(options);
    const ct::AccountId acme("acme");
    const ct::RoleGrant owner{ct::Role::account_owner, acme};
    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    ct::ManualClock clock(ct::testing::at("2024-05-01T00:00:00Z"));
    ct::Engine other(ct::policies::smrtphone(), clock, *other_store);
    REQUIRE(other.execute(
        support,
        ct::commands::OpenAccount{acme, std::nullopt, ct::Plan{"Pro", {}}, ct::testing::usd()}));

    // The other engine's whole grant lands, on its own connection, between the first engine's
    // reads and its commit.
    struct CommitsAfter final : ct::testing::ForwardingStore {
        using ForwardingStore::ForwardingStore;
        std::function<void()> hook;
        ct::result<void> commit(const ct::CommitBatch& batch) override {
            if (hook) {
                const auto run = std::move(hook);
                hook = nullptr;
                run();
            }
            return ForwardingStore::commit(batch);
        }
    } racing(*first_store);
    ct::Engine first(ct::policies::smrtphone(), clock, racing);
    bool other_landed = false;
    racing.hook = [&] {
        other_landed = static_cast<bool>(
            other.execute(support, ct::commands::GrantRole{ct::UserId("oscar"), owner}));
    };
    const auto granted =
        first.execute(support, ct::commands::GrantRole{ct::UserId("olivia"), owner});
    REQUIRE(other_landed);
    REQUIRE_FALSE(granted);
    CHECK(granted.error() == errc::role_already_held);
    const auto holders = first_store->load_grants_on(ct::Scope(acme));
    REQUIRE(holders);
    REQUIRE(holders.value().size() == 1);
    CHECK(holders.value().front().value.user == ct::UserId("oscar"));
}

// --- the global order ----------------------------------------------------------------------------

TEST_CASE(
    "PostgresStore: a reader tailing read_all while 4 writers commit sees every event once, "
    "in order",
    "[postgres][order]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh();
    auto reader_store = schemas.open(options);
    constexpr int writers = 4;
    constexpr int commits = 60;
    std::vector<std::unique_ptr<ct::PostgresStore>> writer_stores;
    for (int w = 0; w < writers; ++w) writer_stores.push_back(schemas.open(options));

    // Each writer appends 1 to 3 events per commit to its own stream; between its commits it
    // writes a record alone (no event), so commits with and without numbers interleave.
    std::atomic<int> writing{writers};
    std::vector<std::string> errors(writers);
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            ct::PostgresStore& store = *writer_stores[static_cast<std::size_t>(w)];
            const std::string id = "w" + std::to_string(w);
            for (int c = 0; c < commits; ++c) {
                ct::CommitBatch batch;
                for (int e = 0; e <= (c + w) % 3; ++e) {
                    batch.events.push_back(ct::AppendEvent{"account:" + id, resumed(id, c)});
                }
                ct::Account a = account(id + "-" + std::to_string(c));
                batch.accounts.push_back({a, 0});
                if (const auto r = store.commit(batch); !r) {
                    errors[static_cast<std::size_t>(w)] = store.last_error();
                    break;
                }
            }
            --writing;
        });
    }

    std::vector<std::uint64_t> seen;
    std::map<std::string, ct::Version> last_stream_version;
    std::string reader_error;
    std::uint64_t after = 0;
    for (;;) {
        const bool done = writing.load() == 0;
        auto page = reader_store->read_all(after, 7);
        if (!page) {
            reader_error = reader_store->last_error();
            break;
        }
        for (const auto& stored : page.value()) {
            seen.push_back(stored.sequence);
            // Each stream's versions arrive in order too, without gaps.
            CHECK(stored.stream_version == last_stream_version[stored.stream] + 1);
            last_stream_version[stored.stream] = stored.stream_version;
            after = stored.sequence;
        }
        if (done && page.value().empty()) break;
    }
    for (auto& t : threads) t.join();

    for (const auto& e : errors) CHECK(e.empty());
    CHECK(reader_error.empty());
    std::size_t expected = 0;
    for (int w = 0; w < writers; ++w) {
        for (int c = 0; c < commits; ++c) expected += static_cast<std::size_t>((c + w) % 3 + 1);
    }
    REQUIRE(seen.size() == expected);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (seen[i] != i + 1) {
            FAIL("the reader saw sequence " << seen[i] << " at position " << i + 1
                                            << ": an event was skipped or seen twice");
        }
    }
}
