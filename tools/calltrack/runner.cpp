#include "runner.hpp"

#include "step_subject.hpp"

#include <calltrack/json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <type_traits>
#include <utility>
#include <variant>

namespace calltrack::cli {
namespace {

std::string names_of(const std::vector<Event>& events) {
    std::string out;
    for (const auto& e : events) {
        if (!out.empty()) out += ", ";
        out += event_name(e);
    }
    return "[" + out + "]";
}

std::vector<std::string> kinds_of(const std::vector<HostEffect>& effects) {
    std::vector<std::string> out;
    for (const auto& e : effects) out.emplace_back(to_string(e.kind));
    return out;
}

std::string bracketed(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return "[" + out + "]";
}

std::string reasons_of(const std::vector<Refusal>& refusals) {
    std::string out;
    for (const auto& r : refusals) {
        if (!out.empty()) out += "; ";
        out += std::string(to_string(static_cast<errc>(r.code.value())));
        if (!r.detail.empty()) out += " (" + r.detail + ")";
    }
    return out;
}

/// The key path of a string leaf of `j` equal to `value` ("account", "grant.scope.agency").
std::optional<std::string> path_of(const nlohmann::json& j, const std::string& value,
                                   const std::string& path) {
    if (j.is_string() && j.get_ref<const std::string&>() == value) return path;
    if (j.is_object()) {
        for (const auto& item : j.items()) {
            const std::string key = path.empty() ? item.key() : path + "." + item.key();
            if (auto found = path_of(item.value(), value, key)) return found;
        }
    }
    return std::nullopt;
}

/// Where in the command an id the engine does not know was written ("account",
/// "grant.scope.agency"): refusals for unknown ids end with the id ("no account has the id acme").
std::optional<std::string> field_of_unknown_id(const Command& command,
                                               const std::vector<Refusal>& refusals) {
    const auto json = nlohmann::json::parse(to_json(command));
    for (const auto& r : refusals) {
        if (r.code != errc::unknown_account && r.code != errc::unknown_agency
            && r.code != errc::unknown_number && r.code != errc::unknown_user) {
            continue;
        }
        const auto space = r.detail.rfind(' ');
        const std::string id = space == std::string::npos ? r.detail : r.detail.substr(space + 1);
        if (auto found = path_of(json, id, "")) return found;
    }
    return std::nullopt;
}

/// Why the state after a step differs from what the expectation says; empty when it does not.
std::string unmet_state(const Expectation& e, Engine& engine, Store& store) {
    for (const auto& [id, want] : e.accounts) {
        auto loaded = engine.account(id);
        if (!loaded) return "could not read account " + id.str() + ": " + loaded.error().message();
        if (!loaded.value()) return "expected account " + id.str() + ", but there is none";
        const Account& a = *loaded.value();
        const std::string prefix = "account " + id.str() + ": expected ";
        if (want.status && *want.status != to_string(a.status)) {
            return prefix + "status " + *want.status + ", got " + std::string(to_string(a.status));
        }
        if (want.data && *want.data != to_string(a.data)) {
            return prefix + "data " + *want.data + ", got " + std::string(to_string(a.data));
        }
        if (want.balance && *want.balance != to_string(a.balance.status)) {
            return prefix + "balance " + *want.balance + ", got "
                   + std::string(to_string(a.balance.status));
        }
        if (want.charges && *want.charges != a.charges) {
            return prefix + "charges " + to_string(*want.charges) + ", got " + to_string(a.charges);
        }
        if (want.plan && *want.plan != a.plan.name) {
            return prefix + "plan " + *want.plan + ", got " + a.plan.name;
        }
        if (want.agency && *want.agency != a.agency) {
            const auto said = [](const std::optional<AgencyId>& g) {
                return g ? "agency " + g->str() : std::string("no agency (standalone)");
            };
            return prefix + said(*want.agency) + ", got " + said(a.agency);
        }
        if (want.report_access && *want.report_access != a.has_report_access) {
            return prefix + (*want.report_access ? "report access" : "no report access") + ", got "
                   + (a.has_report_access ? "access" : "none");
        }
        if (want.suspended_for_balance
            && *want.suspended_for_balance != a.is_suspended_for_balance()) {
            return prefix + (*want.suspended_for_balance ? "suspended" : "not suspended")
                   + " for its balance, got "
                   + (a.is_suspended_for_balance() ? "suspended" : "not suspended");
        }
    }
    for (const auto& [id, want] : e.agencies) {
        auto loaded = engine.agency(id);
        if (!loaded) return "could not read agency " + id.str() + ": " + loaded.error().message();
        if (!loaded.value()) return "expected agency " + id.str() + ", but there is none";
        const Agency& g = *loaded.value();
        const std::string prefix = "agency " + id.str() + ": expected ";
        if (want.status && *want.status != to_string(g.status)) {
            return prefix + "status " + *want.status + ", got " + std::string(to_string(g.status));
        }
        if (want.balance && *want.balance != to_string(g.balance.status)) {
            return prefix + "balance " + *want.balance + ", got "
                   + std::string(to_string(g.balance.status));
        }
        if (want.charges && *want.charges != g.charges) {
            return prefix + "charges " + to_string(*want.charges) + ", got " + to_string(g.charges);
        }
    }
    for (const auto& [id, want] : e.numbers) {
        auto loaded = store.load_number(id);
        if (!loaded) return "could not read number " + id.str() + ": " + loaded.error().message();
        if (!loaded.value()) return "expected tracking number " + id.str() + ", but there is none";
        const TrackingNumber& n = loaded.value()->value;
        const auto status = to_string(n.status);
        if (want.status && *want.status != status) {
            return "number " + id.str() + ": expected " + *want.status + ", got "
                   + std::string(status);
        }
        if (want.forwarding && *want.forwarding != n.forwarding_destination) {
            return "number " + id.str() + ": expected forwarding to " + want.forwarding->e164()
                   + ", got " + n.forwarding_destination.e164();
        }
    }
    return {};
}

/// Why the step's outcome differs from what the expectation says; empty when it does not.
std::string unmet_outcome(const Expectation& e, const StepReport& r) {
    const bool refused = r.outcome == StepReport::Outcome::refused;
    if (e.refused) {
        if (!refused) return "expected it to be refused, but it is allowed (it was not executed)";
        for (const errc code : e.errors) {
            const bool found =
                std::any_of(r.refusals.begin(), r.refusals.end(),
                            [&](const Refusal& x) { return x.code == make_error_code(code); });
            if (!found) {
                return "expected a refusal with " + std::string(to_string(code))
                       + ", but the reasons are: " + reasons_of(r.refusals);
            }
        }
        return {};
    }
    if (refused) return "expected ok, but it was refused: " + reasons_of(r.refusals);
    const auto& events = r.kind == StepReport::Kind::advance ? r.fired : r.events;
    const auto& effects = r.kind == StepReport::Kind::advance ? r.fired_effects : r.effects;
    if (e.events) {
        std::vector<std::string> got;
        for (const auto& ev : events) got.emplace_back(event_name(ev));
        if (got != *e.events) {
            return "expected events " + bracketed(*e.events) + ", got " + names_of(events);
        }
    }
    for (const auto& name : e.events_include) {
        const bool found = std::any_of(events.begin(), events.end(),
                                       [&](const Event& ev) { return event_name(ev) == name; });
        if (!found) return "expected an event " + name + ", got " + names_of(events);
    }
    const auto kinds = kinds_of(effects);
    if (e.effects && kinds != *e.effects) {
        return "expected effects " + bracketed(*e.effects) + ", got " + bracketed(kinds);
    }
    for (const auto& kind : e.effects_include) {
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
            return "expected an effect " + kind + ", got " + bracketed(kinds);
        }
    }
    for (const auto& name : e.events_exclude) {
        const bool found = std::any_of(events.begin(), events.end(),
                                       [&](const Event& ev) { return event_name(ev) == name; });
        if (found) return "expected no event " + name + ", got " + names_of(events);
    }
    for (const auto& kind : e.effects_exclude) {
        if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
            return "expected no effect " + kind + ", got " + bracketed(kinds);
        }
    }
    return {};
}

