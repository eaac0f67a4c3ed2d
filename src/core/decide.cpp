// decide() and check(): the rules of every operation, judged against one Policy at one time.
// Each handler looks up what the command touches, then asks in a fixed order: is it offered, may
// this actor do it, does the status allow it (one table, status_table.cpp), what the operation
// itself requires, and what the person must confirm. check() collects every refusal; decide()
// stops at the first and otherwise returns the events. The handlers are in one file per family
// (judge.hpp lists them); this file dispatches a command to its handler.
#include "judge.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace calltrack {
namespace {

using core::Events;
using core::Judge;

void judge(Judge& j, const Command& command, Events* out) {
    if (j.state.last_event_at && j.now < *j.state.last_event_at) {
        j.refuse(errc::clock_went_backwards, "it is " + format_time(j.now)
                                                 + ", earlier than the last event at "
                                                 + format_time(*j.state.last_event_at));
        return;
    }
    std::visit([&](const auto& c) { handle(j, c, out); }, command);
}

}  // namespace

bool Verdict::has(errc code) const noexcept {
    return std::any_of(refusals.begin(), refusals.end(),
                       [&](const Refusal& r) { return r.code == code; });
}

std::string describe(const Refusal& refusal) {
    std::string out = refusal.code.category() == calltrack_category()
                          ? std::string(to_string(static_cast<errc>(refusal.code.value())))
                          : refusal.code.message();
    if (!refusal.detail.empty()) out += ": " + refusal.detail;
    return out;
}

Verdict check(const State& state, const Command& command, const Actor& actor, const Policy& policy,
              Time now) {
    Verdict verdict;
    Judge j(state, actor, policy, now, verdict.refusals);
    judge(j, command, nullptr);
    return verdict;
}

Verdict check(const State& state, const Command& command, const Actor& actor,
              const PolicyHistory& policies, Time now) {
    Verdict verdict;
    const PolicyVersion& version = policies.in_force_at(now);
    Judge j(state, actor, version.policy, now, verdict.refusals, &version);
    judge(j, command, nullptr);
    return verdict;
}

namespace {

Decision decide_under(const State& state, const Command& command, const Actor& actor,
                      const Policy& policy, const PolicyVersion* version, Time now) {
    Decision decision;
    Judge j(state, actor, policy, now, decision.refusals, version);
    judge(j, command, &decision.events);
    if (!decision.is_allowed()) decision.events.clear();
    return decision;
}

result<std::vector<Event>> first_refusal_or_events(Decision decision) {
    if (!decision.is_allowed()) return decision.refusals.front().code;
    return std::move(decision.events);
}

}  // namespace

result<std::vector<Event>> decide(const State& state, const Command& command, const Actor& actor,
                                  const Policy& policy, Time now) {
    return first_refusal_or_events(decide_under(state, command, actor, policy, nullptr, now));
}

result<std::vector<Event>> decide(const State& state, const Command& command, const Actor& actor,
                                  const PolicyHistory& policies, Time now) {
    return first_refusal_or_events(decide_with_reasons(state, command, actor, policies, now));
}

Decision decide_with_reasons(const State& state, const Command& command, const Actor& actor,
                             const Policy& policy, Time now) {
    return decide_under(state, command, actor, policy, nullptr, now);
}

Decision decide_with_reasons(const State& state, const Command& command, const Actor& actor,
                             const PolicyHistory& policies, Time now) {
    const PolicyVersion& version = policies.in_force_at(now);
    return decide_under(state, command, actor, version.policy, &version, now);
}

}  // namespace calltrack
