#include "common/thread_name.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bookstore {
namespace {

void Name(pthread_t thread, std::string_view name) {
  char buf[16] = {};
  name.copy(buf, sizeof(buf) - 1);
  pthread_setname_np(thread, buf);
}

}  // namespace

void NameThread(std::thread& thread, std::string_view name) { Name(thread.native_handle(), name); }

void NameThisThread(std::string_view name) {
  if (syscall(SYS_gettid) == getpid()) return;
  Name(pthread_self(), name);
}

std::string ThisThreadName() {
  char buf[16] = {};
  if (pthread_getname_np(pthread_self(), buf, sizeof(buf)) != 0) return "";
  return buf;
}

}  // namespace bookstore