class Run {
  public:
    Run(const Scenario& scenario, const PolicyHistory& policies, Store& store,
        const RunOptions& options, RunReport& report)
        : scenario_(scenario),
          policies_(policies),
          store_(store),
          options_(options),
          report_(report),
          clock_(scenario.start),
          engine_(policies, clock_, store) {}

    void go() {
        const std::size_t total = scenario_.setup.size() + scenario_.steps.size();
        std::size_t done = 0;
        if (auto synced = effects_after(store_, outbox_); !synced) {
            return fail("", "", "could not read the outbox: " + synced.error().message());
        }
        const Expectation ok;
        for (const auto& entry : scenario_.setup) {
            if (options_.progress) options_.progress(done++, total);
            StepReport r;
            r.kind = StepReport::Kind::setup;
            r.label = entry.label;
            r.field = entry.field;
            r.at = scenario_.start;
            r.actor = std::string(support_actor);
            r.operation = std::string(command_name(entry.command));
            r.target = target_of(entry.command);
            r.command = entry.command;
            if (!command(support_actor_value(), entry.command, ok, r)) return;
            if (!record(std::move(r), ok)) return;
        }
        for (const auto& step : scenario_.steps) {
            if (options_.progress) options_.progress(done++, total);
            StepReport r;
            r.label = "step " + std::to_string(step.number);
            r.field = step.field;
            r.at = step.at;
            r.note = step.note;
            // Under a history, the policy in force at the step names its expectations.
            const Expectation& expected =
                step.expectation_for(policies_.in_force_at(step.at).policy.name);
            if (auto moved = clock_.set(step.at); !moved) {
                return fail(r.label, step.field + ".at",
                            "the clock cannot move from " + format_time(clock_.now()) + " back to "
                                + format_time(step.at) + ": " + moved.error().message());
            }
            if (step.kind == Step::Kind::advance) {
                r.kind = StepReport::Kind::advance;
                r.operation = "advance";
                if (!fire(r)) return;
            } else {
                r.kind = StepReport::Kind::command;
                r.actor = step.actor;
                r.operation = std::string(command_name(step.command));
                r.target = target_of(step.command);
                r.command = step.command;
                auto actor = actor_named(step.actor);
                if (!actor) {
                    return fail(r.label, step.field + ".actor",
                                "could not read the grants of " + step.actor + ": "
                                    + actor.error().message());
                }
                if (!command(actor.value(), step.command, expected, r)) return;
            }
            if (!read_charges(r)) return;
            if (!record(std::move(r), expected) && !options_.keep_going) return;
        }
        if (options_.progress) options_.progress(total, total);
    }

