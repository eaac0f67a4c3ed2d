// Two-sided transfer approval is two acts (issue 10): an administrator of one agency asks to move
// a sub-account, an administrator of the other approves or refuses, the asking side may withdraw,
// and an unanswered request lapses at the end of the approval window fixed when it was asked.
// Nothing moves until the approval. Rule by rule on the core, then through the engine over both
// stores.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/json.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/sqlite_store.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

using Names = std::vector<std::string>;

const AccountId sub1("sub1");
const AgencyId ag("ag");
const AgencyId another_agency("other");

/// Agency ag with sub-accounts sub1 (number s1a, administrator sam) and sub2; agency other. agnes
/// and abe administer ag, olga and oscar administer other, and dora administers both.
World two_agencies() {
    World w(policies::ctm());
    w.agency("ag")
        .account("sub1", "ag")
        .account("sub2", "ag")
        .number("s1a", "sub1", "+14045551001")
        .agency("other")
        .grant("agnes", Role::agency_administrator, ag)
        .grant("abe", Role::agency_administrator, ag)
        .grant("sam", Role::administrator, sub1)
        .grant("olga", Role::agency_administrator, another_agency)
        .grant("oscar", Role::agency_administrator, another_agency)
        .grant("dora", Role::agency_administrator, ag)
        .grant("dora", Role::agency_administrator, another_agency);
    return w;
}

const commands::RequestTransfer request{sub1, another_agency};
const commands::ApproveTransfer approve{sub1};
const commands::RefuseTransfer refuse{sub1};
const commands::WithdrawTransfer withdraw{sub1};

std::string detail_of(const World& w, const char* user, const Command& c) {
    const auto verdict = w.check(w.user(user), c);
    REQUIRE(verdict.refusals.size() == 1);
    return verdict.refusals.front().detail;
}

}  // namespace

TEST_CASE("a request opens a pending transfer seen from both sides and moves nothing",
          "[transfer]") {
    World w = two_agencies();
    const auto events = succeeded(w.when(w.user("agnes"), request));

    REQUIRE(names(events) == Names{"transfer_requested"});
    const auto& e = std::get<events::TransferRequested>(events.front());
    CHECK(e.from == ag);
    CHECK(e.to == another_agency);
    CHECK(e.requested_by == ag);
    CHECK(e.requester == UserId("agnes"));
    CHECK(e.expires_at == std::optional<Time>(w.now + days(14)));
    const auto& a = w.account_state("sub1");
    CHECK(a.agency == std::optional<AgencyId>(ag));
    REQUIRE(a.pending_transfer);
    CHECK(*a.pending_transfer
          == PendingTransfer{another_agency, ag, UserId("agnes"), w.now, w.now + days(14)});
    CHECK(w.state.sub_accounts_by_agency.at(ag).count(sub1) == 1);
    CHECK(w.state.sub_accounts_by_agency.count(another_agency) == 0);
    CHECK(incoming_transfers(w.state, another_agency) == std::vector<AccountId>{sub1});
    CHECK(incoming_transfers(w.state, ag).empty());
    CHECK(w.state.deadlines.count(
              Deadline{w.now + days(14), DeadlineKind::transfer_expires, "account:sub1"})
          == 1);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("the target agency's administrator may ask too, and the source side then answers",
          "[transfer]") {
    World w = two_agencies();
    const auto asked = succeeded(w.when(w.user("olga"), request));
    CHECK(std::get<events::TransferRequested>(asked.front()).requested_by == another_agency);

    const auto wrong_side = w.when(w.user("oscar"), approve);
    REQUIRE_FALSE(wrong_side);
    CHECK(wrong_side.error() == errc::transfer_not_approved);
    CHECK_THAT(detail_of(w, "oscar", approve),
               Catch::Contains("agency ag (the sub-account's own)"));

    CHECK(names(succeeded(w.when(w.user("agnes"), approve)))
          == Names{"transfer_approved", "sub_account_transferred"});
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(another_agency));
    CHECK(w.replays_to_same_state());
}

