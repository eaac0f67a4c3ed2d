// event.hpp: describe() names each event's subjects and what it changed to, so a timeline says
// which numbers were held or reactivated, which plan came back and where calls now go.
#include <calltrack/event.hpp>

#include "lifecycle_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace calltrack;
using namespace calltrack::testing;

TEST_CASE("describe() names the numbers held and reactivated", "[event]") {
    const Time t = at("2020-09-03T10:00:00Z");
    CHECK(describe(Event{events::NumbersHeld{acme, {NumberId("print"), NumberId("web")}, t}})
          == "numbers_held account=acme numbers=print, web at=2020-09-03T10:00:00Z");
    CHECK(describe(Event{events::NumbersReactivated{acme, {NumberId("web")}, t}})
          == "numbers_reactivated account=acme numbers=web at=2020-09-03T10:00:00Z");
    CHECK(describe(Event{events::NumbersHeld{acme, {}, t}})
          == "numbers_held account=acme numbers=none at=2020-09-03T10:00:00Z");
}

TEST_CASE("describe() names the plan restored or set, with its add-ons", "[event]") {
    const Time t = at("2020-09-10T10:00:00Z");
    CHECK(describe(Event{events::PlanRestored{acme, Plan{"Pro", {}}, t}})
          == "plan_restored account=acme plan=Pro at=2020-09-10T10:00:00Z");
    CHECK(describe(Event{events::PlanChanged{acme, Plan{"Pro", {"recording", "forms"}}, t}})
          == "plan_changed account=acme plan=Pro add_ons=recording, forms at=2020-09-10T10:00:00Z");
}

TEST_CASE("describe() says a number's phone number and forwarding destination as effects do",
          "[event]") {
    const Time t = at("2024-03-01T09:00:00Z");
    CHECK(describe(Event{events::ForwardingChanged{NumberId("web"), phone("+14045550188"), t}})
          == "forwarding_changed number=web forwarding=+14045550188 at=2024-03-01T09:00:00Z");
    CHECK(describe(Event{events::TrackingNumberAdded{NumberId("web"), acme, phone("+14045550101"),
                                                     phone("+14045550199"), NumberSource::offsite,
                                                     t}})
          == "tracking_number_added account=acme number=web phone=+14045550101 "
             "forwarding=+14045550199 at=2024-03-01T09:00:00Z");
}
