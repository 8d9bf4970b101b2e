#include "common/counters.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace bookstore {
namespace {

struct Family {
  std::string help;
  std::map<std::string, std::unique_ptr<Counter>> series;  // labels -> counter
};

struct Registry {
  std::mutex mu;
  std::map<std::string, Family> families;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: counters outlive main
  return *registry;
}

// Field `n` (1-based, after the ") " that ends the command name) of /proc/self/stat.
long long StatField(const std::string& stat, int n) {
  std::istringstream in(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= n && in >> field; ++i) {
  }
  return std::stoll(field);
}

}  // namespace

Counter& GetCounter(std::string_view name, std::string_view help, std::string_view labels) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mu);
  Family& family = r.families[std::string(name)];
  if (family.help.empty()) family.help = help;
  auto& counter = family.series[std::string(labels)];
  if (!counter) counter = std::make_unique<Counter>();
  return *counter;
}

std::string RenderCounters() {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mu);
  std::string out;
  for (const auto& [name, family] : r.families) {
    out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " counter\n";
    for (const auto& [labels, counter] : family.series) {
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " +
             std::to_string(counter->Value()) + "\n";
    }
  }
  return out;
}

std::string RenderProcessMetrics() {
  std::string out;
  const auto gauge = [&out](const char* name, const char* type, const char* help,
                            const std::string& value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + value + "\n";
  };
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::ostringstream v;
    v << cpu;
    gauge("process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.",
          v.str());
  }
  const long page = sysconf(_SC_PAGESIZE);
  if (std::ifstream statm("/proc/self/statm"); statm) {
    long long size = 0, resident = 0;
    if (statm >> size >> resident) {
      gauge("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
            std::to_string(resident * page));
      gauge("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
            std::to_string(size * page));
    }
  }
  if (DIR* dir = opendir("/proc/self/fd")) {
    long long fds = 0;
    while (const dirent* e = readdir(dir)) fds += e->d_name[0] != '.';
    closedir(dir);
    gauge("process_open_fds", "gauge", "Number of open file descriptors.",
          std::to_string(fds - 1));  // without the one reading the folder
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    gauge("process_max_fds", "gauge", "Maximum number of open file descriptors.",
          std::to_string(limit.rlim_cur));
  }
  if (std::ifstream in("/proc/self/stat"); in) {
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      gauge("process_threads", "gauge", "Number of OS threads in the process.",
            std::to_string(StatField(stat, 20)));
      std::ifstream uptime_file("/proc/uptime");
      double uptime = 0;
      if (uptime_file >> uptime) {
        const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        const double started_ago = uptime - static_cast<double>(StatField(stat, 22)) / ticks;
        std::ostringstream v;
        v.precision(15);
        v << static_cast<double>(time(nullptr)) - started_ago;
        gauge("process_start_time_seconds", "gauge",
              "Start time of the process since unix epoch in seconds.", v.str());
      }
    } catch (const std::exception&) {  // an unreadable stat: no thread count
    }
  }
  return out;
}

}  // namespace bookstore
