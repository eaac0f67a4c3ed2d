// calltrack quick start: a CTM-style agency with two sub-accounts, driven through the pure core.
// Pause tracking on one sub-account, close the other, look at what an agency cancel would do,
// cancel the agency, let 61 days pass, and print the timeline. Every step prints what the
// library decided and why.
#include <calltrack/calltrack.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace ct = calltrack;
namespace cmd = calltrack::commands;

namespace {

struct Demo {
    ct::Policy policy = ct::policies::ctm();
    ct::State state;
    ct::ManualClock clock{ct::parse_time("2024-03-01T09:00:00Z").value()};
    std::vector<ct::Event> timeline;

    // Decides at the clock's time and applies the events; prints the outcome either way.
    bool run(const char* what, const ct::Actor& actor, const ct::Command& command) {
        std::cout << ct::format_time(clock.now()) << "  " << actor.user << ": " << what << '\n';
        auto events = ct::decide(state, command, actor, policy, clock.now());
        if (!events) {
            std::cout << "    refused (" << ct::to_string(ct::errc(events.error().value()))
                      << ")\n";
            for (const auto& reason :
                 ct::check(state, command, actor, policy, clock.now()).refusals) {
                std::cout << "      - " << reason.detail << '\n';
            }
            return false;
        }
        record(events.value());
        return true;
    }

    void advance(int days) {
        if (!clock.advance(boost::posix_time::hours(24 * days))) return;
        std::cout << ct::format_time(clock.now()) << "  " << days
                  << " days later, deadlines fire\n";
        record(ct::due(state, policy, clock.now()));
    }

    void record(const std::vector<ct::Event>& events) {
        for (const auto& e : events) std::cout << "    " << ct::describe(e) << '\n';
        ct::apply(state, events);
        timeline.insert(timeline.end(), events.begin(), events.end());
    }
};

ct::PhoneNumber phone(const char* text) {
    return ct::PhoneNumber::parse(text).value();
}

}  // namespace

int main() {
    Demo demo;
    const auto usd = ct::Currency::parse("USD").value();
    const ct::Actor support{ct::UserId("support"), {{ct::Role::support, ct::Platform{}}}};
    const ct::AgencyId agency("acme-agency");
    const ct::AccountId dental("acme-dental");
    const ct::AccountId plumbing("acme-plumbing");

    std::cout << "calltrack " << ct::version_string() << " quick start, policy '"
              << demo.policy.name << "'\n\n";

    // Provisioning goes through the same decide/evolve path as everything else.
    demo.run("create the agency", support, cmd::CreateAgency{agency, usd});
    demo.run("open sub-account acme-dental", support,
             cmd::OpenAccount{dental, agency, ct::Plan{"Pro", {}}, usd});
    demo.run("open sub-account acme-plumbing", support,
             cmd::OpenAccount{plumbing, agency, ct::Plan{"Essentials", {}}, usd});
    demo.run("add a website number to acme-dental", support,
             cmd::AddTrackingNumber{ct::NumberId("dental-web"), dental, phone("+1 404 555 0101"),
                                    phone("+1 404 555 0199"), ct::NumberSource::onsite_dynamic});
    demo.run("add a billboard number to acme-plumbing", support,
             cmd::AddTrackingNumber{ct::NumberId("plumbing-billboard"), plumbing,
                                    phone("+1 404 555 0102"), phone("+1 404 555 0198"),
                                    ct::NumberSource::offsite});
    demo.run(
        "grant alice agency administrator", support,
        cmd::GrantRole{ct::UserId("alice"), ct::RoleGrant{ct::Role::agency_administrator, agency}});
    const auto alice = ct::actor_of(demo.state, ct::UserId("alice"));
    std::cout << '\n';

    ct::Confirmation click;
    click.clicked = true;
    demo.run("pause the tracking code of acme-dental", alice,
             cmd::PauseTracking{dental, std::nullopt, click});
    demo.run("pause the billboard number one by one", alice,
             cmd::PauseTracking{plumbing, ct::NumberId("plumbing-billboard"), click});
    demo.run("close sub-account acme-plumbing", alice, cmd::CloseSubAccount{plumbing, click});
    std::cout << '\n';

    // check() answers "may she, and if not, why" without changing anything.
    const ct::Actor bob{ct::UserId("bob"), {}};
    const auto verdict =
        ct::check(demo.state, cmd::CancelAgency{agency, {}}, bob, demo.policy, demo.clock.now());
    std::cout << "may bob cancel the agency? " << (verdict.is_allowed() ? "yes" : "no") << '\n';
    for (const auto& r : verdict.refusals) std::cout << "    - " << r.detail << '\n';

    ct::Confirmation cancel = click;
    cancel.reasons = {"moving to an in-house call center"};
    demo.clock.advance(boost::posix_time::hours(24 * 3)).value();
    demo.run("cancel the agency", alice, cmd::CancelAgency{agency, cancel});
    std::cout << '\n';

    demo.advance(61);
    std::cout << "\nafter 61 days:\n";
    for (const auto& [id, account] : demo.state.accounts) {
        std::cout << "    " << id << ": " << ct::to_string(account.status) << ", charges "
                  << ct::to_string(account.charges) << ", data " << ct::to_string(account.data)
                  << '\n';
    }
    const auto& a = demo.state.agencies.at(agency);
    std::cout << "    " << agency << ": " << ct::to_string(a.status) << ", charges "
              << ct::to_string(a.charges) << '\n';
    std::cout << "\n" << demo.timeline.size() << " events in the timeline\n";
    return 0;
}
