#pragma once

// What an account or agency is being charged for right now. Only a full cancel stops charges;
// paused tracking, stopped calls, paused accounts (hold fee) and agencies not canceled at agency
// level keep being charged.

#include <calltrack/export.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace calltrack {

enum class Charge : std::uint8_t {
    subscription,     ///< the plan's regular fee, with add-ons
    number_renewals,  ///< monthly renewal of each tracking number
    usage,            ///< per-minute usage and metered features
    hold_fee,         ///< the fee for keeping numbers while the account is paused (CallRail)
};
inline constexpr Charge all_charges[] = {Charge::subscription, Charge::number_renewals,
                                         Charge::usage, Charge::hold_fee};

CALLTRACK_API std::string_view to_string(Charge c) noexcept;

/// A set of charges without heap allocation.
class Charges {
  public:
    constexpr Charges() = default;
    constexpr Charges(std::initializer_list<Charge> charges) {
        for (const Charge c : charges) insert(c);
    }
    constexpr bool contains(Charge c) const noexcept { return (bits_ & bit(c)) != 0; }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    constexpr void insert(Charge c) noexcept { bits_ = static_cast<std::uint8_t>(bits_ | bit(c)); }
    friend constexpr bool operator==(Charges a, Charges b) { return a.bits_ == b.bits_; }
    friend constexpr bool operator!=(Charges a, Charges b) { return a.bits_ != b.bits_; }

  private:
    static constexpr std::uint8_t bit(Charge c) noexcept {
        return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c));
    }
    std::uint8_t bits_ = 0;
};

/// "subscription, usage"; "nothing" when empty.
CALLTRACK_API std::string to_string(Charges charges);

}  // namespace calltrack
