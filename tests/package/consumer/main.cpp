// A host program that only knows calltrack's public interface.
#include <calltrack/calltrack.hpp>

#include <iostream>

int main() {
    const auto number = calltrack::PhoneNumber::parse("+1 (404) 555-0123");
    if (!number || number.value().e164() != "+14045550123") return 1;
    const auto refused = calltrack::PhoneNumber::parse("404");
    if (refused || refused.error() != calltrack::errc::phone_number_missing_plus) return 2;
    std::cout << "calltrack " << calltrack::version_string() << " linked; parsed " << number.value()
              << '\n';
    return 0;
}