TEST_CASE("an administrator of the other side approves, and only then the sub-account moves",
          "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    const auto events = succeeded(w.when(w.user("olga"), approve));

    CHECK(names(events) == Names{"transfer_approved", "sub_account_transferred"});
    CHECK(std::get<events::TransferApproved>(events.front()).approver == UserId("olga"));
    const auto& moved = std::get<events::SubAccountTransferred>(events.back());
    CHECK(moved.from == ag);
    CHECK(moved.to == another_agency);
    const auto& a = w.account_state("sub1");
    CHECK(a.agency == std::optional<AgencyId>(another_agency));
    CHECK_FALSE(a.pending_transfer);
    CHECK(w.state.deadlines.empty());
    CHECK(incoming_transfers(w.state, another_agency).empty());
    CHECK(w.state.sub_accounts_by_agency.at(another_agency).count(sub1) == 1);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("approving or refusing from the asking side is refused, naming the side that answers",
          "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    for (const Command& answer : {Command(approve), Command(refuse)}) {
        INFO(to_string(operation_of(answer)));
        for (const char* user : {"agnes", "abe"}) {
            INFO(user);
            const auto r = w.when(w.user(user), answer);
            REQUIRE_FALSE(r);
            CHECK(r.error() == errc::transfer_not_approved);
            CHECK_THAT(
                detail_of(w, user, answer),
                Catch::Contains("an administrator of agency other (the one it would move to)"));
        }
    }
    SECTION("and the requester cannot answer even holding the other side too") {
        World v = two_agencies();
        v.given(v.user("dora"), request);
        CHECK(std::get<events::TransferRequested>(v.history.back()).requested_by == ag);
        const auto r = v.when(v.user("dora"), approve);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::transfer_not_approved);
        CHECK_THAT(detail_of(v, "dora", approve), Catch::Contains("asked for this transfer"));
        CHECK(names(succeeded(v.when(v.user("olga"), approve)))
              == Names{"transfer_approved", "sub_account_transferred"});
    }
    SECTION("someone of neither side is refused as any operation is") {
        const auto r = w.when(w.user("sam"), approve);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::permission_denied);
    }
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(ag));
    CHECK(w.account_state("sub1").pending_transfer);
}

TEST_CASE("the other side refuses: the request ends and the sub-account stays", "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    const auto events = succeeded(w.when(w.user("oscar"), refuse));

    CHECK(names(events) == Names{"transfer_refused"});
    CHECK(std::get<events::TransferRefused>(events.front()).refuser == UserId("oscar"));
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(ag));
    CHECK_FALSE(w.account_state("sub1").pending_transfer);
    CHECK(w.state.deadlines.empty());
    const auto late = w.when(w.user("olga"), approve);
    REQUIRE_FALSE(late);
    CHECK(late.error() == errc::no_pending_transfer);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("only the asking side withdraws a request", "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    const auto by_other = w.when(w.user("olga"), withdraw);
    REQUIRE_FALSE(by_other);
    CHECK(by_other.error() == errc::transfer_not_approved);
    CHECK_THAT(detail_of(w, "olga", withdraw), Catch::Contains("must withdraw"));
    CHECK(w.check(w.user("sam"), withdraw).has(errc::permission_denied));

    // Any administrator of the asking agency, not only the one who asked.
    CHECK(names(succeeded(w.when(w.user("abe"), withdraw))) == Names{"transfer_withdrawn"});
    CHECK_FALSE(w.account_state("sub1").pending_transfer);
    CHECK(w.state.deadlines.empty());
    CHECK(w.when(w.user("agnes"), withdraw).error() == errc::no_pending_transfer);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("a second request while one is pending is refused", "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    for (const char* user : {"agnes", "olga"}) {
        const auto again = w.when(w.user(user), request);
        REQUIRE_FALSE(again);
        CHECK(again.error() == errc::already_in_state);
        CHECK_THAT(detail_of(w, user, request), Catch::Contains("pending since"));
    }
    w.given(commands::CreateAgency{AgencyId("third"), usd()});
    CHECK(w.check(w.user("agnes"), commands::RequestTransfer{sub1, AgencyId("third")})
              .has(errc::already_in_state));
    // Moving to its own agency is nothing to do, as before.
    World v = two_agencies();
    CHECK(v.when(v.user("agnes"), commands::RequestTransfer{sub1, ag}).error()
          == errc::already_in_state);
}

TEST_CASE("an unanswered request expires at the instant fixed when it was asked", "[transfer]") {
    World w = two_agencies();
    const Time asked = w.now;
    w.given(w.user("agnes"), request);
    // A policy changed after the request does not move its end.
    w.policy.transfer.approval_window = Window::days(1);

    CHECK(w.advance_to(asked + days(14) - seconds(1)).empty());
    CHECK(w.check(w.user("olga"), approve).is_allowed());

    const auto fired = w.advance_to(asked + days(14));
    CHECK(names(fired) == Names{"transfer_expired"});
    CHECK(std::get<events::TransferExpired>(fired.front()).at == asked + days(14));
    CHECK_FALSE(w.account_state("sub1").pending_transfer);
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(ag));
    CHECK(w.state.deadlines.empty());
    CHECK(w.when(w.user("olga"), approve).error() == errc::no_pending_transfer);
    // A new request is fixed under the policy in force now.
    const auto again = succeeded(w.when(w.user("agnes"), request));
    CHECK(std::get<events::TransferRequested>(again.front()).expires_at
          == std::optional<Time>(w.now + days(1)));
    CHECK(w.replays_to_same_state());
}

