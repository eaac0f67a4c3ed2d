// The subcommands that judge commands: run, check, preview and execute, each with its help text
// (advance and policy have files of their own, and those that read a database back are in
// inspect.cpp). They
// are where the command line meets the engine and the printers (report.hpp); the argument parsing
// and the database opening they share are elsewhere (arguments.cpp, database.cpp), so that a
// subcommand reads from its arguments to its exit status without that plumbing in between.

#include "command_line.hpp"

#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"

#include <calltrack/engine.hpp>
#include <calltrack/json.hpp>
#include <calltrack/replay.hpp>

#include <chrono>
#include <fstream>
#include <utility>

namespace calltrack::cli::command_line {
namespace {

// --- help ----------------------------------------------------------------------------------------

constexpr std::string_view run_help =
    R"(usage: calltrack run SCENARIO.json [--policy PRESET|FILE.json] [--db FILE] [--fresh] [--json]

Runs the scenario's setup commands (as support), then its steps, each at its own time on a manual
clock, through the engine. Every expectation in the file is checked; the run stops at the first
one not met, naming the step, and exits 1.

  --policy PRESET|FILE.json  judge by this policy instead of the file's "policy"
  --db FILE                  the database (default: calltrack.db; :memory: for none)
  --fresh                    empty the database first (only a calltrack database)
  --json                     print one JSON document instead of the timeline

run starts from an empty database: it refuses a file that already holds events unless --fresh
is given. The policy used is recorded next to the file (FILE.policy.json) for check, preview and
advance.
)";

constexpr std::string_view check_help =
    R"(usage: calltrack check [--db FILE] --actor USER --command JSON [--at TIME] [--policy ...] [--json]

Judges the command for USER at TIME without writing anything: "allowed", or "refused" with every
reason. Exit 0 when allowed, 1 when refused.

  --actor USER      a user whose grants the database holds; "support" is the platform's staff
  --command JSON    e.g. '{"command":"cancel_account","account":"acme","confirmation":{"clicked":true}}'
  --at TIME         when to judge it (default: the time of the database's last event); an
                    earlier TIME judges it on the state the events up to then give: what check
                    would have said then
  --policy ...      PRESET or FILE.json (default: the policy recorded by run)
  --db FILE         the database (default: calltrack.db)
  --json            print {"allowed": ..., "reasons": [...]}
)";

constexpr std::string_view preview_help =
    R"(usage: calltrack preview [--db FILE] --actor USER --command JSON [--at TIME] [--policy ...] [--json]

Shows the exact events and host effects the command would produce for USER at TIME, writing
nothing, and the impact's digest: what a person shown this list confirms, for execute --impact.
When it would be refused, every reason (exit 1). Options as for check.
)";

constexpr std::string_view execute_help =
    R"(usage: calltrack execute [--db FILE] --actor USER --command JSON [--at TIME] [--idempotency-key KEY] [--impact DIGEST] [--policy ...] [--json]

Applies the command for USER at TIME and commits it to the database: deadlines due by then fire
first, in their own commits, then the command's events and host effects are written in one
transaction and printed. Refused, nothing of the command is written and every reason is printed
(exit 1). Options as for check, and:

  --at TIME               when it happens (default: the time of the database's last event);
                          never earlier than that
  --idempotency-key KEY   a repeat of the same command by the same actor with this key prints
                          the first receipt and writes nothing; another command with it is
                          refused as idempotency_key_reused
  --impact DIGEST         the impact preview printed and the person confirmed: refused as
                          impact_changed, writing nothing, if the command would now do anything
                          else (a number added or ported out, a sub-account closed since). A
                          policy may require it for an operation (confirmation "impact": true)
)";

// --- progress ------------------------------------------------------------------------------------

