#include "tests/support/openapi_validator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <stdexcept>

#include "common/passwords.h"

namespace bookstore::test {
namespace {

namespace json = boost::json;

// "/books/{id}" matches "/books/12"; no query in `path`.
bool PathMatches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/'), se = path.find('/');
    const std::string_view ps = pattern.substr(0, pe), ss = path.substr(0, se);
    const bool param = ps.size() >= 2 && ps.front() == '{' && ps.back() == '}';
    if (param ? ss.empty() : ps != ss) return false;
    pattern = pe == std::string_view::npos ? "" : pattern.substr(pe);
    path = se == std::string_view::npos ? "" : path.substr(se);
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(const std::string& content_type) {
  std::string t = Lower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t;
}

bool IsType(const json::value& v, std::string_view type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_bool();
  if (type == "string") return v.is_string();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && std::floor(v.as_double()) == v.as_double();
  }
  return false;
}

double Number(const json::value& v) {
  return v.is_double()  ? v.as_double()
         : v.is_int64() ? static_cast<double>(v.as_int64())
                        : static_cast<double>(v.as_uint64());
}

// Code points of a JSON string (valid UTF-8: Boost.JSON checked it).
size_t CodePoints(std::string_view s) { return static_cast<size_t>(Utf8Length(s)); }

}  // namespace

OpenApiValidator::OpenApiValidator(const std::string& openapi_json)
    : doc_(json::parse(openapi_json)) {
  if (!doc_.is_object() || !doc_.as_object().contains("paths")) {
    throw std::runtime_error("not an OpenAPI document");
  }
}

const json::value& OpenApiValidator::Resolve(const json::value& schema) const {
  const json::value* s = &schema;
  for (int hops = 0; s->is_object() && s->as_object().contains("$ref"); ++hops) {
    if (hops > 32) throw std::runtime_error("$ref loop");
    const std::string ref(s->as_object().at("$ref").as_string());
    if (ref.rfind("#/", 0) != 0) throw std::runtime_error("non-local $ref " + ref);
    s = &doc_.at_pointer(ref.substr(1));
  }
  return *s;
}

std::vector<std::string> OpenApiValidator::Validate(const json::value& schema,
                                                    const json::value& value) const {
  std::vector<std::string> out;
  ValidateAt(schema, value, "", out, 0);
  return out;
}

void OpenApiValidator::ValidateAt(const json::value& raw, const json::value& v,
                                  const std::string& at, std::vector<std::string>& out,
                                  int depth) const {
  if (depth > 64) {
    out.push_back(at + ": schema nested too deep");
    return;
  }
  const json::value& schema_value = Resolve(raw);
  if (schema_value.is_bool()) {
    if (!schema_value.as_bool()) out.push_back(at + ": no value is allowed here");
    return;
  }
  const json::object& s = schema_value.as_object();
  const std::string where = at.empty() ? "/" : at;
  if (const auto* type = s.if_contains("type")) {
    bool ok = false;
    if (type->is_string()) {
      ok = IsType(v, type->as_string());
    } else {
      for (const auto& t : type->as_array()) ok = ok || IsType(v, t.as_string());
    }
    if (!ok) {
      out.push_back(where + ": " + json::serialize(v).substr(0, 80) + " is not of type " +
                    json::serialize(*type));
      return;
    }
  }
  if (const auto* e = s.if_contains("enum")) {
    bool found = false;
    for (const auto& option : e->as_array()) found = found || option == v;
    if (!found)
      out.push_back(where + ": " + json::serialize(v) + " is not one of " + json::serialize(*e));
  }
  if (const auto* c = s.if_contains("const"); c && *c != v) {
    out.push_back(where + ": " + json::serialize(v) + " is not " + json::serialize(*c));
  }
  if (v.is_number()) {
    if (const auto* m = s.if_contains("minimum"); m && Number(v) < Number(*m)) {
      out.push_back(where + ": " + json::serialize(v) + " < minimum " + json::serialize(*m));
    }
    if (const auto* m = s.if_contains("maximum"); m && Number(v) > Number(*m)) {
      out.push_back(where + ": " + json::serialize(v) + " > maximum " + json::serialize(*m));
    }
  }
  if (v.is_string()) {
    const std::string str(v.as_string());
    if (const auto* m = s.if_contains("minLength"); m && CodePoints(str) < m->to_number<size_t>()) {
      out.push_back(where + ": shorter than minLength");
    }
    if (const auto* m = s.if_contains("maxLength"); m && CodePoints(str) > m->to_number<size_t>()) {
      out.push_back(where + ": longer than maxLength");
    }
    if (const auto* p = s.if_contains("pattern")) {
      if (!std::regex_search(str,
                             std::regex(std::string(p->as_string()), std::regex::ECMAScript))) {
        out.push_back(where + ": '" + str.substr(0, 80) + "' does not match " +
                      std::string(p->as_string()));
      }
    }
  }
  if (v.is_object()) {
    const json::object& o = v.as_object();
    const json::object* props =
        s.contains("properties") ? &s.at("properties").as_object() : nullptr;
    if (const auto* req = s.if_contains("required")) {
      for (const auto& name : req->as_array()) {
        if (!o.contains(name.as_string())) {
          out.push_back(where + ": required property '" + std::string(name.as_string()) +
                        "' is missing");
        }
      }
    }
    const json::value* extra = s.if_contains("additionalProperties");
    for (const auto& [key, item] : o) {
      const std::string child = at + "/" + std::string(key);
      if (props && props->contains(key)) {
        ValidateAt(props->at(key), item, child, out, depth + 1);
      } else if (extra) {
        if (extra->is_bool()) {
          if (!extra->as_bool()) out.push_back(child + ": property not allowed");
        } else {
          ValidateAt(*extra, item, child, out, depth + 1);
        }
      }
    }
  }
  if (v.is_array()) {
    const json::array& a = v.as_array();
    if (const auto* m = s.if_contains("minItems"); m && a.size() < m->to_number<size_t>()) {
      out.push_back(where + ": fewer than minItems");
    }
    if (const auto* m = s.if_contains("maxItems"); m && a.size() > m->to_number<size_t>()) {
      out.push_back(where + ": more than maxItems");
    }
    if (const auto* items = s.if_contains("items")) {
      for (size_t i = 0; i < a.size(); ++i) {
        ValidateAt(*items, a[i], at + "/" + std::to_string(i), out, depth + 1);
      }
    }
  }
  if (const auto* all = s.if_contains("allOf")) {
    for (const auto& sub : all->as_array()) ValidateAt(sub, v, at, out, depth + 1);
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    const auto* alternatives = s.if_contains(key);
    if (!alternatives) continue;
    size_t matching = 0;
    for (const auto& sub : alternatives->as_array()) {
      std::vector<std::string> problems;
      ValidateAt(sub, v, at, problems, depth + 1);
      matching += problems.empty();
    }
    const bool one = std::string_view(key) == "oneOf";
    if (one ? matching != 1 : matching == 0) {
      out.push_back(where + ": matches " + std::to_string(matching) + " of the " + key +
                    " alternatives");
    }
  }
}

