// RenderOnce: a rendering is reused for the same object and variant only.
#include "book_service/routes/render_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

namespace bookstore::book {
namespace {

TEST(RenderOnceTest, ReusesTheRenderingOfTheSameObjectAndVariant) {
  int calls = 0;
  auto render = [&](const std::shared_ptr<const std::string>& v, int variant) {
    return RenderOnce(v, variant, [&] {
      ++calls;
      return *v + "/" + std::to_string(variant);
    });
  };
  auto a = std::make_shared<const std::string>("a");
  EXPECT_EQ(render(a, 0), "a/0");
  EXPECT_EQ(render(a, 0), "a/0");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(render(a, 1), "a/1");  // another variant
  EXPECT_EQ(calls, 2);
  auto equal = std::make_shared<const std::string>("a");  // equal, not the same
  EXPECT_EQ(render(equal, 0), "a/0");
  EXPECT_EQ(calls, 3);
  std::thread([&] {  // each thread renders for itself
    EXPECT_EQ(render(a, 0), "a/0");
  })
      .join();
  EXPECT_EQ(calls, 4);
}

TEST(RenderOnceTest, KeepsTheLastEightValues) {
  int calls = 0;
  std::vector<std::shared_ptr<const int>> values;
  for (int i = 0; i < 9; ++i) values.push_back(std::make_shared<const int>(i));
  auto render = [&](int i) {
    return RenderOnce(values[i], 0, [&] {
      ++calls;
      return std::to_string(*values[i]);
    });
  };
  for (int i = 0; i < 9; ++i) EXPECT_EQ(render(i), std::to_string(i));
  EXPECT_EQ(calls, 9);
  for (int i = 1; i < 9; ++i) render(i);  // the last eight: all kept
  EXPECT_EQ(calls, 9);
  render(0);  // the oldest was dropped
  EXPECT_EQ(calls, 10);
}

}  // namespace
}  // namespace bookstore::book
