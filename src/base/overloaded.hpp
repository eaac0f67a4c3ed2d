#pragma once

// The visitor that std::visit takes as a set of lambdas, one per alternative. It is in the base
// layer, internal, because every layer above visits variants (commands, events, scopes) and each
// copy of these few lines was one more to keep alike; C++17 needs the deduction guide spelled out.

namespace calltrack::detail {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace calltrack::detail
