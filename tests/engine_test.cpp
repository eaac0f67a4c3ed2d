#include <calltrack/engine.hpp>

#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/testing/fault_injecting_store.hpp>
#include <calltrack/testing/forwarding_store.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <utility>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

const Actor platform_support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
const Actor alice{UserId("alice"), {RoleGrant{Role::agency_administrator, AgencyId("agency")}}};

/// A CTM agency with two sub-accounts of two numbers each, and a standalone account with a
/// balance, built through the engine itself.
void seed(Engine& engine) {
    const std::vector<Command> steps = {
        commands::CreateAgency{AgencyId("agency"), usd()},
        commands::OpenAccount{AccountId("dental"), AgencyId("agency"), Plan{"Pro", {}}, usd()},
        commands::OpenAccount{AccountId("plumbing"), AgencyId("agency"), Plan{"Pro", {}}, usd()},
        commands::OpenAccount{AccountId("solo"), std::nullopt, Plan{"Starter", {}}, usd()},
        commands::AddTrackingNumber{NumberId("d1"), AccountId("dental"), phone("+14045550001"),
                                    phone("+14045550100"), NumberSource::onsite_dynamic},
        commands::AddTrackingNumber{NumberId("d2"), AccountId("dental"), phone("+14045550002"),
                                    phone("+14045550100"), NumberSource::offsite},
        commands::AddTrackingNumber{NumberId("p1"), AccountId("plumbing"), phone("+14045550003"),
                                    phone("+14045550100"), NumberSource::onsite_dynamic},
        commands::AddTrackingNumber{NumberId("p2"), AccountId("plumbing"), phone("+14045550004"),
                                    phone("+14045550100"), NumberSource::onsite_dynamic},
        commands::AddTrackingNumber{NumberId("s1"), AccountId("solo"), phone("+14045550005"),
                                    phone("+14045550100"), NumberSource::onsite_dynamic},
        commands::AdjustBalance{AccountId("solo"), dollars(4'200)},
        commands::GrantRole{UserId("alice"),
                            RoleGrant{Role::agency_administrator, AgencyId("agency")}},
        commands::GrantRole{UserId("sam"), RoleGrant{Role::administrator, AccountId("solo")}},
    };
    for (const auto& step : steps) {
        auto r = engine.execute(platform_support, step);
        INFO(to_string(operation_of(step)) << ": " << (r ? "" : r.error().message()));
        REQUIRE(r);
    }
}

/// Every event in the store, folded from an empty state, against every stored record.
void require_replay_matches_store(Store& store) {
    auto all = store.read_all(0, 1'000'000);
    REQUIRE(all);
    State replayed;
    for (const auto& stored : all.value()) calltrack::apply(replayed, stored.event);
    for (const auto& [id, account] : replayed.accounts) {
        auto loaded = store.load_account(id);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        CHECK(loaded.value()->value == account);
        // The account's own stream alone rebuilds it too.
        auto stream = store.read_stream(deadline_subject(id));
        REQUIRE(stream);
        State own;
        for (const auto& stored : stream.value()) calltrack::apply(own, stored.event);
        CHECK(own.accounts.at(id) == account);
    }
    for (const auto& [id, number] : replayed.numbers) {
        auto loaded = store.load_number(id);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        CHECK(loaded.value()->value == number);
    }
    for (const auto& [id, agency] : replayed.agencies) {
        auto loaded = store.load_agency(id);
        REQUIRE(loaded);
        REQUIRE(loaded.value());
        CHECK(loaded.value()->value == agency);
    }
    auto due_now = store.due_deadlines(at("9999-01-01T00:00:00Z"), 1'000'000);
    REQUIRE(due_now);
    CHECK(std::set<Deadline>(due_now.value().begin(), due_now.value().end()) == replayed.deadlines);
}

std::size_t event_count(Store& store) {
    return store.read_all(0, 1'000'000).value().size();
}

}  // namespace

TEST_CASE("execute commits the events and the queries read them back", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);

    auto receipt =
        engine.execute(alice, commands::CloseSubAccount{AccountId("plumbing"), clicked()});
    REQUIRE(receipt);
    CHECK(names(receipt.value().events)
          == std::vector<std::string>{"number_released", "number_released", "account_canceled",
                                      "billing_changed", "data_purge_scheduled"});
    const auto account = engine.account(AccountId("plumbing")).value();
    REQUIRE(account);
    CHECK(account->status == AccountStatus::canceled);
    // Held by name: value() on a temporary result hands back a reference into it.
    const auto numbers = engine.numbers(AccountId("plumbing")).value();
    CHECK(numbers.size() == 2);
    for (const auto& n : numbers) CHECK(n.status == NumberStatus::released);
    const auto history = engine.history(AccountId("plumbing")).value();
    CHECK(history.back().stream_version == history.size());
    CHECK(event_name(history.back().event) == "data_purge_scheduled");
    require_replay_matches_store(store);
}

