// calltrack quick start: a CTM-style agency with two sub-accounts, run through the Engine with
// the default in-memory store. Pause tracking, close a sub-account, preview the agency cancel,
// cancel the agency, let 61 days pass, and print the timeline and what the host must do.
#include <calltrack/calltrack.hpp>
#include <calltrack/engine.hpp>
#include <calltrack/in_memory_store.hpp>

#include <iostream>
#include <string>

namespace ct = calltrack;
namespace cmd = calltrack::commands;
using namespace calltrack::literals;

namespace {

/// Runs one command and prints what happened: the events, or every reason it was refused.
bool run(ct::Engine& engine, ct::ManualClock& clock, const char* what, const ct::Actor& actor,
         const ct::Command& command) {
    std::cout << ct::format_time(clock.now()) << "  " << actor.user << ": " << what << '\n';
    auto receipt = engine.execute(actor, command);
    if (!receipt) {
        // Every reason, from the decision that refused: no second check() to race with.
        std::cout << "    refused: " << receipt.error().message() << '\n';
        for (const auto& r : receipt.error().refusals())
            std::cout << "      - " << r.detail << '\n';
        return false;
    }
    for (const auto& e : receipt.value().events) std::cout << "    " << ct::describe(e) << '\n';
    return true;
}

}  // namespace

int main() {
    ct::InMemoryStore store;
    ct::ManualClock clock("2024-03-01T09:00:00Z"_time);
    ct::Engine engine(ct::policies::ctm(), clock, store);

    const ct::Currency usd = "USD"_currency;
    const ct::Actor support = ct::Actor::support("support"_user);
    const ct::AgencyId agency = "acme-agency"_agency;
    const ct::AccountId dental = "acme-dental"_account;
    const ct::AccountId plumbing = "acme-plumbing"_account;

    std::cout << "calltrack " << ct::version_string() << " quick start, policy '"
              << engine.policy().name << "', in-memory store\n\n";

    // Provisioning goes through the same engine path, and the same events, as everything else.
    bool ok =
        run(engine, clock, "create the agency", support, cmd::CreateAgency{agency, usd})
        && run(engine, clock, "open sub-account acme-dental", support,
               cmd::OpenAccount{dental, agency, ct::Plan{"Pro", {}}, usd})
        && run(engine, clock, "open sub-account acme-plumbing", support,
               cmd::OpenAccount{plumbing, agency, ct::Plan{"Essentials", {}}, usd})
        && run(engine, clock, "add a website number to acme-dental", support,
               cmd::AddTrackingNumber{"dental-web"_number, dental, "+1 404 555 0101"_phone,
                                      "+1 404 555 0199"_phone, ct::NumberSource::onsite_dynamic})
        && run(
            engine, clock, "add a billboard number to acme-plumbing", support,
            cmd::AddTrackingNumber{"plumbing-billboard"_number, plumbing, "+1 404 555 0102"_phone,
                                   "+1 404 555 0198"_phone, ct::NumberSource::offsite})
        && run(engine, clock, "make alice the agency administrator", support,
               cmd::GrantRole{"alice"_user, ct::RoleGrant{ct::Role::agency_administrator, agency}});
    if (!ok) return 1;
    const auto alice = engine.actor("alice"_user).value();
    std::cout << '\n';

    const auto click = ct::Confirmation::click();
    ok = run(engine, clock, "pause the tracking code of acme-dental", alice,
             cmd::PauseTracking{dental, std::nullopt, click});
    // Refused on purpose: offsite numbers are not swapped, so they cannot be paused one by one.
    run(engine, clock, "pause the billboard number one by one", alice,
        cmd::PauseTracking{plumbing, "plumbing-billboard"_number, click});
    ok = ok
         && run(engine, clock, "close sub-account acme-plumbing", alice,
                cmd::CloseSubAccount{plumbing, click});
    if (!ok || !clock.advance(boost::posix_time::hours(24 * 3))) return 1;

    const cmd::CancelAgency cancel_agency{agency,
                                          click.because("moving to an in-house call center")};
    std::cout << "\npreview of the agency cancel (nothing is written):\n";
    const auto preview = engine.preview(alice, cancel_agency);
    if (!preview) return 1;
    for (const auto& e : preview.value().effects) std::cout << "    " << ct::describe(e) << '\n';
    std::cout << '\n';
    if (!run(engine, clock, "cancel the agency", alice, cancel_agency)) return 1;

    if (!clock.advance(boost::posix_time::hours(24 * 61))) return 1;
    std::cout << '\n' << ct::format_time(clock.now()) << "  61 days later, deadlines fire:\n";
    const auto fired = engine.advance();
    if (!fired) return 1;
    for (const auto& e : fired.value()) std::cout << "    " << ct::describe(e) << '\n';

    std::cout << "\nwhere things stand:\n";
    for (const auto& id : {dental, plumbing}) {
        const auto a = engine.account(id).value();
        std::cout << "    " << id << ": " << ct::to_string(a->status) << ", charges "
                  << ct::to_string(a->charges) << ", data " << ct::to_string(a->data) << '\n';
    }
    const auto g = engine.agency(agency).value();
    std::cout << "    " << agency << ": " << ct::to_string(g->status) << ", charges "
              << ct::to_string(g->charges) << '\n';

    const auto effects = engine.pending_effects(1000).value();
    std::cout << "\nthe host has " << effects.size() << " effects to carry out, first "
              << ct::describe(effects.front().effect) << '\n';
    const auto history = engine.history(dental).value();
    std::cout << "acme-dental's history holds " << history.size() << " events\n";
    return 0;
}
