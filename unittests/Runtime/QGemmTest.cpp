//===- QGemmTest.cpp - The int8 GEMM kernels against plain loops ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Every kernel the host can run, bit for bit against a reference computed
// here from the unpacked operands (not from the packed layout): odd sizes on
// every axis, full-range operands (-128 and 255 included), signed and
// unsigned activations, accumulation, batches with strides. Kernels the
// host cannot run are skipped here; lit tests pin their code paths.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <random>
#include <vector>

using namespace slim::runtime;

namespace {

/// How B is pruned and stored.
enum class Sparse { None, TwoFour, Unstructured, Empty, Tiles };

struct Case {
  int64_t batch, m, n, k;
  bool aSigned, accumulate;
  bool bias = false; ///< a per-column int32 added to every row
  /// Not None: B pruned so (2:4 along K per column; 70% of its bytes at
  /// random; all zeros; 70% of its 64 k x 16 column blocks, AMX's tiles of
  /// B, at random) and given in the sparse form.
  Sparse sparse = Sparse::None;
};

std::vector<int32_t> reference(const Case &c, const std::vector<uint8_t> &a,
                               int64_t lda, int64_t aBatch,
                               const std::vector<int8_t> &b,
                               const std::vector<int32_t> &bias,
                               const std::vector<int32_t> &init, int64_t ldc,
                               int64_t cBatch) {
  std::vector<int32_t> out = init;
  for (int64_t bt = 0; bt < c.batch; ++bt)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        int64_t sum = 0;
        for (int64_t kk = 0; kk < c.k; ++kk) {
          uint8_t raw = a[bt * aBatch + i * lda + kk];
          int64_t x = c.aSigned ? int64_t(int8_t(raw)) : int64_t(raw);
          sum += x * b[kk * c.n + j];
        }
        int32_t &o = out[bt * cBatch + i * ldc + j];
        o = static_cast<int32_t>(
            static_cast<uint32_t>(c.accumulate ? o : 0) +
            static_cast<uint32_t>(sum) +
            static_cast<uint32_t>(c.bias ? bias[j] : 0));
      }
  return out;
}

void check(Isa isa, const Case &c, std::mt19937 &rng, int fill = 0,
           bool dense = false) {
  // Padded strides (and a batch gap) catch kernels that assume density;
  // dense buffers of exactly the operands' size let ASan catch reads past
  // the end of A (the compiled code passes lda == K).
  int64_t lda = dense ? c.k : c.k + 3, aBatch = c.m * lda + (dense ? 0 : 5);
  int64_t ldc = dense ? c.n : c.n + 2, cBatch = c.m * ldc + (dense ? 0 : 7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> a(c.batch * aBatch + (dense ? 0 : 1));
  std::vector<int8_t> b(c.k * c.n);
  for (auto &v : a)
    v = fill == 1 ? 0x80 : fill == 2 ? 0xFF : uint8_t(byte(rng));
  for (auto &v : b)
    v = fill == 1 ? -128 : fill == 2 ? 127 : int8_t(byte(rng) - 128);
  // Pruning: 2:4 keeps two random rows of each group of four (and of the
  // last, shorter group, at most two).
  int64_t tileCols = (c.n + 15) / 16;
  std::vector<bool> tileDropped(((c.k + 63) / 64) * tileCols);
  for (size_t t = 0; t < tileDropped.size(); ++t)
    tileDropped[t] = byte(rng) < 179;
  for (int64_t j = 0; j < c.n; ++j)
    for (int64_t g = 0; g < c.k; g += 4) {
      int keep0 = byte(rng) % 4, keep1 = (keep0 + 1 + byte(rng) % 3) % 4;
      for (int64_t i = g; i < std::min(g + 4, c.k); ++i) {
        bool drop =
            c.sparse == Sparse::Empty ||
            (c.sparse == Sparse::TwoFour && i - g != keep0 && i - g != keep1) ||
            (c.sparse == Sparse::Unstructured && byte(rng) < 179) ||
            (c.sparse == Sparse::Tiles &&
             tileDropped[(i / 64) * tileCols + j / 16]);
        if (drop)
          b[i * c.n + j] = 0;
      }
    }
  std::vector<int32_t> init(c.batch * cBatch + (dense ? 0 : 1));
  for (auto &v : init)
    v = static_cast<int32_t>(rng());
  std::vector<int32_t> bias(c.n);
  for (auto &v : bias)
    v = static_cast<int32_t>(rng());
  std::vector<int8_t> packed(packedInt8Shape(c.k, c.n).bytes());
  packInt8Rhs(b.data(), c.n, 1, c.k, c.n, packed.data());
  if (c.sparse != Sparse::None) {
    // Exactly its bytes: ASan sees a read past the end.
    std::vector<int8_t> sparse(sparseInt8Bytes(packed.data(), c.k, c.n));
    packSparseInt8Rhs(packed.data(), c.k, c.n, sparse.data());
    packed = std::move(sparse);
  }

  std::vector<int32_t> got = init;
  QGemmArgs args;
  args.batch = c.batch;
  args.m = c.m;
  args.n = c.n;
  args.k = c.k;
  args.a = a.data();
  args.aBatchStride = aBatch;
  args.aRowStride = lda;
  args.aSigned = c.aSigned;
  args.packedB = packed.data();
  args.c = got.data();
  args.cBatchStride = cBatch;
  args.cRowStride = ldc;
  args.accumulate = c.accumulate;
  args.bias = c.bias ? bias.data() : nullptr;
  args.sparseB = c.sparse != Sparse::None;
  qgemm(isa, args);
  std::vector<int32_t> want =
      reference(c, a, lda, aBatch, b, bias, init, ldc, cBatch);
  // Only the rows and columns of C may change: the gaps keep `init`.
  for (int64_t bt = 0; bt < c.batch; ++bt)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = c.n; j < ldc && bt * cBatch + i * ldc + j <
                                           static_cast<int64_t>(want.size());
           ++j)
        want[bt * cBatch + i * ldc + j] = init[bt * cBatch + i * ldc + j];
  ASSERT_EQ(got, want) << isaName(isa) << " batch " << c.batch << " m " << c.m
                       << " n " << c.n << " k " << c.k << " signed "
                       << c.aSigned << " accumulate " << c.accumulate
                       << " fill " << fill << " sparse "
                       << static_cast<int>(c.sparse);
}