TEST_CASE("preview gives exactly what execute then does, and writes nothing", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    auto reasons = clicked();
    reasons.reasons = {"switching vendors"};
    const Command cancel = commands::CancelAgency{AgencyId("agency"), reasons};

    const auto before = event_count(store);
    auto preview = engine.preview(alice, cancel);
    REQUIRE(preview);
    CHECK(event_count(store) == before);
    CHECK(engine.pending_effects(1000).value().size()
          == engine.pending_effects(1000).value().size());
    CHECK(engine.agency(AgencyId("agency")).value()->status == AgencyStatus::active);

    // The preview names every number that will be released and when the purge is due.
    CHECK(count(preview.value().events, "number_released") == 4);
    const auto* purge = find<events::DataPurgeScheduled>(preview.value().events);
    REQUIRE(purge);
    CHECK(purge->purge_at == clock.now() + days(60));

    auto receipt = engine.execute(alice, cancel);
    REQUIRE(receipt);
    CHECK(receipt.value().events == preview.value().events);
    CHECK(receipt.value().effects == preview.value().effects);
    CHECK(event_count(store) == before + receipt.value().events.size());
}

TEST_CASE("check reports every reason, and the store's grants make the actor", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const Actor stranger{UserId("mallory"), {}};
    auto verdict = engine.check(stranger, commands::CancelAgency{AgencyId("agency"), {}});
    REQUIRE(verdict);
    CHECK(verdict.value().has(errc::actor_out_of_scope));
    CHECK(verdict.value().has(errc::confirmation_required));
    const auto loaded = engine.actor(UserId("alice")).value();
    CHECK(loaded == alice);
    CHECK(engine.check(loaded, commands::CancelAgency{AgencyId("agency"), clicked()})
              .value()
              .is_allowed());
}

TEST_CASE("a clock reading earlier than the last committed event is refused, nothing written",
          "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    ManualClock late(at("2024-03-01T08:59:59Z"));
    Engine behind(policies::ctm(), late, store);
    const auto before = event_count(store);
    auto r = behind.execute(alice, commands::PauseTracking{AccountId("dental"), {}, clicked()});
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::clock_went_backwards);
    CHECK(behind.advance().error() == errc::clock_went_backwards);
    CHECK(event_count(store) == before);
}

TEST_CASE("an idempotency key replays the first receipt and refuses a different command",
          "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const Command pause = commands::PauseTracking{AccountId("dental"), std::nullopt, clicked()};
    auto first = engine.execute(alice, pause, std::string("req-1"));
    REQUIRE(first);
    CHECK_FALSE(first.value().is_replay);
    const auto after_first = event_count(store);

    clock.advance(boost::posix_time::minutes(5)).value();
    auto again = engine.execute(alice, pause, std::string("req-1"));
    REQUIRE(again);
    CHECK(again.value().is_replay);
    CHECK(again.value().events == first.value().events);
    CHECK(again.value().effects == first.value().effects);
    CHECK(event_count(store) == after_first);

    auto other =
        engine.execute(alice, commands::ResumeTracking{AccountId("dental"), std::nullopt, {}},
                       std::string("req-1"));
    REQUIRE_FALSE(other);
    CHECK(other.error() == errc::idempotency_key_reused);
    CHECK(event_count(store) == after_first);
}

TEST_CASE("advance fires deadlines in order, and with nothing due touches no account", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const Actor sam = engine.actor(UserId("sam")).value();
    REQUIRE(engine.execute(sam, commands::CancelAccount{AccountId("solo"), clicked()}));
    REQUIRE(engine.execute(alice, commands::CloseSubAccount{AccountId("dental"), clicked()}));

    // Nothing is due: advance asks the store two questions, whatever the number of accounts.
    FaultInjectingStore counting(store);
    Engine counted(policies::ctm(), clock, counting);
    REQUIRE(counted.advance().value().empty());
    CHECK(counting.calls() == 2);

    clock.advance(days(61)).value();
    auto fired = engine.advance();
    REQUIRE(fired);
    CHECK(names(fired.value())
          == std::vector<std::string>{"restore_window_closed", "restore_window_closed",
                                      "account_closed", "account_closed", "data_purged",
                                      "data_purged"});
    CHECK(engine.account(AccountId("solo")).value()->status == AccountStatus::closed);
    CHECK(engine.account(AccountId("dental")).value()->data == DataStatus::purged);
    CHECK(engine.advance().value().empty());

    clock.advance(days(30)).value();
    auto forfeited = engine.advance();
    REQUIRE(forfeited);
    CHECK(names(forfeited.value()) == std::vector<std::string>{"balance_forfeited"});
    require_replay_matches_store(store);
}

TEST_CASE("execute fires what is due before deciding", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const Actor sam = engine.actor(UserId("sam")).value();
    REQUIRE(engine.execute(sam, commands::CancelAccount{AccountId("solo"), clicked()}));
    clock.advance(days(60)).value();
    auto late = engine.execute(sam, commands::ReactivateAccount{AccountId("solo"), clicked()});
    REQUIRE_FALSE(late);
    CHECK(late.error() == errc::account_closed);
    CHECK(engine.account(AccountId("solo")).value()->status == AccountStatus::closed);
}

