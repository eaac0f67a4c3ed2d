// The audit trail (audit.hpp, store.hpp's chain_hash, verify.hpp): every stored event records who
// acted, under which roles, with which confirmation and policy version, and is chained by hash to
// the one before, so that verify_log() finds an event removed, reordered or edited, and a record
// written outside the log. Over InMemoryStore and SqliteStore; the PostgreSQL store's own tests
// run the same chain through its conformance suite.
#include <calltrack/audit.hpp>
#include <calltrack/digest.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/sqlite_store.hpp>
#include <calltrack/verify.hpp>

#include "lifecycle_fixture.hpp"
#include "temp_dir.hpp"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const Actor audit_staff = Actor::support(UserId("support"));
const Actor audit_owner{UserId("olivia"), {RoleGrant{Role::account_owner, acme}}};

/// smrtPhone: acme with one number, its owner olivia, the survey answered, then canceled with the
/// typed phrase and the acknowledgement.
void cancel_acme_under_smrtphone(Engine& engine) {
    REQUIRE(engine.execute(audit_staff,
                           commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(engine.execute(audit_staff,
                           commands::GrantRole{audit_owner.user, audit_owner.grants.front()}));
    REQUIRE(engine.execute(audit_owner,
                           commands::AddTrackingNumber{NumberId("n1"), acme, phone("+14045550101"),
                                                       phone("+14045550199")}));
    REQUIRE(engine.execute(audit_owner, commands::RecordSurvey{acme, SurveyOutcome::confirm}));
    REQUIRE(engine.execute(audit_owner,
                           commands::CancelAccount{acme, Confirmation().type("CONFIRM").acknowledge(
                                                             "unported_numbers_lost")}));
}

/// Runs one statement on the database file, outside calltrack.
void raw_sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO(sql << ": " << (message != nullptr ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

std::unique_ptr<SqliteStore> open_file(const std::string& path) {
    auto opened = SqliteStore::open(path);
    REQUIRE(opened);
    return std::move(opened).value();
}

/// A SQLite file holding a CTM history: acme opened, administered by ada, canceled by her with a
/// reason, and its data purged by the deadline 30 days later.
std::string ctm_history_file(const TempDir& dir) {
    const std::string path = dir.file("audit.db");
    auto store = open_file(path);
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, *store);
    const Actor ada{UserId("ada"), {RoleGrant{Role::administrator, acme}}};
    REQUIRE(engine.execute(audit_staff,
                           commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(engine.execute(audit_staff, commands::GrantRole{ada.user, ada.grants.front()}));
    REQUIRE(engine.execute(
        ada, commands::CancelAccount{acme, Confirmation::click().because("moving in-house")}));
    REQUIRE(clock.advance(days(400)));
    REQUIRE(engine.advance());
    return path;
}

LogVerification verified(Store& store) {
    auto v = verify_log(store, 3);  // pages of 3, so that the chain crosses pages
    REQUIRE(v);
    return v.value();
}

}  // namespace

TEST_CASE("SHA-256 gives FIPS 180-4's example digests", "[audit]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
          == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1'000'000, 'a'))
          == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // 55, 56 and 64 bytes: the padding's three cases (length fits, spills, a whole block).
    CHECK(sha256_hex(std::string(55, 'a'))
          == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(sha256_hex(std::string(56, 'a'))
          == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(sha256_hex(std::string(64, 'a'))
          == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("every stored event records who acted, under which roles, with which confirmation",
          "[audit][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    std::unique_ptr<Store> store;
    if (sqlite) {
        store = open_file(":memory:");
    } else {
        store = std::make_unique<InMemoryStore>();
    }
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::smrtphone(), clock, *store);
    cancel_acme_under_smrtphone(engine);

    auto history = engine.history(acme);
    REQUIRE(history);
    const auto& events = history.value();
    REQUIRE_FALSE(events.empty());
    CHECK(events.front().audit.actor == UserId("support"));
    CHECK(events.front().audit.operation == Operation::open_account);
    CHECK(events.front().audit.roles == audit_staff.grants);
    CHECK_FALSE(events.front().audit.confirmation);

    const StoredEvent* survey = nullptr;
    const StoredEvent* canceled = nullptr;
    for (const auto& e : events) {
        if (std::holds_alternative<events::SurveyRecorded>(e.event)) survey = &e;
        if (std::holds_alternative<events::AccountCanceled>(e.event)) canceled = &e;
        CHECK(e.policy_version == engine.policies().latest().version);
        CHECK(e.hash.size() == 64);
    }
    REQUIRE(survey != nullptr);
    CHECK(survey->audit.operation == Operation::record_survey);
    CHECK(survey->audit.survey == SurveyOutcome::confirm);
    CHECK_FALSE(survey->audit.confirmation);

    REQUIRE(canceled != nullptr);
    const Audit& a = canceled->audit;
    CHECK(a.actor == UserId("olivia"));
    CHECK(a.roles == audit_owner.grants);
    CHECK(a.operation == Operation::cancel_account);
    REQUIRE(a.confirmation);
    CHECK(a.confirmation->typed == "CONFIRM");
    CHECK(a.confirmation->acknowledged == std::vector<std::string>{"unported_numbers_lost"});
    // The survey answer the cancel was judged with, recorded by an earlier command.
    CHECK(a.survey == SurveyOutcome::confirm);
    // Every event of the one command carries the same record.
    for (const auto& e : events) {
        if (e.audit.operation == Operation::cancel_account) CHECK(e.audit == a);
    }

    const LogVerification v = verified(*store);
    CHECK(v.is_intact());
    CHECK_FALSE(v.broken_at);
    auto all = store->read_all(0, 1000);
    REQUIRE(all);
    CHECK(v.events == all.value().size());
    CHECK(v.head == all.value().back().hash);
}

TEST_CASE("a deadline's events record no actor, and the log verifies across a sweep",
          "[audit][sqlite]") {
    TempDir dir;
    const std::string path = ctm_history_file(dir);
    auto store = open_file(path);
    auto all = store->read_all(0, 1000);
    REQUIRE(all);
    bool purged = false;
    for (const auto& e : all.value()) {
        if (!std::holds_alternative<events::DataPurged>(e.event)) continue;
        purged = true;
        CHECK(e.audit == Audit{});
    }
    CHECK(purged);
    const auto& cancel = all.value().at(2);
    CHECK(cancel.audit.actor == UserId("ada"));
    REQUIRE(cancel.audit.confirmation);
    CHECK(cancel.audit.confirmation->reasons == std::vector<std::string>{"moving in-house"});
    CHECK(verified(*store).is_intact());
}

TEST_CASE(
    "verify_log finds an event edited, removed or reordered, and a record written outside "
    "the log",
    "[audit][sqlite]") {
    TempDir dir;
    const std::string path = ctm_history_file(dir);
    std::uint64_t count = 0;
    std::string head;
    {
        auto store = open_file(path);
        const auto v = verified(*store);
        REQUIRE(v.is_intact());
        count = v.events;
        head = v.head;
        REQUIRE(count >= 6);
    }
    const std::string copy = dir.file("tampered.db");
    const auto fresh = [&] {
        std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
        std::filesystem::remove(copy + "-wal");
        std::filesystem::remove(copy + "-shm");
    };

    SECTION("an event's content edited") {
        fresh();
        raw_sql(copy,
                "UPDATE events SET json = replace(json, 'moving in-house', 'too expensive') "
                "WHERE sequence = 3");
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK_FALSE(v.is_intact());
        CHECK(v.broken_at == std::uint64_t{3});
        CHECK_THAT(v.problem, Catch::Contains("event #3"));
    }
    SECTION("who acted, edited") {
        fresh();
        raw_sql(copy,
                "UPDATE events SET audit = replace(audit, '\"ada\"', '\"support\"') "
                "WHERE sequence = 3");
        auto store = open_file(copy);
        CHECK(verified(*store).broken_at == std::uint64_t{3});
    }
    SECTION("an event rewritten with a new hash of its own: the next one breaks") {
        fresh();
        StoredEvent rewritten;
        std::string before_it;
        {
            auto store = open_file(copy);
            auto all = store->read_all(0, 1000);
            REQUIRE(all);
            before_it = all.value().at(1).hash;
            rewritten = all.value().at(2);
        }
        rewritten.audit.actor = UserId("support");
        raw_sql(copy, "UPDATE events SET audit = '" + to_json(rewritten.audit) + "', hash = '"
                          + chain_hash(before_it, rewritten) + "' WHERE sequence = 3");
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK(v.broken_at == std::uint64_t{4});
        CHECK_THAT(v.problem, Catch::Contains("the event before it was rewritten"));
    }
    SECTION("an event removed") {
        fresh();
        raw_sql(copy, "DELETE FROM events WHERE sequence = 2");
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK(v.broken_at == std::uint64_t{3});
        CHECK_THAT(v.problem, Catch::Contains("event #3 follows event #1"));
    }
    SECTION("two events swapped") {
        fresh();
        raw_sql(copy,
                "UPDATE events SET sequence = -1 WHERE sequence = 4; "
                "UPDATE events SET sequence = 4 WHERE sequence = 5; "
                "UPDATE events SET sequence = 5 WHERE sequence = -1");
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK_FALSE(v.is_intact());
        CHECK(v.broken_at == std::uint64_t{4});
    }
    SECTION("a record written outside the log") {
        fresh();
        raw_sql(copy, "UPDATE accounts SET json = replace(json, '\"Pro\"', '\"Enterprise\"')");
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK_FALSE(v.is_intact());
        CHECK_FALSE(v.broken_at);
        CHECK_THAT(v.problem, Catch::Contains("account acme is not what its events make it"));
        // The chain itself is whole: the same head as before.
        CHECK(v.head == head);
    }
    SECTION("the last event removed: the chain is whole, and only the head tells") {
        fresh();
        raw_sql(copy, "DELETE FROM events WHERE sequence = " + std::to_string(count));
        auto store = open_file(copy);
        const auto v = verified(*store);
        CHECK(v.events == count - 1);
        CHECK(v.head != head);
    }
}

TEST_CASE("a schema 3 database migrates: its events are chained and record no actor",
          "[audit][sqlite]") {
    TempDir dir;
    const std::string path = ctm_history_file(dir);
    std::vector<std::string> hashes;
    {
        auto store = open_file(path);
        auto before = store->read_all(0, 1000);  // held by name: value() refers into it
        REQUIRE(before);
        for (const auto& e : before.value()) hashes.push_back(e.hash);
    }
    // Schema 5's claims and leases undone first, then schema 4's audit records and chain.
    raw_sql(
        path,
        "DROP INDEX outbox_leased; ALTER TABLE outbox DROP COLUMN owner; "
        "ALTER TABLE outbox DROP COLUMN leased_by; ALTER TABLE outbox DROP COLUMN leased_until; "
        "ALTER TABLE deadlines DROP COLUMN claimed_by; "
        "ALTER TABLE deadlines DROP COLUMN claimed_until; "
        "ALTER TABLE events DROP COLUMN audit; ALTER TABLE events DROP COLUMN hash; "
        "PRAGMA user_version = 3");
    auto store = open_file(path);
    CHECK(store->stored_schema_version().value() == SqliteStore::schema_version);
    auto all = store->read_all(0, 1000);
    REQUIRE(all);
    REQUIRE(all.value().size() == hashes.size());
    std::string previous(chain_start);
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        const StoredEvent& e = all.value()[i];
        CHECK(e.audit == Audit{});
        CHECK(e.hash == chain_hash(previous, e));
        // Without the audit records the hashes differ from those first written.
        CHECK(e.hash != hashes[i]);
        previous = e.hash;
    }
    CHECK(verified(*store).is_intact());
    // New events chain on from the migrated ones.
    ManualClock clock(at("2026-01-01T00:00:00Z"));
    Engine engine(policies::ctm(), clock, *store);
    REQUIRE(engine.execute(audit_staff, commands::OpenAccount{AccountId("beta"), std::nullopt,
                                                              Plan{"Pro", {}}, usd()}));
    const auto v = verified(*store);
    CHECK(v.is_intact());
    CHECK(v.events == hashes.size() + 1);
}
