#include "common/logging.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace bookstore::logging {
namespace {

// Two loggers: `json` prints the message only (the line is a JSON object
// carrying its own ts), `human` prefixes time and level.
struct Loggers {
  std::shared_ptr<spdlog::logger> json;
  std::shared_ptr<spdlog::logger> human;
  std::mutex service_mu;
  std::string service = "service";

  // Each logger has its own sink: a pattern belongs to the sink, so a shared
  // sink would give JSON lines the human prefix. Both write whole lines to
  // stderr (stdio locks per write, so lines never interleave).
  Loggers() {
    json = std::make_shared<spdlog::logger>("bookstore.json",
                                            std::make_shared<spdlog::sinks::stderr_sink_mt>());
    json->set_pattern("%v");
    human = std::make_shared<spdlog::logger>("bookstore",
                                             std::make_shared<spdlog::sinks::stderr_sink_mt>());
    human->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  }

  std::string Service() {
    std::lock_guard lock(service_mu);
    return service;
  }
};

Loggers& Get() {
  static Loggers* loggers = new Loggers();  // never destroyed: usable at exit
  return *loggers;
}

// RFC 3339 UTC with milliseconds, e.g. "2026-11-26T05:30:00.123Z".
void AppendTimestamp(fmt::memory_buffer& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 static_cast<int>(ms % 1000));
}

void AppendEscaped(fmt::memory_buffer& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
}

void AppendFields(fmt::memory_buffer& out, const std::vector<Field>& fields) {
  for (const Field& field : fields) {
    out.append(std::string_view(",\""));
    AppendEscaped(out, field.key);
    out.append(std::string_view("\":"));
    if (field.raw) {
      out.append(field.value);
    } else {
      out.push_back('"');
      AppendEscaped(out, field.value);
      out.push_back('"');
    }
  }
}

}  // namespace

void Init(std::string_view service, std::string_view level) {
  static const std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"off", spdlog::level::off}};
  for (const auto& [name, value] : kLevels) {
    if (name == level) {
      Loggers& loggers = Get();
      {
        std::lock_guard lock(loggers.service_mu);
        loggers.service = std::string(service);
      }
      loggers.json->set_level(value);
      loggers.human->set_level(value);
      return;
    }
  }
  throw std::invalid_argument("log level must be one of trace|debug|info|warn|error|off, got '" +
                              std::string(level) + "'");
}

void Info(std::string_view message) { Get().human->info(message); }
void Warn(std::string_view message) { Get().human->warn(message); }
void Error(std::string_view message) { Get().human->error(message); }
void Debug(std::string_view message) { Get().human->debug(message); }

void Event(std::string_view event, const std::vector<Field>& fields) {
  Loggers& loggers = Get();
  if (!loggers.json->should_log(spdlog::level::info)) return;
  fmt::memory_buffer out;
  out.append(std::string_view("{\"ts\":\""));
  AppendTimestamp(out);
  out.append(std::string_view("\",\"service\":\""));
  AppendEscaped(out, loggers.Service());
  out.append(std::string_view("\",\"event\":\""));
  AppendEscaped(out, event);
  out.push_back('"');
  AppendFields(out, fields);
  out.push_back('}');
  loggers.json->info(std::string_view(out.data(), out.size()));
}

void Access(const std::vector<Field>& fields) {
  Loggers& loggers = Get();
  if (!loggers.json->should_log(spdlog::level::info)) return;
  fmt::memory_buffer out;
  out.append(std::string_view("{\"ts\":\""));
  AppendTimestamp(out);
  out.push_back('"');
  AppendFields(out, fields);
  out.push_back('}');
  loggers.json->info(std::string_view(out.data(), out.size()));
}

std::string JsonEscape(std::string_view s) {
  fmt::memory_buffer out;
  AppendEscaped(out, s);
  return fmt::to_string(out);
}

}  // namespace bookstore::logging
