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
#include <calltrack/impact.hpp>
#include <calltrack/observer.hpp>
#include <calltrack/policy.hpp>
#include <calltrack/policy_history.hpp>
#include <calltrack/store.hpp>

#include <boost/system/system_error.hpp>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calltrack {

struct EngineOptions {
    /// How many times execute() re-reads and re-decides after errc::concurrency_conflict. Every
    /// retry decides afresh on the records another writer committed, so retrying is safe.
    int max_conflict_retries = 8;
    /// How many due deadlines advance() fires per store commit.
    std::size_t advance_batch = 1000;
    /// Told of each decision, commit, conflict retry and sweep (observer.hpp); not owned, and it
    /// must outlive the engine. Null: nothing is told, and the clock is read no more than needed.
    EngineObserver* observer = nullptr;
    /// The name under which this engine's sweeps claim the deadlines they fire, unique among the
    /// engines that share a store. Named, advance() (and the sweep before each execute()) claims
    /// each batch with Store::claim_due_deadlines for `claim_lease`, passing over deadlines
    /// another worker holds, so several engines sweeping at once, in any processes on any
    /// machines, share the work; a worker that dies holding claims delays them by the lease, and
    /// loses none. Empty (the default): each batch is Store::due_deadlines, as for one sweeper.
    std::string worker = {};
    /// How long a claim keeps a deadline from other workers: longer than a batch of
    /// `advance_batch` takes to fire, read on the injected clock of every worker.
    Duration claim_lease = boost::posix_time::minutes(1);
};

/// What execute() did: the events committed and the effects queued for the host.
struct Receipt {
    std::vector<Event> events;
    std::vector<HostEffect> effects;
    /// True when an idempotency key was seen before and this is the first call's receipt.
    bool is_replay = false;
};

/// Why execute() committed nothing. It is an error_code (the first reason's code, or the store's)
/// and compares, converts and prints as one, so code that tests execute(...).error() against an
/// errc or passes it on as an error_code reads as before. When the rules refused the command it
/// also holds every reason with its detail, exactly as check() lists them at that instant, taken
/// from the decision that refused: nothing another writer commits afterwards can change them, as
/// it could change what a second check() says.
class Refused : public boost::system::error_code {
  public:
    Refused() = default;
    /// A failure that is not the rules' (a store error, a conflict that outlasted the retries, a
    /// reused idempotency key, a clock gone back); `problem` as Sweep::problem().
    Refused(boost::system::error_code code, std::string problem = {})
        : boost::system::error_code(code), problem_(std::move(problem)) {}
    Refused(errc code) : Refused(make_error_code(code)) {}
    /// The rules' refusals, in check()'s order; the first one's code is this code. At least one.
    explicit Refused(std::vector<Refusal> refusals)
        : boost::system::error_code(refusals.at(0).code), refusals_(std::move(refusals)) {}

    /// Every reason the rules refused the command, with its detail; empty for other failures.
    const std::vector<Refusal>& refusals() const noexcept { return refusals_; }
    /// Whether any refusal has this code.
    bool has(errc code) const noexcept {
        return std::any_of(refusals_.begin(), refusals_.end(),
                           [&](const Refusal& r) { return r.code == code; });
    }
    /// For a person, for a failure that is not the rules': what the engine found wrong (which
    /// damaged deadline, which key). Empty otherwise; a store may say more
    /// (SqliteStore::last_error()).
    const std::string& problem() const noexcept { return problem_; }

  private:
    std::vector<Refusal> refusals_;
    std::string problem_;
};

/// The code alone. Found by argument-dependent lookup, it makes result<T, Refused> a result whose
/// value() throws boost::system::system_error, as result<T> does.
inline boost::system::error_code make_error_code(const Refused& refused) noexcept {
    return refused;
}

/// What value() on a refused result throws: a boost::system::system_error with the code, and
/// what() naming the reasons ("window_closed: the 60-day reactivation window, opened at ..., closed
/// at ...").
[[noreturn]] inline void outcome_throw_as_system_error_with_payload(const Refused& refused) {
    std::string what = refused.problem();
    for (const auto& r : refused.refusals()) what += (what.empty() ? "" : "; ") + describe(r);
    throw boost::system::system_error(refused, what);
}

