// The engine: clock + store around the pure core. Each command loads a partial State holding
// exactly what the command reads (with the version of every record, snapshot.hpp), decides,
// evolves that partial state, and turns the difference into one atomic CommitBatch.
#include <calltrack/engine.hpp>

#include "snapshot.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace calltrack {

using engine_detail::add_events;
using engine_detail::diff;
using engine_detail::fingerprint;
using engine_detail::load_decidable;
using engine_detail::load_for;
using engine_detail::load_numbers_for_due;
using engine_detail::Loader;
using engine_detail::Snapshot;

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
    // check and preview commit nothing, so the last event time read with the clock serves.
    std::optional<Time> last;
    auto now = read_clock(&last);
    if (!now) return now.error();
    auto snap = load_decidable(store_, command, policies_, now.value(), last);
    if (!snap) return snap.error();
    return calltrack::check(snap.value().state, command, actor, policies_, now.value());
}

result<Preview> Engine::preview(const Actor& actor, const Command& command) {
    // check and preview commit nothing, so the last event time read with the clock serves.
    std::optional<Time> last;
    auto now = read_clock(&last);
    if (!now) return now.error();
    auto snap = load_decidable(store_, command, policies_, now.value(), last);
    if (!snap) return snap.error();
    auto events = decide(snap.value().state, command, actor, policies_, now.value());
    if (!events) return events.error();
    State& after = snap.value().state;  // decided already: applied in place, not copied
    calltrack::apply(after, events.value());
    Preview p;
    p.events = std::move(events.value());
    for (const auto& e : p.events) {
        auto effects = effects_of(e, after);
        p.effects.insert(p.effects.end(), effects.begin(), effects.end());
    }
    return p;
}

result<Receipt, Refused> Engine::execute(const Actor& actor, const Command& command,
                                         std::optional<std::string> idempotency_key) {
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
        if (auto fired = fire_due(now.value()); !fired) {
            return Refused(fired.error(), fired.problem());
        }

        Snapshot snap;
        Loader load(store_, snap);
        BOOST_OUTCOME_TRYV(load_for(load, command));
        // The last event time read with the clock, not a later one: an event another engine
        // commits after this reading is no sign of a clock going backwards. Deadlines fired just
        // now are at or before the reading.
        snap.state.last_event_at = last;
        // Refused, every reason comes from this one decision, on what this attempt read.
        auto decision = decide_with_reasons(snap.state, command, actor, policies_, now.value());
        if (!decision.is_allowed()) return Refused(std::move(decision.refusals));

        State after = snap.state;
        calltrack::apply(after, decision.events);
        CommitBatch batch = diff(snap, after);
        order_grants_by_scope(batch, snap, decision.events);
        Receipt receipt;
        receipt.events = std::move(decision.events);
        add_events(batch, receipt.events, after, policies_, &receipt.effects);
        if (idempotency_key) {
            batch.idempotency =
                IdempotencyRecord{*idempotency_key, print, receipt.events, receipt.effects};
        }
        auto committed = store_.commit(batch);
        if (committed) return receipt;
        if (committed.error() != errc::concurrency_conflict
            || attempt >= options_.max_conflict_retries) {
            return committed.error();
        }
    }
}

Sweep Engine::advance() {
    auto now = read_clock();
    if (!now) return Sweep({}, {}, now.error());
    return fire_due(now.value());
}

Sweep Engine::fire_due(Time now) {
    std::vector<Event> all;
    std::vector<HostEffect> effects;
    // What the committed batches did, whatever stops the sweep.
    const auto stop = [&](boost::system::error_code error, std::string problem = {}) {
        return Sweep(std::move(all), std::move(effects), error, std::move(problem));
    };
    int conflicts = 0;
    for (;;) {
        auto pending = store_.due_deadlines(now, options_.advance_batch);
        if (!pending) return stop(pending.error());
        if (pending.value().empty()) return stop({});

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
            if (++conflicts <= options_.max_conflict_retries) continue;
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
        add_events(batch, fired, after, policies_, &fired_effects);
        auto committed = store_.commit(batch);
        if (!committed) {
            if (committed.error() == errc::concurrency_conflict
                && ++conflicts <= options_.max_conflict_retries) {
                continue;
            }
            return stop(committed.error());
        }
        all.insert(all.end(), fired.begin(), fired.end());
        effects.insert(effects.end(), fired_effects.begin(), fired_effects.end());
    }
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

}  // namespace calltrack
