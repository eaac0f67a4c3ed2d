// The Catch2 runner shared by every calltrack test executable.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char* argv[]) {
    // rapidcheck reads its seed from RC_PARAMS; say which one ran so a failure can be replayed.
    if (const char* params = std::getenv("RC_PARAMS")) {
        std::cerr << "rapidcheck RC_PARAMS: " << params << '\n';
    } else {
        std::cerr << "rapidcheck RC_PARAMS unset: property tests use a random seed, printed on "
                     "failure\n";
    }
    return Catch::Session().run(argc, argv);
}
