// A host as a telephony back end writes one: it builds its world through the engine, lets an
// agency administrator close a CTM sub-account and reactivate it, and runs the outbox worker that
// carries out what calltrack decided (release a number at the carrier, change billing, ...) and
// acknowledges each effect once it is done. Built and run as the test example.host.
#include <calltrack/calltrack.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace ct = calltrack;
namespace cmd = calltrack::commands;
using namespace calltrack::literals;

namespace {

/// Ends the program with the reason; a host would log it and answer its caller.
[[noreturn]] void fail(const std::string& what, const boost::system::error_code& error) {
    std::cerr << "host: " << what << ": " << error.message() << '\n';
    std::exit(1);
}

/// Runs one command; on refusal prints every reason (the refusal holds all of them, from the
/// decision that refused) and stops.
ct::Receipt run(ct::Engine& engine, const ct::Actor& actor, const ct::Command& command) {
    auto receipt = engine.execute(actor, command);
    if (!receipt) {
        for (const auto& r : receipt.error().refusals()) {
            std::cerr << "  refused: " << ct::describe(r) << '\n';
        }
        fail("executing " + std::string(ct::to_string(ct::operation_of(command))), receipt.error());
    }
    return std::move(receipt).value();
}

/// The outbox worker: what the host does in the world for each effect, then the acknowledgement.
/// An effect is delivered at least once, so each action must be safe to repeat.
std::size_t drain_outbox(ct::Engine& engine) {
    std::size_t done = 0;
    for (;;) {
        auto pending = engine.pending_effects(50);
        if (!pending) fail("reading the outbox", pending.error());
        const std::vector<ct::OutboxEntry> batch = std::move(pending).value();
        if (batch.empty()) return done;
        for (const ct::OutboxEntry& entry : batch) {
            const ct::HostEffect& effect = entry.effect;
            switch (effect.kind) {
                case ct::EffectKind::release_number:
                case ct::EffectKind::hold_number:
                case ct::EffectKind::reactivate_number:
                    std::cout << "  carrier:  " << ct::describe(effect) << '\n';
                    break;
                case ct::EffectKind::change_billing:
                case ct::EffectKind::final_usage_invoice:
                case ct::EffectKind::refund_balance:
                case ct::EffectKind::forfeit_balance:
                    std::cout << "  billing:  " << ct::describe(effect) << '\n';
                    break;
                default:
                    std::cout << "  platform: " << ct::describe(effect) << '\n';
                    break;
            }
            ++done;
        }
        // Acknowledged only after every effect of the batch was carried out: a crash before
        // this line delivers the batch again, never loses it.
        if (auto acked = engine.acknowledge_effects(batch.back().sequence); !acked) {
            fail("acknowledging the outbox", acked.error());
        }
    }
}

}  // namespace

int main() {
    ct::InMemoryStore store;
    ct::ManualClock clock("2024-03-01T09:00:00Z"_time);
    ct::Engine engine(ct::policies::ctm(), clock, store);

    const ct::Currency usd = "USD"_currency;
    const ct::Actor support = ct::Actor::support("support"_user);
    const ct::AgencyId agency = "northwind"_agency;
    const ct::AccountId dental = "northwind-dental"_account;
    const ct::UserId dana = "dana"_user;
    const ct::PhoneNumber front_desk = "+1 404 555 0199"_phone;

    std::cout << "building the world\n";
    for (const ct::Command& setup : std::vector<ct::Command>{
             cmd::CreateAgency{agency, usd},
             cmd::OpenAccount{dental, agency, ct::Plan{"Pro", {"Form Tracking"}}, usd},
             cmd::AddTrackingNumber{"dental-web"_number, dental, "+1 404 555 0101"_phone,
                                    front_desk, ct::NumberSource::onsite_dynamic},
             cmd::AddTrackingNumber{"dental-print"_number, dental, "+1 404 555 0102"_phone,
                                    front_desk, ct::NumberSource::offsite},
             cmd::GrantRole{dana, ct::RoleGrant{ct::Role::agency_administrator, agency}}}) {
        run(engine, support, setup);
    }
    std::cout << "  " << drain_outbox(engine) << " effects\n";

    const auto dana_actor = engine.actor(dana);
    if (!dana_actor) fail("loading dana's grants", dana_actor.error());
    const ct::Actor& admin = dana_actor.value();
    const auto click = ct::Confirmation::click();

    // CTM: closing a sub-account releases its numbers and stops its billing; the confirmation
    // lists the numbers that will be released, which preview() gives before anything happens.
    if (!clock.set("2024-03-05T10:00:00Z"_time)) return 1;
    const cmd::CloseSubAccount close{dental, click};
    const auto preview = engine.preview(admin, close);
    if (!preview) fail("previewing the close", preview.error());
    std::cout << "closing " << dental << " would release:\n";
    for (const auto& effect : preview.value().effects) {
        if (effect.kind == ct::EffectKind::release_number) {
            std::cout << "  " << effect.phone_number->e164() << '\n';
        }
    }
    const auto closed = run(engine, admin, close);
    std::cout << "closed: " << closed.events.size() << " events; the worker carries out:\n";
    drain_outbox(engine);

    // Within CTM's reactivation window the agency administrator brings it back.
    if (!clock.set("2024-03-10T09:00:00Z"_time)) return 1;
    const auto reactivated = run(engine, admin, cmd::ReactivateAccount{dental, click});
    std::cout << "reactivated: " << reactivated.events.size()
              << " events; the worker carries out:\n";
    drain_outbox(engine);

    const auto account = engine.account(dental);
    if (!account || !account.value()) fail("loading the account", account.error());
    std::cout << dental << " is " << ct::to_string(account.value()->status) << ", charges "
              << ct::to_string(account.value()->charges) << '\n';
    const auto left = engine.pending_effects();
    if (!left) fail("reading the outbox", left.error());
    return account.value()->status == ct::AccountStatus::active && left.value().empty() ? 0 : 1;
}
