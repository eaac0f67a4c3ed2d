// Fuzzed commands judged in a fixed world (mirror_world.hpp) by the pure core and by the engine
// over InMemoryStore, under the preset the first byte picks. The rest of the input is lines; each
// line's first byte picks the actor and the wait before it, the rest is a command's JSON (lines
// the command reader refuses are skipped: fuzz_command covers the reader). Each command is checked
// and previewed, then executed, by both; they must agree at every step and at the end.
#include "fuzz_support.hpp"

#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace calltrack;
    using namespace calltrack::testing;
    if (size == 0) return 0;
    static const char* const presets[] = {"callrail", "ctm", "smrtphone"};
    auto policy = policies::by_name(presets[data[0] % 3]);
    InMemoryStore store;
    Mirror m(policy.value(), mirror_world::start_time(), store);
    for (const auto& c : mirror_world::setup()) {
        const auto executed = m.execute(mirror_world::support(), c);
        fuzz::require(executed.empty(), executed);
    }
    // Waits that straddle the presets' windows (14, 60, 90, 182 days).
    const Duration waits[] = {boost::posix_time::seconds(0), boost::posix_time::hours(1),
                              mirror_world::days(1),         mirror_world::days(15),
                              mirror_world::days(61),        mirror_world::days(91),
                              mirror_world::days(183),       mirror_world::days(400)};
    std::string_view rest = fuzz::text_of(data + 1, size - 1);
    int commands = 0;
    while (!rest.empty() && commands < 64) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (line.empty()) continue;
        const auto selector = static_cast<unsigned char>(line[0]);
        auto command = command_from_json(line.substr(1));
        if (!command) continue;
        ++commands;
        m.set_time(m.now() + waits[(selector / 8) % 8]);
        const auto& users = mirror_world::users();
        const Actor a = mirror_world::actor(m, users[selector % users.size()]);
        const auto judged = m.judge(a, command.value());
        fuzz::require(judged.empty(), judged);
        const auto executed = m.execute(a, command.value());
        fuzz::require(executed.empty(), executed);
    }
    const auto advanced = m.advance();
    fuzz::require(advanced.empty(), advanced);
    std::vector<UserId> users;
    for (const auto& u : mirror_world::users()) users.emplace_back(u);
    const auto compared = m.compare_store({}, {}, {}, users);
    fuzz::require(compared.empty(), compared);
    return 0;
}
