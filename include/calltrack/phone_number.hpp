#pragma once

// A telephone number in E.164 form: '+', then 8 to 15 digits, the first not 0. Tracking numbers
// and forwarding destinations are both PhoneNumbers. Text from outside goes through parse(), which
// never throws; text the program spells, through the constructor or "+14045550123"_phone, which
// throw std::invalid_argument naming it (docs/concepts.md, "Values from text").

#include <calltrack/export.hpp>
#include <calltrack/result.hpp>

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace calltrack {

class CALLTRACK_API PhoneNumber {
  public:
    /// For numbers the program itself spells: accepts what parse() accepts. Malformed text is a
    /// programming error and throws std::invalid_argument with the text and what is wrong.
    explicit PhoneNumber(std::string_view text);
    PhoneNumber(std::nullptr_t) = delete;  ///< `PhoneNumber(0)`: a compile error, not a crash

    /// Accepts E.164 with the separators people type: spaces, dashes, dots and parentheses, as in
    /// "+1 (404) 555-0123". Returns the errc that says what is wrong otherwise.
    static result<PhoneNumber> parse(std::string_view text);

    /// "+14045550123".
    const std::string& e164() const noexcept { return digits_; }

    friend bool operator==(const PhoneNumber& a, const PhoneNumber& b) {
        return a.digits_ == b.digits_;
    }
    friend bool operator!=(const PhoneNumber& a, const PhoneNumber& b) { return !(a == b); }
    friend bool operator<(const PhoneNumber& a, const PhoneNumber& b) {
        return a.digits_ < b.digits_;
    }
    friend std::ostream& operator<<(std::ostream& os, const PhoneNumber& n) {
        return os << n.digits_;
    }

  private:
    struct Canonical {};  ///< the text is already "+" and the digits
    PhoneNumber(Canonical, std::string e164) : digits_(std::move(e164)) {}
    std::string digits_;
};

inline const std::string& to_string(const PhoneNumber& n) noexcept {
    return n.e164();
}

}  // namespace calltrack

template <>
struct std::hash<calltrack::PhoneNumber> {
    std::size_t operator()(const calltrack::PhoneNumber& n) const noexcept {
        return std::hash<std::string>{}(n.e164());
    }
};
