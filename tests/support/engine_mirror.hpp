#pragma once

// The engine against the pure core, step by step. A Mirror drives an Engine over any Store and, in
// parallel, a State with decide/evolve/due, the way docs/architecture.md says the engine works:
// execute fires what is due by its time and then decides; check and preview judge the state with
// the due deadlines fired in memory; advance fires what is due. A refused execute must name every
// reason check() names at that instant. Every step returns the differences it found (empty: the
// engine did exactly what the core did), so a property test can assert on them and a fuzz target
// can abort on them. No test framework here: the fuzz targets include it too.

#include <calltrack/decide.hpp>
#include <calltrack/effect.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/json.hpp>
#include <calltrack/store.hpp>

#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace calltrack::testing {

inline std::string describe_events(const std::vector<Event>& events) {
    std::string out = "[";
    for (const auto& e : events) out += (out.size() > 1 ? ", " : "") + to_json(e);
    return out + "]";
}

inline std::string describe_effects(const std::vector<HostEffect>& effects) {
    std::string out = "[";
    for (const auto& e : effects) out += (out.size() > 1 ? ", " : "") + to_json(e);
    return out + "]";
}

inline std::string describe_refusals(const std::vector<Refusal>& refusals) {
    if (refusals.empty()) return "allowed";
    std::string out;
    for (const auto& r : refusals) {
        out += (out.empty() ? "" : "; ") + r.code.message() + " (" + r.detail + ")";
    }
    return out;
}

class Mirror {
  public:
    /// The engine runs on its own ManualClock, set to each step's time.
    Mirror(Policy policy, Time start, Store& store, EngineOptions options = {})
        : policy_(std::move(policy)),
          clock_(start),
          store_(store),
          engine_(policy_, clock_, store, options) {}

    const Policy& policy() const noexcept { return policy_; }
    const State& state() const noexcept { return state_; }
    Engine& engine() noexcept { return engine_; }
    Time now() const noexcept { return clock_.now(); }
    /// Every event the core applied, in order: what the store's global log must hold.
    const std::vector<Event>& history() const noexcept { return history_; }

    /// What the last execute() did in the core: its events, or the refusal.
    const result<std::vector<Event>>& last_decision() const noexcept { return last_; }

    /// Moves both clocks to `t` (not earlier than now).
    void set_time(Time t) {
        if (t > clock_.now()) (void)clock_.set(t);
    }

    /// The core alone: fires what is due by now and decides and applies the command, for a step
    /// whose commit the engine made without reporting it (a commit that lands but reports
    /// failure). Returns the core's events.
    result<std::vector<Event>> apply_core_only(const Actor& actor, const Command& command) {
        const Time t = clock_.now();
        fire_in_core(t);
        last_ = decide(state_, command, actor, policy_, t);
        if (last_) apply_in_core(last_.value());
        return last_;
    }
    /// The core alone fires what is due by now (the engine's sweep landed unreported).
    std::vector<Event> fire_core_only() { return fire_in_core(clock_.now()); }

