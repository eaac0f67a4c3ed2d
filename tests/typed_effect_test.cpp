// typed_effect.hpp: every effect effects_of() gives has its kind's type, with the members it
// holds, and converts back to the same HostEffect; the hold fee travels with the billing change
// that charges it.
#include <calltrack/typed_effect.hpp>

#include <calltrack/json.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace calltrack;
using namespace calltrack::testing;

namespace {

/// Every effect of `events`, each read against the state right after its event, as the engine
/// does.
std::vector<HostEffect> effects_along(State& s, const std::vector<Event>& events) {
    std::vector<HostEffect> out;
    for (const Event& e : events) {
        s = evolve(std::move(s), e);
        for (auto& effect : effects_of(e, s)) out.push_back(std::move(effect));
    }
    return out;
}

}  // namespace

TEST_CASE("the hold fee's amount travels with the billing change that charges it",
          "[typed-effect][callrail]") {
    World w(policies::callrail(), at("2020-09-01T00:00:00Z"));
    w.account("acme").number("n1", "acme", "+14045550101").grant("ann", Role::administrator, acme);
    State s = w.state;

    auto paused = w.when(w.user("ann"), commands::PauseAccount{acme, clicked()});
    REQUIRE(paused);
    const auto* billing = find<events::BillingChanged>(paused.value());
    REQUIRE(billing);
    CHECK(billing->charges == Charges{Charge::hold_fee});
    REQUIRE(billing->hold_fee);
    CHECK(*billing->hold_fee == dollars(500));
    CHECK(describe(Event{*billing}).find(" hold_fee=5.00 USD") != std::string::npos);

    std::vector<TypedEffect> billed;
    for (const auto& effect : effects_along(s, paused.value())) {
        if (effect.kind == EffectKind::change_billing) billed.push_back(typed(effect));
    }
    REQUIRE(billed.size() == 1);
    const auto& change = std::get<effects::ChangeBilling>(billed.front());
    CHECK(change.owner == BalanceOwner{acme});
    CHECK(change.charges == Charges{Charge::hold_fee});
    CHECK(change.hold_fee == dollars(500));

    w.advance_to(at("2020-11-02T09:00:00Z"));
    s = w.state;
    auto resumed =
        w.when(w.user("ann"), commands::ResumeAccount{acme, Confirmation::click().accept_terms()});
    REQUIRE(resumed);
    const auto* back = find<events::BillingChanged>(resumed.value());
    REQUIRE(back);
    CHECK_FALSE(back->charges.contains(Charge::hold_fee));
    CHECK_FALSE(back->hold_fee);
}

TEST_CASE("a CTM account's effects each have their kind's type and convert back unchanged",
          "[typed-effect][ctm]") {
    World w(policies::ctm(), at("2024-01-01T00:00:00Z"));
    w.account("acme")
        .number("n1", "acme", "+14045550101")
        .number("n2", "acme", "+14045550102", NumberSource::offsite)
        .credit("acme", 2500)
        .grant("ann", Role::administrator, acme);
    State s = w.state;
    std::vector<HostEffect> all;
    const auto step = [&](const Command& c) {
        auto events = w.when(w.user("ann"), c);
        INFO(to_json(c));
        INFO((events ? "" : events.error().message()));
        REQUIRE(events);
        for (auto& e : effects_along(s, events.value())) all.push_back(std::move(e));
    };
    step(commands::PauseTracking{acme, NumberId("n1"), clicked()});
    step(commands::ResumeTracking{acme, NumberId("n1"), clicked()});
    step(commands::StopCalls{acme, std::nullopt, clicked()});
    step(commands::ResumeCalls{acme, std::nullopt, clicked()});
    step(commands::CancelAccount{acme, clicked()});
    for (auto& e : effects_along(s, w.advance(days(400)))) all.push_back(std::move(e));

    std::set<EffectKind> kinds;
    for (const HostEffect& effect : all) {
        INFO(describe(effect));
        const TypedEffect t = typed(effect);
        CHECK(kind_of(t) == effect.kind);
        CHECK(untyped(t) == effect);
        kinds.insert(effect.kind);
        if (const auto* release = std::get_if<effects::ReleaseNumber>(&t)) {
            CHECK((release->number == NumberId("n1") || release->number == NumberId("n2")));
            CHECK(release->phone_number);
        }
        if (const auto* stop = std::get_if<effects::StopSwapping>(&t)) CHECK(stop->account == acme);
        if (const auto* billing = std::get_if<effects::ChangeBilling>(&t)) {
            CHECK(billing->owner == BalanceOwner{acme});
            CHECK_FALSE(billing->hold_fee);
        }
    }
    CHECK(kinds.count(EffectKind::stop_swapping) == 1);
    CHECK(kinds.count(EffectKind::resume_swapping) == 1);
    CHECK(kinds.count(EffectKind::stop_routing_calls) == 1);
    CHECK(kinds.count(EffectKind::resume_routing_calls) == 1);
    CHECK(kinds.count(EffectKind::change_billing) == 1);
    CHECK(kinds.count(EffectKind::release_number) == 1);
    CHECK(kinds.count(EffectKind::purge_call_data) == 1);
}

