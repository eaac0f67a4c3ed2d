// run_cli and the public helpers of cli.hpp: the top-level help, --version, and the choice of
// subcommand. The subcommands, their arguments and their databases are in their own files
// (command_line.hpp); what stays here is what a caller of cli.hpp sees.

#include "cli.hpp"

#include "command_line.hpp"

#include <calltrack/json.hpp>
#include <calltrack/version.hpp>

namespace calltrack::cli {
namespace {

using command_line::advance_command;
using command_line::compare_command;
using command_line::deadlines_command;
using command_line::effects_command;
using command_line::history_command;
using command_line::judge_command;
using command_line::Judgement;
using command_line::memory_database;
using command_line::policy_command;
using command_line::run_command;
using command_line::show_command;
using command_line::usage;
using command_line::verify_command;

// --- help ----------------------------------------------------------------------------------------

constexpr std::string_view main_help =
    R"(calltrack: run account-lifecycle scenarios and query a calltrack database

usage:
  calltrack run SCENARIO.json [--policy PRESET|FILE.json] [--db FILE] [--fresh] [--json]
  calltrack compare SCENARIO.json [--policies POLICY,POLICY,...] [--width N] [--json]
  calltrack check   [--db FILE] --actor USER --command JSON [--at TIME] [--policy ...] [--json]
  calltrack preview [--db FILE] --actor USER --command JSON [--at TIME] [--policy ...] [--json]
  calltrack execute [--db FILE] --actor USER --command JSON [--at TIME] [--idempotency-key KEY]
                    [--impact DIGEST] [--policy ...] [--json]
  calltrack advance --to TIME | --by DURATION [--db FILE] [--policy ...] [--json]
  calltrack history ID|account:ID|agency:ID|user:ID [--db FILE] [--json]
  calltrack effects [--db FILE] [--ack SEQUENCE] [--limit N] [--json]
  calltrack verify  [--db FILE] [--json]
  calltrack show ID|account:ID|agency:ID [--at TIME] [--db FILE] [--json]
  calltrack deadlines [--at TIME] [--db FILE] [--json]
  calltrack policy show PRESET | show --resolved PRESET|FILE.json
  calltrack policy validate FILE.json
  calltrack policy versions PRESET|FILE.json
  calltrack policy diff POLICY POLICY            (a preset, a file, or NAME@VERSION)
  calltrack --help | --version
  calltrack SUBCOMMAND --help

subcommands:
  run       run a scenario file step by step; print the timeline and the final state
  compare   run a scenario under several policies; per step, one column per policy, then
            where they differ
  check     may USER do this now? allowed, or every reason it is refused
  preview   what would it do? the events and host effects, and their impact digest, writing
            nothing
  execute   do it: commit the command's events and host effects, or print every reason not;
            with --impact, only if it still does what preview showed
  advance   move the clock to TIME and fire every deadline due by then
  history   one account's, agency's or user's events, each with its policy version, who acted
            and what they confirmed
  effects   the host effects not yet acknowledged; --ack marks them carried out
  verify    check the audit trail: every event chained by hash, and replayed to the records
  show      one account or agency, its numbers and pending deadlines, as of any instant
  deadlines every deadline pending as of any instant, in firing order
  policy    print a preset or a resolved policy file as JSON, validate one, list its versions,
            or diff two

PRESET is ctm, callrail or smrtphone. TIME is UTC ISO 8601, e.g. 2024-03-01T09:00:00Z.
The database is the SQLite file calltrack.db in the working directory unless --db names another;
--db :memory: keeps everything in memory for the length of the command; --db postgresql://...
(any libpq URI, ending in #SCHEMA for a schema other than "calltrack") uses a PostgreSQL store,
which records no policy: give --policy to every subcommand that judges.
Exit status: 0 success, 1 failure (an expectation not met under run or compare, refused, policies
that differ under policy diff, bad input), 2 bad command line.
Scenario format: docs/scenarios.md.
)";

}  // namespace

bool has_sqlite() noexcept {
    return CALLTRACK_CLI_HAS_SQLITE != 0;
}

std::string default_database() {
    return has_sqlite() ? "calltrack.db" : std::string(memory_database);
}

std::string policy_sidecar(const std::string& database) {
    return database + ".policy.json";
}

result<PolicyHistory> load_policy_argument(const std::string& argument, std::string* why) {
    std::string ignored;
    return command_line::load_preset_or_history(
        argument, why == nullptr ? &ignored : why,
        " (--policy takes ctm, callrail, smrtphone, a policy file or a history file)");
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const Environment& environment) {
    if (args.empty()) {
        err << main_help;
        return exit_usage;
    }
    const std::string& sub = args.front();
    if (sub == "--help" || sub == "-h" || sub == "help") {
        out << main_help;
        return exit_ok;
    }
    if (sub == "--version") {
        out << "calltrack " << version_string() << (has_sqlite() ? " (SQLite store)" : "") << '\n';
        return exit_ok;
    }
    if (sub == "run") return run_command(args, out, err, environment);
    if (sub == "compare") return compare_command(args, out, err);
    if (sub == "check") return judge_command(args, Judgement::check, out, err);
    if (sub == "preview") return judge_command(args, Judgement::preview, out, err);
    if (sub == "execute") return judge_command(args, Judgement::execute, out, err);
    if (sub == "advance") return advance_command(args, out, err);
    if (sub == "history") return history_command(args, out, err);
    if (sub == "effects") return effects_command(args, out, err);
    if (sub == "verify") return verify_command(args, out, err);
    if (sub == "show") return show_command(args, out, err);
    if (sub == "deadlines") return deadlines_command(args, out, err);
    if (sub == "policy") return policy_command(args, out, err);
    return usage(err, {(sub.rfind('-', 0) == 0 ? "unknown option " : "unknown subcommand ") + sub,
                       main_help});
}

}  // namespace calltrack::cli