std::vector<std::string> OpenApiValidator::Check(const std::string& method,
                                                 const std::string& target,
                                                 const HttpResponse& response) const {
  std::vector<std::string> out;
  const std::string path = target.substr(0, target.find('?'));
  const json::object& paths = doc_.at("paths").as_object();
  const json::object* op = nullptr;
  std::string pattern;
  // Literal segments beat parameters (/users/me before /users/{id}).
  for (bool literal_pass : {true, false}) {
    for (const auto& [p, item] : paths) {
      const bool has_param = p.find('{') != json::string::npos;
      if (has_param == literal_pass || !PathMatches(p, path)) continue;
      if (const auto* o = item.as_object().if_contains(Lower(method))) {
        op = &o->as_object();
        pattern = p;
      }
      break;
    }
    if (op) break;
  }
  if (op == nullptr) return out;  // not an operation of the document: not checked
  const std::string name = method + " " + pattern + " -> " + std::to_string(response.status);
  const json::object& responses = op->at("responses").as_object();
  const json::value* documented = responses.if_contains(std::to_string(response.status));
  if (!documented) {
    const std::string range = std::to_string(response.status / 100) + "XX";
    documented = responses.if_contains(range);
    if (!documented) documented = responses.if_contains("default");
  }
  if (!documented) {
    out.push_back(name + ": status not documented");
    return out;
  }
  const json::object& doc_response = Resolve(*documented).as_object();
  const json::object* content =
      doc_response.contains("content") ? &doc_response.at("content").as_object() : nullptr;
  if (response.body.empty()) return out;
  if (!content) {
    out.push_back(name + ": has a body, the document describes none");
    return out;
  }
  const std::string type = MediaType(response.Header("Content-Type"));
  const json::value* media = content->if_contains(type);
  if (!media) {
    out.push_back(name + ": Content-Type '" + type + "' not documented");
    return out;
  }
  const bool is_json = type == "application/json" ||
                       (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
  const auto* schema = media->as_object().if_contains("schema");
  if (!is_json || !schema) return out;
  json::value body;
  try {
    body = json::parse(response.body);
  } catch (const std::exception&) {
    out.push_back(name + ": body is not JSON");
    return out;
  }
  for (const auto& problem : Validate(*schema, body)) out.push_back(name + ": " + problem);
  return out;
}

void ValidateResponsesOf(HttpClient& client, const OpenApiValidator& validator) {
  client.SetObserver([&validator](const std::string& method, const std::string& target,
                                  const HttpResponse& response) {
    for (const auto& problem : validator.Check(method, target, response)) {
      ADD_FAILURE() << "response not as documented: " << problem
                    << "\n  body: " << response.body.substr(0, 300);
    }
  });
}

}  // namespace bookstore::test
