// policy_from_json(): a document, and the chain of documents its "extends" names, merged into one
// whole document that the reader (policy_reader.cpp) reads and validate() checks. Apart from the
// reader because the chain is about documents (finding them, cycles, which one gave a field) and
// the reader about one document's fields.

#include <calltrack/policy.hpp>

#include "policy_document.hpp"
#include "policy_json.hpp"

#include <calltrack/detail/json_document.hpp>
#include <calltrack/detail/suggest.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calltrack {

using detail::describe_type;
using detail::in_quotes;
using detail::PathPart;

namespace {

using policy_detail::Json;

constexpr const char* extends_key = "extends";

/// A resolver that makes new names for the same file (a/../a/x.json) would never repeat one; a
/// chain this long is refused instead of followed for ever.
constexpr std::size_t deepest_chain = 16;

const std::vector<std::string> preset_names = {"callrail", "ctm", "smrtphone"};

/// One document of a chain: the one given first, then what each extends.
struct Layer {
    std::string name;
    Json document;
};

/// Notes which document a refusal is about, and passes the refusal on.
result<void> in_document(result<void> refusal, PolicyDiagnostic* diagnostic,
                         const std::string& name) {
    if (!refusal && diagnostic != nullptr) diagnostic->document = name;
    return refusal;
}

result<void> refuse_in(PolicyDiagnostic* diagnostic, const Layer& layer, errc code,
                       std::string field, std::string problem) {
    return in_document(
        policy_detail::refuse(diagnostic, code, std::move(field), std::move(problem)), diagnostic,
        layer.name);
}

/// "a.json -> b.json -> a.json", naming the nameless document given first as such.
std::string describe_chain(const std::vector<Layer>& chain, const std::string& last) {
    std::string text;
    for (const auto& layer : chain) {
        text += layer.name.empty() ? "(the document given)" : layer.name;
        text += " -> ";
    }
    return text + last;
}

result<void> parse_layer(std::string_view text, Layer& out, PolicyDiagnostic* diagnostic) {
    if (auto parsed = policy_detail::parse_policy_text(text, out.document, diagnostic); !parsed) {
        return in_document(parsed, diagnostic, out.name);
    }
    if (!out.document.is_object()) {
        // A base that is not an object would be replaced whole by its overlay, hiding the mistake.
        return refuse_in(diagnostic, out, errc::policy_invalid_value, "",
                         "expected an object, got " + describe_type(out.document));
    }
    return boost::outcome_v2::success();
}

/// The document that `overlay`'s "extends" names, which `overlay` no longer holds after.
result<Layer> base_of(Layer& overlay, const std::vector<Layer>& chain,
                      const PolicyResolver& resolve, PolicyDiagnostic* diagnostic) {
    const Json& extends = overlay.document[extends_key];
    if (!extends.is_string() || extends.get_ref<const std::string&>().empty()) {
        return refuse_in(diagnostic, overlay, errc::policy_invalid_value, extends_key,
                         "expected the name of a preset (" + detail::quoted_list(preset_names)
                             + ") or of a policy file, got "
                             + (extends.is_string() ? "an empty string" : describe_type(extends)))
            .error();
    }
    const std::string target = extends.get<std::string>();
    if (!overlay.document.contains("name")) {
        // Inheriting the base's name would make a changed policy pass for the preset, in the
        // expectations a scenario gives per policy name and in what `run` records.
        return refuse_in(diagnostic, overlay, errc::policy_invalid_value, "name",
                         "missing key \"name\"; an overlay names the policy it makes, which is not "
                         "the policy it extends")
            .error();
    }
    if (chain.size() >= deepest_chain) {
        return refuse_in(diagnostic, overlay, errc::policy_invalid_value, extends_key,
                         "more than " + std::to_string(deepest_chain)
                             + " documents extend one another: " + describe_chain(chain, target))
            .error();
    }
    Layer base;
    if (auto preset = policies::by_name(target)) {
        base.name = target;
        // policy_to_json's text always parses; the round-trip tests hold it to that.
        (void)policy_detail::parse_policy_text(policy_to_json(preset.value()), base.document,
                                               nullptr);
    } else if (!resolve) {
        return refuse_in(diagnostic, overlay, errc::policy_invalid_value, extends_key,
                         "unknown preset " + in_quotes(target) + "; "
                             + detail::suggest(target, preset_names)
                             + "; here \"extends\" names a preset, not a file")
            .error();
    } else {
        auto found = resolve(target, overlay.name);
        if (!found) {
            std::string problem =
                "cannot read " + in_quotes(target) + ": " + found.error().message();
            // "cmt" is more likely a misspelt preset than a file that went missing.
            if (const auto near = detail::suggest(target, preset_names);
                near.rfind("did", 0) == 0) {
                problem += "; nor is it a preset: " + near;
            }
            return refuse_in(diagnostic, overlay, errc::policy_invalid_value, extends_key,
                             std::move(problem))
                .error();
        }
        base.name = std::move(found.value().name);
        for (const auto& layer : chain) {
            if (!base.name.empty() && layer.name == base.name) {
                return refuse_in(diagnostic, overlay, errc::policy_invalid_value, extends_key,
                                 "the documents extend one another in a cycle: "
                                     + describe_chain(chain, base.name))
                    .error();
            }
        }
        if (auto parsed = parse_layer(found.value().text, base, diagnostic); !parsed) {
            return parsed.error();
        }
    }
    overlay.document.erase(extends_key);
    return base;
}

/// Objects merge key by key; anything else in the overlay (an array, a scalar, null, or an
/// object over a non-object) replaces the base's value whole. Not RFC 7386's merge patch, where
/// null deletes: null is a value here ("typed_phrase": null). A window is one value too: local
/// days over exact days replace them, never join them in one object.
void merge(Json& base, const Json& overlay) {
    const bool is_window = overlay.is_object() && overlay.size() == 1
                           && (overlay.contains("days") || overlay.contains("local_days"));
    if (!base.is_object() || !overlay.is_object() || is_window) {
        base = overlay;
        return;
    }
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        auto found = base.find(it.key());
        if (found == base.end()) {
            base[it.key()] = it.value();
        } else {
            merge(*found, it.value());
        }
    }
}

