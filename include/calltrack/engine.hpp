#pragma once

// The engine: what host applications call. It reads the injected Clock, loads what a command
// touches from the injected Store, decides with the pure core, and commits every change of one
// command (records, events, deadline changes, outbox entries, idempotency record) in one atomic
// store commit. It holds no lifecycle state of its own, so several engines, in one process or
// many, can share a store safely.

#include <calltrack/clock.hpp>
#include <calltrack/command.hpp>
#include <calltrack/decide.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/store.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace calltrack {

struct EngineOptions {
    /// How many times execute() re-reads and re-decides after errc::concurrency_conflict. Every
    /// retry decides afresh on the records another writer committed, so retrying is safe.
    int max_conflict_retries = 8;
    /// How many due deadlines advance() fires per store commit.
    std::size_t advance_batch = 1000;
};

/// What execute() did: the events committed and the effects queued for the host.
struct Receipt {
    std::vector<Event> events;
    std::vector<HostEffect> effects;
    /// True when an idempotency key was seen before and this is the first call's receipt.
    bool is_replay = false;
};

/// What execute() would do now, without doing it.
struct Preview {
    std::vector<Event> events;
    std::vector<HostEffect> effects;
};

class CALLTRACK_API Engine {
  public:
    Engine(Policy policy, Clock& clock, Store& store, EngineOptions options = {});

    const Policy& policy() const noexcept { return policy_; }

    /// Allowed, or every reason not (store failures are errors of the result itself).
    result<Verdict> check(const Actor& actor, const Command& command);
    /// The exact events and host effects execute() would produce now; writes nothing.
    result<Preview> preview(const Actor& actor, const Command& command);
    /// Decides at clock.now() and commits atomically. With a key, a repeat of the same command by
    /// the same actor returns the first receipt and changes nothing; the same key with a
    /// different command is refused with errc::idempotency_key_reused. Deadlines due by now fire
    /// first, in their own commits.
    result<Receipt> execute(const Actor& actor, const Command& command,
                            std::optional<std::string> idempotency_key = std::nullopt);
    /// Fires every deadline due at clock.now(), in deadline order; returns the events.
    result<std::vector<Event>> advance();

    // --- queries ------------------------------------------------------------------------------
    result<std::optional<Agency>> agency(const AgencyId& id);
    result<std::optional<Account>> account(const AccountId& id);
    result<std::vector<TrackingNumber>> numbers(const AccountId& account);
    /// The account's own event stream, oldest first.
    result<std::vector<StoredEvent>> history(const AccountId& account);
    /// The agency's own event stream, oldest first.
    result<std::vector<StoredEvent>> history(const AgencyId& agency);
    /// The user with the grants the store holds for it.
    result<Actor> actor(const UserId& user);
    /// Host effects not yet acknowledged, oldest first.
    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit = 100);
    result<void> acknowledge_effects(std::uint64_t up_to);

  private:
    /// clock.now(), refused if earlier than the last committed event (stored in *last_event).
    result<Time> read_clock(std::optional<Time>* last_event = nullptr);
    result<std::vector<Event>> fire_due(Time now);

    Policy policy_;
    Clock& clock_;
    Store& store_;
    EngineOptions options_;
};

/// The stream an event is stored under: its account's, its agency's, or its user's.
CALLTRACK_API StreamId stream_of(const Event& event, const State& after);

}  // namespace calltrack
