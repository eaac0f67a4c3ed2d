// The engine: clock + store around the pure core. Each command loads a partial State holding
// exactly what the command reads (with the version of every record), decides, evolves that
// partial state, and turns the difference into one atomic CommitBatch.
#include <calltrack/engine.hpp>
#include <calltrack/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

namespace calltrack {
namespace {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

#define CALLTRACK_TRY(expr)                              \
    do {                                                 \
        if (auto calltrack_r_ = (expr); !calltrack_r_) { \
            return calltrack_r_.error();                 \
        }                                                \
    } while (false)

/// A partial State read from the store, and the version each record was read at.
struct Snapshot {
    State state;
    std::map<AgencyId, Version> agency_versions;
    std::map<AccountId, Version> account_versions;
    std::map<NumberId, Version> number_versions;
    std::map<UserId, Version> grant_versions;
    std::set<std::string> subjects_with_deadlines;
};

/// Reads records into a Snapshot once each, keeping State's indexes exact for what is loaded.
class Loader {
  public:
    Loader(Store& store, Snapshot& snapshot) : store_(store), snap_(snapshot) {}

    result<void> agency(const AgencyId& id) {
        if (snap_.agency_versions.count(id) != 0 || missing_agencies_.count(id) != 0)
            return boost::outcome_v2::success();
        auto loaded = store_.load_agency(id);
        if (!loaded) return loaded.error();
        if (!loaded.value()) {
            missing_agencies_.insert(id);
            return boost::outcome_v2::success();
        }
        snap_.agency_versions[id] = loaded.value()->version;
        snap_.state.agencies.emplace(id, std::move(loaded.value()->value));
        return deadlines(deadline_subject(id));
    }

    /// The account, its agency, and (with_numbers) every number on it.
    result<void> account(const AccountId& id, bool with_numbers = true) {
        if (snap_.account_versions.count(id) == 0 && missing_accounts_.count(id) == 0) {
            auto loaded = store_.load_account(id);
            if (!loaded) return loaded.error();
            if (!loaded.value()) {
                missing_accounts_.insert(id);
                return boost::outcome_v2::success();
            }
            add_account(std::move(*loaded.value()));
            CALLTRACK_TRY(deadlines(deadline_subject(id)));
        }
        const auto* a = snap_.state.find_account(id);
        if (a == nullptr) return boost::outcome_v2::success();
        if (a->agency) CALLTRACK_TRY(agency(*a->agency));
        if (with_numbers && numbers_loaded_.insert(id).second) {
            auto numbers = store_.load_numbers_of(id);
            if (!numbers) return numbers.error();
            for (auto& n : numbers.value()) add_number(std::move(n));
        }
        return boost::outcome_v2::success();
    }

    /// The number and its account (with the account's other numbers).
    result<void> number(const NumberId& id) {
        if (snap_.number_versions.count(id) == 0) {
            auto loaded = store_.load_number(id);
            if (!loaded) return loaded.error();
            if (!loaded.value()) return boost::outcome_v2::success();
            const AccountId owner = loaded.value()->value.account;
            add_number(std::move(*loaded.value()));
            return account(owner);
        }
        return account(snap_.state.numbers.at(id).account);
    }

    /// Every sub-account of the agency, with their numbers.
    result<void> sub_accounts(const AgencyId& id) {
        CALLTRACK_TRY(agency(id));
        auto subs = store_.load_sub_accounts(id);
        if (!subs) return subs.error();
        for (auto& a : subs.value()) {
            const AccountId account_id = a.value.id;
            if (snap_.account_versions.count(account_id) == 0) {
                add_account(std::move(a));
                CALLTRACK_TRY(deadlines(deadline_subject(account_id)));
            }
            CALLTRACK_TRY(account(account_id));
        }
        return boost::outcome_v2::success();
    }

    result<void> grants(const UserId& user) {
        if (snap_.grant_versions.count(user) != 0) return boost::outcome_v2::success();
        auto loaded = store_.load_grants(user);
        if (!loaded) return loaded.error();
        if (!loaded.value()) {
            snap_.grant_versions[user] = 0;
            return boost::outcome_v2::success();
        }
        snap_.grant_versions[user] = loaded.value()->version;
        if (!loaded.value()->value.grants.empty()) {
            snap_.state.grants[user] = std::move(loaded.value()->value.grants);
        }
        return boost::outcome_v2::success();
    }

    /// Whatever tracking number routes as this phone number now.
    result<void> phone(const PhoneNumber& p) {
        auto found = store_.find_number_by_phone(p);
        if (!found) return found.error();
        if (found.value()) return number(*found.value());
        return boost::outcome_v2::success();
    }

