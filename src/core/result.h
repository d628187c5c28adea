// Result<T>: either a value of type T or a non-OK Status.
//
// Accessing value() of a failed Result is a programming error and aborts; check ok() first or
// use CP_ASSIGN_OR_RETURN.
#pragma once

#include <cstdlib>
#include <optional>
#include <utility>

#include "core/status.h"

namespace cp {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or from a (non-OK) Status, so functions can `return value;` or
  // `return Status::NotFound(...)`.
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status without value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    Check();
    return *value_;
  }
  const T& value() const& {
    Check();
    return *value_;
  }
  T&& value() && {
    Check();
    return std::move(*value_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (!value_.has_value()) std::abort();
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace cp

#define CP_CONCAT_INNER_(a, b) a##b
#define CP_CONCAT_(a, b) CP_CONCAT_INNER_(a, b)

// CP_ASSIGN_OR_RETURN(auto x, Expr()); declares x from a Result, or returns its Status.
#define CP_ASSIGN_OR_RETURN(lhs, expr) \
  CP_ASSIGN_OR_RETURN_IMPL_(CP_CONCAT_(cp_result_, __COUNTER__), lhs, expr)
#define CP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