/// What advance() committed. A sweep commits in batches (EngineOptions::advance_batch), so one
/// that fails part-way has still committed the batches before the failure: events() and effects()
/// are always exactly what was committed, and error() says why the sweep stopped short (empty when
/// every due deadline fired). It reads as result<std::vector<Event>> does: true when complete, and
/// value() the events then.
class Sweep {
  public:
    Sweep() = default;
    Sweep(std::vector<Event> events, std::vector<HostEffect> effects,
          boost::system::error_code error = {}, std::string problem = {})
        : events_(std::move(events)),
          effects_(std::move(effects)),
          error_(error),
          problem_(std::move(problem)) {}

    /// True when every deadline due fired.
    explicit operator bool() const noexcept { return !error_; }
    bool has_value() const noexcept { return !error_; }
    bool has_error() const noexcept { return static_cast<bool>(error_); }
    /// Why the sweep stopped short; what was committed before is in events() and effects().
    boost::system::error_code error() const noexcept { return error_; }
    /// For a person, when the engine found the damage itself: which deadline, and what is wrong
    /// with it ("deadline (2024-03-01T00:00:00Z, data_purge, account:ghost): no account has the
    /// id ghost"). Empty otherwise; a store may say more (SqliteStore::last_error()).
    const std::string& problem() const noexcept { return problem_; }

    /// The events committed, in the order they fired: all of them, or those before a failure.
    const std::vector<Event>& events() const& noexcept { return events_; }
    std::vector<Event>&& events() && noexcept { return std::move(events_); }
    /// The host effects the committed events queued in the outbox, in order.
    const std::vector<HostEffect>& effects() const& noexcept { return effects_; }

    /// The events of a complete sweep; throws boost::system::system_error for one that stopped
    /// short, as result::value() does (use events() to read what it committed).
    const std::vector<Event>& value() const& {
        if (error_) throw boost::system::system_error(error_);
        return events_;
    }
    std::vector<Event>&& value() && {
        if (error_) throw boost::system::system_error(error_);
        return std::move(events_);
    }

  private:
    std::vector<Event> events_;
    std::vector<HostEffect> effects_;
    boost::system::error_code error_;
    std::string problem_;
};

/// What execute() would do now, without doing it.
struct Preview {
    std::vector<Event> events;
    std::vector<HostEffect> effects;
    /// impact_digest(events, effects): what a person shown this impact confirms, passed back as
    /// ExecuteOptions::impact.
    std::string impact;
};

/// How execute() is asked to run one command.
struct ExecuteOptions {
    /// With a key, a repeat of the same command by the same actor returns the first receipt and
    /// changes nothing; the same key with a different command is refused with
    /// errc::idempotency_key_reused.
    std::optional<std::string> idempotency_key;
    /// The digest of the impact the person confirmed (Preview::impact). Given, the command is
    /// refused with errc::impact_changed, and nothing written, unless it would do exactly that;
    /// a policy whose confirmation rule sets `impact` refuses it absent (errc::impact_required).
    std::optional<std::string> impact;
};

namespace detail {
/// The latest clock reading an engine has used, shared by the threads that call it, so that the
/// engine's own readings never go backwards. A copy starts from the same reading.
class LatestReading {
  public:
    LatestReading() = default;
    LatestReading(const LatestReading& other) : latest_(other.get()) {}
    LatestReading& operator=(const LatestReading&) = delete;

    /// Records `t`; false (recording nothing) when it is earlier than a reading already used.
    bool advance_to(Time t) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (latest_ && t < *latest_) return false;
        latest_ = t;
        return true;
    }
    std::optional<Time> get() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return latest_;
    }

  private:
    mutable std::mutex mutex_;
    std::optional<Time> latest_;
};
}  // namespace detail

class CALLTRACK_API Engine {
  public:
    /// `policies` is a vendor's versions, or one Policy (a history of one version): each command
    /// is judged under the version in force at the clock's reading, each deadline under the
    /// version in force at its own time, and each stored event records that version's name.
    Engine(PolicyHistory policies, Clock& clock, Store& store, EngineOptions options = {});

    const PolicyHistory& policies() const noexcept { return policies_; }
    /// The newest version's rules: the only ones of an engine made from one Policy.
    const Policy& policy() const noexcept { return policies_.latest().policy; }

