// The buffered log output: JSON lines reach stderr only on Flush(), at the
// size threshold or with a human line, whole and in order. The background
// flusher is pushed out of the way (max_delay of an hour) so that nothing
// here depends on timing.
#include "common/logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bookstore::logging {
namespace {

using ::testing::internal::CaptureStderr;
using ::testing::internal::GetCapturedStderr;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Names of this process's threads, as top -H shows them.
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.push_back(name);
  }
  return names;
}

class LogOutputTest : public ::testing::Test {
 protected:
  LogOutputTest() {
    Init("test", "info");
    SetOutput({.buffered = true, .flush_bytes = 32 * 1024, .max_delay = std::chrono::hours(1)});
  }
  ~LogOutputTest() override { SetOutput({}); }

  static void Line(int i) {
    Access({{"request_id", "r" + std::to_string(i)}, {"n", std::to_string(i), true}});
  }
};

TEST_F(LogOutputTest, JsonLinesWaitForFlush) {
  CaptureStderr();
  Line(1);
  Event("something", {{"k", "v"}});
  EXPECT_EQ(GetCapturedStderr(), "");

  CaptureStderr();
  Flush();
  std::vector<std::string> lines = Lines(GetCapturedStderr());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(boost::json::parse(lines[0]).at("request_id"), "r1");
  EXPECT_EQ(boost::json::parse(lines[1]).at("event"), "something");
}

// The first buffered line starts the background flusher, named for top -H.
TEST_F(LogOutputTest, TheBackgroundFlusherIsANamedThread) {
  CaptureStderr();
  Line(1);
  EXPECT_THAT(ThreadNames(), ::testing::Contains("log-flush"));
  Flush();
  GetCapturedStderr();
}

TEST_F(LogOutputTest, TheSizeThresholdWritesEverythingBuffered) {
  CaptureStderr();
  Line(0);
  Flush();
  const size_t line_size = GetCapturedStderr().size();  // every Line(i < 10) is as long
  ASSERT_GT(line_size, 0u);
  const size_t below = (32 * 1024 - 1) / line_size;  // lines that stay under 32 KiB

  CaptureStderr();
  for (size_t i = 0; i < below; ++i) Line(static_cast<int>(i % 10));
  EXPECT_EQ(GetCapturedStderr(), "");

  CaptureStderr();
  Line(7);  // reaches 32 KiB: all of it is written, without Flush()
  std::vector<std::string> lines = Lines(GetCapturedStderr());
  ASSERT_EQ(lines.size(), below + 1);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].size() + 1, line_size) << lines[i];
  }
  EXPECT_EQ(boost::json::parse(lines.back()).at("n"), 7);
}

TEST_F(LogOutputTest, AHumanLineWritesTheBufferFirst) {
  CaptureStderr();
  Line(1);
  Warn("disk is slow");
  std::vector<std::string> lines = Lines(GetCapturedStderr());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(boost::json::parse(lines[0]).at("n"), 1);
  EXPECT_NE(lines[1].find(" warning disk is slow"), std::string::npos) << lines[1];
}

TEST_F(LogOutputTest, UnbufferedWritesEachLineAtOnce) {
  SetOutput({.buffered = false});
  CaptureStderr();
  Line(3);
  std::vector<std::string> lines = Lines(GetCapturedStderr());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(boost::json::parse(lines[0]).at("n"), 3);
}

TEST_F(LogOutputTest, ConcurrentLinesStayWholeAndInThreadOrder) {
  constexpr int kThreads = 4;
  constexpr int kLines = 2000;  // several threshold writes per thread
  CaptureStderr();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) {
        Access({{"thread", std::to_string(t), true}, {"n", std::to_string(i), true}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  Flush();
  std::vector<std::string> lines = Lines(GetCapturedStderr());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int64_t> next(kThreads, 0);
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    int64_t thread = value.at("thread").as_int64();
    EXPECT_EQ(value.at("n").as_int64(), next[thread]++) << line;
  }
}

}  // namespace
}  // namespace bookstore::logging

namespace bookstore {
namespace {

// Attacker bytes in a log field still make a valid JSON (and UTF-8) line.
TEST(JsonEscapeTest, MalformedUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(logging::JsonEscape("\xc3\x96konomie \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\xc3\x96konomie \xe2\x82\xac \xf0\x9f\x98\x80");  // well-formed: kept
  EXPECT_EQ(logging::JsonEscape("a\xff"
                                "b"),
            "a\\ufffdb");
  EXPECT_EQ(logging::JsonEscape("\xc0\xaf"), "\\ufffd\\ufffd");             // overlong '/'
  EXPECT_EQ(logging::JsonEscape("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");  // surrogate
  EXPECT_EQ(logging::JsonEscape("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // > U+10FFFF
  EXPECT_EQ(logging::JsonEscape("end\xe2\x82"), "end\\ufffd\\ufffd");                  // truncated
  EXPECT_EQ(logging::JsonEscape("del\x7f"), "del\\u007f");
  EXPECT_EQ(logging::JsonEscape(std::string("nul\0", 4)), "nul\\u0000");
}

}  // namespace
}  // namespace bookstore