TEST_CASE("canceling the sub-account or its agency drops the pending transfer", "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);

    SECTION("close the sub-account") {
        const auto events =
            succeeded(w.when(w.user("agnes"), commands::CloseSubAccount{sub1, clicked()}));
        CHECK(names(events).front() == "transfer_dropped");
        // Reactivating it does not bring the request back.
        w.given(w.user("agnes"), commands::ReactivateAccount{sub1, clicked()});
    }
    SECTION("cancel the agency it belongs to") {
        const auto events =
            succeeded(w.when(w.user("agnes"), commands::CancelAgency{ag, clicked()}));
        CHECK(count(events, "transfer_dropped") == 1);
        const auto* dropped = find<events::TransferDropped>(events);
        REQUIRE(dropped != nullptr);
        CHECK(dropped->account == sub1);
    }
    CHECK_FALSE(w.account_state("sub1").pending_transfer);
    CHECK(w.state.deadlines.count(
              Deadline{w.now + days(14), DeadlineKind::transfer_expires, "account:sub1"})
          == 0);
    CHECK(incoming_transfers(w.state, another_agency).empty());
    CHECK(w.check(w.user("olga"), approve).has(errc::no_pending_transfer));
    CHECK(w.replays_to_same_state());
}

TEST_CASE("canceling the agency a sub-account would move to drops the request", "[transfer]") {
    World w = two_agencies();
    w.given(w.user("agnes"), request);
    REQUIRE(incoming_transfers(w.state, another_agency) == std::vector<AccountId>{sub1});

    // A canceled agency cannot take the sub-account in, so no one is left to answer.
    const auto events =
        succeeded(w.when(w.user("olga"), commands::CancelAgency{another_agency, clicked()}));
    CHECK(count(events, "transfer_dropped") == 1);
    const auto* dropped = find<events::TransferDropped>(events);
    REQUIRE(dropped != nullptr);
    CHECK(dropped->account == sub1);
    CHECK_FALSE(w.account_state("sub1").pending_transfer);
    CHECK(w.state.deadlines.count(
              Deadline{w.now + days(14), DeadlineKind::transfer_expires, "account:sub1"})
          == 0);
    CHECK(incoming_transfers(w.state, another_agency).empty());
    CHECK(w.check(w.user("olga"), refuse).has(errc::no_pending_transfer));
    CHECK(w.check(w.user("agnes"), withdraw).has(errc::no_pending_transfer));
    // The sub-account itself is untouched: still ag's, still active.
    CHECK(w.account_state("sub1").agency == std::optional<AgencyId>(ag));
    CHECK(w.account_state("sub1").status == AccountStatus::active);
    CHECK(w.replays_to_same_state());
}

TEST_CASE("a pending transfer round-trips through JSON on the record and in its event",
          "[transfer]") {
    World w = two_agencies();
    w.given(w.user("olga"), request);
    const Account& a = w.account_state("sub1");
    CHECK(account_from_json(to_json(a)).value() == a);
    const Event unlimited = events::TransferRequested{
        sub1, ag, another_agency, another_agency, UserId("olga"), std::nullopt, w.now};
    CHECK(event_from_json(to_json(unlimited)).value() == unlimited);
    // A record written before transfers existed has no such key, and reads as none pending.
    Account older = a;
    older.pending_transfer.reset();
    std::string text = to_json(older);
    CHECK(text.find("pending_transfer") == std::string::npos);
    CHECK(account_from_json(text).value() == older);
}

TEST_CASE("transfers are CTM's: the other presets offer none of the four", "[transfer]") {
    for (const auto& p : {policies::callrail(), policies::smrtphone()}) {
        INFO(p.name);
        for (const auto op : {Operation::request_transfer, Operation::approve_transfer,
                              Operation::refuse_transfer, Operation::withdraw_transfer}) {
            CHECK_FALSE(p.rule(op).offered);
        }
        CHECK(p.transfer.approval_window == Window::not_offered());
    }
    CHECK(policies::ctm().transfer.approval_window == Window::days(14));
    Policy broken = policies::ctm();
    broken.transfer.approval_window = Window::not_offered();
    PolicyDiagnostic d;
    CHECK_FALSE(validate(broken, &d));
    CHECK(d.field == "transfer.approval_window");
}