    void finish() {
        auto state = final_state(engine_, store_, clock_.now());
        if (state) {
            report_.final_state = std::move(state).value();
        } else if (!report_.failure) {
            fail("", "", "could not read the final state: " + state.error().message());
        }
    }

  private:
    result<Actor> actor_named(const std::string& name) {
        if (name == support_actor) return support_actor_value();
        return engine_.actor(UserId(name));
    }

    /// Judges, then (when allowed and not expected to be refused) fires due deadlines and executes.
    /// False after a failure that ends the run.
    bool command(const Actor& actor, const Command& cmd, const Expectation& expected,
                 StepReport& r) {
        auto preview = engine_.preview(actor, cmd);
        if (!preview) return refused(actor, cmd, preview.error(), r);
        if (expected.refused) {
            // Never written: the expectation fails on the preview alone.
            r.events = std::move(preview.value().events);
            r.effects = std::move(preview.value().effects);
            return true;
        }
        if (!fire(r)) return false;
        auto receipt = engine_.execute(actor, cmd);
        if (!receipt) return refused(actor, cmd, receipt.error(), r, &receipt.error().refusals());
        r.executed = true;
        r.events = std::move(receipt.value().events);
        r.effects = std::move(receipt.value().effects);
        return true;
    }

    /// Records every reason the command is refused: those given (a refused execute's, from the
    /// decision that refused), or check()'s. False when even that fails (the store).
    bool refused(const Actor& actor, const Command& cmd, const boost::system::error_code& error,
                 StepReport& r, const std::vector<Refusal>* reasons = nullptr) {
        if (error == condition::storage || error == condition::retryable) {
            fail(r.label, r.field, "the store failed: " + error.message());
            return false;
        }
        r.outcome = StepReport::Outcome::refused;
        if (reasons != nullptr && !reasons->empty()) {
            r.refusals = *reasons;
            return true;
        }
        auto verdict = engine_.check(actor, cmd);
        if (!verdict) {
            fail(r.label, r.field, "could not check the command: " + verdict.error().message());
            return false;
        }
        r.refusals = std::move(verdict.value().refusals);
        if (r.refusals.empty()) r.refusals.push_back(Refusal{error, error.message()});
        return true;
    }

