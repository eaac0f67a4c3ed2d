// A fuzzed policy plays a fixed script (mirror_world.hpp: the world's provisioning, then every
// operation by the right and wrong roles, with waits across every window) through the pure core
// and through the engine over InMemoryStore. At every step both must do the same (events,
// refusals, effects, check and preview), and at the end hold the same records, deadlines, event
// log and outbox. Inputs the policy reader refuses stop early: fuzz_policy covers the reader.
#include "fuzz_support.hpp"

#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    using namespace calltrack::testing;
    auto policy = policy_from_json(fuzz::text_of(data, size));
    if (!policy) return 0;
    InMemoryStore store;
    Mirror m(policy.value(), mirror_world::start_time(), store);
    auto step = [&](const std::string& user, const Command& c) {
        const Actor a = mirror_world::actor(m, user);
        const auto judged = m.judge(a, c);
        fuzz::require(judged.empty(), judged);
        const auto executed = m.execute(a, c);
        fuzz::require(executed.empty(), executed);
    };
    for (const auto& c : mirror_world::setup()) step("support", c);
    for (const auto& s : mirror_world::script()) {
        m.set_time(m.now() + s.wait);
        if (s.command) {
            step(s.user, *s.command);
        } else {
            const auto advanced = m.advance();
            fuzz::require(advanced.empty(), advanced);
        }
    }
    std::vector<UserId> users;
    for (const auto& u : mirror_world::users()) users.emplace_back(u);
    const auto compared = m.compare_store({}, {}, {}, users);
    fuzz::require(compared.empty(), compared);
    return 0;
}