namespace {

/// CTM with CallRail's account pause (offered like a tracking pause), so one store can hold a
/// paused account with held numbers and a pause maximum next to the tracking switches.
Policy ctm_with_account_pause() {
    Policy p = policies::ctm();
    p.rule(Operation::pause_account) = p.rule(Operation::pause_tracking);
    p.rule(Operation::resume_account) = p.rule(Operation::resume_tracking);
    p.pause = policies::callrail().pause;
    return p;
}

/// Every committed event folded from an empty state, with what is due by `now` applied, as the
/// engine applies it in memory before judging.
State whole_state(Store& store, const Policy& policy, Time now) {
    // Held by name: value() on a temporary result hands back a reference into it.
    const auto all = store.read_all(0, 1'000'000).value();
    State s;
    for (const auto& stored : all) calltrack::apply(s, stored.event);
    calltrack::apply(s, due(s, policy, now));
    return s;
}

/// Engine::check and Engine::preview, which load only part of the state, answer every switch
/// as the pure core does on the whole state: whole account or one number, allowed or refused,
/// the number on the account, on another account or unknown, reason for reason. A number on
/// another account is refused in the same words as an unknown one ("account A has no tracking
/// number N"): the engine loads the named account's numbers only and cannot tell them apart.
void require_switches_judged_as_on_whole_state(Engine& engine, Store& store, Time now) {
    const State whole = whole_state(store, engine.policy(), now);
    const auto codes = [](const std::vector<Refusal>& refusals) {
        std::vector<boost::system::error_code> out;
        for (const auto& r : refusals) out.push_back(r.code);
        return out;
    };
    const std::vector<std::optional<NumberId>> numbers = {std::nullopt,   NumberId("d1"),
                                                          NumberId("d2"), NumberId("p1"),
                                                          NumberId("s1"), NumberId("nope")};
    struct Switch {
        Command command;
        AccountId account;
        std::optional<NumberId> number;
    };
    std::vector<Switch> switches;
    for (const char* account : {"dental", "plumbing", "solo", "ghost"}) {
        for (const auto& n : numbers) {
            const AccountId id(account);
            switches.push_back({commands::PauseTracking{id, n, clicked()}, id, n});
            switches.push_back({commands::ResumeTracking{id, n, clicked()}, id, n});
            switches.push_back({commands::StopCalls{id, n, clicked()}, id, n});
            switches.push_back({commands::ResumeCalls{id, n, clicked()}, id, n});
        }
    }
    std::size_t allowed = 0;
    for (const Actor& actor : {alice, platform_support}) {
        for (const auto& [command, account, number] : switches) {
            INFO(actor.user.str() << ": " << to_json(command));
            const auto verdict = engine.check(actor, command);
            REQUIRE(verdict);
            const auto expected = calltrack::check(whole, command, actor, engine.policy(), now);
            CHECK(verdict.value().refusals == expected.refusals);
            CHECK(codes(verdict.value().refusals) == codes(expected.refusals));

            const auto preview = engine.preview(actor, command);
            const auto decided = decide(whole, command, actor, engine.policy(), now);
            REQUIRE(preview.has_value() == decided.has_value());
            if (!decided) {
                CHECK(preview.error() == decided.error());
                continue;
            }
            ++allowed;
            CHECK(preview.value().events == decided.value());
            State after = whole;
            calltrack::apply(after, decided.value());
            std::vector<HostEffect> effects;
            for (const auto& e : decided.value()) {
                const auto more = effects_of(e, after);
                effects.insert(effects.end(), more.begin(), more.end());
            }
            CHECK(preview.value().effects == effects);
        }
    }
    CHECK(allowed > 0);
}

}  // namespace

TEST_CASE("switches are judged on the store as on the whole state, numbers loaded or not",
          "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(ctm_with_account_pause(), clock, store);
    seed(engine);
    REQUIRE(engine.execute(alice, commands::PauseAccount{AccountId("plumbing"), clicked()}));
    REQUIRE(engine.execute(alice,
                           commands::PauseTracking{AccountId("dental"), std::nullopt, clicked()}));
    REQUIRE(
        engine.execute(alice, commands::StopCalls{AccountId("dental"), NumberId("d2"), clicked()}));
    CHECK(engine.numbers(AccountId("plumbing")).value().front().status == NumberStatus::held);

    require_switches_judged_as_on_whole_state(engine, store, clock.now());

    // The pause maximum is due but not fired: check and preview fire it in memory, releasing
    // the held numbers, which they must load for it even when the command itself does not.
    clock.advance(days(182)).value();
    require_switches_judged_as_on_whole_state(engine, store, clock.now());

    // Firing it in the store releases the held numbers too.
    auto fired = engine.advance();
    REQUIRE(fired);
    CHECK(names(fired.value())
          == std::vector<std::string>{"pause_maximum_reached", "number_released", "number_released",
                                      "billing_changed"});
    const auto released = engine.numbers(AccountId("plumbing")).value();
    for (const auto& n : released) CHECK(n.status == NumberStatus::released);
    require_switches_judged_as_on_whole_state(engine, store, clock.now());
    require_replay_matches_store(store);
}

