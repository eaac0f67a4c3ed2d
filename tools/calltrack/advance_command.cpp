// The advance subcommand: the clock moved to an instant, or by a duration past the database's
// last event as a test clock moves, and every deadline due by then fired in one sweep. Apart from
// the subcommands that judge one command (subcommands.cpp) because it judges none: it reads a
// duration, holds a SQLite sweep in one transaction, and prints what fired.

#include "command_line.hpp"

#include "report.hpp"

#include <calltrack/engine.hpp>
#include <calltrack/json.hpp>

#include <optional>
#include <string>
#include <utility>

namespace calltrack::cli::command_line {
namespace {

constexpr std::string_view advance_help =
    R"(usage: calltrack advance --to TIME | --by DURATION [--db FILE] [--policy ...] [--json]

Moves the clock to TIME and fires every deadline due by then (reactivation, restore and refund
windows closing, data purges, pause maximums), printing the events and host effects. TIME must
not be earlier than the database's last event. --by moves it that far past the last event
instead, as a test clock does: 14d, 36h, 90m, 30s, or a sum such as 1d12h (exact days of 24
hours).
)";

/// "14d", "36h", "90m", "30s", or a sum of them ("1d12h"): days of 24 hours; nullopt otherwise.
std::optional<Duration> parse_duration(const std::string& text) {
    if (text.empty()) return std::nullopt;
    Duration total(0, 0, 0);
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j == i || j == text.size() || j - i > 6) return std::nullopt;
        const long n = std::stol(text.substr(i, j - i));
        switch (text[j]) {
            case 'd':
                total += boost::posix_time::hours(24 * n);
                break;
            case 'h':
                total += boost::posix_time::hours(n);
                break;
            case 'm':
                total += boost::posix_time::minutes(n);
                break;
            case 's':
                total += boost::posix_time::seconds(n);
                break;
            default:
                return std::nullopt;
        }
        i = j + 1;
    }
    return total;
}

}  // namespace

int advance_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err) {
    Arguments args;
    if (auto done = read_arguments(all, {"--to", "--by", "--db", "--policy"}, {"--json"},
                                   advance_help, out, err, args)) {
        return *done;
    }
    if (!args.positional.empty()) {
        return usage(err, {"unexpected argument " + args.positional.front(), advance_help});
    }
    const auto to_text = args.value("--to");
    const auto by_text = args.value("--by");
    if (!to_text && !by_text)
        return usage(err, {"--to TIME or --by DURATION is required", advance_help});
    if (to_text && by_text) return usage(err, {"--to and --by: give one", advance_help});
    std::optional<Time> to;
    std::optional<Duration> by;
    if (to_text) {
        auto parsed = parse_time(*to_text);
        if (!parsed) return fail(err, "--to: " + parsed.error().message());
        to = parsed.value();
    } else {
        by = parse_duration(*by_text);
        if (!by) {
            return usage(
                err, {"--by takes a duration such as 14d, 36h, 90m, 30s or 1d12h", advance_help});
        }
    }

    std::string why;
    const std::string database = args.value("--db").value_or(default_database());
    auto opened = open_database(database, true, &why);
    if (!opened) return fail(err, why);
    auto policy = database_policy(args, database, &why);
    if (!policy) return fail(err, why);
    Store& store = *opened->store;
    if (by) {
        auto last = store.last_event_time();
        if (!last) return fail(err, database + ": " + last.error().message());
        if (!last.value()) {
            return fail(err, database + " holds no events yet, so --by has nothing to count from; "
                                        "give --to TIME");
        }
        to = *last.value() + *by;
    }

    ManualClock clock(*to);
    Engine engine(std::move(*policy), clock, store);
#if CALLTRACK_CLI_HAS_SQLITE
    // The whole sweep in one transaction: one disk flush however many deadlines fire, and a sweep
    // that fails part-way leaves the database as it was (the group rolls back when it goes out of
    // scope uncommitted).
    std::optional<SqliteStore::Group> sweep;
    if (opened->sqlite != nullptr) {
        auto group = opened->sqlite->group();
        if (!group) return fail(err, database + ": " + group.error().message());
        sweep.emplace(std::move(group).value());
    }
#endif
    auto fired = engine.advance();
    if (!fired) {
        if (fired.error() == errc::clock_went_backwards) {
            auto last = store.last_event_time();
            std::string when;
            if (last && last.value()) when = " (" + format_time(*last.value()) + ")";
            return fail(err, (to_text ? "--to " + *to_text : "--by " + *by_text)
                                 + " is earlier than the database's last event" + when
                                 + "; time never goes backwards");
        }
        std::string detail;
        if (!fired.problem().empty()) detail = ": " + fired.problem();
#if CALLTRACK_CLI_HAS_SQLITE
        if (detail.empty() && opened->sqlite != nullptr && fired.error() == errc::store_corrupt) {
            detail = ": " + opened->sqlite->last_error();
        }
#endif
        return fail(err, "advance failed: " + fired.error().message() + detail);
    }
#if CALLTRACK_CLI_HAS_SQLITE
    if (sweep) {
        if (auto committed = sweep->commit(); !committed) {
            return fail(err, database + ": " + committed.error().message());
        }
    }
#endif
    // The effects this sweep committed, not the outbox's growth: another advance committing at
    // the same time would add its own.
    if (args.has("--json")) {
        out << advance_to_json(*to, fired.events(), fired.effects());
    } else {
        print_advance(out, *to, fired.events(), fired.effects());
    }
    return exit_ok;
}

}  // namespace calltrack::cli::command_line
