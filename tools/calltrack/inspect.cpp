// Reading a database back: one stream's events with who acted and how (history), the outbox
// (effects), the audit trail's check (verify), and a record or the pending deadlines as of any
// instant (show, deadlines), replayed from the events. None of them judges a command, so none
// needs a policy; apart from the subcommands that do (subcommands.cpp).

#include "command_line.hpp"

#include "report.hpp"

#include <calltrack/replay.hpp>
#include <calltrack/verify.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calltrack::cli::command_line {

namespace {

constexpr std::string_view history_help =
    R"(usage: calltrack history ID|account:ID|agency:ID|user:ID [--db FILE] [--json]

Prints one event stream of the database, oldest first: an account's, an agency's, or a user's
grants. Each line is the event's place in the global order (#sequence), its place in the stream
(vN), the policy version it was decided under, and the event; under it, who acted (the user and
the roles they held, or a deadline the engine fired), the operation, and what the person confirmed:
what they clicked, typed and acknowledged, the reasons they gave, the survey's outcome. A bare ID
names the account or the agency with that id; write account:ID or agency:ID when both exist.
)";

constexpr std::string_view effects_help =
    R"(usage: calltrack effects [--db FILE] [--ack SEQUENCE] [--limit N] [--json]

Lists the host effects in the outbox not yet acknowledged, oldest first, each with its sequence,
at most N (default 100). With --ack, first marks every effect up to SEQUENCE as carried out, as a
host's worker does once it has acted on them.
)";

constexpr std::string_view show_help =
    R"(usage: calltrack show ID|account:ID|agency:ID [--at TIME] [--db FILE] [--json]

Prints one account (with its tracking numbers) or one agency (with its sub-accounts) as it was at
TIME, and its pending deadlines then, from the database's events alone: every event at or before
TIME is replayed from nothing. Without --at, as of the last event. TIME may be any instant, before
the first event (nothing existed yet) or after the last (nothing has happened since, even a
deadline that would be due: advance fires those).
)";

constexpr std::string_view deadlines_help =
    R"(usage: calltrack deadlines [--at TIME] [--db FILE] [--json]

Lists every deadline pending at TIME, in the order they fire (time, kind, subject), replayed from
the database's events as show does. Without --at, as of the last event.
)";

constexpr std::string_view verify_help =
    R"(usage: calltrack verify [--db FILE] [--json]

Checks the database's audit trail: every event, from the first, must follow the one before it
(no sequence or stream version skipped), and carry the hash of its content chained to the one
before, so that an event removed, reordered or edited is found where it happened; then every
event is replayed and each agency, account, tracking number, user's grants and pending deadline
must be what the events make it. Prints "verified" and the head hash (exit 0), or where the log
breaks and why (exit 1). The head is the whole log's fingerprint: record it elsewhere now and then,
and a log cut short or rewritten from its end shows another.
)";

/// A positive integer argument, or nullopt.
std::optional<std::uint64_t> positive(const std::string& text) {
    if (text.empty() || text.size() > 19
        || text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const std::uint64_t n = std::stoull(text);
    if (n == 0) return std::nullopt;
    return n;
}

/// The database --db names, the instant --at gives (or its last event's time), and the state
/// its events up to then make: what show and deadlines both read.
struct StateAsOf {
    std::string database;
    Time at;
    State state;
};

/// The state as of --at, or nullopt with the exit status in `status` once err says why.
std::optional<StateAsOf> state_as_of(const Arguments& args, std::ostream& err, int& status) {
    status = exit_failed;
    StateAsOf found;
    found.database = args.value("--db").value_or(default_database());
    const std::string& database = found.database;
    std::string why;
    auto opened = open_database(database, true, &why);
    if (!opened) {
        status = fail(err, why);
        return std::nullopt;
    }
    Store& store = *opened->store;
    if (auto given = args.value("--at")) {
        auto parsed = parse_time(*given);
        if (!parsed) {
            status = fail(err, "--at: " + parsed.error().message());
            return std::nullopt;
        }
        found.at = parsed.value();
    } else {
        auto last = store.last_event_time();
        if (!last) {
            status = fail(err, database + ": " + last.error().message());
            return std::nullopt;
        }
        if (!last.value()) {
            status = fail(err, database + " holds no events yet; give --at TIME");
            return std::nullopt;
        }
        found.at = *last.value();
    }
    auto replayed = replay(store, found.at);
    if (!replayed) {
        status = fail(err, database + ": " + replayed.error().message());
        return std::nullopt;
    }
    found.state = std::move(replayed).value();
    return found;
}

}  // namespace

