#include <calltrack/replay.hpp>

#include <calltrack/decide.hpp>

namespace calltrack {

result<State> replay(Store& store, std::optional<Time> at, std::size_t page) {
    State state;
    if (page == 0) page = 1;
    for (std::uint64_t after = 0;;) {
        auto read = store.read_all(after, page);
        if (!read) return read.error();
        const std::vector<StoredEvent>& events = read.value();
        if (events.empty()) break;
        for (const StoredEvent& e : events) {
            after = e.sequence;
            if (at && *at < event_time(e.event)) continue;
            calltrack::apply(state, e.event);
        }
    }
    return state;
}

}  // namespace calltrack
