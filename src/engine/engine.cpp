// The engine: clock + store around the pure core. Each command loads a partial State holding
// exactly what the command reads (with the version of every record, snapshot.hpp), decides,
// evolves that partial state, and turns the difference into one atomic CommitBatch.
#include <calltrack/engine.hpp>

#include "snapshot.hpp"

#include <calltrack/detail/enum_names.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace calltrack {

using engine_detail::add_events;
using engine_detail::command_audit;
using engine_detail::diff;
using engine_detail::fingerprint;
using engine_detail::load_decidable;
using engine_detail::load_for;
using engine_detail::load_numbers_for_due;
using engine_detail::Loader;
using engine_detail::Snapshot;

namespace {

constexpr std::array<detail::Named<DecisionKind>, 3> decision_kind_names{{
    {DecisionKind::check, "check"},
    {DecisionKind::preview, "preview"},
    {DecisionKind::execute, "execute"},
}};
static_assert(detail::names_every_value(decision_kind_names),
              "decision_kind_names lists every DecisionKind once, in declaration order");

boost::system::error_code first_code(const std::vector<Refusal>& refusals) {
    return refusals.empty() ? boost::system::error_code() : refusals.front().code;
}

std::size_t records_in(const CommitBatch& b) {
    return b.agencies.size() + b.accounts.size() + b.numbers.size() + b.grants.size();
}

}  // namespace

std::string_view to_string(DecisionKind kind) noexcept {
    return detail::name_of(decision_kind_names, kind);
}

Time Engine::watch_start() const {
    return options_.observer != nullptr ? clock_.now() : Time();
}

Duration Engine::watched_since(Time start) const {
    if (start.is_special()) return Duration(0, 0, 0);  // the watch never started
    const Duration took = clock_.now() - start;
    // A wall clock stepped back mid-call says nothing about how long the call took.
    return took.is_negative() ? Duration(0, 0, 0) : took;
}

Engine::Engine(PolicyHistory policies, Clock& clock, Store& store, EngineOptions options)
    : policies_(std::move(policies)), clock_(clock), store_(store), options_(options) {}

// The store first, then the clock: an event another engine committed was timed by a reading
// taken before its commit, so on a shared monotonic clock a reading taken after the commit was
// seen is never earlier than the event. Read the other way round, a reading taken just before
// another engine's commit looked like a clock going backwards.
result<Time> Engine::read_clock(std::optional<Time>* last_event) {
    auto last = store_.last_event_time();
    if (!last) return last.error();
    const Time now = clock_.now();
    if (last.value() && now < *last.value()) return errc::clock_went_backwards;
    if (!latest_reading_.advance_to(now)) return errc::clock_went_backwards;
    if (last_event != nullptr) *last_event = last.value();
    return now;
}

result<Verdict> Engine::check(const Actor& actor, const Command& command) {
    const Time start = watch_start();
    // check and preview commit nothing, so the last event time read with the clock serves.
    std::optional<Time> last;
    auto now = read_clock(&last);
    if (!now) return now.error();
    auto snap = load_decidable(store_, command, policies_, now.value(), last);
    if (!snap) return snap.error();
    Verdict verdict = calltrack::check(snap.value().state, command, actor, policies_, now.value());
    if (auto* o = options_.observer) {
        o->decided(Decided{DecisionKind::check, operation_of(command), first_code(verdict.refusals),
                           verdict.refusals.size(), 0, watched_since(start)});
    }
    return verdict;
}

result<Preview> Engine::preview(const Actor& actor, const Command& command) {
    const Time start = watch_start();
    // check and preview commit nothing, so the last event time read with the clock serves.
    std::optional<Time> last;
    auto now = read_clock(&last);
    if (!now) return now.error();
    auto snap = load_decidable(store_, command, policies_, now.value(), last);
    if (!snap) return snap.error();
    auto decision = decide_with_reasons(snap.value().state, command, actor, policies_, now.value());
    if (auto* o = options_.observer) {
        o->decided(Decided{DecisionKind::preview, operation_of(command),
                           first_code(decision.refusals), decision.refusals.size(),
                           decision.events.size(), watched_since(start)});
    }
    if (!decision.is_allowed()) return decision.refusals.front().code;
    State& after = snap.value().state;  // decided already: applied in place, not copied
    calltrack::apply(after, decision.events);
    Preview p;
    p.events = std::move(decision.events);
    for (const auto& e : p.events) {
        auto effects = effects_of(e, after);
        p.effects.insert(p.effects.end(), effects.begin(), effects.end());
    }
    p.impact = impact_digest(p.events, p.effects);
    return p;
}

