#pragma once

// A value type's members, listed once, beside them. CALLTRACK_FIELDS(T, a, b, c) inside struct T
// gives T::fields(), each member's name and pointer in declaration order, and the == and != that
// compare member by member. The canonical JSON (json.hpp) writes and reads the same lists, so a
// member is compared, written and read as soon as it is listed; a list that leaves one out fails
// the build (tests/fields_test.cpp builds every listed struct from its list).

#include <string_view>
#include <tuple>

namespace calltrack {

/// One member of T: its name (the JSON key) and where it is.
template <class T, class M>
struct Field {
    using member_type = M;
    std::string_view name;
    M T::*member;
};

namespace detail {

template <class T, class M>
constexpr Field<T, M> field(std::string_view name, M T::*member) noexcept {
    return {name, member};
}

template <class T>
bool fields_equal(const T& a, const T& b) {
    return std::apply([&](const auto&... f) { return ((a.*(f.member) == b.*(f.member)) && ...); },
                      T::fields());
}

}  // namespace detail
}  // namespace calltrack

// The preprocessor applies F to each of up to 24 members, which is more than any struct here has.
#define CALLTRACK_DETAIL_CAT_(a, b) a##b
#define CALLTRACK_DETAIL_CAT(a, b) CALLTRACK_DETAIL_CAT_(a, b)
#define CALLTRACK_DETAIL_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, \
                                _16, _17, _18, _19, _20, _21, _22, _23, _24, N, ...)              \
    N
#define CALLTRACK_DETAIL_COUNT(...)                                                              \
    CALLTRACK_DETAIL_COUNT_(__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, \
                            10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define CALLTRACK_DETAIL_MAP_1(F, x) F(x)
#define CALLTRACK_DETAIL_MAP_2(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_1(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_3(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_2(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_4(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_3(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_5(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_4(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_6(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_5(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_7(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_6(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_8(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_7(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_9(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_8(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_10(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_9(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_11(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_10(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_12(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_11(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_13(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_12(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_14(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_13(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_15(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_14(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_16(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_15(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_17(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_16(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_18(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_17(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_19(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_18(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_20(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_19(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_21(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_20(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_22(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_21(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_23(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_22(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP_24(F, x, ...) F(x), CALLTRACK_DETAIL_MAP_23(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_MAP(F, ...) \
    CALLTRACK_DETAIL_CAT(CALLTRACK_DETAIL_MAP_, CALLTRACK_DETAIL_COUNT(__VA_ARGS__))(F, __VA_ARGS__)
#define CALLTRACK_DETAIL_FIELD(m) ::calltrack::detail::field(#m, &Self_::m)

/// Inside struct T, after its members: T's members in declaration order, and == / != by them.
/// The operators are [[maybe_unused]] because clang warns about an unused hidden friend of a
/// struct in an anonymous namespace, where a host's own records may well live; their parameters
/// are named so that no member (a difference's `a` and `b`) is shadowed under clang's -Wshadow.
#define CALLTRACK_FIELDS(T, ...)                                                           \
    static constexpr auto fields() noexcept {                                              \
        using Self_ = T;                                                                   \
        return std::make_tuple(CALLTRACK_DETAIL_MAP(CALLTRACK_DETAIL_FIELD, __VA_ARGS__)); \
    }                                                                                      \
    [[maybe_unused]] friend bool operator==(const T& lhs_, const T& rhs_) {                \
        return ::calltrack::detail::fields_equal(lhs_, rhs_);                              \
    }                                                                                      \
    [[maybe_unused]] friend bool operator!=(const T& lhs_, const T& rhs_) {                \
        return !(lhs_ == rhs_);                                                            \
    }