    /// Fires the deadlines due now, with their host effects. False after a store failure.
    bool fire(StepReport& r) {
        auto due = store_.due_deadlines(clock_.now(), 1);
        if (!due) {
            fail(r.label, r.field, "could not read deadlines: " + due.error().message());
            return false;
        }
        if (due.value().empty()) return true;
        if (auto synced = effects_after(store_, outbox_); !synced) {
            fail(r.label, r.field, "could not read the outbox: " + synced.error().message());
            return false;
        }
        auto fired = engine_.advance();
        if (!fired) {
            fail(r.label, r.field,
                 "advancing to " + format_time(clock_.now())
                     + " failed: " + fired.error().message());
            return false;
        }
        r.fired = std::move(fired).value();
        auto effects = effects_after(store_, outbox_);
        if (!effects) {
            fail(r.label, r.field, "could not read the outbox: " + effects.error().message());
            return false;
        }
        r.fired_effects = std::move(effects).value();
        return true;
    }

    /// Reads the charges after the step: of what it acts on, then of every owner billed anew in
    /// it. False after a store failure.
    bool read_charges(StepReport& r) {
        std::vector<BalanceOwner> owners;
        const auto add = [&](const BalanceOwner& owner) {
            if (std::find(owners.begin(), owners.end(), owner) == owners.end()) {
                owners.push_back(owner);
            }
        };
        if (r.command) {
            if (auto owner = owner_of(*r.command)) {
                add(*owner);
            } else if (auto number = number_of(*r.command)) {
                auto loaded = store_.load_number(*number);
                if (!loaded) {
                    fail(
                        r.label, r.field,
                        "could not read number " + number->str() + ": " + loaded.error().message());
                    return false;
                }
                if (loaded.value()) add(BalanceOwner{loaded.value()->value.account});
            }
        }
        for (const auto* list : {&r.fired, &r.events}) {
            for (const auto& e : *list) {
                if (const auto* billed = std::get_if<events::BillingChanged>(&e))
                    add(billed->owner);
            }
        }
        for (const auto& owner : owners) {
            std::optional<Charges> charges;
            std::string failure;
            if (const auto* account = std::get_if<AccountId>(&owner)) {
                auto loaded = engine_.account(*account);
                if (!loaded) failure = loaded.error().message();
                if (loaded && loaded.value()) charges = loaded.value()->charges;
            } else {
                auto loaded = engine_.agency(std::get<AgencyId>(owner));
                if (!loaded) failure = loaded.error().message();
                if (loaded && loaded.value()) charges = loaded.value()->charges;
            }
            if (!failure.empty()) {
                fail(r.label, r.field, "could not read " + to_string(owner) + ": " + failure);
                return false;
            }
            // An id the engine does not know (a refused step's) has no charges to show.
            if (charges) r.charges_after.push_back(ChargesAfter{owner, *charges});
        }
        return true;
    }

