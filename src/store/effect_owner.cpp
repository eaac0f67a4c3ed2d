#include <calltrack/store.hpp>

#include <string>

namespace calltrack {

// The account first: an effect on one of an agency's sub-accounts is that account's, and is
// ordered with the account's other effects.
std::string effect_owner(const HostEffect& effect) {
    if (effect.account) return deadline_subject(*effect.account);
    if (effect.agency) return deadline_subject(*effect.agency);
    return std::string();
}

}  // namespace calltrack
