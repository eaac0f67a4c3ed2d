#pragma once

// Test vocabulary for the pure core: "given these events, when this command, then these events
// or this error". A World holds a policy, a state and a time; `given` builds history through the
// same decide/evolve path a host uses, `when` is the command under test.

#include <calltrack/decide.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace calltrack::testing {

inline Time at(const char* iso) {
    return parse_time(iso).value();
}
inline PhoneNumber phone(const char* text) {
    return PhoneNumber::parse(text).value();
}
inline Currency usd() {
    return Currency::parse("USD").value();
}
inline Money dollars(std::int64_t cents) {
    return Money(cents, usd());
}
inline boost::posix_time::time_duration days(long n) {
    return boost::posix_time::hours(24 * n);
}
inline boost::posix_time::time_duration seconds(long n) {
    return boost::posix_time::seconds(n);
}

/// The account most vendor tests open as "acme".
inline const AccountId acme("acme");

/// The events of a command that must succeed; says why when it is refused.
inline std::vector<Event> succeeded(const result<std::vector<Event>>& r) {
    INFO("refused: " << (r ? std::string() : r.error().message()));
    REQUIRE(r);
    return r.value();
}

/// Names of the events, in order: the shape of what happened, for compact assertions.
inline std::vector<std::string> names(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(event_name(e));
    return out;
}

/// How many events have this name.
inline std::size_t count(const std::vector<Event>& events, std::string_view name) {
    std::size_t n = 0;
    for (const auto& e : events)
        if (event_name(e) == name) ++n;
    return n;
}

/// The first event of type E, or null.
template <class E>
const E* find(const std::vector<Event>& events) {
    for (const auto& e : events) {
        if (const auto* hit = std::get_if<E>(&e)) return hit;
    }
    return nullptr;
}

class World {
  public:
    explicit World(Policy p, Time start = at("2024-01-01T00:00:00Z"))
        : policy(std::move(p)), now(start) {}

    Policy policy;
    State state;
    Time now;
    /// The vendor's support staff: provisions the world in `given` steps.
    Actor support{UserId("support"), {RoleGrant{Role::support, Platform{}}}};
    /// Every event applied so far, in order, for replay checks.
    std::vector<Event> history;

    /// A user with the grants the state holds for it.
    Actor user(const char* id) const { return actor_of(state, UserId(id)); }

    /// A step of history that must succeed (as support unless an actor is given).
    World& given(const Command& command) { return given(support, command); }
    World& given(const Actor& actor, const Command& command) {
        auto events = decide(state, command, actor, policy, now);
        if (!events) {
            const Verdict why = check(actor, command);
            INFO("given step refused: "
                 << events.error().message() << ": "
                 << (why.refusals.empty() ? std::string() : why.refusals.front().detail));
            REQUIRE(events);
        }
        record(events.value());
        return *this;
    }

    /// The command under test: decides at `now` and, on success, applies the events.
    result<std::vector<Event>> when(const Actor& actor, const Command& command) {
        auto events = decide(state, command, actor, policy, now);
        if (events) record(events.value());
        return events;
    }

    Verdict check(const Actor& actor, const Command& command) const {
        return calltrack::check(state, command, actor, policy, now);
    }

    /// Moves time forward and fires every deadline due by then; returns the fired events.
    std::vector<Event> advance_to(Time t) {
        REQUIRE(t >= now);
        now = t;
        auto fired = due(state, policy, now);
        record(fired);
        return fired;
    }
    std::vector<Event> advance(boost::posix_time::time_duration d) { return advance_to(now + d); }

    // --- provisioning shortcuts ----------------------------------------------------------
    World& agency(const char* id) { return given(commands::CreateAgency{AgencyId(id), usd()}); }
    World& account(const char* id, const char* agency_id = nullptr) {
        std::optional<AgencyId> parent;
        if (agency_id != nullptr) parent = AgencyId(agency_id);
        return given(
            commands::OpenAccount{AccountId(id), parent, Plan{"Pro", {"form-tracking"}}, usd()});
    }
    World& number(const char* id, const char* account_id, const char* e164,
                  NumberSource source = NumberSource::onsite_dynamic) {
        return given(commands::AddTrackingNumber{NumberId(id), AccountId(account_id), phone(e164),
                                                 phone("+14045550100"), source});
    }
    World& grant(const char* user_id, Role role, Scope scope) {
        return given(commands::GrantRole{UserId(user_id), RoleGrant{role, std::move(scope)}});
    }
    World& credit(const char* account_id, std::int64_t cents) {
        return given(commands::AdjustBalance{AccountId(account_id), dollars(cents)});
    }

    const Account& account_state(const char* id) const { return state.accounts.at(AccountId(id)); }
    const Agency& agency_state(const char* id) const { return state.agencies.at(AgencyId(id)); }
    const TrackingNumber& number_state(const char* id) const {
        return state.numbers.at(NumberId(id));
    }

    /// Replaying the history from an empty state gives exactly this state.
    bool replays_to_same_state() const {
        State replayed;
        apply(replayed, history);
        return replayed == state;
    }

  private:
    void record(const std::vector<Event>& events) {
        apply(state, events);
        history.insert(history.end(), events.begin(), events.end());
    }
};

/// A confirmation with the button pressed.
inline Confirmation clicked() {
    Confirmation c;
    c.clicked = true;
    return c;
}

}  // namespace calltrack::testing
