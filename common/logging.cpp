#include "common/logging.h"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "common/thread_name.h"

namespace bookstore::logging {
namespace {

using Clock = std::chrono::steady_clock;

// Writes all of `data` to stderr; gives up on errors other than EINTR (there
// is nowhere left to report them).
void WriteAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(STDERR_FILENO, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// The buffer in front of stderr (see logging.h for the contract).
class Output {
 public:
  Output() { options_.buffered = !::isatty(STDERR_FILENO); }

  // Appends `lines` (whole lines); writes at once when `now`.
  void Write(std::string_view lines, bool now) {
    bool write;
    {
      std::lock_guard lock(mu_);
      buffer_.append(lines);
      write = now || !options_.buffered || buffer_.size() >= options_.flush_bytes;
      if (!write && !first_at_) {
        first_at_ = Clock::now();
        if (!flusher_started_) {
          flusher_started_ = true;
          std::thread flusher([this] { FlushLoop(); });
          NameThread(flusher, "log-flush");
          flusher.detach();
        } else if (flusher_idle_) {
          wake_.notify_one();  // a flusher waiting on a deadline wakes by itself
        }
      }
    }
    if (write) WriteOut();
  }

  // Also waits for a write another thread has begun.
  void Flush() { WriteOut(); }

  void Configure(const OutputOptions& options) {
    WriteOut();
    std::lock_guard lock(mu_);
    options_ = options;
    options_.max_delay = std::clamp(options.max_delay, std::chrono::milliseconds(0),
                                    std::chrono::milliseconds(std::chrono::hours(1)));
    wake_.notify_one();
  }

 private:
  // Takes the buffer and writes it. Writers queue on write_mu_, so what one
  // thread buffered earlier is written earlier.
  void WriteOut() {
    std::lock_guard write_lock(write_mu_);
    {
      std::lock_guard lock(mu_);
      writing_.swap(buffer_);
      first_at_.reset();
    }
    if (writing_.empty()) return;
    WriteAll(writing_);
    writing_.clear();
  }

  // The background flusher: never exits (the Output is never destroyed).
  void FlushLoop() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (!first_at_) {
        flusher_idle_ = true;
        wake_.wait(lock);
        flusher_idle_ = false;
        continue;
      }
      Clock::time_point due = *first_at_ + options_.max_delay;
      if (Clock::now() < due) {
        wake_.wait_until(lock, due);
        continue;
      }
      lock.unlock();
      WriteOut();
      lock.lock();
    }
  }

  std::mutex mu_;  // guards the fields below up to write_mu_
  std::string buffer_;
  OutputOptions options_;
  std::optional<Clock::time_point> first_at_;  // when the buffer became non-empty
  bool flusher_started_ = false;
  bool flusher_idle_ = false;  // waiting without a deadline
  std::condition_variable wake_;
  std::mutex write_mu_;  // held while writing `writing_`
  std::string writing_;
};

Output& GetOutput() {
  static Output* output = [] {
    auto* created = new Output();  // never destroyed: usable at exit
    std::atexit([] { GetOutput().Flush(); });
    return created;
  }();
  return *output;
}

// Human lines: formatted by spdlog, written through the Output at once.
class HumanSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    GetOutput().Write(std::string_view(formatted.data(), formatted.size()), /*now=*/true);
  }
  void flush_() override { GetOutput().Flush(); }
};

struct Loggers {
  std::shared_ptr<spdlog::logger> human;
  std::atomic<bool> json_on{true};  // the level lets info through
  std::mutex service_mu;
  std::string service = "service";

  Loggers() {
    human = std::make_shared<spdlog::logger>("bookstore", std::make_shared<HumanSink>());
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

// RFC 3339 UTC with milliseconds, e.g. "2026-11-26T05:30:00.123Z". The
// part up to the seconds is formatted once per second and thread.
void AppendTimestamp(fmt::memory_buffer& out) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32];
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  if (seconds != cached_second) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    fmt::format_to_n(cached, sizeof(cached), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
    cached_second = seconds;
  }
  out.append(std::string_view(cached, 20));
  int millis = static_cast<int>(ms % 1000);
  const char tail[] = {static_cast<char>('0' + millis / 100),
                       static_cast<char>('0' + millis / 10 % 10),
                       static_cast<char>('0' + millis % 10), 'Z'};
  out.append(tail, tail + sizeof(tail));
}

// The length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629:
// no overlong forms, no surrogates, at most U+10FFFF), or 0 when there is none.
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = byte(0);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  }
  return n;
}

// JSON string content: quotes, backslashes and control characters escaped,
// well-formed UTF-8 copied, every byte of malformed UTF-8 replaced by
// U+FFFD, so a log line is valid JSON whatever an attacker sent.
void AppendEscaped(fmt::memory_buffer& out, std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const size_t n = Utf8SequenceAt(s, i);
      if (n > 0) {
        i += n - 1;
        continue;
      }
      out.append(s.substr(start, i - start));
      start = i + 1;
      out.append(std::string_view("\\ufffd"));
      continue;
    }
    if (c != '"' && c != '\\' && u >= 0x20 && u != 0x7F) continue;
    out.append(s.substr(start, i - start));
    start = i + 1;
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
        fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(u));
    }
  }
  out.append(s.substr(start));
}

template <typename Fields>
void AppendFields(fmt::memory_buffer& out, const Fields& fields) {
  for (const auto& field : fields) {
    out.append(std::string_view(",\""));
    AppendEscaped(out, field.key);
    out.append(std::string_view("\":"));
    if (field.raw) {
      out.append(std::string_view(field.value));
    } else {
      out.push_back('"');
      AppendEscaped(out, field.value);
      out.push_back('"');
    }
  }
}

void WriteJsonLine(fmt::memory_buffer& line) {
  line.append(std::string_view("}\n"));
  GetOutput().Write(std::string_view(line.data(), line.size()), /*now=*/false);
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
      loggers.human->set_level(value);
      loggers.json_on = value <= spdlog::level::info;
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
  if (!loggers.json_on) return;
  fmt::memory_buffer out;
  out.append(std::string_view("{\"ts\":\""));
  AppendTimestamp(out);
  out.append(std::string_view("\",\"service\":\""));
  AppendEscaped(out, loggers.Service());
  out.append(std::string_view("\",\"event\":\""));
  AppendEscaped(out, event);
  out.push_back('"');
  AppendFields(out, fields);
  WriteJsonLine(out);
}

void Access(std::initializer_list<FieldRef> fields) {
  if (!Get().json_on) return;
  fmt::memory_buffer out;
  out.append(std::string_view("{\"ts\":\""));
  AppendTimestamp(out);
  out.push_back('"');
  AppendFields(out, fields);
  WriteJsonLine(out);
}

std::string JsonEscape(std::string_view s) {
  fmt::memory_buffer out;
  AppendEscaped(out, s);
  return fmt::to_string(out);
}

void SetOutput(const OutputOptions& options) { GetOutput().Configure(options); }

void Flush() { GetOutput().Flush(); }

}  // namespace bookstore::logging
