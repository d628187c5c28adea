// Status: the outcome of an operation that can fail in an expected way.
//
// Expected errors travel as values, never as exceptions. A Status is cheap to copy when OK
// (no allocation). `field` optionally names the input field at fault, so that the HTTP layer
// can say which field was wrong without the lower layers knowing about HTTP.
//
// The message of a Status may reach a user (after the HTTP layer maps it). Never put personal
// data, secrets or the contents of a protected field into a message.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cp {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // Bad input: names the field. HTTP 400/422.
  kNotFound,            // No such thing (or the caller may not know it exists). HTTP 404.
  kAlreadyExists,       // A unique thing already exists. HTTP 409.
  kConflict,            // The state forbids it now (e.g. active shield requests). HTTP 409.
  kUnauthenticated,     // No valid session or credentials. HTTP 401.
  kPermissionDenied,    // Authenticated, but the policy says no. HTTP 403.
  kFailedPrecondition,  // A precondition of the caller's own making is unmet. HTTP 422.
  kResourceExhausted,   // Throttled or over a limit. HTTP 429.
  kUnavailable,         // A dependency (audit, storage) cannot be written; fail closed. HTTP 503.
  kInternal,            // A bug or corrupted state. HTTP 500.
};

// Returns a stable lower-case name for `code`, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message, std::string field = {});

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::string field = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status AlreadyExists(std::string message, std::string field = {}) {
    return Status(StatusCode::kAlreadyExists, std::move(message), std::move(field));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status FailedPrecondition(std::string message, std::string field = {}) {
    return Status(StatusCode::kFailedPrecondition, std::move(message), std::move(field));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty when OK.
  const std::string& message() const;
  // The input field at fault, or empty.
  const std::string& field() const;
  // "code: message [field]" for logs and test failures.
  std::string ToString() const;

  bool operator==(const Status& other) const {
    return code() == other.code() && message() == other.message() && field() == other.field();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string field;
  };
  std::shared_ptr<const Rep> rep_;
};

}  // namespace cp

// Returns from the enclosing function if `expr` yields a non-OK Status. (__COUNTER__ keeps
// nested uses, e.g. inside a lambda passed as `expr`, from shadowing each other.)
#define CP_STATUS_CONCAT_INNER_(a, b) a##b
#define CP_STATUS_CONCAT_(a, b) CP_STATUS_CONCAT_INNER_(a, b)
#define CP_RETURN_IF_ERROR(expr) \
  CP_RETURN_IF_ERROR_IMPL_(CP_STATUS_CONCAT_(cp_status_tmp_, __COUNTER__), expr)
#define CP_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                      \
    ::cp::Status tmp = (expr);              \
    if (!tmp.ok()) return tmp;              \
  } while (false)
