#pragma once

// A confirmation bound to what was shown. Engine::preview() gives the impact of a command (its
// events and host effects) and its digest; Engine::execute() may carry the digest back, and is
// refused with errc::impact_changed when the command would now do anything else: a number added
// or ported out, a sub-account closed since. The digest leaves out every time, so the same impact
// a minute later has the same digest, while any change to what happens to whom changes it.

#include <calltrack/effect.hpp>
#include <calltrack/event.hpp>
#include <calltrack/export.hpp>

#include <string>
#include <vector>

namespace calltrack {

/// The canonical text the digest is taken over: one line per event ("event {...}") and then per
/// effect ("effect {...}"), each its canonical JSON without the members that are times.
CALLTRACK_API std::string impact_text(const std::vector<Event>& events,
                                      const std::vector<HostEffect>& effects);

/// SHA-256 of impact_text(), as 64 lower-case hex digits.
CALLTRACK_API std::string impact_digest(const std::vector<Event>& events,
                                        const std::vector<HostEffect>& effects);

}  // namespace calltrack
