#include "common/http/problem.h"

#include <boost/json.hpp>

namespace bookstore::http {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

Response ProblemResponse(const Error& error) {
  int status = HttpStatus(error.code);
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(status);
  body["status"] = status;
  body["detail"] = error.code == Errc::kInternal ? "internal error" : error.message;
  if (!error.fields.empty()) {
    boost::json::array errors;
    for (const FieldError& field : error.fields) {
      errors.push_back(boost::json::object{{"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(errors);
  }
  return Response::Text(status, boost::json::serialize(body), "application/problem+json");
}

Response ProblemResponse(int status, std::string detail) {
  boost::json::object body;
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(status);
  body["status"] = status;
  body["detail"] = std::move(detail);
  return Response::Text(status, boost::json::serialize(body), "application/problem+json");
}

}  // namespace bookstore::http
