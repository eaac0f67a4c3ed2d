// Whether a step met what its scenario expected: its outcome (ok or the refusal's codes, the
// events and effects, exactly, included or excluded) and the state after it, read through the
// engine's queries. Apart from the runner, which plays the steps, so that each expectation a
// scenario can state is checked in one place.

#include "expectation_check.hpp"

#include <algorithm>
#include <string>
#include <vector>

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

}  // namespace

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

}  // namespace calltrack::cli