/// "a.b[2].c" back into its parts. A key that holds a dot or a bracket splits wrongly, which only
/// picks a less exact document to name.
std::vector<PathPart> parts_of(const std::string& path) {
    std::vector<PathPart> parts;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            std::size_t index = 0;
            std::size_t k = i + 1;
            for (; k < path.size() && path[k] >= '0' && path[k] <= '9'; ++k) {
                index = index * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            if (k == i + 1 || k == path.size() || path[k] != ']') break;
            parts.push_back({{}, index});
            i = k + 1;
        } else {
            if (path[i] == '.') ++i;
            const auto end = path.find_first_of(".[", i);
            parts.push_back({path.substr(i, end == std::string::npos ? end : end - i), {}});
            i = end == std::string::npos ? path.size() : end;
        }
    }
    return parts;
}

/// How many leading parts of `parts` lead to a value in `j`.
std::size_t depth_held(const Json& j, const std::vector<PathPart>& parts) {
    const Json* at = &j;
    std::size_t depth = 0;
    for (const auto& part : parts) {
        if (part.index) {
            if (!at->is_array() || *part.index >= at->size()) break;
            at = &(*at)[*part.index];
        } else {
            if (!at->is_object()) break;
            const auto found = at->find(part.key);
            if (found == at->end()) break;
            at = &*found;
        }
        ++depth;
    }
    return depth;
}

/// The document that gave the value at `field` in the merged one: the first in the chain that
/// holds the longest part of its path. A missing key is so named after the object that lacks it.
const std::string& giver_of(const std::vector<Layer>& chain, const std::string& field) {
    const auto parts = parts_of(field);
    const Layer* giver = &chain.front();
    std::size_t deepest = depth_held(giver->document, parts);
    for (const auto& layer : chain) {
        const std::size_t depth = depth_held(layer.document, parts);
        if (depth > deepest) {
            giver = &layer;
            deepest = depth;
        }
    }
    return giver->name;
}

}  // namespace

result<Policy> policy_from_json(std::string_view json, PolicyDiagnostic* diagnostic) {
    return policy_from_json(PolicyDocument{{}, std::string(json)}, PolicyResolver{}, diagnostic);
}

result<Policy> policy_from_json(const PolicyDocument& document, const PolicyResolver& resolve,
                                PolicyDiagnostic* diagnostic) {
    std::vector<Layer> chain(1);
    chain.front().name = document.name;
    if (auto parsed =
            policy_detail::parse_policy_text(document.text, chain.front().document, diagnostic);
        !parsed) {
        return in_document(parsed, diagnostic, document.name).error();
    }
    while (chain.back().document.is_object() && chain.back().document.contains(extends_key)) {
        auto base = base_of(chain.back(), chain, resolve, diagnostic);
        if (!base) return base.error();
        chain.push_back(std::move(base).value());
    }
    Json merged = chain.back().document;
    for (std::size_t i = chain.size() - 1; i-- > 0;) merge(merged, chain[i].document);

    Policy policy;
    auto checked = policy_detail::read_policy(merged, policy, diagnostic);
    if (checked) checked = validate(policy, diagnostic);
    if (!checked) {
        if (diagnostic != nullptr) diagnostic->document = giver_of(chain, diagnostic->field);
        return checked.error();
    }
    return policy;
}

}  // namespace calltrack
