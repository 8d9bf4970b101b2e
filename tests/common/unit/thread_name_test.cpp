// Thread names as top -H and ps -L show them (README.md, "Configuration").
#include "common/thread_name.h"

#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>

namespace bookstore {
namespace {

TEST(ThreadNameTest, NameThreadNamesAStartedThreadBeforeItLooks) {
  std::latch named(1);
  std::string seen;
  std::thread thread([&] {
    named.wait();
    seen = ThisThreadName();
  });
  NameThread(thread, "commit-writer");
  named.count_down();
  thread.join();
  EXPECT_EQ(seen, "commit-writer");
}

TEST(ThreadNameTest, NamesKeepTheirFirstFifteenBytes) {
  std::string seen;
  std::thread thread([&] {
    NameThisThread("a-name-longer-than-the-kernel-keeps");
    seen = ThisThreadName();
  });
  thread.join();
  EXPECT_EQ(seen, "a-name-longer-t");
}

// The main thread's name is the process name (ps, pkill): never renamed.
TEST(ThreadNameTest, TheMainThreadKeepsTheProcessName) {
  const std::string before = ThisThreadName();
  ASSERT_FALSE(before.empty());
  NameThisThread("io-0");
  EXPECT_EQ(ThisThreadName(), before);
}

}  // namespace
}  // namespace bookstore
