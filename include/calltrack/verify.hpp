#pragma once

// Checks a store's log as an auditor would: that no event was removed, reordered or edited (the
// hash chain, store.hpp: chain_hash), and that the records are what the events say (replaying
// every event from an empty state gives each stored agency, account, tracking number, user's
// grants and pending deadline). `calltrack verify --db ...` runs it.
//
// The chain proves the log up to its last event. Someone able to rewrite the database could also
// cut its tail, or rewrite the last events with new hashes: a host that records
// LogVerification::head elsewhere (a ticket, another system's log) now and then detects that too.

#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/store.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace calltrack {

/// What verify_log() found.
struct LogVerification {
    std::uint64_t events = 0;  ///< events read and checked, from the first
    /// The last event's hash: the whole log's fingerprint, to record outside the store.
    std::string head;
    /// The sequence of the first event at which the chain breaks, or whose replay disagrees with
    /// the store; nullopt when the log is whole (or breaks after the last event, see `problem`).
    std::optional<std::uint64_t> broken_at;
    /// For a person: what is wrong, and where. Empty when the log is whole.
    std::string problem;

    bool is_intact() const noexcept { return problem.empty(); }
};

/// Reads the whole log in pages of `page` events, checks the chain event by event, then replays
/// it and compares the stored records. A failure to read is the store's error; what is found
/// wrong is in the LogVerification.
CALLTRACK_API result<LogVerification> verify_log(Store& store, std::size_t page = 1000);

}  // namespace calltrack
