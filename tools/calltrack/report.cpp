#include "report.hpp"

#include "report_json.hpp"

#include <calltrack/json.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <type_traits>
#include <utility>
#include <variant>

namespace calltrack::cli {
namespace report_detail {

Json nested(const std::string& text) {
    return Json::parse(text);
}

Json events_json(const std::vector<Event>& events) {
    Json list = Json::array();
    for (const auto& e : events) list.push_back(nested(to_json(e)));
    return list;
}

Json effects_json(const std::vector<HostEffect>& effects) {
    Json list = Json::array();
    for (const auto& e : effects) list.push_back(nested(to_json(e)));
    return list;
}

std::string dump(const Json& j) {
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

void lines(std::ostream& out, std::string_view tag, const std::vector<Event>& events) {
    for (const auto& e : events) out << "  " << tag << calltrack::describe(e) << '\n';
}

void lines(std::ostream& out, std::string_view tag, const std::vector<HostEffect>& effects) {
    for (const auto& e : effects) out << "  " << tag << calltrack::describe(e) << '\n';
}

}  // namespace report_detail

namespace {

using namespace report_detail;
// Beside this file's own lines(), which would otherwise hide them.
using report_detail::lines;

Json refusals_json(const std::vector<Refusal>& refusals) {
    Json list = Json::array();
    for (const auto& r : refusals) {
        Json j = Json::object();
        j["code"] = std::string(to_string(static_cast<errc>(r.code.value())));
        j["detail"] = r.detail;
        list.push_back(std::move(j));
    }
    return list;
}

std::string_view kind_name(StepReport::Kind k) {
    switch (k) {
        case StepReport::Kind::setup:
            return "setup";
        case StepReport::Kind::command:
            return "command";
        case StepReport::Kind::advance:
            return "advance";
    }
    return "command";
}

std::string balance_text(const Balance& b) {
    std::string out = "balance " + to_string(b.available) + " " + std::string(to_string(b.status));
    if (b.status == BalanceStatus::refundable) {
        out += b.refundable_until ? " until " + format_time(*b.refundable_until)
                                  : " with no time limit";
    }
    return out;
}

// Which tracking numbers an event names, so the timeline can say what each one is.
template <class T, class = void>
struct has_event_number : std::false_type {};
template <class T>
struct has_event_number<T, std::void_t<decltype(std::declval<T>().number)>> : std::true_type {};
template <class T, class = void>
struct has_event_numbers : std::false_type {};
template <class T>
struct has_event_numbers<T, std::void_t<decltype(std::declval<T>().numbers)>> : std::true_type {};

void add_number(std::vector<NumberId>& out, const NumberId& id) {
    out.push_back(id);
}
void add_number(std::vector<NumberId>& out, const std::optional<NumberId>& id) {
    if (id) out.push_back(*id);
}

/// The tracking numbers the event names by id; none for tracking_number_added, whose
/// description already says its phone number and destination.
std::vector<NumberId> numbers_named(const Event& event) {
    std::vector<NumberId> out;
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, events::TrackingNumberAdded>) {
                return;
            } else {
                if constexpr (has_event_number<T>::value) add_number(out, e.number);
                if constexpr (has_event_numbers<T>::value) {
                    out.insert(out.end(), e.numbers.begin(), e.numbers.end());
                }
            }
        },
        event);
    return out;
}

/// Every tracking number the run has seen, as it stands at the line being printed: its phone
/// number and forwarding destination, kept up to date from the events of the steps printed.
class NumberDirectory {
  public:
    void apply(const Event& event) {
        if (const auto* added = std::get_if<events::TrackingNumberAdded>(&event)) {
            numbers_.insert_or_assign(
                added->number, std::make_pair(added->phone_number, added->forwarding_destination));
        } else if (const auto* changed = std::get_if<events::ForwardingChanged>(&event)) {
            const auto it = numbers_.find(changed->number);
            if (it != numbers_.end()) it->second.second = changed->forwarding_destination;
        }
    }

    /// "web +14045550101 -> +14045550199, print +14045550102 -> +14045550199"; a number the run
    /// never added is named alone.
    std::string said(const std::vector<NumberId>& ids) const {
        std::string out;
        for (const auto& id : ids) {
            if (!out.empty()) out += ", ";
            out += id.str();
            const auto it = numbers_.find(id);
            if (it != numbers_.end()) {
                out += " " + it->second.first.e164() + " -> " + it->second.second.e164();
            }
        }
        return out;
    }

  private:
    std::map<NumberId, std::pair<PhoneNumber, PhoneNumber>> numbers_;
};

/// Each event, then, under one that names tracking numbers by id, what those numbers are (their
/// phone number and destination after it); `apply` says whether the events happened (the
/// directory follows them) or would have (a step not executed).
void lines(std::ostream& out, std::string_view tag, const std::vector<Event>& events,
           NumberDirectory& numbers, bool apply) {
    for (const auto& e : events) {
        out << "  " << tag << calltrack::describe(e) << '\n';
        if (apply) numbers.apply(e);
        const auto named = numbers_named(e);
        if (!named.empty()) out << "            " << numbers.said(named) << '\n';
    }
}

