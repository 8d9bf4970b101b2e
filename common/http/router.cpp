#include "common/http/router.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <map>
#include <set>
#include <stdexcept>

namespace bookstore::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" is {""} and "/a/" is {"a", ""}, so a
// trailing slash is a different path. Returns false when `path` is not
// absolute.
template <typename Segments>
bool SplitPath(std::string_view path, Segments* segments) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    segments->push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

// Decoded path segments and the values of the parameters on the branch
// being walked; inline for typical paths, so matching does not allocate.
using Segments = boost::container::small_vector<std::string_view, 8>;
using Values = boost::container::small_vector<std::string_view, 4>;

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

struct Router::Impl {
  struct Endpoint {
    Route route;
    std::vector<std::string> param_names;  // in path order
  };
  // One node per pattern prefix; literal children win over the param child.
  struct Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
    std::unique_ptr<Node> param;
    std::map<std::string, std::unique_ptr<Endpoint>, std::less<>> methods;
  };

  Node root;
  std::vector<const Route*> order;

  // Calls visit(node, values) for each node with endpoints that matches
  // `segments`, in priority order (literal before parameter, depth first),
  // until it returns true; returns whether one did. `values` holds the
  // parameter values of the current branch.
  template <typename Visit>
  static bool Walk(const Node& node, const Segments& segments, size_t index, Values& values,
                   Visit& visit) {
    if (index == segments.size()) return !node.methods.empty() && visit(node, values);
    auto literal = node.literals.find(segments[index]);
    if (literal != node.literals.end() &&
        Walk(*literal->second, segments, index + 1, values, visit)) {
      return true;
    }
    if (node.param && !segments[index].empty()) {
      values.push_back(segments[index]);
      bool done = Walk(*node.param, segments, index + 1, values, visit);
      values.pop_back();
      return done;
    }
    return false;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Router& Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                    RouteOptions options) {
  std::vector<std::string_view> segments;
  if (!SplitPath(pattern, &segments)) {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  Impl::Node* node = &impl_->root;
  std::vector<std::string> names;
  for (std::string_view segment : segments) {
    if (IsParam(segment)) {
      names.emplace_back(segment.substr(1, segment.size() - 2));
      if (!node->param) node->param = std::make_unique<Impl::Node>();
      node = node->param.get();
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("a parameter must be a whole segment: " + std::string(pattern));
      }
      auto& child = node->literals[std::string(segment)];
      if (!child) child = std::make_unique<Impl::Node>();
      node = child.get();
    }
  }
  if (node->methods.contains(method)) {
    throw std::invalid_argument("route registered twice: " + std::string(method) + " " +
                                std::string(pattern));
  }
  auto endpoint = std::make_unique<Impl::Endpoint>();
  endpoint->route =
      Route{std::string(method), std::string(pattern),
            Compose(options.middleware, std::move(handler)), options.blocking, options.body_limit};
  endpoint->param_names = std::move(names);
  impl_->order.push_back(&endpoint->route);
  node->methods.emplace(std::string(method), std::move(endpoint));
  return *this;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  match.status = 404;
  Segments segments;
  if (!SplitPath(path, &segments)) return match;
  std::vector<std::string> decoded;  // storage for segments with %-escapes
  for (std::string_view& segment : segments) {
    if (segment.find('%') == std::string_view::npos) continue;
    auto value = PercentDecode(segment, /*plus_is_space=*/false);
    if (!value) return match;                               // a malformed escape names no resource
    if (decoded.empty()) decoded.reserve(segments.size());  // no reallocation below
    segment = decoded.emplace_back(std::move(*value));
  }

  Values values;
  auto take_method = [&](const Impl::Node& node, const Values& params) {
    auto it = node.methods.find(method);
    // RFC 9110 §9.3.2: HEAD is answered on every GET route (the server sends
    // the GET answer's head only).
    if (it == node.methods.end() && method == "HEAD") it = node.methods.find("GET");
    if (it == node.methods.end()) return false;
    const Impl::Endpoint& endpoint = *it->second;
    match.route = &endpoint.route;
    match.status = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      match.params.emplace_back(endpoint.param_names[i], params[i]);
    }
    return true;
  };
  if (Impl::Walk(impl_->root, segments, 0, values, take_method)) return match;

  std::set<std::string_view> allowed;
  auto collect = [&](const Impl::Node& node, const Values&) {
    for (const auto& [name, endpoint] : node.methods) {
      allowed.insert(name);
      if (name == "GET") allowed.insert("HEAD");
    }
    return false;
  };
  Impl::Walk(impl_->root, segments, 0, values, collect);
  if (allowed.empty()) return match;
  match.status = 405;
  for (std::string_view name : allowed) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += name;
  }
  return match;
}

std::vector<const Route*> Router::routes() const { return impl_->order; }

Handler Compose(const std::vector<Middleware>& middleware, Handler handler) {
  for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
    handler = [outer = *it, next = std::move(handler)](Request& request) {
      return outer(request, next);
    };
  }
  return handler;
}

}  // namespace bookstore::http
