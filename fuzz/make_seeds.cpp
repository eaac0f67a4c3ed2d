// Writes the seed corpora in fuzz/corpus/<target>/ from real values: the presets' policies, the
// commands of mirror_world's setup and script, the events and effects they cause, the records a
// store then holds, and lines for fuzz_judge. Run by hand after a format change:
//     ./build/asan/fuzz/fuzz_make_seeds fuzz/corpus
// (scenario seeds are copies of examples/scenarios; phone and time seeds are written here).
#include "mirror_world.hpp"

#include <calltrack/in_memory_store.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

namespace {

void write(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace calltrack;
    using namespace calltrack::testing;
    namespace mw = calltrack::testing::mirror_world;
    if (argc != 2) {
        std::cerr << "usage: fuzz_make_seeds CORPUS_DIR\n";
        return 2;
    }
    const std::filesystem::path root = argv[1];
    const char* const presets[] = {"callrail", "ctm", "smrtphone"};
    for (const char* name : presets) {
        const auto text = policy_to_json(policies::by_name(name).value());
        write(root / "policy", name, text);
        write(root / "policy_scenario", name, text);
    }
    // One run of the script under ctm gives commands, events, effects and records.
    InMemoryStore store;
    Mirror m(policies::ctm(), mw::start_time(), store);
    std::size_t i = 0;
    std::string judge_lines;
    for (const auto& c : mw::setup()) {
        (void)m.execute(mw::support(), c);
        write(root / "command", "setup-" + std::to_string(i++), to_json(c));
    }
    i = 0;
    for (const auto& s : mw::script()) {
        m.set_time(m.now() + s.wait);
        if (!s.command) {
            (void)m.advance();
            continue;
        }
        (void)m.execute(mw::actor(m, s.user), *s.command);
        write(root / "command", "script-" + std::to_string(i), to_json(*s.command));
        // fuzz_judge: a selector byte (the user, and a wait) then the command.
        std::size_t user = 0;
        while (mw::users()[user] != s.user) ++user;
        judge_lines += std::string(1, static_cast<char>('@' + user)) + to_json(*s.command) + "\n";
        ++i;
    }
    for (std::size_t p = 0; p < 3; ++p) {
        write(root / "judge", std::string("script-") + presets[p],
              std::string(1, static_cast<char>(p)) + judge_lines);
    }
    std::set<std::string> seen;
    for (const auto& e : m.history()) {
        const std::string name(event_name(e));
        if (seen.insert(name).second) write(root / "event", name, to_json(e));
    }
    auto outbox = store.pending_effects(100000).value();
    seen.clear();
    for (const auto& e : outbox) {
        const std::string name(to_string(e.effect.kind));
        if (seen.insert(name).second) write(root / "effect", name, to_json(e.effect));
    }
    for (const auto& id : mw::account_ids()) {
        if (auto a = store.load_account(AccountId(id)).value()) {
            write(root / "record", "account-" + id, std::string(1, '\0') + to_json(a->value));
        }
        // Held by name: value() of a temporary result is a reference into it.
        auto numbers = store.load_numbers_of(AccountId(id));
        for (const auto& n : numbers.value()) {
            write(root / "record", "number-" + n.value.id.str(),
                  std::string(1, '\2') + to_json(n.value));
        }
    }
    for (const auto& id : mw::agency_ids()) {
        if (auto g = store.load_agency(AgencyId(id)).value()) {
            write(root / "record", "agency-" + id, std::string(1, '\1') + to_json(g->value));
        }
    }
    for (const auto& user : mw::users()) {
        if (auto g = store.load_grants(UserId(user)).value()) {
            write(root / "record", "grants-" + user,
                  std::string(1, '\3') + to_json(g->value.grants));
        }
    }
    for (const char* text : {"+14045550123", "+1 (404) 555-0123", "+44 20 7946 0958",
                             "+1-404-555-0123", "14045550123", "+0123456789", "+1234567"}) {
        write(root / "phone_number", std::to_string(std::hash<std::string>{}(text)), text);
    }
    for (const char* text :
         {"2020-09-15T10:00:00Z", "2020-09-15T10:00:00.123456Z", "9999-12-31T23:59:59Z",
          "1400-01-01T00:00:00Z", "2020-02-29T00:00:00Z", "2020-09-15T10:00:00+01:00"}) {
        write(root / "time", std::to_string(std::hash<std::string>{}(text)), text);
    }
    std::cout << "seeds written to " << root << '\n';
    return 0;
}
