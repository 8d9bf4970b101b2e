#pragma once
// The one error type of the system. Services return it (inside Result<T>);
// common/http/problem.h maps it to an HTTP status and RFC 9457 body in exactly
// one place. `message` is a human sentence safe to show to a client: never DB
// text, what(), paths, hashes or tokens.

#include <string>
#include <utility>
#include <vector>

namespace bookstore {

enum class Errc {
  kInvalidArgument,  // 400: malformed or invalid input (fields name the bad ones)
  kUnauthenticated,  // 401
  kForbidden,        // 403
  kNotFound,         // 404
  kConflict,         // 409: uniqueness, state machine, referenced rows
  kUnprocessable,    // 422: e.g. idempotency key reused with another body
  kTooManyRequests,  // 429
  kUnavailable,      // 503: dependency (DB, JWKS) not available
  kInternal,         // 500: a bug; message is generic
};

struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
  std::vector<FieldError> fields;  // non-empty only for validation failures
  // A protocol's own typed code riding along (auth::OAuthCode), 0 for none.
  // Only that protocol's renderer reads it; HttpStatus follows `code`.
  int detail = 0;

  static Error InvalidArgument(std::string msg, std::vector<FieldError> fields = {}) {
    return {Errc::kInvalidArgument, std::move(msg), std::move(fields)};
  }
  static Error Unauthenticated(std::string msg) {
    return {Errc::kUnauthenticated, std::move(msg), {}};
  }
  static Error Forbidden(std::string msg) { return {Errc::kForbidden, std::move(msg), {}}; }
  static Error NotFound(std::string msg) { return {Errc::kNotFound, std::move(msg), {}}; }
  static Error Conflict(std::string msg) { return {Errc::kConflict, std::move(msg), {}}; }
  static Error Unprocessable(std::string msg) { return {Errc::kUnprocessable, std::move(msg), {}}; }
  static Error TooManyRequests(std::string msg) {
    return {Errc::kTooManyRequests, std::move(msg), {}};
  }
  static Error Unavailable(std::string msg) { return {Errc::kUnavailable, std::move(msg), {}}; }
  static Error Internal() { return {Errc::kInternal, "internal error", {}}; }
};

// HTTP status for an error code (the single mapping table).
int HttpStatus(Errc code);

}  // namespace bookstore
