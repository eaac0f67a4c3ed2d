// Watching an engine without a metrics library: an EngineObserver that keeps counters and prints
// them in Prometheus' text exposition format, as a host's /metrics handler would serve them.
// Decisions by call, operation and outcome; refusals by code; commits by result, with their
// total time; conflict retries; sweeps and the deadlines they fired. Run on a manual clock, so
// the output is the same on every run; a host passes its SystemClock and gets wall time.
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>
#include <calltrack/observer.hpp>

#include <iostream>
#include <map>
#include <sstream>
#include <string>

namespace ct = calltrack;
namespace cmd = calltrack::commands;

namespace {

/// Counters keyed by their label text; std::map keeps the exposition in one order.
class PrometheusObserver final : public ct::EngineObserver {
  public:
    void decided(const ct::Decided& d) override {
        const std::string outcome = d.refused ? "refused" : "allowed";
        ++decisions_["kind=\"" + std::string(ct::to_string(d.kind)) + "\",operation=\""
                     + std::string(ct::to_string(d.operation)) + "\",outcome=\"" + outcome + "\""];
        if (d.refused) ++refusals_["code=\"" + name_of(d.refused) + "\""];
        decision_seconds_ += seconds(d.took);
    }
    void committed(const ct::Committed& c) override {
        const std::string result = !c.error                                    ? "ok"
                                   : c.error == ct::errc::concurrency_conflict ? "conflict"
                                                                               : "error";
        ++commits_["result=\"" + result + "\""];
        commit_seconds_ += seconds(c.took);
        events_ += c.events;
        effects_ += c.effects;
    }
    void conflict_retried(const ct::ConflictRetried& r) override {
        ++retries_[r.sweep ? "path=\"sweep\"" : "path=\"command\""];
    }
    void swept(const ct::Swept& s) override {
        ++sweeps_;
        fired_ += s.fired;
    }

    std::string exposition() const {
        std::ostringstream out;
        family(out, "calltrack_decisions_total", "counter",
               "Decisions of the rules, by engine call, operation and outcome.", decisions_);
        family(out, "calltrack_refusals_total", "counter",
               "Refused decisions, by the first reason's code.", refusals_);
        family(out, "calltrack_commits_total", "counter", "Store commits, by result.", commits_);
        family(out, "calltrack_conflict_retries_total", "counter",
               "Decisions made again after another writer committed first.", retries_);
        single(out, "calltrack_events_committed_total", "counter",
               "Events in the commits that landed or were tried.", static_cast<double>(events_));
        single(out, "calltrack_effects_queued_total", "counter",
               "Host effects in the commits that landed or were tried.",
               static_cast<double>(effects_));
        single(out, "calltrack_sweeps_total", "counter", "Deadline sweeps.",
               static_cast<double>(sweeps_));
        single(out, "calltrack_deadline_events_total", "counter", "Events fired by deadlines.",
               static_cast<double>(fired_));
        single(out, "calltrack_decision_seconds_total", "counter",
               "Time spent loading and deciding, on the engine's clock.", decision_seconds_);
        single(out, "calltrack_commit_seconds_total", "counter",
               "Time spent in store commits, on the engine's clock.", commit_seconds_);
        return out.str();
    }

    std::uint64_t decisions(const std::string& labels) const {
        const auto it = decisions_.find(labels);
        return it == decisions_.end() ? 0 : it->second;
    }
    std::uint64_t fired() const { return fired_; }

  private:
    using Counters = std::map<std::string, std::uint64_t>;

    static std::string name_of(const boost::system::error_code& code) {
        if (code.category() != ct::calltrack_category()) return code.category().name();
        return std::string(ct::to_string(static_cast<ct::errc>(code.value())));
    }
    static double seconds(ct::Duration d) {
        return static_cast<double>(d.total_microseconds()) / 1e6;
    }
    static void header(std::ostream& out, const char* name, const char* type, const char* help) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    }
    static void family(std::ostream& out, const char* name, const char* type, const char* help,
                       const Counters& counters) {
        header(out, name, type, help);
        for (const auto& [labels, n] : counters) out << name << '{' << labels << "} " << n << '\n';
    }
    static void single(std::ostream& out, const char* name, const char* type, const char* help,
                       double value) {
        header(out, name, type, help);
        out << name << ' ' << value << '\n';
    }

    Counters decisions_, refusals_, commits_, retries_;
    std::uint64_t events_ = 0, effects_ = 0, sweeps_ = 0, fired_ = 0;
    double decision_seconds_ = 0, commit_seconds_ = 0;
};

}  // namespace

int main() {
    ct::InMemoryStore store;
    ct::ManualClock clock(ct::parse_time("2024-03-01T09:00:00Z").value());
    PrometheusObserver metrics;
    ct::EngineOptions options;
    options.observer = &metrics;
    ct::Engine engine(ct::policies::ctm(), clock, store, options);

    const ct::Actor support = ct::Actor::support(ct::UserId("support"));
    const ct::AccountId acme("acme");
    const ct::Actor ada{ct::UserId("ada"), {ct::RoleGrant{ct::Role::administrator, acme}}};
    const auto usd = ct::Currency::parse("USD").value();
    bool ok =
        engine.execute(support, cmd::OpenAccount{acme, std::nullopt, ct::Plan{"Pro", {}}, usd})
        && engine.execute(support, cmd::GrantRole{ada.user, ada.grants.front()});
    const cmd::PauseTracking pause{acme, std::nullopt, ct::Confirmation::click()};
    ok = ok && engine.check(ada, pause) && engine.execute(ada, pause);
    ok = ok && !engine.execute(ada, pause);  // paused already: refused, and counted
    ok = ok && engine.execute(ada, cmd::CancelAccount{acme, ct::Confirmation::click()});
    ok = ok && clock.set(ct::parse_time("2024-06-01T00:00:00Z").value()) && engine.advance();

    std::cout << metrics.exposition();
    // The counters say what happened above; a miscount fails the example's test.
    const bool counted =
        metrics.decisions("kind=\"execute\",operation=\"pause_tracking\",outcome=\"allowed\"") == 1
        && metrics.decisions("kind=\"execute\",operation=\"pause_tracking\",outcome=\"refused\"")
               == 1
        && metrics.decisions("kind=\"check\",operation=\"pause_tracking\",outcome=\"allowed\"") == 1
        && metrics.fired() > 0;
    if (!ok || !counted) {
        std::cerr << "prometheus example: the engine did not do what the example expects\n";
        return 1;
    }
    return 0;
}
