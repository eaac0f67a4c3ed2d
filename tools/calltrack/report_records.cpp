// The printers of what a database holds and what a sweep fired: a stream's history with who
// acted, the log's verification, the outbox, an advance, a record shown as of an instant, and the
// pending deadlines, each as text and as JSON. Apart from report.cpp, which prints what a run and
// one command did, because these read stored records back rather than a run's steps.

#include "report.hpp"

#include "report_json.hpp"

#include <calltrack/json.hpp>

#include <string>
#include <variant>
#include <vector>

namespace calltrack::cli {

using namespace report_detail;

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
