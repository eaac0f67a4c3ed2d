#pragma once

// What an engine tells a host that watches it, without a logging or metrics dependency: each
// decision, each store commit, each retry after a concurrency conflict, and each deadline sweep,
// with how long it took. Durations are read from the engine's injected Clock, so a host's
// SystemClock gives wall time and a test's ManualClock gives exactly what the test moved it by;
// an engine without an observer reads the clock no more than before. examples/prometheus.cpp
// turns these calls into counters in Prometheus' text format.

#include <calltrack/clock.hpp>
#include <calltrack/errors.hpp>
#include <calltrack/export.hpp>
#include <calltrack/operation.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace calltrack {

/// Which engine call decided.
enum class DecisionKind : std::uint8_t { check, preview, execute };
CALLTRACK_API std::string_view to_string(DecisionKind kind) noexcept;

/// One decision of the rules: every check(), preview() and attempt of execute() that reached the
/// rules (an idempotent replay and a store failure before the decision are not decisions).
struct Decided {
    DecisionKind kind = DecisionKind::check;
    Operation operation = Operation::create_agency;
    /// Empty when allowed; otherwise the first reason's code.
    boost::system::error_code refused;
    std::size_t reasons = 0;  ///< how many reasons refused it
    std::size_t events = 0;   ///< the events it decided (execute and preview, when allowed)
    Duration took;            ///< loading what it reads and deciding
};

/// One store commit: an execute() attempt's, or one batch of a deadline sweep's.
struct Committed {
    std::size_t records = 0;  ///< agencies, accounts, numbers and grants written
    std::size_t events = 0;
    std::size_t effects = 0;
    /// Empty when it landed; concurrency_conflict when another writer was first (a retry may
    /// follow); the store's code otherwise.
    boost::system::error_code error;
    Duration took;
};

/// execute() or a sweep decides again after errc::concurrency_conflict.
struct ConflictRetried {
    int attempt = 0;  ///< 1 for the first retry
    bool sweep = false;
};

/// One deadline sweep that found deadlines due: advance(), or the one execute() makes first.
struct Swept {
    std::size_t fired = 0;    ///< events committed
    std::size_t batches = 0;  ///< store commits
    /// Empty when every due deadline fired; why the sweep stopped short otherwise.
    boost::system::error_code error;
    Duration took;
};

/// Override what you watch; the engine calls from the thread that called it, after the fact, and
/// never while it holds a lock. An observer that throws is a programming error the engine does
/// not catch.
class CALLTRACK_API EngineObserver {
  public:
    virtual ~EngineObserver() = default;
    virtual void decided(const Decided&) {}
    virtual void committed(const Committed&) {}
    virtual void conflict_retried(const ConflictRetried&) {}
    virtual void swept(const Swept&) {}

  protected:
    EngineObserver() = default;
    EngineObserver(const EngineObserver&) = default;
    EngineObserver& operator=(const EngineObserver&) = default;
};

}  // namespace calltrack
