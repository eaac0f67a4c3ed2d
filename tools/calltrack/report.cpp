#include "report.hpp"

#include <calltrack/json.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <type_traits>
#include <utility>
#include <variant>

namespace calltrack::cli {
namespace {

using Json = nlohmann::ordered_json;

/// calltrack's own canonical JSON text, as a value to nest.
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

std::string dump(const Json& j) {
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
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

void lines(std::ostream& out, std::string_view tag, const std::vector<Event>& events) {
    for (const auto& e : events) out << "  " << tag << calltrack::describe(e) << '\n';
}

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

void lines(std::ostream& out, std::string_view tag, const std::vector<HostEffect>& effects) {
    for (const auto& e : effects) out << "  " << tag << calltrack::describe(e) << '\n';
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

std::string describe(const Agency& g) {
    std::string out = "agency " + g.id.str() + ": " + std::string(to_string(g.status))
                      + "; charges " + to_string(g.charges) + "; " + balance_text(g.balance);
    if (g.status == AgencyStatus::canceled) {
        out += g.reactivation_until ? "; reactivation until " + format_time(*g.reactivation_until)
                                    : "; no reactivation window";
    }
    return out;
}

std::string describe(const AccountReport& report) {
    const Account& a = report.account;
    std::string out = "account " + a.id.str();
    if (a.agency) out += " (sub-account of " + a.agency->str() + ")";
    out += ": " + std::string(to_string(a.status)) + "; charges " + to_string(a.charges) + "; data "
           + std::string(to_string(a.data));
    if (a.data_purge_at) out += " at " + format_time(*a.data_purge_at);
    if (a.data == DataStatus::purged && a.timeline.data_purged_at) {
        out += " at " + format_time(*a.timeline.data_purged_at);
    }
    out += "; " + balance_text(a.balance);
    if (a.status == AccountStatus::canceled) {
        out += a.reactivation_until ? "; reactivation until " + format_time(*a.reactivation_until)
                                    : "; no reactivation deadline";
    }
    if (a.status == AccountStatus::paused && a.pause_until) {
        out += "; paused until " + format_time(*a.pause_until);
    }
    if (a.suspended_for_balance_at) {
        out += "; suspended for its balance since " + format_time(*a.suspended_for_balance_at);
    }
    if (const auto& t = a.pending_transfer) {
        out += "; transfer to " + t->to.str() + " asked by " + t->requester.str() + " of "
               + t->requested_by.str()
               + (t->expires_at ? ", open until " + format_time(*t->expires_at) : ", no end");
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

namespace {

/// "by sam (administrator on account solo), cancel_account: clicked; reasons \"price\"", or
/// who fired it when no person did.
std::string who_acted(const StoredEvent& e) {
    const Audit& a = e.audit;
    if (!a.actor) {
        return e.policy_version.empty()
                   ? "who acted was not recorded (stored before calltrack kept it)"
                   : "by no one: a deadline the engine fired";
    }
    std::string text = "by " + a.actor->str();
    std::string roles;
    for (const auto& g : a.roles) {
        roles += (roles.empty() ? "" : ", ") + std::string(to_string(g.role)) + " on "
                 + (std::holds_alternative<Platform>(g.scope) ? std::string("the platform")
                                                              : to_string(g.scope));
    }
    text += " (" + (roles.empty() ? std::string("no role") : roles) + ")";
    if (a.operation) text += ", " + std::string(to_string(*a.operation));
    std::vector<std::string> given;
    if (const auto& c = a.confirmation) {
        if (c->clicked) given.emplace_back("clicked");
        if (!c->typed.empty()) given.push_back("typed \"" + c->typed + "\"");
        for (const auto& key : c->acknowledged) given.push_back("acknowledged " + key);
        if (c->terms_accepted) given.emplace_back("accepted the terms");
        for (const auto& reason : c->reasons) given.push_back("reason \"" + reason + "\"");
        if (c->billing_details_entered) given.emplace_back("entered billing details");
    }
    if (a.survey) given.push_back("survey " + std::string(to_string(*a.survey)));
    for (std::size_t i = 0; i < given.size(); ++i) text += (i == 0 ? ": " : "; ") + given[i];
    return text;
}

}  // namespace

void print_history(std::ostream& out, const StreamId& stream,
                   const std::vector<StoredEvent>& events) {
    out << stream << ": " << events.size() << (events.size() == 1 ? " event\n" : " events\n");
    for (const auto& e : events) {
        out << "  #" << e.sequence << "  v" << e.stream_version << "  "
            << (e.policy_version.empty() ? std::string("(no version)") : e.policy_version) << "  "
            << calltrack::describe(e.event) << '\n';
        out << "        " << who_acted(e) << '\n';
    }
}

std::string history_to_json(const StreamId& stream, const std::vector<StoredEvent>& events) {
    Json list = Json::array();
    for (const auto& e : events) {
        list.push_back(Json{{"sequence", e.sequence},
                            {"stream_version", e.stream_version},
                            {"policy_version", e.policy_version},
                            {"event", nested(to_json(e.event))},
                            {"audit", nested(to_json(e.audit))},
                            {"hash", e.hash}});
    }
    return dump(Json{{"stream", stream}, {"events", std::move(list)}});
}

void print_verification(std::ostream& out, const LogVerification& v) {
    if (v.is_intact()) {
        out << "verified: " << v.events << (v.events == 1 ? " event" : " events")
            << ", each chained to the one before, and their replay gives the stored records\n";
    } else {
        out << "broken: " << v.problem << '\n';
        out << "checked " << v.events << (v.events == 1 ? " event" : " events") << " before it\n";
    }
    if (!v.head.empty()) {
        out << "head " << v.head
            << "  (record it elsewhere: a log cut short or rewritten from the end has another)\n";
    }
}

std::string verification_to_json(const LogVerification& v) {
    Json j = Json::object();
    j["intact"] = v.is_intact();
    j["events"] = v.events;
    j["head"] = v.head;
    j["broken_at"] = v.broken_at ? Json(*v.broken_at) : Json(nullptr);
    j["problem"] = v.problem;
    return dump(j);
}

void print_effects(std::ostream& out, const std::vector<OutboxEntry>& pending,
                   std::optional<std::uint64_t> acknowledged) {
    if (acknowledged) out << "acknowledged up to #" << *acknowledged << '\n';
    out << (pending.empty() ? "no effect waits to be acknowledged\n"
                            : "not yet acknowledged, oldest first:\n");
    for (const auto& entry : pending) {
        out << "  #" << entry.sequence << "  " << calltrack::describe(entry.effect) << '\n';
    }
}

std::string effects_to_json(const std::vector<OutboxEntry>& pending,
                            std::optional<std::uint64_t> acknowledged) {
    Json list = Json::array();
    for (const auto& entry : pending) {
        list.push_back(
            Json{{"sequence", entry.sequence}, {"effect", nested(to_json(entry.effect))}});
    }
    Json j = Json::object();
    j["acknowledged"] = acknowledged ? Json(*acknowledged) : Json(nullptr);
    j["pending"] = std::move(list);
    return dump(j);
}

void print_advance(std::ostream& out, Time to, const std::vector<Event>& events,
                   const std::vector<HostEffect>& effects) {
    out << "advanced to " << format_time(to) << '\n';
    if (events.empty()) out << "  no deadline due\n";
    lines(out, "deadline  ", events);
    lines(out, "effect    ", effects);
}

std::string advance_to_json(Time to, const std::vector<Event>& events,
                            const std::vector<HostEffect>& effects) {
    Json j = Json::object();
    j["to"] = format_time(to);
    j["events"] = events_json(events);
    j["effects"] = effects_json(effects);
    return dump(j);
}

namespace {

std::string deadline_line(const Deadline& d) {
    return format_time(d.at) + "  " + std::string(to_string(d.kind)) + "  " + d.subject;
}

Json deadlines_json(const std::vector<Deadline>& deadlines) {
    Json list = Json::array();
    for (const auto& d : deadlines) {
        list.push_back(
            Json{{"at", format_time(d.at)}, {"kind", to_string(d.kind)}, {"subject", d.subject}});
    }
    return list;
}

}  // namespace

void print_shown(std::ostream& out, const ShownRecord& shown) {
    out << "as of " << format_time(shown.at) << '\n';
    if (shown.agency) {
        out << "  " << describe(*shown.agency) << '\n';
        for (const auto& id : shown.sub_accounts) out << "    sub-account " << id << '\n';
    }
    if (shown.account) {
        out << "  " << describe(*shown.account) << '\n';
        for (const auto& n : shown.account->numbers) {
            out << "    number " << n.id << " " << n.number << " -> " << n.forwarding_destination
                << ": " << to_string(n.status) << '\n';
        }
    }
    if (shown.deadlines.empty()) out << "  no deadline pending\n";
    for (const auto& d : shown.deadlines) out << "  deadline  " << deadline_line(d) << '\n';
}

std::string shown_to_json(const ShownRecord& shown) {
    Json j = Json::object();
    j["at"] = format_time(shown.at);
    if (shown.agency) {
        j["agency"] = nested(to_json(*shown.agency));
        Json subs = Json::array();
        for (const auto& id : shown.sub_accounts) subs.push_back(id.str());
        j["sub_accounts"] = std::move(subs);
    }
    if (shown.account) {
        j["account"] = nested(to_json(shown.account->account));
        Json numbers = Json::array();
        for (const auto& n : shown.account->numbers) numbers.push_back(nested(to_json(n)));
        j["numbers"] = std::move(numbers);
    }
    j["deadlines"] = deadlines_json(shown.deadlines);
    return dump(j);
}

void print_deadlines(std::ostream& out, Time at, const std::vector<Deadline>& deadlines) {
    out << "pending as of " << format_time(at) << ", in firing order:\n";
    if (deadlines.empty()) out << "  none\n";
    for (const auto& d : deadlines) out << "  " << deadline_line(d) << '\n';
}

std::string deadlines_to_json(Time at, const std::vector<Deadline>& deadlines) {
    Json j = Json::object();
    j["at"] = format_time(at);
    j["deadlines"] = deadlines_json(deadlines);
    return dump(j);
}

}  // namespace calltrack::cli
