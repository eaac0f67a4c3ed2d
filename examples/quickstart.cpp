// calltrack quick start: the primitives every lifecycle decision is made of. It prints each step
// so that a person reading the output sees what the library did and why.
#include <calltrack/calltrack.hpp>

#include <iostream>

namespace ct = calltrack;
using boost::posix_time::hours;

int main() {
    std::cout << "calltrack " << ct::version_string() << " quick start\n\n";

    // Time is injected: a ManualClock lets the demo (and your tests) move through weeks at once.
    ct::ManualClock clock(ct::parse_time("2020-09-15T10:00:00Z").value());
    std::cout << "clock starts at      " << ct::format_time(clock.now()) << '\n';
    if (!clock.advance(hours(24 * 60))) return 1;
    std::cout << "60 days later        " << ct::format_time(clock.now()) << '\n';
    const auto back = clock.set(ct::parse_time("2020-09-01T00:00:00Z").value());
    std::cout << "moving it backwards  refused: " << back.error().message() << "\n\n";

    // Tracking numbers and forwarding destinations are E.164 values; bad input says what is wrong.
    for (const char* typed : {"+1 (404) 555-0123", "404-555-0123", "+1 404 555 O123"}) {
        const auto number = ct::PhoneNumber::parse(typed);
        std::cout << "parse \"" << typed << "\"  ";
        if (number) {
            std::cout << "-> " << number.value() << '\n';
        } else {
            std::cout << "refused (" << ct::to_string(ct::errc{number.error().value()})
                      << "): " << number.error().message() << '\n';
        }
    }

    // Money is integer minor units with a currency; a hold fee of 5.00 USD over six months.
    const auto usd = ct::Currency::parse("USD").value();
    const ct::Money hold_fee(500, usd);
    std::cout << "\nhold fee " << hold_fee << " x 6 months = " << ct::multiply(hold_fee, 6).value()
              << '\n';
    const auto mixed = ct::add(hold_fee, ct::Money(500, ct::Currency::parse("EUR").value()));
    std::cout << "USD + EUR            refused: " << mixed.error().message() << '\n';

    // Ids are strong types: an AccountId can never be passed as an AgencyId.
    const ct::AgencyId agency("agency-acme");
    const ct::AccountId sub_account("acme-dental");
    std::cout << "\nsub-account " << sub_account << " of agency " << agency << '\n';
    return 0;
}