result<Receipt, Refused> Engine::execute(const Actor& actor, const Command& command,
                                         std::optional<std::string> idempotency_key) {
    return execute(actor, command, ExecuteOptions{std::move(idempotency_key), std::nullopt});
}

result<Receipt, Refused> Engine::execute(const Actor& actor, const Command& command,
                                         const ExecuteOptions& options) {
    const auto& idempotency_key = options.idempotency_key;
    const std::string print = idempotency_key ? fingerprint(actor, command) : std::string();
    for (int attempt = 0;; ++attempt) {
        if (idempotency_key) {
            auto seen = store_.find_idempotency(*idempotency_key);
            if (!seen) return seen.error();
            if (seen.value()) {
                if (seen.value()->fingerprint != print) {
                    return Refused(errc::idempotency_key_reused,
                                   "the idempotency key " + *idempotency_key
                                       + " was first used for another command or actor");
                }
                return Receipt{seen.value()->events, seen.value()->effects, true};
            }
        }
        std::optional<Time> last;
        auto now = read_clock(&last);
        if (!now) return now.error();
        if (auto fired = fire_due(now.value(), false); !fired) {
            return Refused(fired.error(), fired.problem());
        }
        const Time start = watch_start();

        Snapshot snap;
        Loader load(store_, snap);
        BOOST_OUTCOME_TRYV(load_for(load, command));
        // The last event time read with the clock, not a later one: an event another engine
        // commits after this reading is no sign of a clock going backwards. Deadlines fired just
        // now are at or before the reading.
        snap.state.last_event_at = last;
        // Refused, every reason comes from this one decision, on what this attempt read.
        auto decision = decide_with_reasons(snap.state, command, actor, policies_, now.value());
        if (auto* o = options_.observer) {
            o->decided(Decided{DecisionKind::execute, operation_of(command),
                               first_code(decision.refusals), decision.refusals.size(),
                               decision.events.size(), watched_since(start)});
        }
        if (!decision.is_allowed()) return Refused(std::move(decision.refusals));

        State after = snap.state;
        calltrack::apply(after, decision.events);
        CommitBatch batch = diff(snap, after);
        order_grants_by_scope(batch, snap, decision.events);
        Receipt receipt;
        receipt.events = std::move(decision.events);
        add_events(batch, receipt.events, after, policies_,
                   command_audit(actor, command, snap.state), &receipt.effects);
        if (auto refused = judge_impact(command, now.value(), options.impact, receipt)) {
            return std::move(*refused);
        }
        if (idempotency_key) {
            batch.idempotency =
                IdempotencyRecord{*idempotency_key, print, receipt.events, receipt.effects};
        }
        const Time commit_start = watch_start();
        auto committed = store_.commit(batch);
        if (auto* o = options_.observer) {
            o->committed(Committed{records_in(batch), batch.events.size(), batch.effects.size(),
                                   committed ? boost::system::error_code() : committed.error(),
                                   watched_since(commit_start)});
        }
        if (committed) return receipt;
        if (committed.error() != errc::concurrency_conflict
            || attempt >= options_.max_conflict_retries) {
            return committed.error();
        }
        if (auto* o = options_.observer) o->conflict_retried(ConflictRetried{attempt + 1, false});
    }
}

