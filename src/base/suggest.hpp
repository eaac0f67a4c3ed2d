#pragma once

// The one suggester behind every reader's refusal of an unknown name (commands, events, keys,
// policy keys and values, scenario actors, presets and expectations): "did you mean" for a near
// miss, otherwise the list of what was expected. Internal to the library and its tools, in the
// base layer so that every reader above it says the same thing about the same mistake.

#include "json_document.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack::detail {

/// Edits between two short names: insertions, deletions, substitutions, and swaps of two
/// neighbouring letters ("sma" is one edit from "sam").
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t k = 0; k <= b.size(); ++k) d[0][k] = k;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t k = 1; k <= b.size(); ++k) {
            const std::size_t cost = a[i - 1] == b[k - 1] ? 0U : 1U;
            d[i][k] = std::min({d[i - 1][k] + 1, d[i][k - 1] + 1, d[i - 1][k - 1] + cost});
            if (i > 1 && k > 1 && a[i - 1] == b[k - 2] && a[i - 2] == b[k - 1]) {
                d[i][k] = std::min(d[i][k], d[i - 2][k - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

/// `"a", "b", "c"`: the names a reader expected, in their order.
template <class Names>
std::string quoted_list(const Names& names) {
    std::string list;
    for (const auto& name : names) {
        if (!list.empty()) list += ", ";
        list += in_quotes(name);
    }
    return list;
}

/// "did you mean "cancel_account"?" for a near miss, otherwise "expected one of "a", "b", ..."
/// with every name. A near miss is one or two edits away, and only one for names of up to five
/// letters, where two edits turn "id" into "to". Callers put it after "; ".
template <class Names>
std::string suggest(std::string_view got, const Names& names) {
    const std::size_t near = got.size() <= 5 ? 1 : 2;
    std::string_view best;
    std::size_t best_distance = near + 1;
    for (const auto& candidate : names) {
        const std::size_t d = edit_distance(got, candidate);
        if (d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    if (best_distance <= near) return "did you mean " + in_quotes(best) + "?";
    return "expected one of " + quoted_list(names);
}

/// `unknown key "x"; did you mean "y"?` (or the keys there are): what each strict reader says
/// of the key first_unknown_key() found.
template <class Keys>
std::string unknown_key_problem(const std::string& key, const Keys& keys) {
    return "unknown key " + in_quotes(key) + "; " + suggest(key, keys);
}

}  // namespace calltrack::detail