    /// The number, and whatever routes as its phone number now (a restore must not collide).
    result<void> number_and_its_phone(const NumberId& id) {
        CALLTRACK_TRY(number(id));
        if (const auto* n = snap_.state.find_number(id)) return phone(n->number);
        return boost::outcome_v2::success();
    }

    result<void> owner(const BalanceOwner& o) {
        if (const auto* id = std::get_if<AccountId>(&o)) return account(*id, false);
        return agency(std::get<AgencyId>(o));
    }

    result<void> scope(const Scope& s) {
        if (const auto* id = std::get_if<AccountId>(&s)) return account(*id, false);
        if (const auto* id = std::get_if<AgencyId>(&s)) return agency(*id);
        return boost::outcome_v2::success();
    }

    result<void> deadlines(const std::string& subject) {
        if (!snap_.subjects_with_deadlines.insert(subject).second)
            return boost::outcome_v2::success();
        auto pending = store_.deadlines_of(subject);
        if (!pending) return pending.error();
        for (auto& d : pending.value()) {
            // due() trusts every deadline it is given; one calltrack never writes is damage.
            if (d.subject != subject || !owner_of(d)) return errc::store_corrupt;
            snap_.state.deadlines.insert(std::move(d));
        }
        return boost::outcome_v2::success();
    }

    /// The account or agency a due deadline belongs to, with its deadlines; store_corrupt when
    /// the deadline is not one calltrack writes or its subject has no record, with `problem`
    /// saying which.
    result<void> subject(const Deadline& d, std::string& problem) {
        const std::string which = "deadline (" + format_time(d.at) + ", "
                                  + std::string(to_string(d.kind)) + ", " + d.subject + ")";
        const auto owner = owner_of(d);
        if (!owner) {
            problem = which + ": not a deadline calltrack writes for that subject";
            return errc::store_corrupt;
        }
        if (const auto* id = std::get_if<AccountId>(&*owner)) {
            CALLTRACK_TRY(account(*id, false));
            if (snap_.state.find_account(*id) == nullptr) {
                problem = which + ": no account has the id " + id->str();
                return errc::store_corrupt;
            }
        } else {
            const auto& agency_id = std::get<AgencyId>(*owner);
            CALLTRACK_TRY(agency(agency_id));
            if (snap_.state.find_agency(agency_id) == nullptr) {
                problem = which + ": no agency has the id " + agency_id.str();
                return errc::store_corrupt;
            }
        }
        return boost::outcome_v2::success();
    }

  private:
    void add_account(Versioned<Account> a) {
        const AccountId id = a.value.id;
        if (a.value.agency) snap_.state.sub_accounts_by_agency[*a.value.agency].insert(id);
        snap_.account_versions[id] = a.version;
        snap_.state.accounts.emplace(id, std::move(a.value));
    }

    void add_number(Versioned<TrackingNumber> n) {
        const NumberId id = n.value.id;
        if (snap_.number_versions.count(id) != 0) return;
        snap_.number_versions[id] = n.version;
        snap_.state.numbers_by_account[n.value.account].insert(id);
        if (is_on_account(n.value)) snap_.state.number_by_phone[n.value.number] = id;
        snap_.state.numbers.emplace(id, std::move(n.value));
    }

