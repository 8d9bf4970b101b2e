#pragma once
// Reading one series out of a Prometheus text exposition (/metrics).

#include <string>

namespace bookstore::test {

// The value of the line starting with `series` ("name" or "name{labels}")
// followed by a space; -1 when there is none.
inline double MetricValue(const std::string& text, const std::string& series) {
  const std::string head = series + " ";
  for (size_t at = 0; at < text.size();) {
    const size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? end : end - at);
    if (line.rfind(head, 0) == 0) return std::stod(line.substr(head.size()));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return -1;
}

}  // namespace bookstore::test