using QGemmTest = slim::test::IsaTest;

TEST_P(QGemmTest, OddShapes) {
  std::mt19937 rng(1234);
  const int64_t sizes[] = {1, 3, 16, 17, 33, 127};
  for (int64_t m : sizes)
    for (int64_t n : sizes)
      for (int64_t k : {1, 3, 4, 17, 64, 65, 127})
        check(GetParam(), {1, m, n, k, (m + n + k) % 2 == 0, false}, rng);
}

TEST_P(QGemmTest, LongRowsAndColumns) {
  std::mt19937 rng(99);
  check(GetParam(), {1, 1, 4097, 129, true, false}, rng);
  check(GetParam(), {1, 1, 35, 4097, false, false}, rng);
  check(GetParam(), {1, 300, 49, 70, true, false}, rng);
  check(GetParam(), {1, 17, 4097, 33, false, true}, rng);
}

TEST_P(QGemmTest, SlicesGroupsAndChunks) {
  // Long K in several slices, more panels than a group, more rows than a
  // chunk, whole and partial 32 x 32 blocks, each start (zeros, the column
  // addend, C) and end (C, the scratch): AMX's blocking; the same sizes on
  // every kernel.
  std::mt19937 rng(23);
  for (bool acc : {false, true})
    for (bool bias : {false, true}) {
      check(GetParam(), {1, 64, 288, 1300, true, acc, bias}, rng);
      check(GetParam(), {1, 290, 40, 770, false, acc, bias}, rng);
    }
  check(GetParam(), {2, 47, 513, 769, false, false, true}, rng);
  check(GetParam(), {1, 32, 32, 768, true, true, false}, rng);
}

TEST_P(QGemmTest, ExtremeValues) {
  std::mt19937 rng(7);
  // All -128 x -128 (signed) or 128 x -128 (unsigned), and 255 x 127:
  // the sums vpmaddubsw would saturate.
  for (int fill : {1, 2})
    for (bool s : {true, false})
      check(GetParam(), {1, 19, 21, 259, s, false}, rng, fill);
}

TEST_P(QGemmTest, AccumulateAndBatches) {
  std::mt19937 rng(5);
  check(GetParam(), {3, 5, 18, 9, true, true}, rng);
  check(GetParam(), {2, 40, 33, 70, false, true}, rng);
  check(GetParam(), {4, 1, 7, 3, true, false}, rng);
}

