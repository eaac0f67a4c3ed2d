#pragma once

// What every part of the codec shares: the document type, the tag that picks an overload for a
// type, and json_document.hpp's spelling of field paths and JSON types. The codec is split by
// what each part does (names, field lists, writing, reading, entry points); this is the ground
// they all stand on, so none of them has to include another only for it.

#include <calltrack/json.hpp>

#include <calltrack/detail/json_document.hpp>

#include <nlohmann/json.hpp>

namespace calltrack::codec_detail {

using Json = nlohmann::ordered_json;
using detail::describe_type;
using detail::in_quotes;
using detail::indexed;
using detail::join;

template <class T>
struct Tag {};

}  // namespace calltrack::codec_detail
