#include "tests/support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <stdexcept>

#include "common/http/message.h"

namespace bookstore::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return "";
}

std::vector<std::string> HttpResponse::Headers(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) values.push_back(value);
  }
  return values;
}

struct HttpClient::Impl {
  uint16_t port;
  std::string host;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  bool cookies_on = false;
  std::map<std::string, std::string> cookies;
  Observer observer;

  // Runs the queued async operations to completion.
  void RunAll() {
    ioc.restart();
    ioc.run();
  }

  void Connect() {
    stream.emplace(ioc);
    buffer.clear();
    stream->expires_after(kTimeout);
    boost::system::error_code ec;
    stream->async_connect(tcp::endpoint(asio::ip::make_address(host), port),
                          [&](boost::system::error_code e) { ec = e; });
    RunAll();
    if (ec) throw std::runtime_error("HttpClient: cannot connect: " + ec.message());
  }

  // One exchange on the current connection; false when the connection turned
  // out to be closed before any response byte arrived.
  bool TryExchange(bhttp::request<bhttp::string_body>& request, HttpResponse& out) {
    boost::system::error_code ec;
    stream->expires_after(kTimeout);
    bhttp::async_write(*stream, request, [&](boost::system::error_code e, size_t) { ec = e; });
    RunAll();
    // A write error may still leave an early answer (413, 431) to read.
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.header_limit(64 * 1024);
    boost::system::error_code read_ec;
    stream->expires_after(kTimeout);
    bhttp::async_read(*stream, buffer, parser,
                      [&](boost::system::error_code e, size_t) { read_ec = e; });
    RunAll();
    if (read_ec) {
      stream.reset();
      if (read_ec == bhttp::error::end_of_stream || read_ec == asio::error::connection_reset ||
          read_ec == asio::error::eof) {
        return false;
      }
      throw std::runtime_error("HttpClient: cannot read response: " + read_ec.message());
    }
    auto& response = parser.get();
    out.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(response.body());
    if (!response.keep_alive()) stream.reset();
    return true;
  }

  void KeepCookies(const HttpResponse& response) {
    for (const std::string& line : response.Headers("Set-Cookie")) {
      std::string pair = line.substr(0, line.find(';'));
      size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      std::string name = pair.substr(0, eq);
      std::string value = pair.substr(eq + 1);
      bool expired = line.find("Max-Age=0") != std::string::npos ||
                     line.find("max-age=0") != std::string::npos;
      if (expired || value.empty()) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
  }
};

HttpClient::HttpClient(uint16_t port, std::string host) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->host = std::move(host);
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Send(const std::string& method, const std::string& target,
                              const std::string& body, const HeaderList& headers) {
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
  bool has_cookie = false;
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
    has_cookie = has_cookie || beast::iequals(name, "Cookie");
  }
  if (impl_->cookies_on && !has_cookie && !impl_->cookies.empty()) {
    std::string line;
    for (const auto& [name, value] : impl_->cookies) {
      if (!line.empty()) line += "; ";
      line += name + "=" + value;
    }
    request.set(bhttp::field::cookie, line);
  }
  request.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request.prepare_payload();
  }

  HttpResponse response;
  bool reused = impl_->stream.has_value();
  if (!reused) impl_->Connect();
  if (!impl_->TryExchange(request, response)) {
    if (!reused) throw std::runtime_error("HttpClient: connection closed without a response");
    impl_->Connect();  // the server closed the idle connection: retry once
    if (!impl_->TryExchange(request, response)) {
      throw std::runtime_error("HttpClient: connection closed without a response");
    }
  }
  if (impl_->cookies_on) impl_->KeepCookies(response);
  if (impl_->observer) impl_->observer(method, target, response);
  return response;
}

void HttpClient::SetObserver(Observer observer) { impl_->observer = std::move(observer); }

HttpResponse HttpClient::Get(const std::string& target, const HeaderList& headers) {
  return Send("GET", target, "", headers);
}

HttpResponse HttpClient::Delete(const std::string& target, const HeaderList& headers) {
  return Send("DELETE", target, "", headers);
}

namespace {
HeaderList WithContentType(const HeaderList& headers, const std::string& type) {
  HeaderList all = headers;
  for (const auto& [name, value] : headers) {
    if (beast::iequals(name, "Content-Type")) return all;
  }
  all.emplace_back("Content-Type", type);
  return all;
}
}  // namespace

HttpResponse HttpClient::PostJson(const std::string& target, const std::string& json,
                                  const HeaderList& headers) {
  return Send("POST", target, json, WithContentType(headers, "application/json"));
}

HttpResponse HttpClient::PutJson(const std::string& target, const std::string& json,
                                 const HeaderList& headers) {
  return Send("PUT", target, json, WithContentType(headers, "application/json"));
}

HttpResponse HttpClient::PostForm(const std::string& target, const std::string& form,
                                  const HeaderList& headers) {
  return Send("POST", target, form, WithContentType(headers, "application/x-www-form-urlencoded"));
}

void HttpClient::EnableCookies(bool on) { impl_->cookies_on = on; }

std::string HttpClient::Cookie(const std::string& name) const {
  auto it = impl_->cookies.find(name);
  return it == impl_->cookies.end() ? "" : it->second;
}

void HttpClient::ClearCookies() { impl_->cookies.clear(); }

std::string FormEncode(const HeaderList& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += http::PercentEncode(name) + "=" + http::PercentEncode(value);
  }
  return out;
}

}  // namespace bookstore::test
