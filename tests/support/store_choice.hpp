#pragma once

// The store a test that runs over both kinds asks for: an InMemoryStore, or a SqliteStore in
// memory. One helper for the tests that GENERATE(false, true) over the two.

#include <calltrack/in_memory_store.hpp>
#include <calltrack/sqlite_store.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <utility>

namespace calltrack::testing {

inline std::unique_ptr<Store> memory_or_sqlite_store(bool sqlite) {
    if (!sqlite) return std::make_unique<InMemoryStore>();
    auto opened = SqliteStore::open(":memory:");
    REQUIRE(opened);
    return std::move(opened).value();
}

}  // namespace calltrack::testing