int history_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {"--db"}, {"--json"}, history_help, out, err, args)) {
        return *done;
    }
    if (args.positional.size() != 1) {
        return usage(err, {args.positional.empty() ? "which stream? give an ID"
                                                   : "one stream at a time: " + args.positional[1],
                           history_help});
    }
    const std::string& named = args.positional.front();
    std::string why;
    const std::string database = args.value("--db").value_or(default_database());
    auto opened = open_database(database, true, &why);
    if (!opened) return fail(err, why);
    Store& store = *opened->store;

    StreamId stream;
    for (const char* prefix : {"account:", "agency:", "user:"}) {
        if (named.rfind(prefix, 0) == 0) stream = named;
    }
    if (stream.empty()) {
        auto account = AccountId::parse(named);
        auto agency = AgencyId::parse(named);
        if (!account || !agency) return fail(err, "history: " + account.error().message());
        auto is_account = store.load_account(account.value());
        auto is_agency = store.load_agency(agency.value());
        if (!is_account || !is_agency) {
            return fail(err, database + ": "
                                 + (is_account ? is_agency.error() : is_account.error()).message());
        }
        if (is_account.value() && is_agency.value()) {
            return fail(err, "both an account and an agency have the id " + named
                                 + "; write account:" + named + " or agency:" + named);
        }
        if (!is_account.value() && !is_agency.value()) {
            return fail(err, "no account or agency has the id " + named + " in " + database);
        }
        stream = is_account.value() ? deadline_subject(account.value())
                                    : deadline_subject(agency.value());
    }
    auto events = store.read_stream(stream);
    if (!events) return fail(err, database + ": " + events.error().message());
    if (events.value().empty()) return fail(err, "no events are stored for " + stream);
    if (args.has("--json")) {
        out << history_to_json(stream, events.value());
    } else {
        print_history(out, stream, events.value());
    }
    return exit_ok;
}

int effects_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {"--db", "--ack", "--limit"}, {"--json"}, effects_help, out,
                                   err, args)) {
        return *done;
    }
    if (!args.positional.empty()) {
        return usage(err, {"unexpected argument " + args.positional.front(), effects_help});
    }
    std::optional<std::uint64_t> ack;
    if (auto text = args.value("--ack")) {
        ack = positive(*text);
        if (!ack) return usage(err, {"--ack takes a sequence number, 1 or more", effects_help});
    }
    std::uint64_t limit = 100;
    if (auto text = args.value("--limit")) {
        const auto n = positive(*text);
        if (!n) return usage(err, {"--limit takes a count, 1 or more", effects_help});
        limit = *n;
    }
    std::string why;
    const std::string database = args.value("--db").value_or(default_database());
    auto opened = open_database(database, true, &why);
    if (!opened) return fail(err, why);
    Store& store = *opened->store;
    if (ack) {
        if (auto done = store.acknowledge_effects(*ack); !done) {
            return fail(err, database + ": " + done.error().message());
        }
    }
    auto pending = store.pending_effects(static_cast<std::size_t>(limit));
    if (!pending) return fail(err, database + ": " + pending.error().message());
    if (args.has("--json")) {
        out << effects_to_json(pending.value(), ack);
    } else {
        print_effects(out, pending.value(), ack);
    }
    return exit_ok;
}

