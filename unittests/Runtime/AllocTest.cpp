//===- AllocTest.cpp - The runtime's buffer cache -------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim_rt_alloc / slim_rt_free (what compiled models' memref.alloc and
// memref.dealloc call): large blocks come back for the same size, small
// ones are malloc's, slim_rt_release_memory gives the kept ones back.
//
//===----------------------------------------------------------------------===//

#include "slim/Runtime/Model.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace {

constexpr size_t kLarge = size_t(1) << 20;

TEST(AllocTest, LargeBlockComesBackForTheSameSize) {
  slim_rt_release_memory();
  void *a = slim_rt_alloc(kLarge + 3);
  ASSERT_NE(a, nullptr);
  std::memset(a, 0x5a, kLarge + 3); // the whole block is usable
  slim_rt_free(a);
  void *b = slim_rt_alloc(kLarge + 3);
  EXPECT_EQ(a, b);
  // Another size does not take it while it is in use, nor after.
  void *c = slim_rt_alloc(kLarge + 4);
  EXPECT_NE(c, b);
  slim_rt_free(b);
  slim_rt_free(c);
  EXPECT_EQ(slim_rt_release_memory(), 2 * kLarge + 7);
  EXPECT_EQ(slim_rt_release_memory(), 0u);
}

TEST(AllocTest, TwoLiveBlocksOfOneSizeAreDistinct) {
  slim_rt_release_memory();
  void *a = slim_rt_alloc(kLarge);
  void *b = slim_rt_alloc(kLarge);
  EXPECT_NE(a, b);
  slim_rt_free(a);
  slim_rt_free(b);
  std::set<void *> again = {slim_rt_alloc(kLarge), slim_rt_alloc(kLarge)};
  EXPECT_EQ(again, (std::set<void *>{a, b}));
  for (void *p : again)
    slim_rt_free(p);
  EXPECT_EQ(slim_rt_release_memory(), 2 * kLarge);
}

TEST(AllocTest, SmallBlocksAreNotKept) {
  slim_rt_release_memory();
  void *a = slim_rt_alloc(100);
  ASSERT_NE(a, nullptr);
  slim_rt_free(a);
  EXPECT_EQ(slim_rt_release_memory(), 0u);
  slim_rt_free(nullptr); // a no-op, as free(NULL)
}

TEST(AllocTest, AlignedBlocks) {
  void *a = slim_rt_aligned_alloc(64, 1000);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  slim_rt_free(a);
}

TEST(AllocTest, ThreadsShareTheCache) {
  slim_rt_release_memory();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        size_t size = kLarge + size_t(t) * 64;
        auto *p = static_cast<unsigned char *>(slim_rt_alloc(size));
        p[0] = p[size - 1] = static_cast<unsigned char>(t);
        slim_rt_free(p);
      }
    });
  for (std::thread &t : threads)
    t.join();
  // One block per size at most (each thread frees before it allocates again).
  size_t kept = slim_rt_release_memory();
  EXPECT_GE(kept, kLarge);
  EXPECT_LE(kept, 4 * kLarge + 6 * 64);
}

} // namespace
