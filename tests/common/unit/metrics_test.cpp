#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

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

}  // namespace
}  // namespace bookstore