    Store& store_;
    Snapshot& snap_;
    std::set<AccountId> numbers_loaded_;
    std::set<AccountId> missing_accounts_;
    std::set<AgencyId> missing_agencies_;
};

/// A tracking or call switch. For the whole account, handle_switch and effects_of read the
/// account alone, so its numbers stay in the store. With a number named, the account is loaded
/// with its numbers as before, so a number that is not on the account is refused the same way.
template <class Cmd>
result<void> load_switch(Loader& load, const Cmd& c) {
    return load.account(c.account, c.number.has_value());
}

/// due() reads numbers only to release the held ones when a pause maximum fires. Loads the
/// numbers of every account whose pause maximum is in the snapshot and due by `now`, so a
/// snapshot loaded without numbers fires exactly what it would with them.
result<void> load_numbers_for_due(Loader& load, const State& state, Time now) {
    constexpr std::string_view prefix = "account:";
    std::vector<AccountId> accounts;
    for (const auto& d : state.deadlines) {
        if (now < d.at) break;
        const std::string_view subject = d.subject;
        if (d.kind == DeadlineKind::pause_maximum && subject.substr(0, prefix.size()) == prefix) {
            accounts.emplace_back(std::string(subject.substr(prefix.size())));
        }
    }
    for (const auto& id : accounts) CALLTRACK_TRY(load.account(id));
    return boost::outcome_v2::success();
}

/// Loads everything `command` reads, for `actor`.
result<void> load_for(Loader& load, const Command& command) {
    return std::visit(
        overloaded{
            [&](const commands::CreateAgency& c) { return load.agency(c.agency); },
            [&](const commands::OpenAccount& c) -> result<void> {
                CALLTRACK_TRY(load.account(c.account, false));
                if (c.agency) CALLTRACK_TRY(load.agency(*c.agency));
                return boost::outcome_v2::success();
            },
            [&](const commands::AddTrackingNumber& c) -> result<void> {
                CALLTRACK_TRY(load.account(c.account));
                CALLTRACK_TRY(load.number(c.number));
                return load.phone(c.phone_number);
            },
            [&](const commands::ChangeForwarding& c) { return load.number(c.number); },
            [&](const commands::SetPlan& c) { return load.account(c.account, false); },
            [&](const commands::AdjustBalance& c) { return load.owner(c.owner); },
            [&](const commands::GrantRole& c) -> result<void> {
                CALLTRACK_TRY(load.grants(c.user));
                return load.scope(c.grant.scope);
            },
            [&](const commands::RevokeRole& c) -> result<void> {
                CALLTRACK_TRY(load.grants(c.user));
                return load.scope(c.grant.scope);
            },
            [&](const commands::CancelAgency& c) { return load.sub_accounts(c.agency); },
            [&](const commands::ReactivateAgency& c) { return load.agency(c.agency); },
            [&](const commands::RestoreNumber& c) { return load.number_and_its_phone(c.number); },
            [&](const commands::RequestRefund& c) { return load.owner(c.owner); },
            [&](const commands::StartPortOut& c) { return load.number(c.number); },
            [&](const commands::CompletePortOut& c) { return load.number(c.number); },
            [&](const commands::AbandonPortOut& c) { return load.number(c.number); },
            [&](const commands::TransferSubAccount& c) -> result<void> {
                CALLTRACK_TRY(load.account(c.account, false));
                CALLTRACK_TRY(load.agency(c.to));
                CALLTRACK_TRY(load.grants(c.source_approver));
                return load.grants(c.target_approver);
            },
            [&](const commands::RecordSurvey& c) { return load.account(c.account, false); },
            // The switches read the account, and the one number when a number is named.
            [&](const commands::PauseTracking& c) { return load_switch(load, c); },
            [&](const commands::ResumeTracking& c) { return load_switch(load, c); },
            [&](const commands::StopCalls& c) { return load_switch(load, c); },
            [&](const commands::ResumeCalls& c) { return load_switch(load, c); },
            // Every other command acts on one account and may read its numbers.
            [&](const auto& c) { return load.account(c.account); },
        },
        command);
}

CommitBatch diff(const Snapshot& before, const State& after) {
    CommitBatch batch;
    for (const auto& [id, g] : after.agencies) {
        const auto it = before.state.agencies.find(id);
        if (it == before.state.agencies.end()) {
            batch.agencies.push_back({g, 0});
        } else if (it->second != g) {
            batch.agencies.push_back({g, before.agency_versions.at(id)});
        }
    }
    for (const auto& [id, a] : after.accounts) {
        const auto it = before.state.accounts.find(id);
        if (it == before.state.accounts.end()) {
            batch.accounts.push_back({a, 0});
        } else if (it->second != a) {
            batch.accounts.push_back({a, before.account_versions.at(id)});
        }
    }
    for (const auto& [id, n] : after.numbers) {
        const auto it = before.state.numbers.find(id);
        if (it == before.state.numbers.end()) {
            batch.numbers.push_back({n, 0});
        } else if (it->second != n) {
            batch.numbers.push_back({n, before.number_versions.at(id)});
        }
    }
    // Grants: every user whose list changed, including to empty.
    std::set<UserId> users;
    for (const auto& [user, _] : before.state.grants) users.insert(user);
    for (const auto& [user, _] : after.grants) users.insert(user);
    static const std::vector<RoleGrant> none;
    for (const auto& user : users) {
        const auto b = before.state.grants.find(user);
        const auto a = after.grants.find(user);
        const auto& was = b == before.state.grants.end() ? none : b->second;
        const auto& is = a == after.grants.end() ? none : a->second;
        if (was == is) continue;
        const auto v = before.grant_versions.find(user);
        batch.grants.push_back(
            {UserGrants{user, is}, v == before.grant_versions.end() ? 0 : v->second});
    }
    std::set_difference(after.deadlines.begin(), after.deadlines.end(),
                        before.state.deadlines.begin(), before.state.deadlines.end(),
                        std::back_inserter(batch.deadlines_added));
    std::set_difference(before.state.deadlines.begin(), before.state.deadlines.end(),
                        after.deadlines.begin(), after.deadlines.end(),
                        std::back_inserter(batch.deadlines_removed));
    return batch;
}

void add_events(CommitBatch& batch, const std::vector<Event>& events, const State& after,
                std::vector<HostEffect>* effects_out) {
    for (const auto& e : events) {
        batch.events.push_back({stream_of(e, after), e});
        auto effects = effects_of(e, after);
        batch.effects.insert(batch.effects.end(), effects.begin(), effects.end());
        if (effects_out != nullptr) {
            effects_out->insert(effects_out->end(), effects.begin(), effects.end());
        }
    }
}

std::string fingerprint(const Actor& actor, const Command& command) {
    return actor.user.str() + "\n" + to_json(command);
}

/// A snapshot for `command`, with deadlines already due by `now` fired in memory, the way
/// execute() fires them in the store before deciding.
result<Snapshot> load_decidable(Store& store, const Command& command, const Policy& policy,
                                Time now, std::optional<Time> last_event) {
    Snapshot snap;
    Loader load(store, snap);
    CALLTRACK_TRY(load_for(load, command));
    CALLTRACK_TRY(load_numbers_for_due(load, snap.state, now));
    snap.state.last_event_at = last_event;
    // execute() fires due deadlines in the store before deciding; firing them here in memory
    // lets check() and preview() judge the same state. This snapshot is never committed.
    calltrack::apply(snap.state, due(snap.state, policy, now));
    return snap;
}

}  // namespace

StreamId stream_of(const Event& event, const State& after) {
    return std::visit(
        [&](const auto& e) -> StreamId {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<
                              T, events::RoleGranted> || std::is_same_v<T, events::RoleRevoked>) {
                return "user:" + e.user.str();
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        AgencyCreated> || std::is_same_v<T, events::AgencyCanceled> || std::is_same_v<T, events::AgencyReactivated> || std::is_same_v<T, events::AgencyClosed>) {
                return deadline_subject(e.agency);
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        BalanceAdjusted> || std::is_same_v<T, events::BillingChanged> || std::is_same_v<T, events::BalanceRefundable> || std::is_same_v<T, events::BalanceReinstated> || std::is_same_v<T, events::RefundRequested> || std::is_same_v<T, events::BalanceForfeited>) {
                if (const auto* id = std::get_if<AccountId>(&e.owner)) return deadline_subject(*id);
                return deadline_subject(std::get<AgencyId>(e.owner));
            } else if constexpr (
                std::is_same_v<
                    T,
                    events::
                        ForwardingChanged> || std::is_same_v<T, events::PortOutStarted> || std::is_same_v<T, events::PortOutCompleted> || std::is_same_v<T, events::PortOutAbandoned>) {
                return deadline_subject(after.numbers.at(e.number).account);
            } else {
                return deadline_subject(e.account);
            }
        },
        event);
}