TEST_P(QGemmTest, Threads) {
  // Odd thread counts split the panels unevenly; batches split first.
  std::mt19937 rng(11);
  for (int threads : {1, 2, 3, 5}) {
    setNumThreads(threads);
    check(GetParam(), {1, 67, 1000, 130, true, false}, rng);
    check(GetParam(), {3, 20, 77, 300, false, true}, rng);
    check(GetParam(), {1, 1, 4097, 65, true, false}, rng);
    // Rows enough for AMX's row split (64 per thread), with a bias and
    // accumulation: each thread's row range, uneven at the end.
    check(GetParam(), {1, 300, 70, 130, false, true, true}, rng);
    check(GetParam(), {1, 200, 33, 800, true, false, true}, rng);
  }
  setNumThreads(0);
  EXPECT_GE(getNumThreads(), 1);
}

TEST_P(QGemmTest, DenseBuffers) {
  // No slack after the last row: K not a multiple of 4 reads the tail
  // bytes one by one.
  std::mt19937 rng(17);
  for (int64_t k : {1, 5, 63, 131})
    for (bool s : {true, false}) {
      check(GetParam(), {1, 1, 19, k, s, false}, rng, 0, /*dense=*/true);
      check(GetParam(), {2, 37, 33, k, s, true}, rng, 0, /*dense=*/true);
    }
}

TEST_P(QGemmTest, Bias) {
  // Full-range biases (wrapping sums), with and without the shift of
  // signed activations, accumulating or not, below and above AMX's 16 rows.
  std::mt19937 rng(13);
  for (bool s : {true, false})
    for (bool acc : {false, true}) {
      check(GetParam(), {1, 3, 37, 70, s, acc, true}, rng);
      check(GetParam(), {2, 33, 50, 129, s, acc, true}, rng);
    }
  check(GetParam(), {1, 4, 5, 0, true, false, true}, rng);
}

TEST_P(QGemmTest, EmptySums) {
  std::mt19937 rng(3);
  check(GetParam(), {2, 3, 5, 0, true, false}, rng);
  check(GetParam(), {2, 3, 5, 0, true, true}, rng);
}

TEST_P(QGemmTest, SparseWeights) {
  // The sparse form of B on every path: the fused kernel (AVX-512 VNNI with
  // VBMI2), AMX's per-slice rebuild (16 rows and more; K in several slices,
  // more panels than a group, more rows than a chunk), and chunks rebuilt
  // for the dense kernels (pshufb on AVX2 hosts, loops for generic): odd
  // sizes, both signs, bias, accumulation, batches sharing B, threads.
  // Removed 64 k x 16 blocks are the tiles AMX skips: some slices of a
  // panel pair then have no live tile, or one panel's only.
  std::mt19937 rng(31);
  for (Sparse sp : {Sparse::TwoFour, Sparse::Unstructured, Sparse::Empty,
                    Sparse::Tiles}) {
    for (int64_t m : {1, 2, 5, 16, 33})
      for (int64_t n : {1, 17, 40})
        for (int64_t k : {1, 3, 4, 17, 64, 130})
          check(GetParam(),
                {1, m, n, k, (m + n + k) % 2 == 0, (m + k) % 3 == 0,
                 (n + k) % 2 == 1, sp},
                rng);
    check(GetParam(), {1, 64, 288, 1300, true, true, true, sp}, rng);
    check(GetParam(), {1, 290, 40, 770, false, false, true, sp}, rng);
    check(GetParam(), {3, 20, 77, 300, false, true, false, sp}, rng);
    check(GetParam(), {1, 1, 4097, 65, true, false, false, sp}, rng);
    check(GetParam(), {2, 37, 33, 131, true, true, false, sp}, rng, 0,
          /*dense=*/true);
  }
  // Full-range values where they are kept.
  for (int fill : {1, 2})
    check(GetParam(), {1, 19, 21, 259, true, false, false, Sparse::TwoFour},
          rng, fill);
  for (int threads : {1, 3}) {
    setNumThreads(threads);
    check(GetParam(), {1, 67, 1000, 130, true, false, true, Sparse::TwoFour},
          rng);
    check(GetParam(), {1, 300, 70, 130, false, true, true, Sparse::TwoFour},
          rng);
  }
  setNumThreads(0);
}

