#pragma once

// What every JSON reader in calltrack shares: the spelling of field paths in diagnostics
// ("operations.cancel_account.confirmation", "reasons[2]"), the names of JSON types in "expected
// ..., got ..." messages, and the refusal of a key that appears twice in one object. Internal: the
// public headers never see nlohmann.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calltrack::detail {

/// `path.key`, or `key` at the top level.
inline std::string join(const std::string& path, std::string_view key) {
    std::string joined = path;
    if (!joined.empty()) joined += '.';
    joined += key;
    return joined;
}

/// `path[index]`.
inline std::string indexed(const std::string& path, std::size_t index) {
    return path + '[' + std::to_string(index) + ']';
}

/// `"text"`, for quoting a value or key in a diagnostic.
inline std::string in_quotes(std::string_view text) {
    std::string q = "\"";
    q += text;
    q += '"';
    return q;
}

/// "a string", "an array", ... for "expected X, got Y".
template <class Json>
std::string describe_type(const Json& j) {
    if (j.is_number_float()) return "a fractional number";
    if (j.is_number()) return "a number";
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_string()) return "a string";
    if (j.is_array()) return "an array";
    return "an object";
}

/// nlohmann's parse error without its exception prefix: "parse error at line 1, column 2: ...".
inline std::string_view parse_error_position(std::string_view what) {
    // what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
    const auto prefix_end = what.find("] ");
    return prefix_end == std::string_view::npos ? what : what.substr(prefix_end + 2);
}

/// Refuses a key that appears twice in one object: nlohmann would silently keep one of them.
/// Pass it (by std::ref) as the parser callback; `duplicate()` then names the first repeated key,
/// as a path such as "operations.cancel_account.click" or "[1].role".
class DuplicateKeyFinder {
  public:
    template <class Json>
    bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, Json& parsed) {
        using event_t = nlohmann::json::parse_event_t;
        switch (event) {
            case event_t::object_start:
                frames_.push_back(Frame{true, next_name(), {}, {}, 0});
                break;
            case event_t::array_start:
                frames_.push_back(Frame{false, next_name(), {}, {}, 0});
                break;
            case event_t::object_end:
            case event_t::array_end:
                if (!frames_.empty()) frames_.pop_back();
                break;
            case event_t::key: {
                if (frames_.empty() || !parsed.is_string()) break;
                Frame& frame = frames_.back();
                const auto& key = parsed.template get_ref<const std::string&>();
                if (!duplicate_
                    && std::find(frame.keys.begin(), frame.keys.end(), key) != frame.keys.end()) {
                    duplicate_ = path() + (frames_.size() > 1 ? "." : "") + key;
                }
                frame.keys.push_back(key);
                frame.last_key = key;
                break;
            }
            case event_t::value:
                // A scalar: it takes its place in an array all the same.
                (void)next_name();
                break;
        }
        return true;
    }

    const std::optional<std::string>& duplicate() const noexcept { return duplicate_; }

  private:
    struct Frame {
        bool is_object;
        std::string name;  ///< the key or "[index]" this value sits under in its parent
        std::vector<std::string> keys;
        std::string last_key;
        std::size_t elements;  ///< in an array: how many values it has so far
    };

    /// The name of the value starting now, under the innermost object or array.
    std::string next_name() {
        if (frames_.empty()) return {};
        Frame& parent = frames_.back();
        if (parent.is_object) return parent.last_key;
        return '[' + std::to_string(parent.elements++) + ']';
    }

    std::string path() const {
        std::string p;
        for (std::size_t i = 1; i < frames_.size(); ++i) {
            if (!p.empty() && frames_[i].name.rfind('[', 0) != 0) p += '.';
            p += frames_[i].name;
        }
        return p;
    }

    std::vector<Frame> frames_;
    std::optional<std::string> duplicate_;
};

}  // namespace calltrack::detail
