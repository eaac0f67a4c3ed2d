#pragma once

// What every JSON reader in calltrack shares: the spelling of field paths in diagnostics
// ("operations.cancel_account.confirmation", "reasons[2]"), the names of JSON types in "expected
// ..., got ..." messages, and the one parser (parse_document) that refuses a key appearing twice
// in one object or a number beyond a double, naming where. Internal: the public headers never see
// nlohmann.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <set>
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

/// The first key of the object `j` that is not one of `keys` (nor `also`, a discriminator read
/// apart): what every strict reader refuses, each with its own code and words.
template <class Json, class Keys>
std::optional<std::string> first_unknown_key(const Json& j, const Keys& keys,
                                             std::string_view also = {}) {
    for (const auto& item : j.items()) {
        if (!also.empty() && item.key() == also) continue;
        if (std::find(std::begin(keys), std::end(keys), item.key()) == std::end(keys)) {
            return item.key();
        }
    }
    return std::nullopt;
}
/// The first of `keys` that the object `j` lacks.
template <class Json, class Keys>
std::optional<std::string> first_missing_key(const Json& j, const Keys& keys) {
    for (const auto& k : keys) {
        if (!j.contains(k)) return std::string(k);
    }
    return std::nullopt;
}

/// "a string", "an array", ... for "expected X, got Y".
template <class Json>
std::string describe_type(const Json& j) {
    if (j.is_number_float()) {
        // nlohmann keeps a whole number beyond 64 bits as a double, so a double is not always
        // written with a fraction.
        const double v = j.template get<double>();
        if (std::trunc(v) != v) return "a fractional number";
        if (std::fabs(v) >= 9223372036854775808.0) return "a whole number beyond 64 bits";
        return "a number written with a decimal point or an exponent";
    }
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

/// One step of a path: a key of an object, or an index of an array.
struct PathPart {
    std::string key;                   ///< the key, when the parent is an object
    std::optional<std::size_t> index;  ///< the index, when the parent is an array
};

/// "a.b[2].c" for its parts.
inline std::string to_path(const std::vector<PathPart>& parts) {
    std::string p;
    for (const auto& part : parts) {
        if (part.index) {
            p += '[' + std::to_string(*part.index) + ']';
        } else {
            if (!p.empty()) p += '.';
            p += part.key;
        }
    }
    return p;
}

/// Why a text did not become a document: `field` is the path of the value at fault (empty for the
/// text as a whole), `problem` what is wrong with it.
struct ParseFailure {
    enum class Kind {
        not_json,             ///< the text breaks JSON's grammar
        number_out_of_range,  ///< a number no double can hold, such as 1e400
        duplicate_key,        ///< a key twice in one object
    };
    Kind kind;
    std::string field;
    std::vector<PathPart> parts;  ///< `field`, part by part
    std::string problem;
};

/// The one way calltrack's readers parse a JSON text into `out`: nlohmann's grammar, every number
/// within a double's range, and each key once per object. A failure is named by the path of the
/// value at fault.
///
/// nlohmann's SAX parser feeds its own DOM builder, with this class following along to know
/// where it is. Not nlohmann's callback parser: that one throws out_of_range on 1e400 (which
/// escaped every reader), and after each object it scans the enclosing array for discarded
/// values, which made a scenario of n steps cost n^2.
template <class Json>
class DocumentBuilder {
  public:
    using number_integer_t = typename Json::number_integer_t;
    using number_unsigned_t = typename Json::number_unsigned_t;
    using number_float_t = typename Json::number_float_t;
    using string_t = typename Json::string_t;
    using binary_t = typename Json::binary_t;

    explicit DocumentBuilder(Json& out) : dom_(out, false) {}

    std::optional<ParseFailure> parse(std::string_view text) {
        Json::sax_parse(text.begin(), text.end(), this);
        if (failure_) return failure_;
        if (duplicate_) return duplicate_;
        return std::nullopt;
    }

    // --- nlohmann's SAX interface ---------------------------------------------------------------
    bool null() {
        value();
        return dom_.null();
    }
    bool boolean(bool v) {
        value();
        return dom_.boolean(v);
    }
    bool number_integer(number_integer_t v) {
        value();
        return dom_.number_integer(v);
    }
    bool number_unsigned(number_unsigned_t v) {
        value();
        return dom_.number_unsigned(v);
    }
    bool number_float(number_float_t v, const string_t& text) {
        value();
        return dom_.number_float(v, text);
    }
    bool string(string_t& v) {
        value();
        return dom_.string(v);
    }
    bool binary(binary_t& v) {
        value();
        return dom_.binary(v);
    }
    bool start_object(std::size_t size) {
        frames_.push_back(Frame{true, next_part(), {}, {}, 0});
        return dom_.start_object(size);
    }
    bool key(string_t& key) {
        Frame& frame = frames_.back();
        frame.last_key = key;
        if (!frame.keys.insert(key).second && !duplicate_) {
            const auto parts = current_parts();
            duplicate_ = ParseFailure{ParseFailure::Kind::duplicate_key, to_path(parts), parts,
                                      "the key appears twice in one object; each key may appear "
                                      "once"};
        }
        return dom_.key(key);
    }
    bool end_object() {
        frames_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t size) {
        frames_.push_back(Frame{false, next_part(), {}, {}, 0});
        return dom_.start_array(size);
    }
    bool end_array() {
        frames_.pop_back();
        return dom_.end_array();
    }
    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& token, const Exception& e) {
        // 406 is nlohmann's "number overflow": grammatical JSON, but no double holds it.
        if (e.id == 406) {
            const auto parts = current_parts();
            failure_ = ParseFailure{ParseFailure::Kind::number_out_of_range, to_path(parts), parts,
                                    token
                                        + " is beyond the range of any number calltrack reads "
                                          "(a double holds at most about 1.8e308)"};
        } else {
            failure_ = ParseFailure{
                ParseFailure::Kind::not_json, "", {}, std::string(parse_error_position(e.what()))};
        }
        return false;
    }

  private:
    struct Frame {
        bool is_object;
        PathPart part;  ///< the key or index this value sits under in its parent
        std::set<std::string> keys;
        std::string last_key;
        std::size_t elements;  ///< in an array: how many values it has so far
    };

    /// A scalar takes its place in an array all the same.
    void value() { (void)next_part(); }

    /// Where the value starting now sits under the innermost object or array.
    PathPart next_part() {
        if (frames_.empty()) return {};
        Frame& parent = frames_.back();
        if (parent.is_object) return PathPart{parent.last_key, std::nullopt};
        return PathPart{{}, parent.elements++};
    }

    /// The path of the value being read now: after the parser gave up on a value, the value it
    /// gave up on.
    std::vector<PathPart> current_parts() const {
        std::vector<PathPart> parts;
        for (std::size_t i = 1; i < frames_.size(); ++i) parts.push_back(frames_[i].part);
        if (!frames_.empty()) {
            const Frame& innermost = frames_.back();
            if (innermost.is_object) {
                parts.push_back(PathPart{innermost.last_key, std::nullopt});
            } else {
                parts.push_back(PathPart{{}, innermost.elements});
            }
        }
        return parts;
    }

    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::vector<Frame> frames_;
    std::optional<ParseFailure> failure_;
    std::optional<ParseFailure> duplicate_;
};

template <class Json>
std::optional<ParseFailure> parse_document(std::string_view text, Json& out) {
    DocumentBuilder<Json> builder(out);
    return builder.parse(text);
}

}  // namespace calltrack::detail
