// AtEndOfTick and the io-thread marker it relies on.
#include "common/http/tick.h"

#include <boost/asio/post.hpp>
#include <exception>
#include <string>

#include "common/http/server_state.h"
#include "common/logging.h"

namespace bookstore::http {
namespace {

// The io_context the calling thread runs, or null off io threads.
thread_local boost::asio::io_context* current_ioc = nullptr;

}  // namespace

bool AtEndOfTick(std::function<void()> fn) {
  if (current_ioc == nullptr) return false;
  boost::asio::post(*current_ioc, [fn = std::move(fn)] {
    try {
      fn();
    } catch (const std::exception& e) {
      logging::Error(std::string("end-of-tick callback failed: ") + e.what());
    } catch (...) {
      logging::Error("end-of-tick callback failed with a non-standard exception");
    }
  });
  return true;
}

namespace internal {

void RunIoThread(boost::asio::io_context& ioc) {
  boost::asio::io_context* saved = current_ioc;
  current_ioc = &ioc;
  try {
    ioc.run();
  } catch (...) {
    current_ioc = saved;
    throw;
  }
  current_ioc = saved;
}

}  // namespace internal
}  // namespace bookstore::http
