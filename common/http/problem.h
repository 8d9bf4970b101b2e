#pragma once
// The one place errors become HTTP: RFC 9457 problem+json bodies.

#include <string>

#include "common/errors.h"
#include "common/http/message.h"

namespace bookstore::http {

// {"type":"about:blank","title":<reason>,"status":N,"detail":msg[,"errors":[...]]}
// with Content-Type application/problem+json.
Response ProblemResponse(const Error& error);
Response ProblemResponse(int status, std::string detail);

// Standard reason phrase ("Not Found"); "Unknown" for unlisted codes.
std::string_view ReasonPhrase(int status);

}  // namespace bookstore::http