// After the rules allowed the command: only then is there an impact to compare. The rule is the
// version in force now, the one the command was judged under.
std::optional<Refused> Engine::judge_impact(const Command& command, Time now,
                                            const std::optional<std::string>& shown,
                                            const Receipt& receipt) const {
    const Operation op = operation_of(command);
    const bool required = policies_.in_force_at(now).policy.rule(op).confirmation.impact;
    if (!shown && !required) return std::nullopt;
    const std::string digest = impact_digest(receipt.events, receipt.effects);
    if (!shown) {
        return Refused({Refusal{make_error_code(errc::impact_required),
                                "the policy binds " + std::string(to_string(op))
                                    + " to the impact the person was shown: preview it and pass "
                                      "its digest (it would now have the impact "
                                    + digest + ")"}});
    }
    if (*shown == digest) return std::nullopt;
    std::string detail = "the impact shown (" + *shown + ") is not what "
                         + std::string(to_string(op)) + " would do now (" + digest
                         + "); now it would:";
    for (const auto& e : receipt.events) detail += "\n    event " + describe(e);
    for (const auto& e : receipt.effects) detail += "\n    effect " + describe(e);
    return Refused({Refusal{make_error_code(errc::impact_changed), std::move(detail)}});
}

Sweep Engine::advance() {
    auto now = read_clock();
    if (!now) return Sweep({}, {}, now.error());
    return fire_due(now.value(), true);
}

Sweep Engine::fire_due(Time now, bool report_empty) {
    // The sweep execute() makes before each command is timed from the moment it finds something
    // due, so that a command with nothing due reads the clock no more often for it.
    Time start = report_empty ? watch_start() : Time();
    std::vector<Event> all;
    std::vector<HostEffect> effects;
    std::size_t batches = 0;
    bool found_due = false;
    // What the committed batches did, whatever stops the sweep.
    const auto stop = [&](boost::system::error_code error, std::string problem = {}) {
        if (auto* o = options_.observer; o != nullptr && (report_empty || found_due || error)) {
            o->swept(Swept{all.size(), batches, error, watched_since(start)});
        }
        return Sweep(std::move(all), std::move(effects), error, std::move(problem));
    };
    const auto retry = [&](int attempt) {
        if (auto* o = options_.observer) o->conflict_retried(ConflictRetried{attempt, true});
    };
    int conflicts = 0;
    for (;;) {
        auto pending = options_.worker.empty() ? store_.due_deadlines(now, options_.advance_batch)
                                               : claim_due(now);
        if (!pending) return stop(pending.error());
        if (pending.value().empty()) return stop({});
        if (!found_due && !report_empty) start = watch_start();
        found_due = true;

        Snapshot snap;
        Loader load(store_, snap);
        for (const auto& d : pending.value()) {
            std::string problem;
            if (auto loaded = load.subject(d, problem); !loaded) {
                return stop(loaded.error(), std::move(problem));
            }
        }
        // A due deadline missing from its subject's deadlines would neither fire nor be removed,
        // and the sweep would read it again for ever: another writer fired it since (try again),
        // or the store answers the two queries differently (damage).
        const bool is_whole =
            std::all_of(pending.value().begin(), pending.value().end(),
                        [&](const Deadline& d) { return snap.state.deadlines.count(d) != 0; });
        if (!is_whole) {
            if (++conflicts <= options_.max_conflict_retries) {
                retry(conflicts);
                continue;
            }
            return stop(errc::store_corrupt,
                        "a due deadline is missing from its subject's deadlines, read after it");
        }
        // Only a pause maximum reads numbers; this also covers one due but past this batch.
        if (auto loaded = load_numbers_for_due(load, snap.state, now); !loaded) {
            return stop(loaded.error());
        }
        auto last = store_.last_event_time();
        if (!last) return stop(last.error());
        snap.state.last_event_at = last.value();
        // Fire exactly the deadlines the store listed, each as stored. The subjects loaded bring
        // their other deadlines with them: later ones, due ones past a full batch (left for the
        // next batch, so that a sweep in batches fires in deadline order, as due() does on the
        // whole state), and any another writer added at or before now since the store was asked
        // (a window of 0 days opens one at its writer's now), which may have been read with the
        // record from before that writer's commit. All of them wait for a later batch.
        const auto& read = pending.value();
        const std::set<Deadline> listed(read.begin(), read.end());
        std::set<Deadline> unlisted;
        for (auto it = snap.state.deadlines.begin(); it != snap.state.deadlines.end();) {
            if (listed.count(*it) != 0) {
                ++it;
            } else {
                unlisted.insert(*it);
                it = snap.state.deadlines.erase(it);
            }
        }
        auto fired = due(snap.state, policies_, now);
        snap.state.deadlines.merge(unlisted);
        State after = snap.state;
        calltrack::apply(after, fired);
        // A deadline that fired but had nothing left to do (its subject moved on) is spent too.
        for (const auto& d : read) after.deadlines.erase(d);
        CommitBatch batch = diff(snap, after);
        std::vector<HostEffect> fired_effects;
        add_events(batch, fired, after, policies_, Audit{}, &fired_effects);
        const Time commit_start = watch_start();
        auto committed = store_.commit(batch);
        if (auto* o = options_.observer) {
            o->committed(Committed{records_in(batch), batch.events.size(), batch.effects.size(),
                                   committed ? boost::system::error_code() : committed.error(),
                                   watched_since(commit_start)});
        }
        if (!committed) {
            if (committed.error() == errc::concurrency_conflict
                && ++conflicts <= options_.max_conflict_retries) {
                retry(conflicts);
                continue;
            }
            return stop(committed.error());
        }
        ++batches;
        all.insert(all.end(), fired.begin(), fired.end());
        effects.insert(effects.end(), fired_effects.begin(), fired_effects.end());
    }
}