// --- through the engine, over both stores ----------------------------------------------------

TEST_CASE("the engine keeps a pending transfer on the record until the other side answers",
          "[transfer][engine]") {
    InMemoryStore memory;
    auto sqlite = SqliteStore::open(":memory:");
    REQUIRE(sqlite);
    Store* const stores[] = {&memory, sqlite.value().get()};
    for (Store* store : stores) {
        INFO((store == &memory ? "InMemoryStore" : "SqliteStore"));
        const Time t0 = at("2024-03-01T09:00:00Z");
        ManualClock clock(t0);
        Engine engine(policies::ctm(), clock, *store);
        const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
        const Actor agnes{UserId("agnes"), {RoleGrant{Role::agency_administrator, ag}}};
        const Actor olga{UserId("olga"), {RoleGrant{Role::agency_administrator, another_agency}}};
        for (const Command& step : std::vector<Command>{
                 commands::CreateAgency{ag, usd()}, commands::CreateAgency{another_agency, usd()},
                 commands::OpenAccount{sub1, ag, Plan{"Pro", {}}, usd()},
                 commands::OpenAccount{AccountId("sub2"), ag, Plan{"Pro", {}}, usd()},
                 commands::GrantRole{agnes.user, agnes.grants.front()},
                 commands::GrantRole{olga.user, olga.grants.front()}}) {
            REQUIRE(engine.execute(support, step));
        }

        auto asked = engine.execute(agnes, request);
        REQUIRE(asked);
        CHECK(names(asked.value().events) == Names{"transfer_requested"});
        auto record = engine.account(sub1).value();
        REQUIRE(record);
        CHECK(record->agency == std::optional<AgencyId>(ag));
        REQUIRE(record->pending_transfer);
        CHECK(record->pending_transfer->expires_at == std::optional<Time>(t0 + days(14)));
        auto subs = store->load_sub_accounts(ag).value();
        CHECK(subs.size() == 2);
        // The receiving side sees the request; the asking side sees it on its sub-account.
        auto incoming = engine.incoming_transfers(another_agency);
        REQUIRE(incoming);
        REQUIRE(incoming.value().size() == 1);
        CHECK(incoming.value().front() == *record);
        CHECK(engine.incoming_transfers(ag).value().empty());

        auto same_side = engine.execute(agnes, approve);
        REQUIRE_FALSE(same_side);
        CHECK(same_side.error() == errc::transfer_not_approved);

        REQUIRE(clock.advance(boost::posix_time::hours(1)));
        auto approved = engine.execute(olga, approve);
        REQUIRE(approved);
        CHECK(names(approved.value().events)
              == Names{"transfer_approved", "sub_account_transferred"});
        record = engine.account(sub1).value();
        CHECK(record->agency == std::optional<AgencyId>(another_agency));
        CHECK_FALSE(record->pending_transfer);
        CHECK(store->load_sub_accounts(another_agency).value().size() == 1);
        CHECK(engine.incoming_transfers(another_agency).value().empty());

        // Asked again back to ag by olga; it lapses in the store at its stored end.
        REQUIRE(engine.execute(olga, commands::RequestTransfer{sub1, ag}));
        REQUIRE(clock.advance(days(14)));
        auto fired = engine.advance();
        REQUIRE(fired);
        record = engine.account(sub1).value();
        CHECK_FALSE(record->pending_transfer);
        CHECK(record->agency == std::optional<AgencyId>(another_agency));
        auto history = engine.history(sub1).value();
        std::vector<std::string> kinds;
        for (const auto& e : history) kinds.emplace_back(event_name(e.event));
        CHECK(std::vector<std::string>(kinds.end() - 5, kinds.end())
              == Names{"transfer_requested", "transfer_approved", "sub_account_transferred",
                       "transfer_requested", "transfer_expired"});
        // The stream alone rebuilds the stored record.
        State replayed;
        for (const auto& e : history) calltrack::apply(replayed, e.event);
        CHECK(replayed.accounts.at(sub1) == *record);
        CHECK(store->due_deadlines(at("9999-01-01T00:00:00Z"), 100).value().empty());
    }
}

