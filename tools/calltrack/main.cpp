// The `calltrack` program: everything but the real streams lives in cli.cpp, where tests call it.
#include "cli.hpp"

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    calltrack::cli::Environment environment;
    environment.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
    return calltrack::cli::run_cli(args, std::cout, std::cerr, environment);
}