void print_step(std::ostream& out, const StepReport& r, NumberDirectory& numbers) {
    out << r.label << "  " << format_time(r.at) << "  ";
    if (r.kind == StepReport::Kind::advance) {
        out << "advance";
    } else {
        out << r.actor << ": " << r.operation;
        if (!r.target.empty()) out << ' ' << r.target;
    }
    if (!r.note.empty()) out << "  -- " << r.note;
    out << '\n';
    if (!r.fired.empty() || !r.fired_effects.empty()) {
        if (r.kind != StepReport::Kind::advance) out << "  deadlines due by now fire first:\n";
        lines(out, "deadline  ", r.fired, numbers, true);
        lines(out, "effect    ", r.fired_effects);
    } else if (r.kind == StepReport::Kind::advance) {
        out << "  no deadline due\n";
    }
    if (r.kind != StepReport::Kind::advance) {
        if (r.outcome == StepReport::Outcome::refused) {
            out << "  refused\n";
            for (const auto& reason : r.refusals) out << "  reason    " << describe(reason) << '\n';
        } else if (r.executed) {
            out << "  ok\n";
            lines(out, "event     ", r.events, numbers, true);
            lines(out, "effect    ", r.effects);
        } else {
            out << "  allowed, but not executed (a refusal was expected); it would do:\n";
            lines(out, "event     ", r.events, numbers, false);
            lines(out, "effect    ", r.effects);
        }
    }
    if (!r.unmet.empty()) {
        out << "  EXPECTATION NOT MET: " << r.unmet << '\n';
    } else if (r.expected != "ok") {
        out << "  expected  " << r.expected << ": met\n";
    }
}

}  // namespace

namespace {

/// The instant, and beside it the local reading where the subject counts days in a zone.
std::string end_text(Time t, const std::optional<TimeZone>& zone) {
    if (!zone) return format_time(t);
    return format_time(t) + " (" + format_local_time(*zone, t) + " " + zone->name() + ")";
}

}  // namespace

std::string describe(const Agency& g) {
    std::string out = "agency " + g.id.str();
    if (g.time_zone) out += " (time zone " + g.time_zone->name() + ")";
    out += ": " + std::string(to_string(g.status)) + "; charges " + to_string(g.charges) + "; "
           + balance_text(g.balance);
    if (g.status == AgencyStatus::canceled) {
        out += g.reactivation_until
                   ? "; reactivation until " + end_text(*g.reactivation_until, g.time_zone)
                   : "; no reactivation window";
    }
    return out;
}

std::string describe(const AccountReport& report) {
    const Account& a = report.account;
    const std::optional<TimeZone>& zone = report.zone ? report.zone : a.time_zone;
    std::string out = "account " + a.id.str();
    if (a.agency) out += " (sub-account of " + a.agency->str() + ")";
    if (a.time_zone) out += " (time zone " + a.time_zone->name() + ")";
    out += ": " + std::string(to_string(a.status)) + "; charges " + to_string(a.charges) + "; data "
           + std::string(to_string(a.data));
    if (a.data_purge_at) out += " at " + end_text(*a.data_purge_at, zone);
    if (a.data == DataStatus::purged && a.timeline.data_purged_at) {
        out += " at " + format_time(*a.timeline.data_purged_at);
    }
    out += "; " + balance_text(a.balance);
    if (a.status == AccountStatus::canceled) {
        out += a.reactivation_until
                   ? "; reactivation until " + end_text(*a.reactivation_until, zone)
                   : "; no reactivation deadline";
    }
    if (a.status == AccountStatus::paused && a.pause_until) {
        out += "; paused until " + end_text(*a.pause_until, zone);
    }
    if (a.suspended_for_balance_at) {
        out += "; suspended for its balance since " + format_time(*a.suspended_for_balance_at);
    }
    if (const auto& t = a.pending_transfer) {
        out += "; transfer to " + t->to.str() + " asked by " + t->requester.str() + " of "
               + t->requested_by.str()
               + (t->expires_at ? ", open until " + end_text(*t->expires_at, zone) : ", no end");
    }
    return out;
}

void print_timeline(std::ostream& out, const RunReport& report) {
    out << "scenario " << report.source;
    if (!report.title.empty()) out << ": " << report.title;
    out << "\npolicy " << report.policy << ", store " << report.store << ", start "
        << format_time(report.start) << "\n";
    bool in_setup = false;
    NumberDirectory numbers;
    for (const auto& step : report.steps) {
        const bool is_setup = step.kind == StepReport::Kind::setup;
        if (is_setup != in_setup || !is_setup) out << '\n';
        in_setup = is_setup;
        print_step(out, step, numbers);
    }
    if (report.final_state) {
        const auto& f = *report.final_state;
        out << "\nfinal state at " << format_time(f.at) << '\n';
        for (const auto& g : f.agencies) out << "  " << describe(g) << '\n';
        for (const auto& a : f.accounts) {
            out << "  " << describe(a) << '\n';
            for (const auto& n : a.numbers) {
                out << "    number " << n.id << " " << n.number << " -> "
                    << n.forwarding_destination << ": " << to_string(n.status) << '\n';
            }
        }
    }
    out << '\n';
    if (report.failure) {
        const auto& f = *report.failure;
        out << "FAILED";
        if (!f.location.empty()) out << " at " << f.location;
        if (!f.field.empty()) out << " (" << f.field << ")";
        out << ": " << f.message << '\n';
    } else {
        std::size_t checked = 0;
        for (const auto& s : report.steps) checked += s.kind != StepReport::Kind::setup ? 1 : 0;
        out << "ok: " << checked << (checked == 1 ? " step" : " steps")
            << ", every expectation met\n";
    }
}

