// The command line's argument parsing: flags and positional arguments after the subcommand, the
// usage error that prints a subcommand's help, and reading a file an argument names. None of it
// knows what a subcommand does, so it is kept apart from the subcommands that use it.

#include "command_line.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace calltrack::cli::command_line {

std::optional<UsageError> parse_arguments(const std::vector<std::string>& args, std::size_t from,
                                          const std::set<std::string>& with_value,
                                          const std::set<std::string>& switches,
                                          std::string_view help, Arguments& out) {
    for (std::size_t i = from; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
            continue;
        }
        if (a.size() > 1 && a[0] == '-' && a != "-") {
            std::string name = a;
            std::optional<std::string> inline_value;
            if (const auto eq = a.find('='); eq != std::string::npos) {
                name = a.substr(0, eq);
                inline_value = a.substr(eq + 1);
            }
            if (with_value.count(name) != 0) {
                if (!inline_value) {
                    if (i + 1 >= args.size()) return UsageError{name + " needs a value", help};
                    inline_value = args[++i];
                }
                if (out.values.count(name) != 0) {
                    return UsageError{name + " is given twice", help};
                }
                out.values[name] = *inline_value;
            } else if (switches.count(name) != 0 && !inline_value) {
                out.switches.insert(name);
            } else {
                return UsageError{"unknown option " + a, help};
            }
            continue;
        }
        out.positional.push_back(a);
    }
    return std::nullopt;
}

int usage(std::ostream& err, const UsageError& e) {
    err << "calltrack: " << e.message << "\n\n" << e.help;
    return exit_usage;
}

std::optional<std::string> read_file(const std::string& path, std::string* why) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *why = "cannot read " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int fail(std::ostream& err, const std::string& message) {
    err << "calltrack: " << message << '\n';
    return exit_failed;
}

/// Reads a subcommand's arguments. Returns the exit code when nothing more is to be done: the
/// usage was wrong (said on err), or --help asked for the help (printed on out).
std::optional<int> read_arguments(const std::vector<std::string>& all,
                                  const std::set<std::string>& with_value,
                                  const std::set<std::string>& switches, std::string_view help,
                                  std::ostream& out, std::ostream& err, Arguments& args) {
    if (auto e = parse_arguments(all, 1, with_value, switches, help, args)) return usage(err, *e);
    if (args.help) {
        out << help;
        return exit_ok;
    }
    return std::nullopt;
}

}  // namespace calltrack::cli::command_line