// The lease runs from a fresh reading: a late batch of a long sweep is held as long as the first.
// Whether another worker's claim has expired is judged at the sweep's own reading, `now`.
result<std::vector<Deadline>> Engine::claim_due(Time now) {
    const Time reading = clock_.now();
    const Time from = reading < now ? now : reading;
    return store_.claim_due_deadlines(now, options_.advance_batch, options_.worker,
                                      from + options_.claim_lease);
}

result<std::optional<Agency>> Engine::agency(const AgencyId& id) {
    auto loaded = store_.load_agency(id);
    if (!loaded) return loaded.error();
    if (!loaded.value()) return std::optional<Agency>();
    return std::optional<Agency>(std::move(loaded.value()->value));
}

result<std::optional<Account>> Engine::account(const AccountId& id) {
    auto loaded = store_.load_account(id);
    if (!loaded) return loaded.error();
    if (!loaded.value()) return std::optional<Account>();
    return std::optional<Account>(std::move(loaded.value()->value));
}

result<std::vector<TrackingNumber>> Engine::numbers(const AccountId& account) {
    auto loaded = store_.load_numbers_of(account);
    if (!loaded) return loaded.error();
    std::vector<TrackingNumber> out;
    out.reserve(loaded.value().size());
    for (auto& n : loaded.value()) out.push_back(std::move(n.value));
    return out;
}

result<std::vector<Account>> Engine::incoming_transfers(const AgencyId& agency) {
    auto loaded = store_.load_incoming_transfers(agency);
    if (!loaded) return loaded.error();
    std::vector<Account> out;
    out.reserve(loaded.value().size());
    for (auto& a : loaded.value()) out.push_back(std::move(a.value));
    return out;
}

result<std::vector<StoredEvent>> Engine::history(const AccountId& account) {
    return store_.read_stream(deadline_subject(account));
}

result<std::vector<StoredEvent>> Engine::history(const AgencyId& agency) {
    return store_.read_stream(deadline_subject(agency));
}

result<Actor> Engine::actor(const UserId& user) {
    auto loaded = store_.load_grants(user);
    if (!loaded) return loaded.error();
    Actor a{user, {}};
    if (loaded.value()) a.grants = std::move(loaded.value()->value.grants);
    return a;
}

result<std::vector<OutboxEntry>> Engine::pending_effects(std::size_t limit) {
    return store_.pending_effects(limit);
}

result<void> Engine::acknowledge_effects(std::uint64_t up_to) {
    return store_.acknowledge_effects(up_to);
}

result<std::vector<OutboxEntry>> Engine::claim_effects(const std::string& consumer,
                                                       std::size_t limit, Duration lease) {
    const Time now = clock_.now();
    return store_.claim_effects(limit, consumer, now, now + lease);
}

result<void> Engine::acknowledge_claimed_effects(const std::vector<std::uint64_t>& sequences) {
    return store_.acknowledge_claimed_effects(sequences);
}

}  // namespace calltrack