TEST(QGemmPacking, SparseLayout) {
  // 2:4 over K = 8, N = 3: each column's quad word keeps two bytes.
  std::vector<int8_t> b(8 * 3, 0);
  for (int64_t j = 0; j < 3; ++j)
    for (int64_t g = 0; g < 8; g += 4) {
      b[(g + j % 4) * 3 + j] = static_cast<int8_t>(10 * j + g + 1);
      b[(g + (j + 2) % 4) * 3 + j] = static_cast<int8_t>(-(10 * j + g + 2));
    }
  PackedInt8Shape s = packedInt8Shape(8, 3);
  std::vector<int8_t> packed(s.bytes());
  packInt8Rhs(b.data(), 3, 1, 8, 3, packed.data());
  int64_t bytes = sparseInt8Bytes(packed.data(), 8, 3);
  // Offsets (2), masks (16 quads), block starts (1), 12 values padded to
  // 16, the column sums (16), the tail (64).
  EXPECT_EQ(bytes, 8 * 2 + 8 * 16 + 4 + 16 + 4 * 16 + 64);
  std::vector<int8_t> sparse(bytes);
  packSparseInt8Rhs(packed.data(), 8, 3, sparse.data());
  int64_t start;
  std::memcpy(&start, sparse.data(), 8);
  EXPECT_EQ(start, 16);
  // Quad 0: column j keeps k = j % 4 and (j + 2) % 4, bytes 4 j + those.
  uint64_t mask;
  std::memcpy(&mask, sparse.data() + start, 8);
  uint64_t want = 0;
  for (int j = 0; j < 3; ++j)
    want |= (uint64_t(1) << (4 * j + j % 4)) |
            (uint64_t(1) << (4 * j + (j + 2) % 4));
  EXPECT_EQ(mask, want);
  // The values in byte order: column 0's k = 0 then 2, column 1's 1 then 3.
  const int8_t *values = sparse.data() + start + 8 * 16 + 4;
  EXPECT_EQ(values[0], b[0 * 3 + 0]);
  EXPECT_EQ(values[1], b[2 * 3 + 0]);
  EXPECT_EQ(values[2], b[1 * 3 + 1]);
  EXPECT_EQ(values[3], b[3 * 3 + 1]);
  // The column sums follow the panel, as in the dense form.
  int64_t sums;
  std::memcpy(&sums, sparse.data() + 8, 8);
  EXPECT_EQ(std::memcmp(sparse.data() + sums, packed.data() + s.kp * s.np,
                        4 * 16),
            0);
}

/// Both operands activations (qgemmActivations): B plain, signed or
/// unsigned, per batch or shared, row-major or transposed (read in place).
struct ActivationCase {
  int64_t batch, m, n, k;
  bool aSigned, bSigned, accumulate;
  bool transposedB = false, sharedB = false;
};