TEST_CASE("through the engine, canceling the receiving agency drops the requests it would answer",
          "[transfer][engine]") {
    InMemoryStore memory;
    auto sqlite = SqliteStore::open(":memory:");
    REQUIRE(sqlite);
    Store* const stores[] = {&memory, sqlite.value().get()};
    for (Store* store : stores) {
        INFO((store == &memory ? "InMemoryStore" : "SqliteStore"));
        const Time t0 = at("2024-03-01T09:00:00Z");
        ManualClock clock(t0);
        Engine engine(policies::ctm(), clock, *store);
        const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
        const Actor agnes{UserId("agnes"), {RoleGrant{Role::agency_administrator, ag}}};
        const Actor olga{UserId("olga"), {RoleGrant{Role::agency_administrator, another_agency}}};
        for (const Command& step : std::vector<Command>{
                 commands::CreateAgency{ag, usd()}, commands::CreateAgency{another_agency, usd()},
                 commands::OpenAccount{sub1, ag, Plan{"Pro", {}}, usd()},
                 commands::OpenAccount{AccountId("sub2"), ag, Plan{"Pro", {}}, usd()},
                 commands::GrantRole{agnes.user, agnes.grants.front()},
                 commands::GrantRole{olga.user, olga.grants.front()}}) {
            REQUIRE(engine.execute(support, step));
        }
        REQUIRE(engine.execute(agnes, request));
        REQUIRE(engine.execute(olga, commands::RequestTransfer{AccountId("sub2"), another_agency}));
        REQUIRE(engine.incoming_transfers(another_agency).value().size() == 2);

        auto canceled = engine.execute(olga, commands::CancelAgency{another_agency, clicked()});
        REQUIRE(canceled);
        CHECK(count(canceled.value().events, "transfer_dropped") == 2);
        CHECK(engine.incoming_transfers(another_agency).value().empty());
        for (const char* id : {"sub1", "sub2"}) {
            INFO(id);
            const auto record = engine.account(AccountId(id)).value();
            REQUIRE(record);
            CHECK_FALSE(record->pending_transfer);
            CHECK(record->agency == std::optional<AgencyId>(ag));
            CHECK(record->status == AccountStatus::active);
            CHECK(store->deadlines_of(std::string("account:") + id).value().empty());
            const auto history = engine.history(AccountId(id)).value();
            CHECK(event_name(history.back().event) == "transfer_dropped");
        }
    }
}

TEST_CASE(
    "through the engine, a policy version that shortens the window later does not move a "
    "request's end",
    "[transfer][engine][versions]") {
    const Time t0 = at("2024-03-01T09:00:00Z");
    Policy shorter = policies::ctm();
    shorter.transfer.approval_window = Window::days(3);
    const auto history =
        PolicyHistory::make({{"ctm-14", at("2023-01-01T00:00:00Z"), policies::ctm()},
                             {"ctm-3", t0 + days(1), shorter}})
            .value();
    InMemoryStore memory;
    auto sqlite = SqliteStore::open(":memory:");
    REQUIRE(sqlite);
    Store* const stores[] = {&memory, sqlite.value().get()};
    for (Store* store : stores) {
        INFO((store == &memory ? "InMemoryStore" : "SqliteStore"));
        ManualClock clock(t0);
        Engine engine(history, clock, *store);
        const Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
        const Actor agnes{UserId("agnes"), {RoleGrant{Role::agency_administrator, ag}}};
        for (const Command& step : std::vector<Command>{
                 commands::CreateAgency{ag, usd()}, commands::CreateAgency{another_agency, usd()},
                 commands::OpenAccount{sub1, ag, Plan{"Pro", {}}, usd()},
                 commands::OpenAccount{AccountId("sub2"), ag, Plan{"Pro", {}}, usd()},
                 commands::GrantRole{agnes.user, agnes.grants.front()}}) {
            REQUIRE(engine.execute(support, step));
        }
        REQUIRE(engine.execute(agnes, request));
        // Under ctm-3, a request made now would have ended; this one was fixed at 14 days.
        REQUIRE(clock.advance(days(5)));
        auto early = engine.advance();
        REQUIRE(early);
        CHECK(early.value().empty());
        CHECK(engine.account(sub1).value()->pending_transfer);
        auto later =
            engine.execute(agnes, commands::RequestTransfer{AccountId("sub2"), another_agency});
        REQUIRE(later);
        CHECK(std::get<events::TransferRequested>(later.value().events.front()).expires_at
              == std::optional<Time>(t0 + days(5) + days(3)));

        REQUIRE(clock.advance(days(9)));
        auto fired = engine.advance();
        REQUIRE(fired);
        CHECK(names(fired.value()) == Names{"transfer_expired", "transfer_expired"});
        CHECK_FALSE(engine.account(sub1).value()->pending_transfer);
        CHECK_FALSE(engine.account(AccountId("sub2")).value()->pending_transfer);
    }
}