std::string report_to_json(const RunReport& report) {
    Json j = Json::object();
    j["scenario"] = report.source;
    j["title"] = report.title;
    j["policy"] = report.policy;
    j["store"] = report.store;
    j["start"] = format_time(report.start);
    Json steps = Json::array();
    for (const auto& r : report.steps) {
        Json s = Json::object();
        s["label"] = r.label;
        s["field"] = r.field;
        s["kind"] = std::string(kind_name(r.kind));
        s["at"] = format_time(r.at);
        if (r.kind != StepReport::Kind::advance) s["actor"] = r.actor;
        s["operation"] = r.operation;
        if (!r.target.empty()) s["target"] = r.target;
        if (!r.note.empty()) s["note"] = r.note;
        if (r.command) s["command"] = nested(to_json(*r.command));
        if (r.kind != StepReport::Kind::advance) {
            s["result"] = r.outcome == StepReport::Outcome::refused ? "refused" : "ok";
            s["executed"] = r.executed;
            s["reasons"] = refusals_json(r.refusals);
        }
        s["fired"] = events_json(r.fired);
        s["fired_effects"] = effects_json(r.fired_effects);
        s["events"] = events_json(r.events);
        s["effects"] = effects_json(r.effects);
        s["expected"] = r.expected;
        s["met"] = r.unmet.empty();
        if (!r.unmet.empty()) s["unmet"] = r.unmet;
        steps.push_back(std::move(s));
    }
    j["steps"] = std::move(steps);
    if (report.final_state) {
        const auto& f = *report.final_state;
        Json final_json = Json::object();
        final_json["at"] = format_time(f.at);
        Json agencies = Json::array();
        for (const auto& g : f.agencies) agencies.push_back(nested(to_json(g)));
        final_json["agencies"] = std::move(agencies);
        Json accounts = Json::array();
        for (const auto& a : f.accounts) {
            Json account = nested(to_json(a.account));
            Json numbers = Json::array();
            for (const auto& n : a.numbers) numbers.push_back(nested(to_json(n)));
            account["numbers"] = std::move(numbers);
            accounts.push_back(std::move(account));
        }
        final_json["accounts"] = std::move(accounts);
        j["final"] = std::move(final_json);
    } else {
        j["final"] = nullptr;
    }
    j["ok"] = report.ok();
    if (report.failure) {
        Json failure = Json::object();
        failure["location"] = report.failure->location;
        failure["field"] = report.failure->field;
        failure["message"] = report.failure->message;
        j["failure"] = std::move(failure);
    } else {
        j["failure"] = nullptr;
    }
    return dump(j);
}

void print_verdict(std::ostream& out, const Verdict& verdict) {
    if (verdict.is_allowed()) {
        out << "allowed\n";
        return;
    }
    out << "refused\n";
    for (const auto& r : verdict.refusals) out << "  reason    " << describe(r) << '\n';
}

std::string verdict_to_json(const Verdict& verdict) {
    Json j = Json::object();
    j["allowed"] = verdict.is_allowed();
    j["reasons"] = refusals_json(verdict.refusals);
    return dump(j);
}

void print_preview(std::ostream& out, const Preview& preview) {
    out << "allowed; it would do:\n";
    lines(out, "event     ", preview.events);
    lines(out, "effect    ", preview.effects);
    out << "impact    " << preview.impact << "  (execute --impact: exactly this, or nothing)\n";
}

std::string preview_to_json(const Preview& preview) {
    Json j = Json::object();
    j["allowed"] = true;
    j["events"] = events_json(preview.events);
    j["effects"] = effects_json(preview.effects);
    j["impact"] = preview.impact;
    return dump(j);
}

void print_receipt(std::ostream& out, const Receipt& receipt) {
    out << (receipt.is_replay ? "already executed; the first receipt:\n" : "executed\n");
    lines(out, "event     ", receipt.events);
    lines(out, "effect    ", receipt.effects);
}

std::string receipt_to_json(const Receipt& receipt) {
    Json j = Json::object();
    j["executed"] = true;
    j["replayed"] = receipt.is_replay;
    j["events"] = events_json(receipt.events);
    j["effects"] = effects_json(receipt.effects);
    return dump(j);
}

}  // namespace calltrack::cli
