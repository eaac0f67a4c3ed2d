// The engine's observer (observer.hpp): told of each decision, commit, conflict retry and sweep,
// with durations read from the injected clock, and nothing at all without one. A store that
// moves the manual clock while it commits makes every duration exact.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/observer.hpp>
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

/// Everything the engine told it, in order.
class Recording final : public EngineObserver {
  public:
    std::vector<Decided> decisions;
    std::vector<Committed> commits;
    std::vector<ConflictRetried> retries;
    std::vector<Swept> sweeps;
    std::vector<std::string> order;

    void decided(const Decided& d) override {
        decisions.push_back(d);
        order.push_back("decided " + std::string(to_string(d.kind)));
    }
    void committed(const Committed& c) override {
        commits.push_back(c);
        order.push_back("committed");
    }
    void conflict_retried(const ConflictRetried& r) override {
        retries.push_back(r);
        order.push_back("retried");
    }
    void swept(const Swept& s) override {
        sweeps.push_back(s);
        order.push_back("swept");
    }
};

/// Commits take `commit_time` on the manual clock, and loads `load_time`; `before_commit` runs
/// once before the next commit (another engine's command landing in between).
class TimedStore final : public ForwardingStore {
  public:
    TimedStore(Store& inner, ManualClock& clock) : ForwardingStore(inner), clock_(clock) {}
    Duration commit_time = boost::posix_time::milliseconds(0);
    Duration load_time = boost::posix_time::milliseconds(0);
    std::function<void()> before_commit;

    result<void> commit(const CommitBatch& batch) override {
        if (before_commit) {
            const auto run = std::move(before_commit);
            before_commit = nullptr;
            run();
        }
        REQUIRE(clock_.advance(commit_time));
        return ForwardingStore::commit(batch);
    }
    result<std::optional<Versioned<Account>>> load_account(const AccountId& id) override {
        REQUIRE(clock_.advance(load_time));
        return ForwardingStore::load_account(id);
    }

  private:
    ManualClock& clock_;
};

std::unique_ptr<Store> observed_store(bool sqlite) {
    if (!sqlite) return std::make_unique<InMemoryStore>();
    auto opened = SqliteStore::open(":memory:");
    REQUIRE(opened);
    return std::move(opened).value();
}

const Actor staff = Actor::support(UserId("support"));
const Actor ada{UserId("ada"), {RoleGrant{Role::administrator, acme}}};

}  // namespace

