#include "common/errors.h"

namespace bookstore {

int HttpStatus(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument: return 400;
    case Errc::kUnauthenticated: return 401;
    case Errc::kForbidden: return 403;
    case Errc::kNotFound: return 404;
    case Errc::kConflict: return 409;
    case Errc::kUnprocessable: return 422;
    case Errc::kTooManyRequests: return 429;
    case Errc::kUnavailable: return 503;
    case Errc::kInternal: return 500;
  }
  return 500;
}

}  // namespace bookstore
