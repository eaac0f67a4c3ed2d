#pragma once

// Runs a parsed scenario through an Engine on a ManualClock and a Store, and reports what every
// step did, as values a printer (report.hpp) or a test reads.
//
// A command step is judged first without writing (Engine::preview, which fires due deadlines in
// memory): a refused step writes nothing, and its every reason comes from Engine::check. An allowed
// step then fires the deadlines due by its time (Engine::advance, reported as the step's
// "deadlines fired") and executes the command in one engine commit. A step that is expected to be
// refused is never executed: if it turns out to be allowed, the expectation fails and nothing is
// written. The run stops at the first expectation that is not met, unless RunOptions::keep_going
// asks it to record the miss and play on (as `calltrack compare` does, to show every step under
// every policy).

#include "scenario.hpp"

#include <calltrack/account.hpp>
#include <calltrack/agency.hpp>
#include <calltrack/billing.hpp>
#include <calltrack/command.hpp>
#include <calltrack/decide.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/event.hpp>
#include <calltrack/store.hpp>
#include <calltrack/tracking_number.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace calltrack::cli {

/// What an agency or account is charged for, read after a step.
struct ChargesAfter {
    BalanceOwner owner;
    Charges charges;
};

struct StepReport {
    enum class Kind { setup, command, advance };
    enum class Outcome { ok, refused };

    Kind kind = Kind::command;
    std::string label;  ///< "setup 2", "actor alice", "step 3"
    std::string field;  ///< "setup[1]", "actors.alice[0]", "steps[2]"
    Time at;
    std::string actor;      ///< empty for an advance
    std::string operation;  ///< the command's name, or "advance"
    std::string target;     ///< what the command acts on (step_subject.hpp); empty for an advance
    std::string note;
    std::optional<Command> command;
    Outcome outcome = Outcome::ok;
    /// False when refused, and when allowed but expected to be refused (judged, never written).
    bool executed = false;
    std::vector<Refusal> refusals;  ///< every reason, when refused
    /// Deadlines due by the step's time, fired before its command (for an advance: all it did).
    std::vector<Event> fired;
    std::vector<HostEffect> fired_effects;
    /// The command's own events and host effects.
    std::vector<Event> events;
    std::vector<HostEffect> effects;
    /// After the step: the charges of the agency or account it acts on (a tracking number's
    /// account), then of every other owner whose billing changed in it, each once, in that order.
    std::vector<ChargesAfter> charges_after;
    /// The expectation, in words ("ok", "refused with window_closed", ...).
    std::string expected;
    /// Why the expectation was not met; empty when it was.
    std::string unmet;
};

struct AccountReport {
    Account account;
    std::vector<TrackingNumber> numbers;
    /// Where its local days are counted, when it or its agency has a zone: the timeline shows
    /// the windows' ends in it.
    std::optional<TimeZone> zone = std::nullopt;
};

/// Every agency and account in the store, in id order, as they are after the run.
struct FinalState {
    Time at;
    std::vector<Agency> agencies;
    std::vector<AccountReport> accounts;
};

/// Why the run stopped early: an expectation not met, a clock refusal, or a store failure.
struct RunFailure {
    std::string location;  ///< "step 3", "setup 2", "actor alice"
    std::string field;     ///< "steps[2]"
    std::string message;
};

struct RunReport {
    std::string source;  ///< the scenario file, as given
    std::string title;
    std::string policy;  ///< the policy's name (the newest version's, under a history)
    std::string store;   ///< "calltrack.db (SQLite)", "in memory"
    Time start;
    std::vector<StepReport> steps;
    std::optional<FinalState> final_state;
    /// The first failure: with RunOptions::keep_going, the first expectation not met (each step's
    /// own is in StepReport::unmet) or what stopped the run.
    std::optional<RunFailure> failure;

    bool ok() const noexcept { return !failure.has_value(); }
};

struct RunOptions {
    /// Called before each setup entry and step with (done, total).
    std::function<void(std::size_t, std::size_t)> progress;
    /// After a step whose expectation is not met, record it (RunReport::failure keeps the first)
    /// and play the next step instead of stopping. A setup entry that fails still stops the run,
    /// as does a store failure.
    bool keep_going = false;
};

/// Runs the scenario under `policies` (one policy, or a vendor's versions) against `store`, which
/// should hold nothing yet.
RunReport run_scenario(const Scenario& scenario, const PolicyHistory& policies, Store& store,
                       const RunOptions& options = {});

/// Every agency and account `store` holds, found through the event log, at time `at`.
result<FinalState> final_state(Engine& engine, Store& store, Time at);

/// The host effects committed to the outbox after sequence `after`, and the highest sequence
/// (`after` when there are none).
result<std::vector<HostEffect>> effects_after(Store& store, std::uint64_t& after);

}  // namespace calltrack::cli