int verify_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {"--db"}, {"--json"}, verify_help, out, err, args)) {
        return *done;
    }
    if (!args.positional.empty()) {
        return usage(err, {"unexpected argument " + args.positional.front(), verify_help});
    }
    std::string why;
    const std::string database = args.value("--db").value_or(default_database());
    auto opened = open_database(database, true, &why);
    if (!opened) return fail(err, why);
    auto verified = verify_log(*opened->store);
    if (!verified) return fail(err, database + ": " + verified.error().message());
    if (args.has("--json")) {
        out << verification_to_json(verified.value());
    } else {
        print_verification(out, verified.value());
    }
    return verified.value().is_intact() ? exit_ok : exit_failed;
}

int show_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {"--db", "--at"}, {"--json"}, show_help, out, err, args)) {
        return *done;
    }
    if (args.positional.size() != 1) {
        return usage(err, {args.positional.empty() ? "which account or agency? give an ID"
                                                   : "one at a time: " + args.positional[1],
                           show_help});
    }
    int status = exit_failed;
    const auto as_of = state_as_of(args, err, status);
    if (!as_of) return status;
    const State& state = as_of->state;
    const std::string& database = as_of->database;
    const Time at = as_of->at;

    const std::string& named = args.positional.front();
    const bool as_account = named.rfind("account:", 0) == 0;
    const bool as_agency = named.rfind("agency:", 0) == 0;
    const std::string id = as_account ? named.substr(8) : as_agency ? named.substr(7) : named;
    const auto account = AccountId::parse(id);
    const auto agency = AgencyId::parse(id);
    if (!account || !agency) return fail(err, "show: " + account.error().message());
    const Account* found_account = as_agency ? nullptr : state.find_account(account.value());
    const Agency* found_agency = as_account ? nullptr : state.find_agency(agency.value());
    if (found_account != nullptr && found_agency != nullptr) {
        return fail(err, "both an account and an agency have the id " + id + "; write account:" + id
                             + " or agency:" + id);
    }
    if (found_account == nullptr && found_agency == nullptr) {
        return fail(err, "no "
                             + std::string(as_account  ? "account"
                                           : as_agency ? "agency"
                                                       : "account or agency")
                             + " had the id " + id + " as of " + format_time(at) + " in "
                             + database);
    }
    ShownRecord shown;
    shown.at = at;
    std::string subject;
    if (found_agency != nullptr) {
        shown.agency = *found_agency;
        if (const auto it = state.sub_accounts_by_agency.find(found_agency->id);
            it != state.sub_accounts_by_agency.end()) {
            shown.sub_accounts.assign(it->second.begin(), it->second.end());
        }
        subject = deadline_subject(found_agency->id);
    } else {
        AccountReport report{*found_account, {}};
        if (const auto it = state.numbers_by_account.find(found_account->id);
            it != state.numbers_by_account.end()) {
            for (const auto& n : it->second) report.numbers.push_back(state.numbers.at(n));
        }
        shown.account = std::move(report);
        subject = deadline_subject(found_account->id);
    }
    for (const auto& d : state.deadlines) {
        if (d.subject == subject) shown.deadlines.push_back(d);
    }
    if (args.has("--json")) {
        out << shown_to_json(shown);
    } else {
        print_shown(out, shown);
    }
    return exit_ok;
}

int deadlines_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done =
            read_arguments(all, {"--db", "--at"}, {"--json"}, deadlines_help, out, err, args)) {
        return *done;
    }
    if (!args.positional.empty()) {
        return usage(err, {"unexpected argument " + args.positional.front(), deadlines_help});
    }
    int status = exit_failed;
    const auto as_of = state_as_of(args, err, status);
    if (!as_of) return status;
    const Time at = as_of->at;
    const std::vector<Deadline> pending(as_of->state.deadlines.begin(),
                                        as_of->state.deadlines.end());
    if (args.has("--json")) {
        out << deadlines_to_json(at, pending);
    } else {
        print_deadlines(out, at, pending);
    }
    return exit_ok;
}

}  // namespace calltrack::cli::command_line
