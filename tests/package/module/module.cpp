// A telephony module's use of calltrack: an Engine over an InMemoryStore, one account opened and
// one check run. The host sees only the C entry point.
#include <calltrack/calltrack.hpp>
#include <calltrack/engine.hpp>

#include <optional>

extern "C" __attribute__((visibility("default"))) int calltrack_module_run() {
    namespace ct = calltrack;
    ct::InMemoryStore store;
    ct::ManualClock clock(ct::parse_time("2024-03-01T09:00:00Z").value());
    ct::Engine engine(ct::policies::ctm(), clock, store);
    const ct::Actor support{ct::UserId("support"), {{ct::Role::support, ct::Platform{}}}};
    const ct::AccountId acme("acme");

    const auto opened =
        engine.execute(support, ct::commands::OpenAccount{acme, std::nullopt, ct::Plan{"Pro", {}},
                                                          ct::Currency::parse("USD").value()});
    if (!opened) return 1;
    const auto account = engine.account(acme);
    if (!account || !account.value() || account.value()->status != ct::AccountStatus::active) {
        return 2;
    }
    // The error category crosses the module boundary intact: the refusal names its code.
    ct::Confirmation click;
    click.clicked = true;
    const auto verdict =
        engine.check(support, ct::commands::CancelAccount{ct::AccountId("nobody"), click});
    if (!verdict || !verdict.value().has(ct::errc::unknown_account)) return 3;
    return 0;
}
