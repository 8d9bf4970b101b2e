#include "common/http/router.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace bookstore::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" is {""} and "/a/" is {"a", ""}, so a
// trailing slash is a different path. Returns false when `path` is not
// absolute.
bool SplitPath(std::string_view path, std::vector<std::string_view>* segments) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    segments->push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

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

  // Collects, in priority order, nodes with endpoints matching `segments`;
  // `values` holds the decoded param values of the current branch.
  void Collect(const Node& node, const std::vector<std::string>& segments, size_t index,
               std::vector<std::string>* values,
               std::vector<std::pair<const Node*, std::vector<std::string>>>* found) const {
    if (index == segments.size()) {
      if (!node.methods.empty()) found->emplace_back(&node, *values);
      return;
    }
    auto literal = node.literals.find(segments[index]);
    if (literal != node.literals.end()) {
      Collect(*literal->second, segments, index + 1, values, found);
    }
    if (node.param && !segments[index].empty()) {
      values->push_back(segments[index]);
      Collect(*node.param, segments, index + 1, values, found);
      values->pop_back();
    }
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
  endpoint->route = Route{std::string(method), std::string(pattern),
                          Compose(options.middleware, std::move(handler)), options.blocking};
  endpoint->param_names = std::move(names);
  impl_->order.push_back(&endpoint->route);
  node->methods.emplace(std::string(method), std::move(endpoint));
  return *this;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  match.status = 404;
  std::vector<std::string_view> raw;
  if (!SplitPath(path, &raw)) return match;
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (std::string_view segment : raw) {
    auto decoded = PercentDecode(segment, /*plus_is_space=*/false);
    if (!decoded) return match;  // a malformed escape names no resource
    segments.push_back(std::move(*decoded));
  }

  std::vector<std::string> values;
  std::vector<std::pair<const Impl::Node*, std::vector<std::string>>> found;
  impl_->Collect(impl_->root, segments, 0, &values, &found);
  if (found.empty()) return match;

  for (auto& [node, params] : found) {
    auto it = node->methods.find(method);
    if (it == node->methods.end()) continue;
    const Impl::Endpoint& endpoint = *it->second;
    match.route = &endpoint.route;
    match.status = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      match.params.emplace_back(endpoint.param_names[i], std::move(params[i]));
    }
    return match;
  }

  std::set<std::string_view> allowed;
  for (const auto& [node, params] : found) {
    for (const auto& [name, endpoint] : node->methods) allowed.insert(name);
  }
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