    /// Engine::execute against due() then decide() at now, with an idempotency key used for the
    /// first time if one is given. Returns the differences.
    std::string execute(const Actor& actor, const Command& command,
                        std::optional<std::string> key = std::nullopt) {
        std::ostringstream diff;
        const Time t = clock_.now();
        fire_in_core(t);
        last_ = decide(state_, command, actor, policy_, t);
        std::vector<HostEffect> core_effects;
        if (last_) core_effects = apply_in_core(last_.value());
        auto receipt = engine_.execute(actor, command, std::move(key));
        if (last_.has_value() != receipt.has_value()) {
            diff << "execute " << to_json(command) << " by " << actor.user << ": core "
                 << (last_ ? "allowed " + describe_events(last_.value())
                           : "refused " + last_.error().message())
                 << ", engine "
                 << (receipt ? "allowed " + describe_events(receipt.value().events)
                             : "refused " + receipt.error().message())
                 << '\n';
        } else if (!last_) {
            // Refused by the rules: the code, and every reason as check() gives it now.
            const auto core = calltrack::check(state_, command, actor, policy_, t).refusals;
            if (last_.error() != receipt.error()) {
                diff << "execute " << to_json(command) << ": core refused "
                     << last_.error().message() << ", engine refused " << receipt.error().message()
                     << '\n';
            } else if (receipt.error().refusals() != core) {
                diff << "execute " << to_json(command) << " by " << actor.user
                     << ": core refused with " << describe_refusals(core) << ", engine with "
                     << describe_refusals(receipt.error().refusals()) << '\n';
            }
        } else {
            if (receipt.value().events != last_.value()) {
                diff << "execute " << to_json(command) << ": core events "
                     << describe_events(last_.value()) << ", engine events "
                     << describe_events(receipt.value().events) << '\n';
            }
            if (receipt.value().effects != core_effects) {
                diff << "execute " << to_json(command) << ": core effects "
                     << describe_effects(core_effects) << ", engine effects "
                     << describe_effects(receipt.value().effects) << '\n';
            }
            if (receipt.value().is_replay) diff << "execute of a new key was a replay\n";
        }
        return diff.str();
    }

    /// Engine::advance against due() at now.
    std::string advance() {
        std::ostringstream diff;
        const auto fired = fire_in_core(clock_.now());
        auto engine_fired = engine_.advance();
        if (!engine_fired) {
            diff << "advance: core fired " << describe_events(fired) << ", engine failed "
                 << engine_fired.error().message() << '\n';
        } else if (engine_fired.value() != fired) {
            diff << "advance: core fired " << describe_events(fired) << ", engine fired "
                 << describe_events(engine_fired.value()) << '\n';
        }
        return diff.str();
    }

    /// Engine::check and Engine::preview against check() and decide() on the state with the due
    /// deadlines fired in memory. Changes nothing.
    std::string judge(const Actor& actor, const Command& command) {
        std::ostringstream diff;
        const Time t = clock_.now();
        State judged = state_;
        calltrack::apply(judged, due(judged, policy_, t));
        const Verdict core = calltrack::check(judged, command, actor, policy_, t);
        auto engine_verdict = engine_.check(actor, command);
        if (!engine_verdict) {
            diff << "check " << to_json(command) << ": engine failed "
                 << engine_verdict.error().message() << '\n';
        } else if (core.refusals != engine_verdict.value().refusals) {
            diff << "check " << to_json(command) << " by " << actor.user << ": core "
                 << describe_refusals(core.refusals) << ", engine "
                 << describe_refusals(engine_verdict.value().refusals) << '\n';
        }
        auto decided = decide(judged, command, actor, policy_, t);
        auto preview = engine_.preview(actor, command);
        if (decided.has_value() != preview.has_value()) {
            diff << "preview " << to_json(command) << ": core "
                 << (decided ? "allowed" : decided.error().message()) << ", engine "
                 << (preview ? "allowed" : preview.error().message()) << '\n';
        } else if (decided) {
            State after = judged;
            std::vector<HostEffect> effects;
            for (const auto& e : decided.value()) {
                calltrack::apply(after, e);
                auto more = effects_of(e, after);
                effects.insert(effects.end(), more.begin(), more.end());
            }
            if (preview.value().events != decided.value()) {
                diff << "preview " << to_json(command) << ": core "
                     << describe_events(decided.value()) << ", engine "
                     << describe_events(preview.value().events) << '\n';
            }
            if (preview.value().effects != effects) {
                diff << "preview " << to_json(command) << ": core effects "
                     << describe_effects(effects) << ", engine effects "
                     << describe_effects(preview.value().effects) << '\n';
            }
        } else if (decided.error() != preview.error()) {
            diff << "preview " << to_json(command) << ": core " << decided.error().message()
                 << ", engine " << preview.error().message() << '\n';
        }
        return diff.str();
    }