/// "step 12/40" on stderr, redrawn at most ten times a second, after the run has taken 300 ms.
class Progress {
  public:
    explicit Progress(std::ostream& err) : err_(err), started_(Clock::now()), last_(started_) {}
    ~Progress() { clear(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void operator()(std::size_t done, std::size_t total) {
        const auto now = Clock::now();
        if (now - started_ < std::chrono::milliseconds(300)) return;
        if (shown_ && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        shown_ = true;
        err_ << "\rcalltrack: " << done << '/' << total << " steps" << std::flush;
    }

    void clear() {
        if (shown_) err_ << "\r\033[K" << std::flush;
        shown_ = false;
    }

  private:
    using Clock = std::chrono::steady_clock;
    std::ostream& err_;
    Clock::time_point started_;
    Clock::time_point last_;
    bool shown_ = false;
};

// --- subcommands ---------------------------------------------------------------------------------

}  // namespace

int run_command(const std::vector<std::string>& all, std::ostream& out, std::ostream& err,
                const Environment& env) {
    Arguments args;
    if (auto done = read_arguments(all, {"--policy", "--db"}, {"--fresh", "--json"}, run_help, out,
                                   err, args)) {
        return *done;
    }
    if (args.positional.size() != 1) {
        return usage(err, {args.positional.empty() ? "run needs a scenario file"
                                                   : "run takes one scenario file",
                           run_help});
    }
    const std::string& file = args.positional.front();
    std::string why;
    const auto text = read_file(file, &why);
    if (!text) return fail(err, why);

    ScenarioDiagnostic diagnostic;
    auto scenario = parse_scenario(*text, &diagnostic);
    if (!scenario) return fail(err, file + ": " + to_string(diagnostic));

    std::optional<PolicyHistory> policy;
    if (auto given = args.value("--policy")) {
        auto loaded = load_policy_argument(*given, &why);
        if (!loaded) return fail(err, why);
        policy = std::move(loaded).value();
    } else if (const auto* preset = std::get_if<std::string>(&scenario.value().policy)) {
        policy = PolicyHistory(policies::by_name(*preset).value());
    } else if (const auto* document = std::get_if<PolicyHistory>(&scenario.value().policy)) {
        policy = *document;
    } else {
        return fail(err, file + ": policy: the scenario names no policy; give \"policy\" in the "
                                "file or --policy ctm|callrail|smrtphone|FILE.json");
    }

    const std::string database = args.value("--db").value_or(default_database());
    if (args.has("--fresh") && !is_memory(database) && !empty_database(database, &why)) {
        return fail(err, why);
    }
    auto opened = open_database(database, false, &why);
    if (!opened) return fail(err, why);
    auto held = events_held(*opened->store);
    if (!held) return fail(err, database + ": " + held.error().message());
    if (held.value() != 0) {
        // The description, not --db as given: a PostgreSQL URI may hold a password.
        return fail(err, opened->description
                             + " already holds the events of an earlier run; run starts from an "
                               "empty database: pass --fresh to empty it first, or --db another "
                               "file");
    }
    if (opened->path) {
        std::ofstream sidecar(policy_sidecar(*opened->path), std::ios::binary | std::ios::trunc);
        sidecar << history_document(*policy);
        if (!sidecar) return fail(err, "cannot write " + policy_sidecar(*opened->path));
    }

    RunOptions options;
    std::optional<Progress> progress;
    if (env.stderr_is_terminal) {
        progress.emplace(err);
        options.progress = [&](std::size_t done, std::size_t total) { (*progress)(done, total); };
    }
    RunReport report = run_scenario(scenario.value(), *policy, *opened->store, options);
    if (progress) progress->clear();
    report.source = file;
    report.store = opened->description;
    if (args.has("--json")) {
        out << report_to_json(report);
    } else {
        print_timeline(out, report);
    }
    out.flush();
    if (!report.ok()) {
        const auto& f = *report.failure;
        std::string where = file + ": ";
        if (!f.location.empty()) where += f.location + ": ";
        if (!f.field.empty()) where += f.field + ": ";
        return fail(err, where + f.message);
    }
    return exit_ok;
}

/// check and preview: the same arguments, a different question.
int judge_command(const std::vector<std::string>& all, Judgement mode, std::ostream& out,
                  std::ostream& err) {
    const std::string_view help = mode == Judgement::check     ? check_help
                                  : mode == Judgement::preview ? preview_help
                                                               : execute_help;
    const std::string_view name = mode == Judgement::check     ? "check"
                                  : mode == Judgement::preview ? "preview"
                                                               : "execute";
    Arguments args;
    std::set<std::string> valued{"--db", "--actor", "--command", "--at", "--policy"};
    if (mode == Judgement::execute) valued.insert({"--idempotency-key", "--impact"});
    if (auto done = read_arguments(all, valued, {"--json"}, help, out, err, args)) {
        return *done;
    }
    if (!args.positional.empty()) {
        return usage(err, {"unexpected argument " + args.positional.front(), help});
    }
    const auto actor_name = args.value("--actor");
    const auto command_text = args.value("--command");
    if (!actor_name) return usage(err, {"--actor USER is required", help});
    if (!command_text) return usage(err, {"--command JSON is required", help});

    JsonDiagnostic diagnostic;
    auto command = command_from_json(*command_text, &diagnostic);
    if (!command) {
        return fail(err, "--command: " + (diagnostic.field.empty() ? "" : diagnostic.field + ": ")
                             + diagnostic.problem);
    }
    auto user = UserId::parse(*actor_name);
    if (!user) return fail(err, "--actor: " + user.error().message());

    std::string why;
    const std::string database = args.value("--db").value_or(default_database());
    auto opened = open_database(database, true, &why);
    if (!opened) return fail(err, why);
    auto policy = database_policy(args, database, &why);
    if (!policy) return fail(err, why);
    Store& store = *opened->store;

    Time at;
    if (auto given = args.value("--at")) {
        auto parsed = parse_time(*given);
        if (!parsed) return fail(err, "--at: " + parsed.error().message());
        at = parsed.value();
    } else {
        auto last = store.last_event_time();
        if (!last) return fail(err, database + ": " + last.error().message());
        if (!last.value()) {
            return fail(err, database + " holds no events yet; give --at TIME to judge at a time");
        }
        at = *last.value();
    }
    const bool json = args.has("--json");
    // check before the last event: what check would have said then, on the state the events up to
    // then give (calltrack/replay.hpp). The engine judges only from the last event on, since it
    // writes what it decides.
    if (mode == Judgement::check && args.value("--at")) {
        auto last = store.last_event_time();
        if (!last) return fail(err, database + ": " + last.error().message());
        if (last.value() && at < *last.value()) {
            auto replayed = replay(store, at);
            if (!replayed) return fail(err, database + ": " + replayed.error().message());
            // As the engine would have: deadlines due by then fire first.
            calltrack::apply(replayed.value(), due(replayed.value(), *policy, at));
            const Actor then = *actor_name == support_actor
                                   ? support_actor_value()
                                   : actor_of(replayed.value(), user.value());
            const Verdict verdict =
                calltrack::check(replayed.value(), command.value(), then, *policy, at);
            if (json) {
                out << verdict_to_json(verdict);
            } else {
                out << "as of " << format_time(at)
                    << ", before the last event: judged on the state the events up to then give\n";
                print_verdict(out, verdict);
            }
            return verdict.is_allowed() ? exit_ok : exit_failed;
        }
    }
    ManualClock clock(at);
    Engine engine(std::move(*policy), clock, store);
    Actor actor = support_actor_value();
    if (*actor_name != support_actor) {
        auto loaded = engine.actor(user.value());
        if (!loaded)
            return fail(
                err, "cannot read the grants of " + *actor_name + ": " + loaded.error().message());
        actor = std::move(loaded).value();
    }

    if (mode == Judgement::execute) {
        ExecuteOptions options;
        options.idempotency_key = args.value("--idempotency-key");
        options.impact = args.value("--impact");
        auto done = engine.execute(actor, command.value(), options);
        if (done) {
            if (json) {
                out << receipt_to_json(done.value());
            } else {
                print_receipt(out, done.value());
            }
            return exit_ok;
        }
        if (done.error().refusals().empty()) {
            if (done.error() == errc::clock_went_backwards) {
                auto last = store.last_event_time();
                std::string when;
                if (last && last.value()) when = " (" + format_time(*last.value()) + ")";
                return fail(err, "cannot execute at " + format_time(at)
                                     + ": it is earlier than the database's last event" + when
                                     + "; time never goes backwards");
            }
            const auto& problem = done.error().problem();
            return fail(err, "cannot execute: " + done.error().message()
                                 + (problem.empty() ? "" : ": " + problem));
        }
        const Verdict refused{done.error().refusals()};
        if (json) {
            out << verdict_to_json(refused);
        } else {
            print_verdict(out, refused);
        }
        return exit_failed;
    }
    if (mode == Judgement::preview) {
        auto preview = engine.preview(actor, command.value());
        if (preview) {
            if (json) {
                out << preview_to_json(preview.value());
            } else {
                print_preview(out, preview.value());
            }
            return exit_ok;
        }
    }
    auto verdict = engine.check(actor, command.value());
    if (!verdict) {
        return fail(err, "cannot " + std::string(name) + ": " + verdict.error().message());
    }
    if (json) {
        out << verdict_to_json(verdict.value());
    } else {
        print_verdict(out, verdict.value());
    }
    return verdict.value().is_allowed() ? exit_ok : exit_failed;
}

}  // namespace calltrack::cli::command_line
