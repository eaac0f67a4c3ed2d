// Compiled with the core layer's headers only (tests/CMakeLists.txt): the store is above the core,
// so this include must fail, and layers.core_cannot_include_the_store checks that it does.
#include <calltrack/decide.hpp>
#include <calltrack/store.hpp>