TEST_CASE("the observer hears each decision and commit, with durations from the injected clock",
          "[observer][engine]") {
    const bool sqlite = GENERATE(false, true);
    INFO((sqlite ? "SqliteStore" : "InMemoryStore"));
    auto inner = observed_store(sqlite);
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    TimedStore store(*inner, clock);
    Recording seen;
    EngineOptions options;
    options.observer = &seen;
    Engine engine(policies::ctm(), clock, store, options);
    REQUIRE(
        engine.execute(staff, commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(engine.execute(staff, commands::GrantRole{ada.user, ada.grants.front()}));
    seen = Recording{};
    store.commit_time = boost::posix_time::milliseconds(7);
    store.load_time = boost::posix_time::milliseconds(3);

    const commands::PauseTracking pause{acme, std::nullopt, Confirmation::click()};
    REQUIRE(engine.check(ada, pause));
    REQUIRE(engine.preview(ada, pause));
    REQUIRE(engine.execute(ada, pause));
    auto refused = engine.execute(ada, commands::PauseTracking{acme, std::nullopt, Confirmation{}});
    REQUIRE_FALSE(refused);

    CHECK(seen.order
          == std::vector<std::string>{"decided check", "decided preview", "decided execute",
                                      "committed", "decided execute"});
    REQUIRE(seen.decisions.size() == 4);
    for (const auto& d : seen.decisions) {
        CHECK(d.operation == Operation::pause_tracking);
        // One account read, 3 ms on the clock, and nothing else moves it while deciding.
        CHECK(d.took == boost::posix_time::milliseconds(3));
    }
    CHECK_FALSE(seen.decisions[0].refused);
    CHECK(seen.decisions[0].events == 0);
    CHECK(seen.decisions[1].events == 1);
    CHECK(seen.decisions[2].events == 1);
    CHECK(seen.decisions[3].refused == errc::already_in_state);
    CHECK(seen.decisions[3].reasons == 2);  // paused already, and not confirmed
    REQUIRE(seen.commits.size() == 1);
    CHECK_FALSE(seen.commits[0].error);
    CHECK(seen.commits[0].records == 1);
    CHECK(seen.commits[0].events == 1);
    CHECK(seen.commits[0].effects == 1);
    CHECK(seen.commits[0].took == boost::posix_time::milliseconds(7));
    CHECK(seen.retries.empty());
    // execute() sweeps before each command, but only a sweep that found something is told.
    CHECK(seen.sweeps.empty());
}

TEST_CASE("the observer hears a conflict, the retry, and the commit that lands",
          "[observer][engine][concurrency]") {
    InMemoryStore inner;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine other(policies::ctm(), clock, inner);
    REQUIRE(
        other.execute(staff, commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
    REQUIRE(other.execute(staff, commands::GrantRole{ada.user, ada.grants.front()}));

    TimedStore store(inner, clock);
    Recording seen;
    EngineOptions options;
    options.observer = &seen;
    Engine engine(policies::ctm(), clock, store, options);
    store.before_commit = [&] {
        REQUIRE(other.execute(ada, commands::SetPlan{acme, Plan{"Lite", {}}}));
    };
    REQUIRE(
        engine.execute(ada, commands::PauseTracking{acme, std::nullopt, Confirmation::click()}));
    CHECK(seen.order
          == std::vector<std::string>{"decided execute", "committed", "retried", "decided execute",
                                      "committed"});
    REQUIRE(seen.commits.size() == 2);
    CHECK(seen.commits[0].error == errc::concurrency_conflict);
    CHECK_FALSE(seen.commits[1].error);
    REQUIRE(seen.retries.size() == 1);
    CHECK(seen.retries[0].attempt == 1);
    CHECK_FALSE(seen.retries[0].sweep);
}

TEST_CASE("the observer hears each sweep: what fired, in how many commits, and how long it took",
          "[observer][engine]") {
    InMemoryStore inner;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    TimedStore store(inner, clock);
    Recording seen;
    EngineOptions options;
    options.observer = &seen;
    options.advance_batch = 1;
    Engine engine(policies::ctm(), clock, store, options);
    for (const char* id : {"a1", "a2"}) {
        REQUIRE(engine.execute(
            staff, commands::OpenAccount{AccountId(id), std::nullopt, Plan{"Pro", {}}, usd()}));
        const Actor admin{UserId("ada"), {RoleGrant{Role::administrator, AccountId(id)}}};
        REQUIRE(
            engine.execute(admin, commands::CancelAccount{AccountId(id), Confirmation::click()}));
    }
    seen = Recording{};

    // Nothing due yet: advance() still says it looked.
    auto quiet = engine.advance();
    REQUIRE(quiet);
    REQUIRE(seen.sweeps.size() == 1);
    CHECK(seen.sweeps[0].fired == 0);
    CHECK(seen.sweeps[0].batches == 0);

    // Past every window: each account's deadlines fire, one deadline per commit.
    store.commit_time = boost::posix_time::milliseconds(5);
    REQUIRE(clock.set(at("2025-01-01T00:00:00Z")));
    auto fired = engine.advance();
    REQUIRE(fired);
    REQUIRE(seen.sweeps.size() == 2);
    const Swept& sweep = seen.sweeps[1];
    CHECK_FALSE(sweep.error);
    CHECK(sweep.fired == fired.events().size());
    CHECK(sweep.fired > 2);
    CHECK(sweep.batches == seen.commits.size());
    CHECK(sweep.took == boost::posix_time::milliseconds(5) * static_cast<int>(sweep.batches));
    for (const auto& c : seen.commits) CHECK_FALSE(c.error);
}

TEST_CASE("without an observer the engine reads the clock as often as before",
          "[observer][engine]") {
    // A clock that counts its readings: the same commands read it the same number of times
    // whether or not the engine was given an observer, less the observer's own readings.
    class CountingClock final : public Clock {
      public:
        explicit CountingClock(Time t) : now_(t) {}
        Time now() const override {
            ++readings;
            return now_;
        }
        mutable int readings = 0;

      private:
        Time now_;
    };
    const auto readings_with = [](EngineObserver* observer) {
        InMemoryStore store;
        CountingClock clock(at("2024-03-01T09:00:00Z"));
        EngineOptions options;
        options.observer = observer;
        Engine engine(policies::ctm(), clock, store, options);
        REQUIRE(engine.execute(staff,
                               commands::OpenAccount{acme, std::nullopt, Plan{"Pro", {}}, usd()}));
        REQUIRE(engine.check(staff, commands::SetPlan{acme, Plan{"Lite", {}}}));
        return clock.readings;
    };
    Recording seen;
    const int plain = readings_with(nullptr);
    const int watched = readings_with(&seen);
    CHECK(plain == 2);  // one reading per command
    // execute: the decision and the commit, each started and ended; check: one decision.
    CHECK(watched == plain + 4 + 2);
}