    /// Keeps the report; checks the expectation. False when it is not met.
    bool record(StepReport r, const Expectation& expected) {
        r.expected = to_string(expected);
        r.unmet = unmet_outcome(expected, r);
        if (r.unmet.empty()) r.unmet = unmet_state(expected, engine_, store_);
        const bool met = r.unmet.empty();
        if (!met) {
            fail(r.label, field_of_failure(r, expected), r.unmet);
        }
        report_.steps.push_back(std::move(r));
        return met;
    }

    /// The step's field, narrowed to the id the engine did not know where there is one: a step's
    /// command is under "command", a setup entry is the command itself, and a declared grant
    /// names its scope as "account" or "agency".
    static std::string field_of_failure(const StepReport& r, const Expectation& expected) {
        if (!r.command || r.outcome != StepReport::Outcome::refused || expected.refused) {
            return r.field;
        }
        const auto where = field_of_unknown_id(*r.command, r.refusals);
        if (!where) return r.field;
        if (r.kind == StepReport::Kind::command) return r.field + ".command." + *where;
        if (r.field.rfind("setup[", 0) == 0) return r.field + "." + *where;
        for (const char* scope : {"account", "agency"}) {
            if (*where == std::string("grant.scope.") + scope) return r.field + "." + scope;
        }
        return r.field;
    }

    void fail(std::string location, std::string field, std::string message) {
        if (!report_.failure) {
            report_.failure = RunFailure{std::move(location), std::move(field), std::move(message)};
        }
    }

    const Scenario& scenario_;
    const PolicyHistory& policies_;
    Store& store_;
    const RunOptions& options_;
    RunReport& report_;
    ManualClock clock_;
    Engine engine_;
    std::uint64_t outbox_ = 0;
};

}  // namespace

result<std::vector<HostEffect>> effects_after(Store& store, std::uint64_t& after) {
    // The outbox is read from its oldest unacknowledged entry; ask for more until it is all in.
    std::size_t limit = 256;
    for (;;) {
        auto pending = store.pending_effects(limit);
        if (!pending) return pending.error();
        if (pending.value().size() < limit) {
            std::vector<HostEffect> out;
            std::uint64_t last = after;
            for (auto& entry : pending.value()) {
                if (entry.sequence <= after) continue;
                last = std::max(last, entry.sequence);
                out.push_back(std::move(entry.effect));
            }
            after = last;
            return out;
        }
        limit *= 4;
    }
}

result<FinalState> final_state(Engine& engine, Store& store, Time at) {
    std::set<AgencyId> agencies;
    std::set<AccountId> accounts;
    std::uint64_t after = 0;
    constexpr std::size_t page = 1000;
    for (;;) {
        auto events = store.read_all(after, page);
        if (!events) return events.error();
        for (const auto& stored : events.value()) {
            after = stored.sequence;
            if (const auto* g = std::get_if<events::AgencyCreated>(&stored.event)) {
                agencies.insert(g->agency);
            } else if (const auto* a = std::get_if<events::AccountOpened>(&stored.event)) {
                accounts.insert(a->account);
            }
        }
        if (events.value().size() < page) break;
    }
    FinalState out;
    out.at = at;
    for (const auto& id : agencies) {
        auto g = engine.agency(id);
        if (!g) return g.error();
        if (g.value()) out.agencies.push_back(std::move(*g.value()));
    }
    for (const auto& id : accounts) {
        auto a = engine.account(id);
        if (!a) return a.error();
        if (!a.value()) continue;
        auto numbers = engine.numbers(id);
        if (!numbers) return numbers.error();
        out.accounts.push_back(AccountReport{std::move(*a.value()), std::move(numbers).value()});
    }
    return out;
}

RunReport run_scenario(const Scenario& scenario, const PolicyHistory& policies, Store& store,
                       const RunOptions& options) {
    RunReport report;
    report.title = scenario.title;
    report.policy = policies.latest().policy.name;
    report.start = scenario.start;
    Run run(scenario, policies, store, options, report);
    run.go();
    run.finish();
    return report;
}

}  // namespace calltrack::cli
