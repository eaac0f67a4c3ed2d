#pragma once

// The pure core. No I/O, no clock reads, no globals: the same inputs always give the same output.
//
//   check(state, command, actor, policy, now)   -> every reason the command is refused, or none
//   decide(state, command, actor, policy, now)  -> the events it causes, or the first refusal
//   decide_with_reasons(...)                    -> the events, or every refusal, in one pass
//   evolve(state, event)                        -> the state after the event
//   due(state, policy, now)                     -> the time-driven events that have fired by now

#include <calltrack/command.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/fields.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/state.hpp>

#include <string>
#include <vector>

namespace calltrack {

/// One reason a command is refused: the code, and the context a person needs (which role was
/// missing, which window closed and when, which numbers are still porting out).
struct Refusal {
    boost::system::error_code code;
    std::string detail;
    CALLTRACK_FIELDS(Refusal, code, detail)
};

/// "window_closed: the 30-day reactivation window, opened at ..., closed at ...": the code's name
/// and the detail.
CALLTRACK_API std::string describe(const Refusal& refusal);

/// check()'s answer: allowed when there are no refusals.
struct CALLTRACK_API Verdict {
    std::vector<Refusal> refusals;
    bool is_allowed() const noexcept { return refusals.empty(); }
    /// Whether any refusal has this code.
    bool has(errc code) const noexcept;
};

CALLTRACK_API Verdict check(const State& state, const Command& command, const Actor& actor,
                            const Policy& policy, Time now);

CALLTRACK_API result<std::vector<Event>> decide(const State& state, const Command& command,
                                                const Actor& actor, const Policy& policy, Time now);

/// decide() keeping every reason: one pass of the rules gives the events when the command is
/// allowed, and otherwise every refusal with its detail, exactly as check() lists them (the first
/// is the code decide() returns).
struct Decision {
    std::vector<Event> events;      ///< empty when refused
    std::vector<Refusal> refusals;  ///< empty when allowed
    bool is_allowed() const noexcept { return refusals.empty(); }
};

CALLTRACK_API Decision decide_with_reasons(const State& state, const Command& command,
                                           const Actor& actor, const Policy& policy, Time now);

/// check(), decide() and decide_with_reasons() under the version of `policies` in force at
/// `now`, which a refusal that depends on the version names ("the callrail policy (version
/// callrail-2020-10, in force from 2020-10-01T00:00:00Z) does not offer pause_account").
CALLTRACK_API Verdict check(const State& state, const Command& command, const Actor& actor,
                            const PolicyHistory& policies, Time now);
CALLTRACK_API result<std::vector<Event>> decide(const State& state, const Command& command,
                                                const Actor& actor, const PolicyHistory& policies,
                                                Time now);
CALLTRACK_API Decision decide_with_reasons(const State& state, const Command& command,
                                           const Actor& actor, const PolicyHistory& policies,
                                           Time now);

/// Applies one event. Events are facts already decided; one that does not fit the state (an
/// unknown id) is a broken invariant and throws std::logic_error.
CALLTRACK_API State evolve(State state, const Event& event);
/// The same, in place.
CALLTRACK_API void apply(State& state, const Event& event);
/// Applies each event in order.
CALLTRACK_API void apply(State& state, const std::vector<Event>& events);

/// The events of every deadline at or before `now`, in deadline order (time, then kind, then
/// subject). Applying them removes the deadlines they fire.
CALLTRACK_API std::vector<Event> due(const State& state, const Policy& policy, Time now);
/// The same, each deadline judged under the version in force at its own time: a sweep that
/// crosses a version's start fires what was due before it under the earlier rules.
CALLTRACK_API std::vector<Event> due(const State& state, const PolicyHistory& policies, Time now);

}  // namespace calltrack