    /// The whole store against the core's state: every record (by every id the core knows, and
    /// the extra ids given), every subject's deadlines, the global event log and the outbox.
    std::string compare_store(const std::vector<AccountId>& extra_accounts = {},
                              const std::vector<AgencyId>& extra_agencies = {},
                              const std::vector<NumberId>& extra_numbers = {},
                              const std::vector<UserId>& users = {}) {
        std::ostringstream diff;
        std::set<AccountId> accounts(extra_accounts.begin(), extra_accounts.end());
        for (const auto& [id, _] : state_.accounts) accounts.insert(id);
        std::set<AgencyId> agencies(extra_agencies.begin(), extra_agencies.end());
        for (const auto& [id, _] : state_.agencies) agencies.insert(id);
        std::set<NumberId> numbers(extra_numbers.begin(), extra_numbers.end());
        for (const auto& [id, _] : state_.numbers) numbers.insert(id);
        std::set<UserId> grant_users(users.begin(), users.end());
        for (const auto& [id, _] : state_.grants) grant_users.insert(id);

        std::set<Deadline> stored_deadlines;
        auto read_deadlines = [&](const std::string& subject) {
            auto d = store_.deadlines_of(subject);
            if (!d) {
                diff << "deadlines_of(" << subject << ") failed: " << d.error().message() << '\n';
                return;
            }
            stored_deadlines.insert(d.value().begin(), d.value().end());
        };
        for (const auto& id : accounts) {
            auto loaded = store_.load_account(id);
            const auto* core = state_.find_account(id);
            if (!loaded) {
                diff << "load_account(" << id << ") failed: " << loaded.error().message() << '\n';
            } else if (loaded.value().has_value() != (core != nullptr)) {
                diff << "account " << id << ": core " << (core ? "has it" : "has none")
                     << ", store " << (loaded.value() ? "has it" : "has none") << '\n';
            } else if (core != nullptr && loaded.value()->value != *core) {
                diff << "account " << id << ": core " << to_json(*core) << ", store "
                     << to_json(loaded.value()->value) << '\n';
            }
            read_deadlines(deadline_subject(id));
            auto stored_numbers = store_.load_numbers_of(id);
            const auto it = state_.numbers_by_account.find(id);
            std::set<NumberId> core_ids;
            if (it != state_.numbers_by_account.end()) core_ids = it->second;
            std::set<NumberId> stored_ids;
            if (stored_numbers) {
                for (const auto& n : stored_numbers.value()) stored_ids.insert(n.value.id);
            }
            if (!stored_numbers || stored_ids != core_ids) {
                diff << "numbers of account " << id << " differ\n";
            }
        }
        for (const auto& id : agencies) {
            auto loaded = store_.load_agency(id);
            const auto* core = state_.find_agency(id);
            if (!loaded) {
                diff << "load_agency(" << id << ") failed: " << loaded.error().message() << '\n';
            } else if (loaded.value().has_value() != (core != nullptr)) {
                diff << "agency " << id << ": core " << (core ? "has it" : "has none") << ", store "
                     << (loaded.value() ? "has it" : "has none") << '\n';
            } else if (core != nullptr && loaded.value()->value != *core) {
                diff << "agency " << id << ": core " << to_json(*core) << ", store "
                     << to_json(loaded.value()->value) << '\n';
            }
            read_deadlines(deadline_subject(id));
            auto subs = store_.load_sub_accounts(id);
            const auto it = state_.sub_accounts_by_agency.find(id);
            std::set<AccountId> core_ids;
            if (it != state_.sub_accounts_by_agency.end()) core_ids = it->second;
            std::set<AccountId> stored_ids;
            if (subs) {
                for (const auto& a : subs.value()) stored_ids.insert(a.value.id);
            }
            if (!subs || stored_ids != core_ids)
                diff << "sub-accounts of agency " << id << " differ\n";
            auto incoming = store_.load_incoming_transfers(id);
            std::vector<AccountId> stored_incoming;
            if (incoming) {
                for (const auto& a : incoming.value()) stored_incoming.push_back(a.value.id);
            }
            if (!incoming || stored_incoming != incoming_transfers(state_, id))
                diff << "incoming transfers of agency " << id << " differ\n";
        }
        for (const auto& id : numbers) {
            auto loaded = store_.load_number(id);
            const auto* core = state_.find_number(id);
            if (!loaded) {
                diff << "load_number(" << id << ") failed: " << loaded.error().message() << '\n';
            } else if (loaded.value().has_value() != (core != nullptr)) {
                diff << "number " << id << ": core " << (core ? "has it" : "has none") << ", store "
                     << (loaded.value() ? "has it" : "has none") << '\n';
            } else if (core != nullptr && loaded.value()->value != *core) {
                diff << "number " << id << ": core " << to_json(*core) << ", store "
                     << to_json(loaded.value()->value) << '\n';
            }
        }
        for (const auto& [phone, id] : state_.number_by_phone) {
            auto found = store_.find_number_by_phone(phone);
            if (!found || !found.value() || *found.value() != id) {
                diff << "phone " << phone << " routes as " << id
                     << " in the core, not in the store\n";
            }
        }
        for (const auto& user : grant_users) {
            auto loaded = store_.load_grants(user);
            const auto it = state_.grants.find(user);
            const std::vector<RoleGrant> core =
                it == state_.grants.end() ? std::vector<RoleGrant>{} : it->second;
            const std::vector<RoleGrant> stored =
                loaded && loaded.value() ? loaded.value()->value.grants : std::vector<RoleGrant>{};
            if (!loaded || stored != core) {
                diff << "grants of " << user << ": core " << to_json(core) << ", store "
                     << to_json(stored) << '\n';
            }
        }
        if (stored_deadlines != state_.deadlines) {
            diff << "deadlines: core " << state_.deadlines.size() << ", store "
                 << stored_deadlines.size() << '\n';
        }
        auto log = store_.read_all(0, history_.size() + 1);
        if (!log) {
            diff << "read_all failed: " << log.error().message() << '\n';
        } else {
            std::vector<Event> stored;
            for (const auto& e : log.value()) stored.push_back(e.event);
            if (stored != history_) {
                diff << "event log: core " << history_.size() << " events, store " << stored.size()
                     << '\n';
            }
        }
        auto outbox = store_.pending_effects(effects_.size() + 1);
        if (!outbox) {
            diff << "pending_effects failed: " << outbox.error().message() << '\n';
        } else {
            std::vector<HostEffect> stored;
            for (const auto& e : outbox.value()) stored.push_back(e.effect);
            if (stored != effects_) {
                diff << "outbox: core " << describe_effects(effects_) << ", store "
                     << describe_effects(stored) << '\n';
            }
        }
        auto last = store_.last_event_time();
        if (!last || last.value() != state_.last_event_at) diff << "last event time differs\n";
        return diff.str();
    }

  private:
    std::vector<Event> fire_in_core(Time t) {
        auto fired = due(state_, policy_, t);
        apply_in_core(fired);
        return fired;
    }

    std::vector<HostEffect> apply_in_core(const std::vector<Event>& events) {
        std::vector<HostEffect> effects;
        for (const auto& e : events) {
            calltrack::apply(state_, e);
            history_.push_back(e);
            auto more = effects_of(e, state_);
            effects.insert(effects.end(), more.begin(), more.end());
        }
        effects_.insert(effects_.end(), effects.begin(), effects.end());
        return effects;
    }

    Policy policy_;
    ManualClock clock_;
    Store& store_;
    Engine engine_;
    State state_;
    std::vector<Event> history_;
    std::vector<HostEffect> effects_;
    result<std::vector<Event>> last_ = std::vector<Event>{};
};

}  // namespace calltrack::testing
