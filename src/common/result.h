#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "common/status.h"

namespace tessera {

// A value of type `T`, or the `Status` that explains why there is none.
//
//   Result<Revision> r = catalog.Apply(batch, options);
//   if (!r.ok()) return r.status();
//   Use(*r);
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Status status) : value_(std::move(status)) {  // NOLINT: implicit by design
        assert(!std::get<Status>(value_).ok() && "Result needs a value or an error");
    }

    bool ok() const { return std::holds_alternative<T>(value_); }
    Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }

    T& value() & { return std::get<T>(value_); }
    const T& value() const& { return std::get<T>(value_); }
    T&& value() && { return std::get<T>(std::move(value_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Status> value_;
};

}  // namespace tessera

#define TESSERA_CONCAT_INNER(a, b) a##b
#define TESSERA_CONCAT(a, b) TESSERA_CONCAT_INNER(a, b)
#define TESSERA_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                                \
    if (!tmp.ok()) return tmp.status();               \
    lhs = std::move(tmp).value()
#define TESSERA_ASSIGN_OR_RETURN(lhs, expr) \
    TESSERA_ASSIGN_OR_RETURN_IMPL(TESSERA_CONCAT(_tessera_r_, __LINE__), lhs, expr)
