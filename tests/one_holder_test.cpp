// A role with one holder (smrtPhone's Account Owner) keeps one through the engine: it reads who
// else holds a role on the scope (Store::load_grants_on), and a grant writes the scope's record,
// so two engines granting it at once conflict and the one that retries is refused. The engine
// model found the first gap: the core refused a second owner, the engine, which had not read the
// first owner's grants, did not.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/sqlite_store.hpp>
#include <calltrack/testing/forwarding_store.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

std::unique_ptr<Store> one_holder_store(bool sqlite) {
    if (!sqlite) return std::make_unique<InMemoryStore>();
    auto opened = SqliteStore::open(":memory:");
    REQUIRE(opened);
    return std::move(opened).value();
}

const Actor platform_support = Actor::support(UserId("support"));
const RoleGrant owner_of_acme{Role::account_owner, acme};

commands::GrantRole make_owner(const char* user) {
    return commands::GrantRole{UserId(user), owner_of_acme};
}

/// Runs `hook` once, just before the first commit it forwards: another engine's whole command
/// lands between this engine's reads and its write.
class CommitsAfter final : public ForwardingStore {
  public:
    using ForwardingStore::ForwardingStore;
    std::function<void()> hook;
    result<void> commit(const CommitBatch& batch) override {
        if (hook) {
            const auto run = std::move(hook);
            hook = nullptr;
            run();
        }
        return ForwardingStore::commit(batch);
    }
};

std::vector<std::string> owners_in(Store& store) {
    std::vector<std::string> out;
    auto holders = store.load_grants_on(Scope(acme));
    REQUIRE(holders);
    for (const auto& g : holders.value()) {
        for (const auto& grant : g.value.grants) {
            if (grant == owner_of_acme) out.push_back(g.value.user.str());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("through the engine, a second account owner is refused, naming the first",
          "[roles][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = one_holder_store(sqlite);
    ManualClock clock(at("2024-05-01T00:00:00Z"));
    Engine engine(policies::smrtphone(), clock, *store);
    REQUIRE(engine.execute(platform_support,
                           commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(engine.execute(platform_support, make_owner("olivia")));

    const auto verdict = engine.check(platform_support, make_owner("oscar"));
    REQUIRE(verdict);
    REQUIRE(verdict.value().refusals.size() == 1);
    CHECK(verdict.value().refusals[0].code == errc::role_already_held);
    CHECK(verdict.value().refusals[0].detail.find("user olivia is account_owner on account acme")
          != std::string::npos);
    auto refused = engine.execute(platform_support, make_owner("oscar"));
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::role_already_held);
    CHECK(owners_in(*store) == std::vector<std::string>{"olivia"});

    // Once olivia's grant is revoked, oscar may take it.
    REQUIRE(
        engine.execute(platform_support, commands::RevokeRole{UserId("olivia"), owner_of_acme}));
    REQUIRE(engine.execute(platform_support, make_owner("oscar")));
    CHECK(owners_in(*store) == std::vector<std::string>{"oscar"});
}

TEST_CASE("two engines granting the one owner at once: one lands, the other retries and is refused",
          "[roles][engine][concurrency]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto store = one_holder_store(sqlite);
    ManualClock clock(at("2024-05-01T00:00:00Z"));
    Engine other(policies::smrtphone(), clock, *store);
    REQUIRE(other.execute(platform_support,
                          commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));

    CommitsAfter racing(*store);
    Engine first(policies::smrtphone(), clock, racing);
    bool other_landed = false;
    racing.hook = [&] {
        other_landed = static_cast<bool>(other.execute(platform_support, make_owner("oscar")));
    };
    auto granted = first.execute(platform_support, make_owner("olivia"));
    REQUIRE(other_landed);
    REQUIRE_FALSE(granted);
    // The first engine's write conflicted on the account it read, retried, and read oscar.
    CHECK(granted.error() == errc::role_already_held);
    CHECK(owners_in(*store) == std::vector<std::string>{"oscar"});
}

TEST_CASE("a role with one holder granted on the platform is refused by validation",
          "[roles][policy]") {
    Policy p = policies::smrtphone();
    std::size_t index = 0;
    while (index < p.roles.size() && p.roles[index].name != Role::account_owner) ++index;
    REQUIRE(index < p.roles.size());
    REQUIRE(p.roles[index].one_holder);
    p.roles[index].granted_on.push_back(ScopeKind::platform);
    PolicyDiagnostic d;
    const auto valid = validate(p, &d);
    REQUIRE_FALSE(valid);
    CHECK(valid.error() == errc::policy_contradictory);
    CHECK(d.field == "roles[" + std::to_string(index) + "].one_holder");
    p.roles[index].one_holder = false;
    CHECK(validate(p));
}
