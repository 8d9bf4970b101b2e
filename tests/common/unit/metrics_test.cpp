#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "common/counters.h"

namespace bookstore {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(MetricsTest, RendersCounterAndHistogramWithExactNames) {
  Metrics metrics("book");
  metrics.Observe("GET", "/books/{id}", 200, 0.003);
  metrics.Observe("GET", "/books/{id}", 200, 0.2);
  metrics.Observe("GET", "/books/{id}", 404, 7);
  std::string text = metrics.Render();

  EXPECT_TRUE(Contains(text, "# TYPE http_requests_total counter\n"));
  EXPECT_TRUE(Contains(text, "# HELP http_requests_total "));
  EXPECT_TRUE(Contains(text, "# TYPE http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "# HELP http_request_duration_seconds "));
  EXPECT_TRUE(Contains(text,
                       "http_requests_total{service=\"book\",method=\"GET\",route=\"/books/"
                       "{id}\",status=\"200\"} 2\n"));
  EXPECT_TRUE(Contains(text,
                       "http_requests_total{service=\"book\",method=\"GET\",route=\"/books/"
                       "{id}\",status=\"404\"} 1\n"));
  const std::string labels = "service=\"book\",method=\"GET\",route=\"/books/{id}\"";
  EXPECT_TRUE(
      Contains(text, "http_request_duration_seconds_bucket{" + labels + ",le=\"0.0025\"} 0\n"));
  EXPECT_TRUE(
      Contains(text, "http_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 1\n"));
  EXPECT_TRUE(
      Contains(text, "http_request_duration_seconds_bucket{" + labels + ",le=\"0.25\"} 2\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + labels + ",le=\"5\"} 2\n"));
  EXPECT_TRUE(
      Contains(text, "http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_count{" + labels + "} 3\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_sum{" + labels + "} 7.203\n"));
}

TEST(MetricsTest, HasEveryBucketInOrder) {
  Metrics metrics("s");
  metrics.Observe("POST", "/x", 201, 0.0005);  // on a bound: counted in that bucket
  std::string text = metrics.Render();
  size_t position = 0;
  for (std::string le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                         "0.25", "0.5", "1", "2.5", "5", "+Inf"}) {
    size_t found = text.find("le=\"" + le + "\"} 1\n", position);
    ASSERT_NE(found, std::string::npos) << le;
    position = found;
  }
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics("svc\"1");
  metrics.Observe("GET", "/a\\b\"c\nd", 200, 0.001);
  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "service=\"svc\\\"1\",method=\"GET\",route=\"/a\\\\b\\\"c\\nd\""));
}

TEST(MetricsTest, MergesShardsFromManyThreads) {
  Metrics metrics("s");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) metrics.Observe("GET", "/r", 200, 0.001);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(Contains(
      metrics.Render(),
      "http_requests_total{service=\"s\",method=\"GET\",route=\"/r\",status=\"200\"} 4000\n"));
}

TEST(MetricsTest, InstancesOnOneThreadStaySeparate) {
  auto first = std::make_unique<Metrics>("a");
  first->Observe("GET", "/one", 200, 0.001);
  {
    Metrics second("b");
    second.Observe("GET", "/two", 200, 0.001);
    EXPECT_FALSE(Contains(second.Render(), "/one"));
    EXPECT_TRUE(Contains(second.Render(), "/two"));
  }
  first.reset();
  Metrics third("c");  // may reuse freed memory; must not see old series
  third.Observe("GET", "/three", 200, 0.001);
  EXPECT_FALSE(Contains(third.Render(), "/one"));
  EXPECT_FALSE(Contains(third.Render(), "/two"));
}

TEST(MetricsTest, EmptyRenderHasTypeLines) {
  Metrics metrics("s");
  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE http_requests_total counter"));
  EXPECT_FALSE(Contains(text, "http_requests_total{"));
}

TEST(MetricsTest, CountersAreRenderedAsFamiliesWithTheirLabels) {
  Counter& stock = GetCounter("test_rejections_total", "Rejections.", "reason=\"stock\"");
  Counter& gone = GetCounter("test_rejections_total", "ignored", "reason=\"gone\"");
  EXPECT_EQ(&GetCounter("test_rejections_total", "", "reason=\"stock\""), &stock);  // same one
  const uint64_t before = stock.Value();
  stock.Add();
  stock.Add(2);
  EXPECT_EQ(stock.Value(), before + 3);
  const std::string text = Metrics("s").Render();
  const size_t help = text.find(
      "# HELP test_rejections_total Rejections.\n"
      "# TYPE test_rejections_total counter\n");
  ASSERT_NE(help, std::string::npos) << text;
  // One family block, series sorted by labels, zeros shown.
  EXPECT_NE(
      text.find("test_rejections_total{reason=\"gone\"} " + std::to_string(gone.Value()) +
                "\ntest_rejections_total{reason=\"stock\"} " + std::to_string(before + 3) + "\n"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("# TYPE test_rejections_total", help + 60), std::string::npos);
}

TEST(MetricsTest, BuildInfoAndProcessMetrics) {
  const std::string text = Metrics("book").Render();
  EXPECT_TRUE(Contains(text, "bookstore_build_info{service=\"book\",version=\"")) << text;
  for (const char* name :
       {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
        "process_max_fds ", "process_threads ", "process_start_time_seconds "}) {
    EXPECT_TRUE(Contains(text, std::string("\n") + name)) << name << "\n" << text;
  }
  // Plausible values: at least one thread, some memory, started in the past.
  const auto value = [&](const std::string& name) {
    const size_t at = text.find("\n" + name + " ");
    return std::stod(text.substr(at + name.size() + 2));
  };
  EXPECT_GE(value("process_threads"), 1);
  EXPECT_GT(value("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(value("process_open_fds"), 2);
  EXPECT_LE(value("process_start_time_seconds"), static_cast<double>(time(nullptr)) + 1);
  EXPECT_GT(value("process_start_time_seconds"), static_cast<double>(time(nullptr)) - 86400);
}

}  // namespace
}  // namespace bookstore