TEST_CASE("a whole-account switch commits as before and leaves the numbers unread", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine seeder(policies::ctm(), clock, store);
    seed(seeder);
    FaultInjectingStore counting(store);
    Engine engine(policies::ctm(), clock, counting);

    // last_event_time (once: the one read with the clock is the one judged, see the clock rule
    // in docs/concepts.md), due_deadlines, load_account, deadlines_of for the account,
    // load_agency, deadlines_of for the agency, commit: no load_numbers_of.
    auto paused = engine.execute(
        alice, commands::PauseTracking{AccountId("dental"), std::nullopt, clicked()});
    REQUIRE(paused);
    CHECK(counting.calls() == 7);
    CHECK(names(paused.value().events) == std::vector<std::string>{"tracking_paused"});

    // With a number named, the account's numbers are loaded too: one call more.
    const auto before = counting.calls();
    REQUIRE(engine.execute(
        alice, commands::PauseTracking{AccountId("plumbing"), NumberId("p1"), clicked()}));
    CHECK(counting.calls() - before == 8);

    CHECK(engine.account(AccountId("dental")).value()->is_tracking_paused);
    const auto dental = engine.numbers(AccountId("dental")).value();
    for (const auto& n : dental) CHECK_FALSE(n.is_swap_paused);
    CHECK(engine.numbers(AccountId("plumbing")).value().front().is_swap_paused);
    require_replay_matches_store(store);
}

TEST_CASE("host effects leave through the outbox in order until acknowledged", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    auto receipt =
        engine.execute(alice, commands::CloseSubAccount{AccountId("plumbing"), clicked()});
    REQUIRE(receipt);
    auto pending = engine.pending_effects(100).value();
    REQUIRE(pending.size() == receipt.value().effects.size());
    CHECK(pending.front().effect.kind == EffectKind::release_number);
    CHECK(pending.front().effect.phone_number == phone("+14045550003"));
    CHECK(pending.back().effect.kind == EffectKind::change_billing);
    CHECK(pending.back().effect.charges.empty());
    // Not acknowledged: delivered again.
    CHECK(engine.pending_effects(100).value() == pending);
    REQUIRE(engine.acknowledge_effects(pending.front().sequence));
    CHECK(engine.pending_effects(100).value().size() == pending.size() - 1);
    REQUIRE(engine.acknowledge_effects(pending.back().sequence));
    CHECK(engine.pending_effects(100).value().empty());
}

namespace {

struct KindCase {
    const char* name;
    std::function<Actor(Engine&)> actor;
    Command command;
};

std::vector<KindCase> one_of_each_kind() {
    const auto as_alice = [](Engine&) { return alice; };
    const auto as_support = [](Engine&) { return platform_support; };
    const auto as_sam = [](Engine& e) { return e.actor(UserId("sam")).value(); };
    return {
        {"cancel agency cascade", as_alice, commands::CancelAgency{AgencyId("agency"), clicked()}},
        {"close sub-account", as_alice, commands::CloseSubAccount{AccountId("dental"), clicked()}},
        {"cancel standalone with balance", as_sam,
         commands::CancelAccount{AccountId("solo"), clicked()}},
        {"pause tracking", as_alice,
         commands::PauseTracking{AccountId("dental"), std::nullopt, clicked()}},
        {"stop calls on one number", as_alice,
         commands::StopCalls{AccountId("dental"), NumberId("d2"), clicked()}},
        {"add a number", as_support,
         commands::AddTrackingNumber{NumberId("s2"), AccountId("solo"), phone("+14045550009"),
                                     phone("+14045550100"), NumberSource::offsite}},
        {"grant a role", as_support,
         commands::GrantRole{UserId("zoe"), RoleGrant{Role::administrator, AccountId("solo")}}},
        {"credit a balance", as_support,
         commands::AdjustBalance{AccountId("dental"), dollars(100)}},
    };
}

}  // namespace

TEST_CASE("a failure at any store call leaves all of a command or none of it", "[engine]") {
    for (const auto& c : one_of_each_kind()) {
        // How many store calls does a clean run take?
        std::size_t calls_needed = 0;
        {
            InMemoryStore store;
            ManualClock clock(at("2024-03-01T09:00:00Z"));
            Engine seeder(policies::ctm(), clock, store);
            seed(seeder);
            FaultInjectingStore counting(store);
            Engine engine(policies::ctm(), clock, counting);
            REQUIRE(engine.execute(c.actor(seeder), c.command));
            calls_needed = counting.calls();
        }
        REQUIRE(calls_needed > 2);
        for (std::size_t n = 1; n <= calls_needed; ++n) {
            INFO(c.name << ": failing store call " << n << " of " << calls_needed);
            InMemoryStore store;
            ManualClock clock(at("2024-03-01T09:00:00Z"));
            Engine seeder(policies::ctm(), clock, store);
            seed(seeder);
            const auto before = event_count(store);
            FaultInjectingStore faulty(store);
            faulty.fail_call(n);
            Engine engine(policies::ctm(), clock, faulty);
            const Actor actor = c.actor(seeder);
            auto failed = engine.execute(actor, c.command);
            REQUIRE_FALSE(failed);
            CHECK(failed.error() == errc::store_unavailable);
            CHECK(event_count(store) == before);  // none of it
            require_replay_matches_store(store);
            // And the engine still works: the same command now goes through whole.
            auto retried = engine.execute(actor, c.command);
            REQUIRE(retried);
            CHECK(event_count(store) == before + retried.value().events.size());
            require_replay_matches_store(store);
        }
    }
}

