#include <calltrack/version.hpp>

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("the linked library reports the version its headers declare", "[version]") {
    const std::string expected = std::to_string(calltrack::version_major) + "."
                                 + std::to_string(calltrack::version_minor) + "."
                                 + std::to_string(calltrack::version_patch);
    CHECK(std::string(calltrack::version_string()) == expected);
}