TEST_CASE("typed() refuses an effect that lacks what its kind needs", "[typed-effect]") {
    HostEffect release;
    release.kind = EffectKind::release_number;
    release.at = at("2024-01-01T00:00:00Z");
    CHECK_THROWS_AS(typed(release), std::invalid_argument);
    release.number = NumberId("n1");
    CHECK(std::holds_alternative<effects::ReleaseNumber>(typed(release)));

    HostEffect refund;
    refund.kind = EffectKind::refund_balance;
    refund.at = release.at;
    refund.amount = dollars(5);
    CHECK_THROWS_AS(typed(refund), std::invalid_argument);  // no owner
    refund.account = acme;
    refund.agency = AgencyId("umbrella");
    CHECK_THROWS_AS(typed(refund), std::invalid_argument);  // two owners
    refund.agency.reset();
    const auto t = typed(refund);
    REQUIRE(std::holds_alternative<effects::RefundBalance>(t));
    CHECK(std::get<effects::RefundBalance>(t).amount == dollars(5));
}

TEST_CASE("untyped() leaves every member of another kind empty", "[typed-effect]") {
    effects::RestoreNumber restore;
    restore.number = NumberId("n1");
    restore.carrier_level = true;
    restore.at = at("2024-01-01T00:00:00Z");
    const HostEffect e = untyped(restore);
    CHECK(e.kind == EffectKind::restore_number);
    CHECK(e.number == NumberId("n1"));
    CHECK(e.carrier_level);
    CHECK(e.charges.empty());
    CHECK_FALSE(e.amount);
    CHECK_FALSE(e.hold_fee);
    CHECK_FALSE(e.agency);
    CHECK(typed(e) == TypedEffect{restore});
    CHECK(describe(e) == "restore_number number=n1 carrier_level at=2024-01-01T00:00:00Z");
}

TEST_CASE("describe() says the members of the effect's kind, and only those", "[typed-effect]") {
    HostEffect billing;
    billing.kind = EffectKind::change_billing;
    billing.agency = AgencyId("umbrella");
    billing.charges = Charges{Charge::hold_fee};
    billing.hold_fee = dollars(500);
    billing.number = NumberId("n1");  // not a member of a billing change
    billing.at = at("2024-01-01T00:00:00Z");
    CHECK(describe(billing)
          == "change_billing agency=umbrella charges=hold_fee hold_fee=5.00 USD "
             "at=2024-01-01T00:00:00Z");

    HostEffect forwarding;
    forwarding.kind = EffectKind::update_forwarding;
    forwarding.account = acme;
    forwarding.number = NumberId("n1");
    forwarding.phone_number = phone("+14045550101");
    forwarding.forwarding_destination = phone("+14045550199");
    forwarding.at = billing.at;
    CHECK(describe(forwarding)
          == "update_forwarding account=acme number=n1 phone=+14045550101 "
             "forwarding=+14045550199 at=2024-01-01T00:00:00Z");
}
