#include <calltrack/operation.hpp>

#include <calltrack/detail/model_names.hpp>

namespace calltrack {

std::string_view to_string(Operation op) noexcept {
    return detail::name_of(detail::operation_names, op);
}

result<Operation> parse_operation(std::string_view text) {
    if (const auto op = detail::value_named(detail::operation_names, text)) return *op;
    return errc::invalid_operation;
}

}  // namespace calltrack
