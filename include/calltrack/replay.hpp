#pragma once

// The state as of any instant of the log: every stored event at or before `at`, replayed in the
// global order from an empty State, gives the agencies, accounts, tracking numbers, grants and
// pending deadlines as they were then, and check() on it says what a command would have met then.
// Replay needs nothing the log does not hold, so it works on any store and any database.

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/state.hpp>
#include <calltrack/store.hpp>

#include <cstddef>
#include <optional>

namespace calltrack {

/// Replays every stored event whose time is at or before `at` (all of them without `at`), in
/// pages of `page`. Events of one record are in time order in the log, so leaving out those after
/// `at` leaves each record as it was at `at`. The result's last_event_at is the latest time
/// replayed.
CALLTRACK_API result<State> replay(Store& store, std::optional<Time> at = std::nullopt,
                                   std::size_t page = 1000);

}  // namespace calltrack