void checkActivations(Isa isa, const ActivationCase &c, std::mt19937 &rng,
                      int fill = 0) {
  int64_t lda = c.k + 1, aBatch = c.m * lda + 3;
  int64_t ldc = c.n + 2, cBatch = c.m * ldc + 1;
  // B is K x N; transposed, its bytes are N x K (K^T as attention has it).
  int64_t bRow = c.transposedB ? 1 : c.n + 5;
  int64_t bCol = c.transposedB ? c.k + 5 : 1;
  int64_t bBatch = c.sharedB ? 0 : (c.transposedB ? c.n * bCol : c.k * bRow) + 7;
  std::uniform_int_distribution<int> byte(0, 255);
  auto value = [&] {
    return fill == 1 ? uint8_t(0x80) : fill == 2 ? uint8_t(0xFF)
                                                 : uint8_t(byte(rng));
  };
  std::vector<uint8_t> a(c.batch * aBatch + 1), b(std::max<int64_t>(
                                                      c.batch, 1) *
                                                      (c.sharedB ? 0 : bBatch) +
                                                  c.k * c.n * 4 + c.k * 5 +
                                                  c.n * 5 + 8);
  for (auto &v : a)
    v = value();
  for (auto &v : b)
    v = value();
  std::vector<int32_t> init(c.batch * cBatch + 1);
  for (auto &v : init)
    v = static_cast<int32_t>(rng());
  std::vector<int32_t> want = init, got = init;
  for (int64_t bt = 0; bt < c.batch; ++bt)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        int64_t sum = 0;
        for (int64_t kk = 0; kk < c.k; ++kk) {
          uint8_t x = a[bt * aBatch + i * lda + kk];
          uint8_t y = b[bt * bBatch + kk * bRow + j * bCol];
          sum += (c.aSigned ? int64_t(int8_t(x)) : int64_t(x)) *
                 (c.bSigned ? int64_t(int8_t(y)) : int64_t(y));
        }
        int32_t &o = want[bt * cBatch + i * ldc + j];
        o = static_cast<int32_t>(
            static_cast<uint32_t>(c.accumulate ? o : 0) +
            static_cast<uint32_t>(sum));
      }
  QGemmActivationArgs args;
  args.gemm.batch = c.batch;
  args.gemm.m = c.m;
  args.gemm.n = c.n;
  args.gemm.k = c.k;
  args.gemm.a = a.data();
  args.gemm.aBatchStride = aBatch;
  args.gemm.aRowStride = lda;
  args.gemm.aSigned = c.aSigned;
  args.gemm.c = got.data();
  args.gemm.cBatchStride = cBatch;
  args.gemm.cRowStride = ldc;
  args.gemm.accumulate = c.accumulate;
  args.b = b.data();
  args.bBatchStride = bBatch;
  args.bRowStride = bRow;
  args.bColStride = bCol;
  args.bSigned = c.bSigned;
  qgemmActivations(isa, args);
  ASSERT_EQ(got, want) << isaName(isa) << " batch " << c.batch << " m "
                       << c.m << " n " << c.n << " k " << c.k << " signed "
                       << c.aSigned << c.bSigned << " accumulate "
                       << c.accumulate << " transposed " << c.transposedB
                       << " shared " << c.sharedB << " fill " << fill;
}

TEST_P(QGemmTest, Activations) {
  std::mt19937 rng(21);
  for (bool as : {true, false})
    for (bool bs : {true, false}) {
      // Attention's shapes (12 heads of 128 x 32 times 32 x 128), odd ones,
      // below and above AMX's 16 rows.
      checkActivations(GetParam(), {12, 128, 128, 32, as, bs, false, true},
                       rng);
      checkActivations(GetParam(), {3, 17, 33, 67, as, bs, false}, rng);
      checkActivations(GetParam(), {2, 1, 5, 3, as, bs, true, false, true},
                       rng);
      checkActivations(GetParam(), {4, 37, 19, 130, as, bs, true, true},
                       rng);
    }
  // The sums the shifts and corrections must not saturate: 0x80 and 0xFF
  // everywhere, read as signed and unsigned.
  for (int fill : {1, 2})
    for (bool as : {true, false})
      for (bool bs : {true, false})
        checkActivations(GetParam(), {2, 19, 21, 259, as, bs, false}, rng,
                         fill);
  checkActivations(GetParam(), {2, 3, 5, 0, true, false, true}, rng);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(QGemmTest);

TEST(QGemmPacking, Layout) {
  PackedInt8Shape s = packedInt8Shape(5, 17);
  EXPECT_EQ(s.kp, 64);
  EXPECT_EQ(s.np, 32);
  EXPECT_EQ(s.bytes(), 64 * 32 + 4 * 32);
  std::vector<int8_t> b(5 * 17);
  for (int i = 0; i < 5 * 17; ++i)
    b[i] = static_cast<int8_t>(i - 40);
  std::vector<int8_t> packed(s.bytes());
  packInt8Rhs(b.data(), 17, 1, 5, 17, packed.data());
  // B[4][16]: panel 1, quad 1, column 0, byte 0.
  EXPECT_EQ(packed[1 * 64 * 16 + 1 * 64 + 0 * 4 + 0], b[4 * 17 + 16]);
  // B[2][3]: panel 0, quad 0, column 3, byte 2.
  EXPECT_EQ(packed[3 * 4 + 2], b[2 * 17 + 3]);
  // Padding is zero; column sums follow the panels.
  EXPECT_EQ(packed[1 * 64 * 16 + 1 * 64 + 1 * 4 + 0], 0);
  int32_t sum3 = 0;
  for (int r = 0; r < 5; ++r)
    sum3 += b[r * 17 + 3];
  int32_t stored;
  std::memcpy(&stored, packed.data() + 64 * 32 + 3 * 4, 4);
  EXPECT_EQ(stored, sum3);
}

} // namespace
