//===- StatsTest.cpp - Tests of calibration statistics and files ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Stats.h"

#include <gtest/gtest.h>

#include <random>

using namespace slim::calibration;

namespace {

std::string errorOf(llvm::Expected<Stats> s) {
  if (s)
    return "";
  return llvm::toString(s.takeError());
}

TEST(ObserverStatsTest, MinMaxAndEma) {
  ObserverStats s;
  s.addSample({1.0f, -2.0f, 3.0f}, {3});
  EXPECT_EQ(s.samples, 1u);
  EXPECT_EQ(s.min, -2.0);
  EXPECT_EQ(s.max, 3.0);
  EXPECT_EQ(s.emaMin, -2.0); // the first sample initializes the averages
  EXPECT_EQ(s.emaMax, 3.0);
  s.addSample({0.0f, 5.0f, 1.0f}, {3});
  EXPECT_EQ(s.max, 5.0);
  EXPECT_DOUBLE_EQ(s.emaMax, 3.0 + 0.01 * (5.0 - 3.0));
  EXPECT_DOUBLE_EQ(s.emaMin, -2.0 + 0.01 * (0.0 + 2.0));
  EXPECT_EQ(s.count, 6u);
}

TEST(ObserverStatsTest, NonFiniteValuesAreCountedApart) {
  ObserverStats s;
  s.addSample({NAN, INFINITY, 1.0f}, {3});
  EXPECT_EQ(s.nonFinite, 2u);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.max, 1.0);
  s.addSample({NAN}, {1}); // nothing finite: not a sample of the averages
  EXPECT_EQ(s.samples, 1u);
}

TEST(ObserverStatsTest, PerChannel) {
  ObserverStats s;
  s.axis = 1; // a batched [N, 2, 3] tensor: the channel is the sample's row
  s.addSample({1, 2, 3, -1, -5, 0}, {2, 3}, 0);
  s.addSample({7, 0, 0, 0, 0, 9}, {2, 3}, 0);
  ASSERT_EQ(s.channelMin.size(), 2u);
  EXPECT_EQ(s.channelMin[0], 0.0);
  EXPECT_EQ(s.channelMax[0], 7.0);
  EXPECT_EQ(s.channelMin[1], -5.0);
  EXPECT_EQ(s.channelMax[1], 9.0);
  ObserverStats last;
  last.axis = 2; // channel = column
  last.addSample({1, 2, 3, -1, -5, 0}, {2, 3}, 1);
  EXPECT_EQ(last.channelMin[1], -5.0);
  EXPECT_EQ(last.channelMax[2], 3.0);
}

TEST(StatsTest, JsonRoundTripIsExact) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.1f, 2.0f);
  Stats stats;
  ObserverStats &a = stats.observers["b/second"];
  a.id = "b/second";
  ObserverStats &b = stats.observers["a/first"];
  b.id = "a/first";
  b.axis = 2;
  for (int sample = 0; sample < 20; ++sample) {
    std::vector<float> v(12);
    for (float &x : v)
      x = normal(rng);
    a.addSample(v, {12});
    b.addSample(v, {3, 4}, 1);
  }
  ObserverStats &empty = stats.observers["c/never-ran"];
  empty.id = "c/never-ran";
  std::string text = stats.toJSON();
  EXPECT_LT(text.find("a/first"), text.find("b/second")); // sorted by id
  llvm::Expected<Stats> back = Stats::fromJSON(text, "t.json");
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->observers.size(), 3u);
  EXPECT_TRUE(back->observers["a/first"] == b);
  EXPECT_TRUE(back->observers["b/second"] == a);
  EXPECT_TRUE(back->observers["c/never-ran"] == empty);
  EXPECT_EQ(back->toJSON(), text);
}

TEST(StatsTest, Errors) {
  EXPECT_NE(errorOf(Stats::fromJSON("{", "s.json")).find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(errorOf(Stats::fromJSON("{\"format\": \"x\"}", "s.json"))
                .find("not a Slim calibration stats file"),
            std::string::npos);
  EXPECT_NE(errorOf(Stats::fromJSON("{\"format\": \"slim-calibration-stats\", "
                                    "\"version\": 99, \"observers\": []}",
                                    "s.json"))
                .find("unsupported stats version 99"),
            std::string::npos);
  Stats one;
  one.observers["x"].id = "x";
  one.observers["x"].addSample({1.0f, 2.0f}, {2});
  std::string good = one.toJSON();
  auto replace = [&](std::string from, std::string to) {
    std::string t = good;
    size_t pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  EXPECT_NE(
      errorOf(Stats::fromJSON(replace("\"count\":2", "\"count\":3"), "s.json"))
          .find("observer 'x': histogram holds 2 values but 'count' "
                "is 3"),
      std::string::npos);
  EXPECT_NE(errorOf(Stats::fromJSON(replace("\"samples\":1", "\"samples\":-1"),
                                    "s.json"))
                .find("'samples' must be a non-negative integer"),
            std::string::npos);
  EXPECT_NE(
      errorOf(Stats::fromJSON(replace("\"limit\":4", "\"limit\":3"), "s.json"))
          .find("is not zero or a power of two"),
      std::string::npos);
  EXPECT_NE(
      errorOf(Stats::fromJSON(replace("\"min\":1", "\"min\":\"a\""), "s.json"))
          .find("'min' must be a finite number or null"),
      std::string::npos);
  EXPECT_NE(
      errorOf(Stats::readFile("/nonexistent/stats.json")).find("cannot read"),
      std::string::npos);
}

} // namespace