Engine::Engine(Policy policy, Clock& clock, Store& store, EngineOptions options)
    : policy_(std::move(policy)), clock_(clock), store_(store), options_(options) {}

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
    auto snap = load_decidable(store_, command, policy_, now.value(), last);
    if (!snap) return snap.error();
    return calltrack::check(snap.value().state, command, actor, policy_, now.value());
}

result<Preview> Engine::preview(const Actor& actor, const Command& command) {
    // check and preview commit nothing, so the last event time read with the clock serves.
    std::optional<Time> last;
    auto now = read_clock(&last);
    if (!now) return now.error();
    auto snap = load_decidable(store_, command, policy_, now.value(), last);
    if (!snap) return snap.error();
    auto events = decide(snap.value().state, command, actor, policy_, now.value());
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
        CALLTRACK_TRY(load_for(load, command));
        // The last event time read with the clock, not a later one: an event another engine
        // commits after this reading is no sign of a clock going backwards. Deadlines fired just
        // now are at or before the reading.
        snap.state.last_event_at = last;
        // Refused, every reason comes from this one decision, on what this attempt read.
        auto decision = decide_with_reasons(snap.state, command, actor, policy_, now.value());
        if (!decision.is_allowed()) return Refused(std::move(decision.refusals));

        State after = snap.state;
        calltrack::apply(after, decision.events);
        CommitBatch batch = diff(snap, after);
        Receipt receipt;
        receipt.events = std::move(decision.events);
        add_events(batch, receipt.events, after, &receipt.effects);
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
        auto fired = due(snap.state, policy_, now);
        snap.state.deadlines.merge(unlisted);
        State after = snap.state;
        calltrack::apply(after, fired);
        // A deadline that fired but had nothing left to do (its subject moved on) is spent too.
        for (const auto& d : read) after.deadlines.erase(d);
        CommitBatch batch = diff(snap, after);
        std::vector<HostEffect> fired_effects;
        add_events(batch, fired, after, &fired_effects);
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
