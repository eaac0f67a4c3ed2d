// A confirmation bound to what was shown (impact.hpp): preview() gives the impact's digest,
// execute() carrying it is refused with impact_changed, and nothing written, when the command
// would now do anything else, and a policy may require it. Over InMemoryStore and SqliteStore.
#include <calltrack/engine.hpp>
#include <calltrack/impact.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/sqlite_store.hpp>

#include "lifecycle_fixture.hpp"
#include "store_choice.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const Actor impact_staff = Actor::support(UserId("support"));
const AgencyId impact_agency("acme-agency");
const Actor impact_admin{UserId("agnes"), {RoleGrant{Role::agency_administrator, impact_agency}}};

/// A CTM agency with two sub-accounts of one number each, administered by agnes.
void provision_agency(Engine& engine) {
    REQUIRE(engine.execute(impact_staff, commands::CreateAgency{impact_agency, usd()}));
    REQUIRE(engine.execute(impact_staff,
                           commands::GrantRole{impact_admin.user, impact_admin.grants.front()}));
    const char* phones[] = {"+14045550101", "+14045550102"};
    for (int i = 0; i < 2; ++i) {
        const AccountId sub("sub-" + std::to_string(i + 1));
        REQUIRE(engine.execute(impact_staff,
                               commands::OpenAccount{sub, impact_agency, Plan{"Pro", {}}, usd()}));
        REQUIRE(engine.execute(
            impact_staff, commands::AddTrackingNumber{NumberId("n" + std::to_string(i + 1)), sub,
                                                      phone(phones[i]), phone("+14045550199")}));
    }
}

std::size_t events_stored(Store& store) {
    auto all = store.read_all(0, 1'000'000);
    REQUIRE(all);
    return all.value().size();
}

const commands::CancelAgency cancel_agency{impact_agency, Confirmation::click()};

}  // namespace

TEST_CASE("the impact digest leaves out times and nothing else", "[impact]") {
    const Time t1 = at("2024-03-01T09:00:00Z");
    const Time t2 = at("2024-03-01T10:00:00Z");
    const std::vector<Event> released{events::NumberReleased{NumberId("n1"), acme, t1}};
    const std::vector<Event> later{events::NumberReleased{NumberId("n1"), acme, t2}};
    const std::vector<Event> other{events::NumberReleased{NumberId("n2"), acme, t1}};
    const std::vector<Event> canceled{events::AccountCanceled{
        acme, CancelKind::cancel, {"price"}, t1 + days(60), t1 + days(14), t1}};
    const std::vector<Event> canceled_later{events::AccountCanceled{
        acme, CancelKind::cancel, {"price"}, t2 + days(60), t2 + days(14), t2}};
    CHECK(impact_digest(released, {}) == impact_digest(later, {}));
    CHECK(impact_digest(released, {}) != impact_digest(other, {}));
    CHECK(impact_digest(canceled, {}) == impact_digest(canceled_later, {}));
    CHECK(impact_digest(released, {}) != impact_digest({}, {}));
    CHECK(impact_digest(released, {}).size() == 64);
    CHECK(impact_text(released, {}) == "event {\"event\":\"number_released\",\"number\":\"n1\","
                                       "\"account\":\"acme\"}\n");
    CHECK(impact_text(canceled, {}).find("2024") == std::string::npos);
}

