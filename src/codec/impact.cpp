#include <calltrack/impact.hpp>

#include "writer.hpp"

#include <calltrack/digest.hpp>

namespace calltrack {

std::string impact_text(const std::vector<Event>& events, const std::vector<HostEffect>& effects) {
    std::string text;
    for (const auto& e : events) {
        text += "event ";
        text += codec_detail::write_alternative("event", event_name(e), e, false);
        text += '\n';
    }
    for (const auto& effect : effects) {
        text += "effect ";
        codec_detail::TextWriter(text, false).value(effect);
        text += '\n';
    }
    return text;
}

std::string impact_digest(const std::vector<Event>& events,
                          const std::vector<HostEffect>& effects) {
    return sha256_hex(impact_text(events, effects));
}

}  // namespace calltrack
