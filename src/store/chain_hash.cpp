#include <calltrack/store.hpp>

#include <calltrack/detail/sha256.hpp>
#include <calltrack/json.hpp>

#include <string>

namespace calltrack {

// The members in their declared order, each on a line of its own, the free-text ones (stream,
// policy version) before the canonical JSON of the event and the audit: ids and version names hold
// no line break, so no two events give the same text.
std::string chain_hash(std::string_view previous, const StoredEvent& event) {
    detail::Sha256 h;
    h.add(previous);
    h.add("\n");
    h.add(std::to_string(event.sequence));
    h.add("\n");
    h.add(event.stream);
    h.add("\n");
    h.add(std::to_string(event.stream_version));
    h.add("\n");
    h.add(event.policy_version);
    h.add("\n");
    h.add(to_json(event.event));
    h.add("\n");
    h.add(to_json(event.audit));
    return h.hex();
}

}  // namespace calltrack