namespace {

/// Forwards to a store, and runs a hook once just before the first commit: a competing writer
/// that gets in between the engine's reads and its commit.
class InterleavingStore final : public ForwardingStore {
  public:
    InterleavingStore(Store& inner, std::function<void()> hook)
        : ForwardingStore(inner), hook_(std::move(hook)) {}
    int commits = 0;

    result<void> commit(const CommitBatch& batch) override {
        if (commits++ == 0 && hook_) hook_();
        return ForwardingStore::commit(batch);
    }

  private:
    std::function<void()> hook_;
};

}  // namespace

TEST_CASE("a writer that loses the race re-decides on the winner's state: no lost update",
          "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine other(policies::ctm(), clock, store);
    seed(other);
    InterleavingStore racing(store, [&] {
        REQUIRE(other.execute(platform_support,
                              commands::AdjustBalance{AccountId("solo"), dollars(1)}));
    });
    Engine engine(policies::ctm(), clock, racing);
    REQUIRE(
        engine.execute(platform_support, commands::AdjustBalance{AccountId("solo"), dollars(10)}));
    CHECK(racing.commits == 2);  // the first met a stale version; the retry went through
    CHECK(engine.account(AccountId("solo")).value()->balance.available == dollars(4'211));
}

TEST_CASE("a conflicting writer with retries switched off gets concurrency_conflict", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine other(policies::ctm(), clock, store);
    seed(other);
    InterleavingStore racing(store, [&] {
        REQUIRE(other.execute(alice, commands::PauseTracking{AccountId("dental"), {}, clicked()}));
    });
    EngineOptions no_retries;
    no_retries.max_conflict_retries = 0;
    Engine engine(policies::ctm(), clock, racing, no_retries);
    const auto before = event_count(store);
    auto lost = engine.execute(alice, commands::StopCalls{AccountId("dental"), {}, clicked()});
    REQUIRE_FALSE(lost);
    CHECK(lost.error() == errc::concurrency_conflict);
    CHECK(is_retryable(lost.error()));
    CHECK(event_count(store) == before + 1);  // only the winner's event
}

TEST_CASE("two engines in two threads on one account lose no update", "[engine]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine seeder(policies::ctm(), clock, store);
    seed(seeder);
    constexpr int per_thread = 300;
    std::atomic<int> host_retries{0};
    std::atomic<int> unexpected_errors{0};
    auto work = [&] {
        Engine engine(policies::ctm(), clock, store);
        for (int i = 0; i < per_thread; ++i) {
            for (;;) {
                auto r = engine.execute(platform_support,
                                        commands::AdjustBalance{AccountId("solo"), dollars(1)});
                if (r) break;
                // Under heavy contention even bounded retries can all lose; the host retries.
                if (r.error() != errc::concurrency_conflict) {
                    ++unexpected_errors;  // Catch2 assertions are not thread-safe
                    break;
                }
                ++host_retries;
            }
        }
    };
    std::thread a(work);
    std::thread b(work);
    a.join();
    b.join();
    CHECK(unexpected_errors.load() == 0);
    CHECK(seeder.account(AccountId("solo")).value()->balance.available
          == dollars(4'200 + 2 * per_thread));
    INFO("host-level retries: " << host_retries.load());
    require_replay_matches_store(store);
}

// --- damaged stores (issue 9, finding 5) ---------------------------------------------------------

namespace {

/// A store whose deadline index holds `bad`, due at once, beside a seeded world.
void plant_deadline(Store& store, Deadline bad) {
    CommitBatch batch;
    batch.deadlines_added.push_back(std::move(bad));
    REQUIRE(store.commit(batch));
}

}  // namespace

TEST_CASE("a due deadline calltrack never writes is store_corrupt, and advance never spins",
          "[engine][corrupt]") {
    const Time due_at = at("2024-03-01T08:00:00Z");
    const std::vector<Deadline> damaged = {
        // Its account has no record: the sweep used to read it again for ever.
        {due_at, DeadlineKind::data_purge, "account:ghost"},
        // Not an account's or an agency's: the same.
        {due_at, DeadlineKind::refund_window_closes, "user:bob"},
        // An id that does not parse: AccountId's constructor threw.
        {due_at, DeadlineKind::data_purge, "account:"},
        // A pause maximum on an agency: due() threw.
        {due_at, DeadlineKind::pause_maximum, "agency:agency"},
        // An agency's window on an account.
        {due_at, DeadlineKind::agency_reactivation_window_closes, "account:solo"},
    };
    for (const auto& bad : damaged) {
        INFO(bad.subject << " " << to_string(bad.kind));
        InMemoryStore store;
        ManualClock clock(at("2024-03-01T09:00:00Z"));
        Engine engine(policies::ctm(), clock, store);
        seed(engine);
        plant_deadline(store, bad);
        const auto before = event_count(store);

        const auto swept = engine.advance();
        CHECK_FALSE(swept);
        CHECK(swept.error() == errc::store_corrupt);
        CHECK_THAT(swept.problem(), Catch::Contains(bad.subject + ")"));
        CHECK(swept.events().empty());
        CHECK(event_count(store) == before);

        const auto executed = engine.execute(
            platform_support, commands::AdjustBalance{AccountId("solo"), dollars(1)});
        REQUIRE_FALSE(executed);
        CHECK(executed.error() == errc::store_corrupt);
    }
}

TEST_CASE("check and preview refuse a damaged deadline of what they load as store_corrupt",
          "[engine][corrupt]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    // Loaded with the agency, and due: due() used to throw on it.
    plant_deadline(store,
                   {at("2024-03-01T08:00:00Z"), DeadlineKind::pause_maximum, "agency:agency"});
    const commands::ReactivateAgency command{AgencyId("agency"), {}};
    const auto checked = engine.check(platform_support, command);
    REQUIRE_FALSE(checked);
    CHECK(checked.error() == errc::store_corrupt);
    const auto previewed = engine.preview(platform_support, command);
    REQUIRE_FALSE(previewed);
    CHECK(previewed.error() == errc::store_corrupt);
}

// --- what a sweep committed (issue 9, finding 8) ------------------------------------------------

TEST_CASE("advance says exactly what it committed, when a later batch fails too", "[engine]") {
    // Every store call in turn fails from then on; whatever the sweep reports must be what the
    // store gained, event for event and effect for effect.
    bool saw_partial = false;
    for (std::uint64_t healthy = 0; healthy < 60; ++healthy) {
        INFO("calls forwarded before the failures: " << healthy);
        InMemoryStore memory;
        ManualClock clock(at("2024-03-01T09:00:00Z"));
        Engine seeder(policies::ctm(), clock, memory);
        seed(seeder);
        const Actor sam = seeder.actor(UserId("sam")).value();
        REQUIRE(seeder.execute(sam, commands::CancelAccount{AccountId("solo"), clicked()}));
        REQUIRE(seeder.execute(alice, commands::CloseSubAccount{AccountId("dental"), clicked()}));
        clock.advance(days(120)).value();
        const auto events_before = event_count(memory);
        const auto effects_before = memory.pending_effects(1'000'000).value().size();

        FaultInjectingStore failing(memory);
        EngineOptions one_at_a_time;
        one_at_a_time.advance_batch = 1;
        Engine engine(policies::ctm(), clock, failing, one_at_a_time);
        failing.fail_every_call_after(healthy);
        const Sweep swept = engine.advance();
        failing.heal();

        const auto all = memory.read_all(events_before, 1'000'000).value();
        std::vector<Event> committed;
        for (const auto& stored : all) committed.push_back(stored.event);
        CHECK(swept.events() == committed);
        const auto outbox = memory.pending_effects(1'000'000).value();
        std::vector<HostEffect> queued;
        for (std::size_t i = effects_before; i < outbox.size(); ++i) {
            queued.push_back(outbox[i].effect);
        }
        CHECK(swept.effects() == queued);
        if (!swept && !committed.empty()) {
            saw_partial = true;
            CHECK(swept.error() == errc::store_unavailable);
            CHECK_THROWS(swept.value());
        }
        if (swept) {
            CHECK(swept.value() == committed);
            CHECK(engine.advance().events().empty());
        }
    }
    CHECK(saw_partial);
}

// --- engines sharing a store (issue 9, finding 6) -----------------------------------------------

namespace {

/// A monotonic clock shared by threads: each reading is one microsecond after the one before,
/// whichever thread takes it, as a host's real clock would be, but reproducibly.
class TickingClock final : public Clock {
  public:
    explicit TickingClock(Time start) : start_(start) {}
    Time now() const override {
        return start_ + boost::posix_time::microseconds(ticks_.fetch_add(1) + 1);
    }

  private:
    Time start_;
    mutable std::atomic<long> ticks_{0};
};

/// A clock a test sets to any reading, backwards too.
class SettableClock final : public Clock {
  public:
    explicit SettableClock(Time t) : now_(t) {}
    Time now() const override { return now_; }
    void set(Time t) { now_ = t; }

  private:
    Time now_;
};

}  // namespace

TEST_CASE("engines sharing a store and a monotonic clock are never refused as clock_went_backwards",
          "[engine][clock]") {
    InMemoryStore store;
    ManualClock seed_clock(at("2024-03-01T09:00:00Z"));
    Engine seeder(policies::ctm(), seed_clock, store);
    seed(seeder);
    TickingClock clock(at("2024-03-01T09:00:01Z"));
    constexpr int threads = 4;
    constexpr int per_thread = 150;
    std::atomic<int> backwards{0};
    std::atomic<int> unexpected{0};
    std::atomic<int> done{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            Engine engine(policies::ctm(), clock, store);
            for (int i = 0; i < per_thread; ++i) {
                for (;;) {
                    auto r = engine.execute(platform_support,
                                            commands::AdjustBalance{AccountId("solo"), dollars(1)});
                    if (r) {
                        ++done;
                        break;
                    }
                    if (r.error() == errc::concurrency_conflict) continue;  // the host retries
                    if (r.error() == errc::clock_went_backwards) {
                        ++backwards;
                    } else {
                        ++unexpected;
                    }
                    break;
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    CHECK(backwards.load() == 0);
    CHECK(unexpected.load() == 0);
    CHECK(done.load() == threads * per_thread);
    require_replay_matches_store(store);
}

TEST_CASE("an engine whose own clock goes back is refused, even with nothing committed since",
          "[engine][clock]") {
    InMemoryStore store;
    ManualClock seed_clock(at("2024-03-01T09:00:00Z"));
    Engine seeder(policies::ctm(), seed_clock, store);
    seed(seeder);
    SettableClock clock(at("2024-03-01T10:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    const commands::AdjustBalance credit{AccountId("solo"), dollars(1)};
    REQUIRE(engine.check(platform_support, credit));
    clock.set(at("2024-03-01T09:30:00Z"));  // still after every stored event
    const auto refused = engine.check(platform_support, credit);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::clock_went_backwards);
    CHECK(engine.execute(platform_support, credit).error() == errc::clock_went_backwards);
    CHECK(engine.advance().error() == errc::clock_went_backwards);
    clock.set(at("2024-03-01T10:00:00Z"));
    CHECK(engine.execute(platform_support, credit));
}

// --- a refused execute names every reason (issue 8, section 3) ----------------------------------

TEST_CASE("a refused execute names every reason with its detail, as check does at that instant",
          "[engine][refusals]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const auto before = event_count(store);

    // The id that is missing, not only "no account has that id".
    const commands::CancelAccount ghost{AccountId("ghost"), clicked()};
    const auto missing = engine.execute(alice, ghost);
    REQUIRE_FALSE(missing);
    CHECK(missing.error() == errc::unknown_account);
    CHECK(missing.error().message() == "no account has that id");
    CHECK(missing.error().refusals()
          == std::vector<Refusal>{
              {make_error_code(errc::unknown_account), "no account has the id ghost"}});
    CHECK(missing.error().refusals() == engine.check(alice, ghost).value().refusals);

    // Every reason, in check()'s order; the code is the first one's.
    const Actor stranger{UserId("mallory"), {}};
    const commands::CancelAgency cancel{AgencyId("agency"), {}};
    const auto refused = engine.execute(stranger, cancel);
    REQUIRE_FALSE(refused);
    const auto& reasons = refused.error().refusals();
    CHECK(reasons == engine.check(stranger, cancel).value().refusals);
    REQUIRE(reasons.size() >= 2);
    CHECK(refused.error() == reasons.front().code);
    CHECK(refused.error().has(errc::actor_out_of_scope));
    CHECK(refused.error().has(errc::confirmation_required));
    CHECK(refused.error().problem().empty());

    // Whatever the command and the actor: a refused execute says what check says, reason for
    // reason, and writes nothing.
    const Actor sam = engine.actor(UserId("sam")).value();
    const std::vector<Command> commands = {
        commands::CancelAgency{AgencyId("agency"), {}},
        commands::CancelAccount{AccountId("solo"), {}},
        commands::CloseSubAccount{AccountId("dental"), {}},
        commands::PauseTracking{AccountId("dental"), NumberId("d2"), {}},
        commands::StopCalls{AccountId("solo"), NumberId("nope"), {}},
        commands::ReactivateAccount{AccountId("solo"), {}},
        commands::ReactivateAgency{AgencyId("agency"), {}},
        commands::RestoreNumber{NumberId("d1")},
        commands::RequestRefund{AccountId("dental")},
        commands::RequestTransfer{AccountId("dental"), AgencyId("nowhere")},
        commands::ApproveTransfer{AccountId("dental")},
        commands::OpenAccount{AccountId("solo"), std::nullopt, Plan{"Pro", {}}, usd()},
    };
    std::size_t compared = 0;
    for (const Actor& actor : {stranger, alice, sam, platform_support}) {
        for (const auto& command : commands) {
            INFO(actor.user.str() << ": " << to_json(command));
            const auto verdict = engine.check(actor, command);
            REQUIRE(verdict);
            if (verdict.value().is_allowed()) continue;
            const auto executed = engine.execute(actor, command);
            REQUIRE_FALSE(executed);
            CHECK(executed.error().refusals() == verdict.value().refusals);
            CHECK(executed.error() == verdict.value().refusals.front().code);
            ++compared;
        }
    }
    CHECK(compared > 30);
    CHECK(event_count(store) == before);
}

namespace {

/// Forwards to a store, and runs a hook once, just after the first load_numbers_of: another
/// writer that commits after execute() has read everything it decides on.
class AfterNumbersStore final : public ForwardingStore {
  public:
    AfterNumbersStore(Store& inner, std::function<void()> hook)
        : ForwardingStore(inner), hook_(std::move(hook)) {}

    result<std::vector<Versioned<TrackingNumber>>> load_numbers_of(
        const AccountId& account) override {
        auto loaded = ForwardingStore::load_numbers_of(account);
        if (hook_) std::exchange(hook_, nullptr)();
        return loaded;
    }

  private:
    std::function<void()> hook_;
};

}  // namespace

TEST_CASE("a refused execute's reasons are its own decision's, whatever is committed after it",
          "[engine][refusals]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine other(policies::ctm(), clock, store);
    seed(other);
    const Actor sam = other.actor(UserId("sam")).value();
    // Once execute has read solo, another writer cancels it: a check() after the refusal judges
    // a canceled account, not what execute refused.
    AfterNumbersStore racing(store, [&] {
        REQUIRE(other.execute(sam, commands::CancelAccount{AccountId("solo"), clicked()}));
    });
    Engine engine(policies::ctm(), clock, racing);
    const commands::CancelAccount unconfirmed{AccountId("solo"), {}};
    const auto refused = engine.execute(sam, unconfirmed);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == errc::confirmation_required);
    CHECK(refused.error().refusals()
          == std::vector<Refusal>{
              {make_error_code(errc::confirmation_required), "confirm cancel_account"}});
    const auto later = engine.check(sam, unconfirmed).value().refusals;
    CHECK(later != refused.error().refusals());
    CHECK(std::any_of(later.begin(), later.end(),
                      [](const Refusal& r) { return r.code == errc::already_in_state; }));
}

TEST_CASE("an execute that fails for another reason than the rules gives its code, no reasons",
          "[engine][refusals]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const commands::AdjustBalance credit{AccountId("solo"), dollars(1)};

    SECTION("a store failure") {
        FaultInjectingStore faulty(store);
        faulty.fail_call(1);
        Engine failing(policies::ctm(), clock, faulty);
        const auto failed = failing.execute(platform_support, credit);
        REQUIRE_FALSE(failed);
        CHECK(failed.error() == errc::store_unavailable);
        CHECK(is_retryable(failed.error()));
        CHECK(failed.error().refusals().empty());
    }
    SECTION("damage the engine found: which deadline") {
        plant_deadline(store,
                       {at("2024-03-01T08:00:00Z"), DeadlineKind::data_purge, "account:ghost"});
        const auto damaged = engine.execute(platform_support, credit);
        REQUIRE_FALSE(damaged);
        CHECK(damaged.error() == errc::store_corrupt);
        CHECK(damaged.error().refusals().empty());
        CHECK_THAT(damaged.error().problem(), Catch::Contains("account:ghost)"));
        CHECK_THAT(damaged.error().problem(), Catch::Contains("no account has the id ghost"));
    }
    SECTION("a reused idempotency key: which key") {
        REQUIRE(engine.execute(platform_support, credit, std::string("req-7")));
        const auto reused =
            engine.execute(platform_support, commands::AdjustBalance{AccountId("solo"), dollars(2)},
                           std::string("req-7"));
        REQUIRE_FALSE(reused);
        CHECK(reused.error() == errc::idempotency_key_reused);
        CHECK(reused.error().refusals().empty());
        CHECK_THAT(reused.error().problem(), Catch::Contains("req-7"));
    }
}

TEST_CASE("a refused execute reads as an error_code, and its value() throws naming the reasons",
          "[engine][refusals]") {
    InMemoryStore store;
    ManualClock clock(at("2024-03-01T09:00:00Z"));
    Engine engine(policies::ctm(), clock, store);
    seed(engine);
    const commands::CancelAccount ghost{AccountId("ghost"), clicked()};
    const auto refused = engine.execute(alice, ghost);
    REQUIRE_FALSE(refused);

    // Passed on where an error_code is expected, it is the first reason's code.
    const boost::system::error_code code = refused.error();
    CHECK(code == errc::unknown_account);
    CHECK(refused.error() == condition::invalid_input);
    CHECK_FALSE(is_retryable(refused.error()));
    const auto passed_on = [&]() -> result<void> { return refused.error(); }();
    CHECK(passed_on.error() == errc::unknown_account);
    const result<Receipt> plain(engine.execute(alice, ghost));
    CHECK(plain.error() == errc::unknown_account);

    try {
        (void)refused.value();
        FAIL("value() of a refused execute did not throw");
    } catch (const boost::system::system_error& e) {
        CHECK(e.code() == errc::unknown_account);
        CHECK_THAT(e.what(), Catch::Contains("unknown_account: no account has the id ghost"));
    }
}
