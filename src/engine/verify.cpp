#include <calltrack/verify.hpp>

#include <calltrack/decide.hpp>

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace calltrack {

namespace {

std::string sequence_name(std::uint64_t s) {
    return "event #" + std::to_string(s);
}

/// The first stored record that differs from the replayed state, described; empty when all match.
result<std::string> compare_records(Store& store, const State& replayed) {
    for (const auto& [id, agency] : replayed.agencies) {
        auto loaded = store.load_agency(id);
        if (!loaded) return loaded.error();
        if (!loaded.value() || loaded.value()->value != agency) {
            return "agency " + id.str() + " is not what its events make it";
        }
    }
    for (const auto& [id, account] : replayed.accounts) {
        auto loaded = store.load_account(id);
        if (!loaded) return loaded.error();
        if (!loaded.value() || loaded.value()->value != account) {
            return "account " + id.str() + " is not what its events make it";
        }
    }
    for (const auto& [id, number] : replayed.numbers) {
        auto loaded = store.load_number(id);
        if (!loaded) return loaded.error();
        if (!loaded.value() || loaded.value()->value != number) {
            return "tracking number " + id.str() + " is not what its events make it";
        }
    }
    for (const auto& [user, grants] : replayed.grants) {
        auto loaded = store.load_grants(user);
        if (!loaded) return loaded.error();
        const std::vector<RoleGrant> none;
        const auto& stored = loaded.value() ? loaded.value()->value.grants : none;
        if (stored != grants)
            return "the grants of user " + user.str() + " are not what their events make them";
    }
    // Every subject the events name: its pending deadlines are exactly the replayed ones.
    std::map<std::string, std::set<Deadline>> by_subject;
    for (const auto& [id, _] : replayed.agencies) by_subject[deadline_subject(id)];
    for (const auto& [id, _] : replayed.accounts) by_subject[deadline_subject(id)];
    for (const auto& d : replayed.deadlines) by_subject[d.subject].insert(d);
    for (const auto& [subject, expected] : by_subject) {
        auto stored = store.deadlines_of(subject);
        if (!stored) return stored.error();
        const std::set<Deadline> found(stored.value().begin(), stored.value().end());
        if (found != expected) {
            return "the pending deadlines of " + subject + " are not what its events make them";
        }
    }
    return std::string();
}

}  // namespace

result<LogVerification> verify_log(Store& store, std::size_t page) {
    LogVerification v;
    if (page == 0) page = 1;
    std::string previous(chain_start);
    std::map<StreamId, Version> stream_versions;
    State replayed;
    const auto broken = [&](std::uint64_t at, std::string problem) {
        v.broken_at = at;
        v.problem = std::move(problem);
        return v;
    };
    for (std::uint64_t after = 0;;) {
        auto read = store.read_all(after, page);
        if (!read) return read.error();
        const std::vector<StoredEvent>& events = read.value();
        if (events.empty()) break;
        for (const StoredEvent& e : events) {
            const std::uint64_t expected = after + 1;
            if (e.sequence != expected) {
                return broken(e.sequence, sequence_name(e.sequence) + " follows "
                                              + (after == 0 ? std::string("the start of the log")
                                                            : sequence_name(after))
                                              + ": the events between them were removed");
            }
            Version& version = stream_versions[e.stream];
            if (e.stream_version != version + 1) {
                return broken(e.sequence, sequence_name(e.sequence) + " is version "
                                              + std::to_string(e.stream_version) + " of " + e.stream
                                              + ", whose event before it is version "
                                              + std::to_string(version)
                                              + ": an event of the stream was removed or moved");
            }
            version = e.stream_version;
            if (e.hash.empty()) {
                return broken(e.sequence, sequence_name(e.sequence)
                                              + " has no hash: the store did not chain it");
            }
            if (chain_hash(previous, e) != e.hash) {
                return broken(
                    e.sequence,
                    "the chain breaks at " + sequence_name(e.sequence)
                        + ": its hash is not the hash of its content after "
                        + (after == 0 ? std::string("the start of the log")
                                      : sequence_name(after) + "'s hash")
                        + ", so it was edited, or the event before it was rewritten with a new "
                          "hash");
            }
            previous = e.hash;
            calltrack::apply(replayed, e.event);
            after = e.sequence;
            ++v.events;
        }
    }
    v.head = previous;
    auto differs = compare_records(store, replayed);
    if (!differs) return differs.error();
    if (!differs.value().empty()) {
        v.problem = "the log is whole, but " + differs.value()
                    + ": a record was written outside the log, or the log lost its last events";
    }
    return v;
}

}  // namespace calltrack