TEST_CASE(
    "execute with the impact shown commits it; once the impact changed, it is refused and "
    "writes nothing",
    "[impact][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = memory_or_sqlite_store(sqlite);
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, *store);
    provision_agency(engine);

    auto shown = engine.preview(impact_admin, cancel_agency);
    REQUIRE(shown);
    CHECK(shown.value().impact == impact_digest(shown.value().events, shown.value().effects));

    SECTION("the same impact a while later: committed") {
        REQUIRE(clock.advance(boost::posix_time::minutes(10)));
        ExecuteOptions confirmed;
        confirmed.impact = shown.value().impact;
        auto done = engine.execute(impact_admin, cancel_agency, confirmed);
        INFO((done ? std::string() : done.error().message()));
        REQUIRE(done);
        CHECK(names(done.value().events) == names(shown.value().events));
        CHECK(impact_digest(done.value().events, done.value().effects) == shown.value().impact);
    }
    SECTION("a number added since: refused with both impacts, nothing written") {
        REQUIRE(engine.execute(impact_staff, commands::AddTrackingNumber{
                                                 NumberId("n3"), AccountId("sub-2"),
                                                 phone("+14045550103"), phone("+14045550199")}));
        const std::size_t before = events_stored(*store);
        ExecuteOptions confirmed;
        confirmed.impact = shown.value().impact;
        auto refused = engine.execute(impact_admin, cancel_agency, confirmed);
        REQUIRE_FALSE(refused);
        CHECK(refused.error() == errc::impact_changed);
        REQUIRE(refused.error().refusals().size() == 1);
        const std::string& detail = refused.error().refusals().front().detail;
        auto now = engine.preview(impact_admin, cancel_agency);
        REQUIRE(now);
        CHECK(now.value().impact != shown.value().impact);
        CHECK_THAT(detail, Catch::Contains(shown.value().impact));
        CHECK_THAT(detail, Catch::Contains(now.value().impact));
        CHECK_THAT(detail, Catch::Contains("number_released account=sub-2 number=n3"));
        CHECK(events_stored(*store) == before);
        auto agency = engine.agency(impact_agency);
        REQUIRE(agency);
        CHECK(agency.value()->status == AgencyStatus::active);

        // Shown the new impact, the person confirms it, and it is done.
        confirmed.impact = now.value().impact;
        REQUIRE(engine.execute(impact_admin, cancel_agency, confirmed));
    }
    SECTION("a sub-account closed since: refused") {
        REQUIRE(engine.execute(
            impact_admin, commands::CloseSubAccount{AccountId("sub-1"), Confirmation::click()}));
        ExecuteOptions confirmed;
        confirmed.impact = shown.value().impact;
        auto refused = engine.execute(impact_admin, cancel_agency, confirmed);
        REQUIRE_FALSE(refused);
        CHECK(refused.error() == errc::impact_changed);
    }
    SECTION("any other digest: refused") {
        ExecuteOptions confirmed;
        confirmed.impact = std::string(64, '0');
        auto refused = engine.execute(impact_admin, cancel_agency, confirmed);
        REQUIRE_FALSE(refused);
        CHECK(refused.error() == errc::impact_changed);
    }
}

TEST_CASE("a policy that binds an operation to its impact refuses it without one",
          "[impact][engine][policy]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = memory_or_sqlite_store(sqlite);
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Policy policy = policies::ctm();
    policy.rule(Operation::cancel_agency).confirmation.impact = true;
    Engine engine(policy, clock, *store);
    provision_agency(engine);

    const std::size_t before = events_stored(*store);
    auto refused = engine.execute(impact_admin, cancel_agency);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::impact_required);
    CHECK_THAT(refused.error().refusals().front().detail, Catch::Contains("cancel_agency"));
    CHECK(events_stored(*store) == before);
    // Other operations are not bound.
    REQUIRE(engine.execute(impact_admin, commands::PauseTracking{AccountId("sub-1"), std::nullopt,
                                                                 Confirmation::click()}));

    auto shown = engine.preview(impact_admin, cancel_agency);
    REQUIRE(shown);
    ExecuteOptions confirmed;
    confirmed.impact = shown.value().impact;
    REQUIRE(engine.execute(impact_admin, cancel_agency, confirmed));
}

TEST_CASE("a policy document says whether a confirmation is bound to its impact",
          "[impact][policy]") {
    Policy bound = policies::ctm();
    bound.rule(Operation::cancel_agency).confirmation.impact = true;
    const std::string text = policy_to_json(bound);
    auto read = policy_from_json(text);
    REQUIRE(read);
    CHECK(read.value() == bound);
    CHECK(read.value().rule(Operation::cancel_agency).confirmation.impact);

    // A document written before the key existed reads as not bound. The writer keeps the keys in
    // the order it writes them, so "impact" is the last of each confirmation rule.
    const std::string written = policy_to_json(policies::ctm());
    const std::regex impact_line(R"(,\n *"impact": false)");
    const std::string older = std::regex_replace(written, impact_line, "");
    REQUIRE(older.size() < written.size());
    REQUIRE(older.find("\"impact\"") == std::string::npos);
    auto old = policy_from_json(older);
    INFO(older.substr(0, 300));
    REQUIRE(old);
    CHECK(old.value() == policies::ctm());
}
