// PostgresStore's group commit (as SqliteStore's: many commits, one transaction, each a
// savepoint) and the pipelines every commit now runs in: what another connection sees before and
// after a group ends, a refused batch undone alone, rollback and nesting, and a group whose
// connection is lost writing nothing at all.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include "batches.hpp"
#include "postgres_server.hpp"

#include <string>

namespace ct = calltrack;
using calltrack::errc;
using calltrack::testing::TestSchemas;
using namespace calltrack::testing::batches;

TEST_CASE("PostgresStore group commit: many batches, one transaction, a refused batch alone",
          "[postgres][group]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh("group");
    auto store = schemas.open(options);
    auto observer = schemas.open(options);  // another connection sees only what is committed
    constexpr int batches = 200;

    REQUIRE(store->begin_group());
    CHECK(store->is_in_group());
    for (int i = 0; i < batches; ++i) {
        INFO("batch " << i);
        REQUIRE(store->commit(open_account("a" + std::to_string(i), i)));
        if (i == 100) {
            // Stale: a0 is at version 1 already. Refused alone, the group goes on.
            ct::CommitBatch stale = open_account("a0", 999);
            stale.accounts.push_back(ct::RecordWrite<ct::Account>{account("fresh"), 0});
            stale.idempotency->key = "stale";
            const auto refused = store->commit(stale);
            REQUIRE_FALSE(refused);
            CHECK(refused.error() == errc::concurrency_conflict);
            CHECK_THAT(store->last_error(), Catch::Contains("a0"));
        }
    }
    // This connection reads its own group's writes; the other sees nothing yet.
    CHECK(store->read_all(0, 1000).value().size() == batches);
    CHECK(observer->read_all(0, 1000).value().empty());
    CHECK_FALSE(observer->load_account(ct::AccountId("a0")).value());
    REQUIRE(store->end_group());
    CHECK_FALSE(store->is_in_group());

    const auto log = observer->read_all(0, 1000);
    REQUIRE(log);
    REQUIRE(log.value().size() == batches);
    for (std::size_t i = 0; i < log.value().size(); ++i) CHECK(log.value()[i].sequence == i + 1);
    CHECK(observer->due_deadlines(at_minute(10'000), 1000).value().size() == batches);
    CHECK(observer->load_account(ct::AccountId("a0")).value()->version == 1);
    CHECK_FALSE(observer->load_account(ct::AccountId("fresh")).value());
    CHECK_FALSE(observer->find_idempotency("stale").value());
    CHECK(observer->find_idempotency("open-a199").value());
    CHECK(observer->deadlines_of("account:a0").value().size() == 1);
    // The chain runs on across the group's batches and after it.
    REQUIRE(observer->commit(open_account("after", 1)));
    const auto after = observer->read_all(batches, 10);
    REQUIRE(after);
    REQUIRE(after.value().size() == 1);
    CHECK(after.value().front().hash == ct::chain_hash(log.value().back().hash, after.value()[0]));
}

TEST_CASE("PostgresStore group: rollback and an abandoned Group write nothing",
          "[postgres][group]") {
    TestSchemas schemas;
    auto store = schemas.open_fresh();
    REQUIRE(store->begin_group());
    REQUIRE(store->commit(open_account("a1", 1)));
    REQUIRE(store->rollback_group());
    CHECK_FALSE(store->load_account(ct::AccountId("a1")).value());

    {
        auto group = store->group();
        REQUIRE(group);
        REQUIRE(store->commit(open_account("a2", 2)));
        // Nested groups commit only with the outermost one.
        REQUIRE(store->begin_group());
        REQUIRE(store->commit(open_account("a3", 3)));
        REQUIRE(store->end_group());
        CHECK(store->is_in_group());
        CHECK(store->erase_all().error() == errc::invalid_state);
    }  // not committed: rolled back
    CHECK_FALSE(store->is_in_group());
    CHECK(store->read_all(0, 10).value().empty());

    {
        auto group = store->group();
        REQUIRE(group);
        REQUIRE(store->commit(open_account("a4", 4)));
        REQUIRE(group.value().commit());
    }
    CHECK(store->load_account(ct::AccountId("a4")).value());
    // Numbered from 1: the rolled-back batches gave their sequences back.
    CHECK(store->read_all(0, 10).value().front().sequence == 1);
    CHECK(store->end_group().error() == errc::invalid_state);
    CHECK(store->rollback_group().error() == errc::invalid_state);
}

TEST_CASE("PostgresStore group: a connection lost inside a group writes nothing of it",
          "[postgres][group][reconnect]") {
    TestSchemas schemas;
    ct::PostgresOptions options;
    options.schema = schemas.fresh("lost");
    options.application_name = "calltrack-lost-" + options.schema;
    auto store = schemas.open(options);
    REQUIRE(store->begin_group());
    REQUIRE(store->commit(open_account("a1", 1)));
    schemas.raw().exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        + ct::testing::literal(options.application_name));
    REQUIRE(eventually([&] {
        return schemas.raw().exec("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                  + ct::testing::literal(options.application_name))
               == "0";
    }));

    // Every call fails until the group ends: a new connection would drop a1 without a word.
    const auto lost = store->commit(open_account("a2", 2));
    REQUIRE_FALSE(lost);
    CHECK(lost.error() == errc::store_unavailable);
    const auto read = store->load_account(ct::AccountId("a1"));
    REQUIRE_FALSE(read);
    CHECK(read.error() == errc::store_unavailable);
    const auto ended = store->end_group();
    REQUIRE_FALSE(ended);
    CHECK(ended.error() == errc::store_unavailable);
    CHECK_FALSE(store->is_in_group());

    // Then the store reconnects, and holds nothing of the group.
    const auto a1 = store->load_account(ct::AccountId("a1"));
    INFO(store->last_error());
    REQUIRE(a1);
    CHECK_FALSE(a1.value());
    CHECK(store->read_all(0, 10).value().empty());
    REQUIRE(store->commit(open_account("a2", 2)));
    CHECK(store->read_all(0, 10).value().front().sequence == 1);
}
