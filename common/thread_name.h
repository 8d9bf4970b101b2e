#pragma once
// Names of the process's threads, for operators and profilers: `top -H`,
// `ps -L`, perf and gdb show them (README.md, "Configuration", lists them). Linux
// keeps the first 15 bytes of a name. Best effort: a failure changes
// nothing. Thread-safe.

#include <string>
#include <string_view>
#include <thread>

namespace bookstore {

// Names `thread` (started, not yet joined or detached), before the caller
// goes on: whoever looks next sees the name.
void NameThread(std::thread& thread, std::string_view name);

// Names the calling thread, unless it is the process's main thread (whose
// name is the process name that ps and pkill match).
void NameThisThread(std::string_view name);

// The calling thread's name ("" when it cannot be read).
std::string ThisThreadName();

}  // namespace bookstore