    /// Allowed, or every reason not (store failures are errors of the result itself).
    result<Verdict> check(const Actor& actor, const Command& command);
    /// The exact events and host effects execute() would produce now; writes nothing.
    result<Preview> preview(const Actor& actor, const Command& command);
    /// Decides at clock.now() and commits atomically. With a key, a repeat of the same command by
    /// the same actor returns the first receipt and changes nothing; the same key with a
    /// different command is refused with errc::idempotency_key_reused. Deadlines due by now fire
    /// first, in their own commits. Refused by the rules, the error is the first reason's code
    /// and holds every reason with its detail (Refused::refusals()), as check() would give them
    /// now; a store failure is the store's code.
    result<Receipt, Refused> execute(const Actor& actor, const Command& command,
                                     std::optional<std::string> idempotency_key = std::nullopt);
    /// As above, with the idempotency key and the impact confirmed in `options`. A repeat under
    /// a key returns the first receipt without judging the impact again.
    result<Receipt, Refused> execute(const Actor& actor, const Command& command,
                                     const ExecuteOptions& options);
    /// Fires every deadline due at clock.now(), in deadline order, and says what it committed,
    /// also when a later batch of the sweep fails. With EngineOptions::worker, every due deadline
    /// no other worker holds: those are the other workers' to fire.
    Sweep advance();

    // --- queries ------------------------------------------------------------------------------
    result<std::optional<Agency>> agency(const AgencyId& id);
    result<std::optional<Account>> account(const AccountId& id);
    result<std::vector<TrackingNumber>> numbers(const AccountId& account);
    /// The sub-accounts of other agencies waiting to move into `agency` (each one's
    /// Account::pending_transfer), in id order: the receiving side's view of a transfer.
    result<std::vector<Account>> incoming_transfers(const AgencyId& agency);
    /// The account's own event stream, oldest first.
    result<std::vector<StoredEvent>> history(const AccountId& account);
    /// The agency's own event stream, oldest first.
    result<std::vector<StoredEvent>> history(const AgencyId& agency);
    /// The user with the grants the store holds for it.
    result<Actor> actor(const UserId& user);
    /// Host effects not yet acknowledged, oldest first.
    result<std::vector<OutboxEntry>> pending_effects(std::size_t limit = 100);
    result<void> acknowledge_effects(std::uint64_t up_to);
    /// For one of several consumers: leases to `consumer`, for `lease` from clock.now(), at most
    /// `limit` effects no other consumer holds, each owner's oldest first (Store::claim_effects).
    /// Carry them out in order, then acknowledge_claimed_effects(); a lease that runs out first
    /// gives them to the next consumer that claims.
    result<std::vector<OutboxEntry>> claim_effects(const std::string& consumer,
                                                   std::size_t limit = 100,
                                                   Duration lease = boost::posix_time::minutes(1));
    /// Marks exactly these effects as carried out (Store::acknowledge_claimed_effects).
    result<void> acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences);

  private:
    /// clock.now(), read after the store's last event time (stored in *last_event), and refused
    /// as clock_went_backwards when it is earlier than that or than this engine's own last
    /// reading. docs/concepts.md states the rule.
    result<Time> read_clock(std::optional<Time>* last_event = nullptr);
    /// `report_empty`: tell the observer of a sweep that found nothing due (advance() does;
    /// the sweep execute() makes before each command does not).
    Sweep fire_due(Time now, bool report_empty);
    /// The next batch of a sweep at `now` claimed for EngineOptions::worker.
    result<std::vector<Deadline>> claim_due(Time now);
    /// clock.now() when an observer will want a duration from it; otherwise no reading.
    Time watch_start() const;
    /// errc::impact_required or errc::impact_changed for an allowed command whose receipt
    /// would be `receipt`; nothing when its impact is as shown, or none is asked.
    std::optional<Refused> judge_impact(const Command& command, Time now,
                                        const std::optional<std::string>& shown,
                                        const Receipt& receipt) const;
    Duration watched_since(Time start) const;

    PolicyHistory policies_;
    Clock& clock_;
    Store& store_;
    EngineOptions options_;
    detail::LatestReading latest_reading_;
};

/// The stream an event is stored under: its account's, its agency's, or its user's.
CALLTRACK_API StreamId stream_of(const Event& event, const State& after);

}  // namespace calltrack
