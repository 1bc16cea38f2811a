//===- peers.cpp - Timed GEMMs of Slim's kernels, oneDNN and OpenBLAS -----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// One measurement per invocation, for benchmarks/run.py to interleave:
//
//   slim-bench-peers gemm LIB KIND M N K THREADS SECONDS
//     LIB  slim | onednn | openblas;  KIND f32 | u8s8 (u8 activations,
//     s8 weights, s32 result).  Weights are prepared once outside the timed
//     loop: packed (Slim), reordered to oneDNN's chosen layout; OpenBLAS has
//     no prepacked form. Prints "ms <median ms per call> isa <what ran>".
//   slim-bench-peers peak NAME SECONDS
//     NAME fma512 | fma256 | vnni512 | vnni256 | avx2int8 | amx: a
//     register-only loop of that instruction (12 independent chains; AMX: 4
//     accumulator tiles) on one thread. Prints "gops <10^9 ops/s>", where a
//     multiply-add counts as 2 ops, or "unsupported".
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Target.h"
#include "slim/LowRank/Factorize.h"
#include "slim/Runtime/Kernels.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include <cblas.h>
void openblas_set_num_threads(int);
}

double peakGops(const std::string &name, double seconds);

using Clock = std::chrono::steady_clock;
namespace rt = slim::runtime;

/// Median milliseconds of `call` over repetitions filling `seconds`
/// (after two warm-up calls).
static double medianMs(const std::function<void()> &call, double seconds) {
  call();
  call();
  std::vector<double> times;
  auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (times.size() < 5 || (Clock::now() < end && times.size() < 100000)) {
    auto t0 = Clock::now();
    call();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0)
                        .count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  return times[times.size() / 2];
}

/// 2:4 along K: two random weights of every four of a column of the
/// K x N row-major `b` set to zero.
template <typename T>
static void prune24(std::vector<T> &b, int64_t k, int64_t n,
                    std::mt19937 &rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t g = 0; g + 4 <= k; g += 4) {
      int keep0 = byte(rng) % 4, keep1 = (keep0 + 1 + byte(rng) % 3) % 4;
      for (int i = 0; i < 4; ++i)
        if (i != keep0 && i != keep1)
          b[(g + i) * n + j] = T(0);
    }
}

static int gemm(const std::string &lib, const std::string &kind, int64_t m,
                int64_t n, int64_t k, int threads, double seconds) {
  std::mt19937 rng(1);
  // int4 / int4-i8: weight-only 4 bits in groups of 32 along K (f32 A and
  // C), computed in f32 or with the activation quantized to int8.
  // int4-24 / int4-24dense: the same, pruned 2:4 along K, in the 2:4 form
  // or the plain layout.
  bool lowBit24 = kind == "int4-24" || kind == "int4-24dense";
  bool lowBit = kind == "int4" || kind == "int4-i8" || lowBit24;
  // f32-blockNN[xH][-dense] / u8s8-blockNN[xH][-dense]: B pruned in blocks
  // of H k (4 unless given) x 16 columns (NN% of them, at random), in the
  // compressed form (f32: row-compressed panels; int8: the masked sparse
  // form) or dense.
  std::string base = kind;
  double blockSparsity = 0;
  int64_t blockK = 4;
  bool blockDense = false;
  if (size_t at = kind.find("-block"); at != std::string::npos) {
    base = kind.substr(0, at);
    blockSparsity = std::stod(kind.substr(at + 6, 2)) / 100.0;
    if (kind.size() > at + 8 && kind[at + 8] == 'x')
      blockK = std::stoll(kind.substr(at + 9));
    blockDense = kind.size() > 6 && kind.substr(kind.size() - 6) == "-dense";
  }
  // f32-lrR: the weight as two factors of rank R (K x R, R x N, random):
  // two calls of Slim's f32 kernel, x A then by B (slim-low-rank's form).
  int64_t lowRank = 0;
  if (kind.rfind("f32-lr", 0) == 0) {
    lowRank = std::stoll(kind.substr(6));
    base = "f32";
  }
  // f32-24 / f32-24dense: B pruned to 2:4 along K (two random weights of
  // every four of a column), given row-compressed with lane masks or dense.
  // onebit: W = sign(B) diag(scales) at one bit per weight (slim-low-rank
  // method=onebit's slim.sign_matmul; its x * a is an elementwise op
  // before it, not timed here).
  if (kind == "onebit")
    base = "f32";
  bool f32Pruned24 = kind == "f32-24" || kind == "f32-24dense";
  if (f32Pruned24)
    base = "f32";
  bool f32 = base == "f32" || lowBit;
  std::vector<float> af(f32 ? m * k : 0), bf(f32 ? k * n : 0),
      cf(f32 ? m * n : 0);
  std::vector<uint8_t> a8(f32 ? 0 : m * k);
  std::vector<int8_t> b8(f32 ? 0 : k * n);
  std::vector<int32_t> c32(f32 ? 0 : m * n);
  std::uniform_real_distribution<float> real(-1, 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (auto &v : af)
    v = real(rng);
  for (auto &v : bf)
    v = real(rng);
  for (auto &v : a8)
    v = uint8_t(byte(rng));
  for (auto &v : b8)
    v = int8_t(byte(rng) - 128);
  if (blockSparsity > 0) {
    std::uniform_real_distribution<double> u(0, 1);
    for (int64_t k0 = 0; k0 < k; k0 += blockK)
      for (int64_t j0 = 0; j0 < n; j0 += 16) {
        if (u(rng) >= blockSparsity)
          continue;
        for (int64_t kk = k0; kk < std::min(k0 + blockK, k); ++kk)
          for (int64_t j = j0; j < std::min(j0 + 16, n); ++j) {
            if (f32)
              bf[kk * n + j] = 0;
            else
              b8[kk * n + j] = 0;
          }
      }
  }
  std::string isa;
  double ms = 0;

  if (lib == "slim") {
    rt::setNumThreads(threads);
    rt::Isa best = mlir::slim::codegen::bestHostIsa();
    isa = rt::isaName(best);
    if (lowBit) {
      bool i8 = kind == "int4-i8";
      isa = std::string(i8 ? "int8-act " : "f32 ") +
            (best >= rt::Isa::Avx512Vnni ? "avx512" : best >= rt::Isa::Avx2 ? "avx2" : "generic");
      std::vector<int32_t> q(k * n);
      for (auto &v : q)
        v = byte(rng) % 16 - 8;
      rt::PackedLowBitShape s = rt::packedLowBitShape(k, n, 4, 32, i8);
      std::vector<uint8_t> packed(s.bytes());
      if (lowBit24) {
        // Zero point 0 (stored 8): two random values of every four kept.
        for (int64_t j = 0; j < n; ++j)
          for (int64_t t = 0; t < k; t += 4) {
            int keep0 = byte(rng) % 4, keep1 = (keep0 + 1 + byte(rng) % 3) % 4;
            for (int64_t kk = t; kk < std::min(t + 4, k); ++kk)
              if (kk - t != keep0 && kk - t != keep1)
                q[kk * n + j] = 0;
          }
      }
      if (kind == "int4-24") {
        std::vector<int32_t> zeros(s.groups() * n, 0);
        packed.assign(rt::sparseLowBitBytes(k, n), 0);
        rt::packSparseLowBitRhs(q.data(), zeros.data(), k, n, 32, true,
                                packed.data());
        isa += " 2:4";
      } else {
        rt::packLowBitRhs(q.data(), k, n, 4, true, packed.data(), i8);
      }
      std::vector<float> scales(s.groups() * s.np, 0.01f);
      std::vector<int8_t> offsets(s.groups() * s.np, 8);
      rt::WGemmArgs args;
      args.m = m, args.n = n, args.k = k;
      args.a = af.data(), args.aRowStride = k;
      args.packedB = packed.data();
      args.bits = 4, args.groupSize = 32;
      args.scales = scales.data(), args.offsets = offsets.data();
      args.c = cf.data(), args.cRowStride = n;
      args.int8Activations = i8;
      args.sparse24 = kind == "int4-24";
      ms = medianMs([&] { rt::wgemm(best, args); }, seconds);
    } else if (f32) {
      // The f32 kernels: AVX-512 for avx512_vnni and amx, AVX2 + FMA for
      // avx2 and avx_vnni.
      isa = best >= rt::Isa::Avx512Vnni ? "avx512-fma"
            : best >= rt::Isa::Avx2     ? "avx2-fma"
                                        : "generic";
      if (kind == "onebit") {
        std::vector<uint8_t> signs(rt::packedSignBytes(k, n));
        rt::packSignRhs(bf.data(), k, n, signs.data());
        std::vector<float> scales(n, 0.01f);
        rt::SignGemmArgs args;
        args.m = m, args.n = n, args.k = k;
        args.a = af.data(), args.aRowStride = k;
        args.packedB = signs.data(), args.scales = scales.data();
        args.c = cf.data(), args.cRowStride = n;
        isa = std::string(best >= rt::Isa::Avx512Vnni ? "avx512"
                          : best >= rt::Isa::Avx2     ? "avx2"
                                                      : "generic") +
              " 1-bit";
        ms = medianMs([&] { rt::signGemm(best, args); }, seconds);
        std::printf("ms %.6f isa %s\n", ms, isa.c_str());
        return 0;
      }
      if (lowRank > 0) {
        // A (K x R) and B (R x N) packed, the M x R product in between.
        std::vector<float> fa(k * lowRank), fb(lowRank * n), mid(m * lowRank);
        for (auto &v : fa)
          v = real(rng);
        for (auto &v : fb)
          v = real(rng);
        std::vector<float> pa(rt::packedF32Shape(k, lowRank).elements()),
            pb(rt::packedF32Shape(lowRank, n).elements());
        rt::packF32Rhs(fa.data(), lowRank, 1, k, lowRank, pa.data());
        rt::packF32Rhs(fb.data(), n, 1, lowRank, n, pb.data());
        rt::SGemmArgs first, second;
        first.m = m, first.n = lowRank, first.k = k;
        first.a = af.data(), first.aRowStride = k;
        first.packedB = pa.data();
        first.c = mid.data(), first.cRowStride = lowRank;
        second.m = m, second.n = n, second.k = lowRank;
        second.a = mid.data(), second.aRowStride = lowRank;
        second.packedB = pb.data();
        second.c = cf.data(), second.cRowStride = n;
        isa += " x2";
        ms = medianMs(
            [&] {
              rt::sgemm(best, first);
              rt::sgemm(best, second);
            },
            seconds);
        std::printf("ms %.6f isa %s\n", ms, isa.c_str());
        return 0;
      }
      if (f32Pruned24)
        prune24(bf, k, n, rng);
      std::vector<float> packed(rt::packedF32Shape(k, n).elements());
      rt::packF32Rhs(bf.data(), n, 1, k, n, packed.data());
      std::vector<int8_t> rows;
      rt::SGemmArgs args;
      if ((blockSparsity > 0 && !blockDense) || kind == "f32-24") {
        rows.resize(rt::sparseF32Bytes(packed.data(), k, n));
        rt::packSparseF32Rhs(packed.data(), k, n, rows.data());
        args.sparseB = rows.data();
        isa += "-rows";
      }
      args.m = m, args.n = n, args.k = k;
      args.a = af.data(), args.aRowStride = k;
      args.packedB = packed.data();
      args.c = cf.data(), args.cRowStride = n;
      ms = medianMs([&] { rt::sgemm(best, args); }, seconds);
    } else {
      // u8s8-24 / u8s8-24dense: B pruned to 2:4 along K (two random bytes
      // of every four of a column), in the sparse form or dense.
      bool pruned = kind == "u8s8-24" || kind == "u8s8-24dense";
      if (pruned)
        prune24(b8, k, n, rng);
      std::vector<int8_t> packed(rt::packedInt8Shape(k, n).bytes());
      rt::packInt8Rhs(b8.data(), n, 1, k, n, packed.data());
      bool sparse = kind == "u8s8-24" || (blockSparsity > 0 && !blockDense);
      if (sparse) {
        std::vector<int8_t> s(rt::sparseInt8Bytes(packed.data(), k, n));
        rt::packSparseInt8Rhs(packed.data(), k, n, s.data());
        packed = std::move(s);
        isa += " sparse";
      }
      rt::QGemmArgs args;
      args.sparseB = sparse;
      args.m = m, args.n = n, args.k = k;
      args.a = a8.data(), args.aRowStride = k, args.aSigned = false;
      args.packedB = packed.data();
      args.c = c32.data(), args.cRowStride = n;
      ms = medianMs([&] { rt::qgemm(best, args); }, seconds);
    }
  } else if (lib == "onednn") {
    using namespace dnnl;
    setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
    engine eng(engine::kind::cpu, 0);
    stream strm(eng);
    using dt = memory::data_type;
    dt at = f32 ? dt::f32 : dt::u8, bt = f32 ? dt::f32 : dt::s8,
       ct = f32 ? dt::f32 : dt::s32;
    memory::desc aMd({m, k}, at, memory::format_tag::ab);
    memory::desc bAny({k, n}, bt, memory::format_tag::any);
    memory::desc bPlain({k, n}, bt, memory::format_tag::ab);
    memory::desc cMd({m, n}, ct, memory::format_tag::ab);
    matmul::primitive_desc pd(matmul::desc(aMd, bAny, cMd), eng);
    isa = pd.impl_info_str();
    memory aMem(aMd, eng, f32 ? static_cast<void *>(af.data()) : a8.data());
    memory bSrc(bPlain, eng, f32 ? static_cast<void *>(bf.data()) : b8.data());
    memory bMem(pd.weights_desc(), eng);
    reorder(bSrc, bMem).execute(strm, bSrc, bMem);
    memory cMem(cMd, eng, f32 ? static_cast<void *>(cf.data()) : c32.data());
    matmul prim(pd);
    ms = medianMs(
        [&] {
          prim.execute(strm, {{DNNL_ARG_SRC, aMem},
                              {DNNL_ARG_WEIGHTS, bMem},
                              {DNNL_ARG_DST, cMem}});
          strm.wait();
        },
        seconds);
  } else if (lib == "openblas" && f32) {
    openblas_set_num_threads(threads);
    isa = "sgemm";
    ms = medianMs(
        [&] {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                      af.data(), k, bf.data(), n, 0.0f, cf.data(), n);
        },
        seconds);
  } else {
    std::fprintf(stderr, "slim-bench-peers: no %s %s\n", lib.c_str(),
                 kind.c_str());
    return 1;
  }
  std::printf("ms %.6f isa %s\n", ms, isa.c_str());
  return 0;
}

/// C = A B for row-major A (M x K) and B (K x N), on Slim's f32 kernel.
static void multiply(const float *a, const float *b, float *c, int64_t m,
                     int64_t k, int64_t n) {
  std::vector<float> packed(rt::packedF32Shape(k, n).elements());
  rt::packF32Rhs(b, n, 1, k, n, packed.data());
  rt::SGemmArgs args;
  args.m = m, args.n = n, args.k = k;
  args.a = a, args.aRowStride = k;
  args.packedB = packed.data();
  args.c = c, args.cRowStride = n;
  rt::sgemm(mlir::slim::codegen::bestHostIsa(), args);
}

/// slim-low-rank's SVD on a K x N weight with a decaying spectrum (G1
/// diag(1 / (1 + i / 32)) G2, G1 K x 1024 and G2 1024 x N Gaussian): the
/// exact solver (BDCSVD) and the randomized one at `rank`, each timed once,
/// with the relative Frobenius error of its rank-`rank` factors.
static int svd(int64_t k, int64_t n, int64_t rank) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  int64_t inner = std::min<int64_t>(1024, std::min(k, n));
  std::vector<float> g1(k * inner), g2(inner * n), w(k * n, 0.0f);
  for (auto &v : g1)
    v = normal(rng);
  for (int64_t i = 0; i < inner; ++i)
    for (int64_t j = 0; j < n; ++j)
      g2[i * n + j] = normal(rng) / (1.0f + float(i) / 32.0f);
  multiply(g1.data(), g2.data(), w.data(), k, inner, n);
  double total = 0.0;
  for (float v : w)
    total += double(v) * v;
  for (auto solver : {slim::lowrank::Solver::Exact,
                      slim::lowrank::Solver::Randomized}) {
    slim::lowrank::FactorizeOptions o;
    o.solver = solver;
    o.rank = rank;
    std::string error;
    auto t0 = std::chrono::steady_clock::now();
    auto d = slim::lowrank::Decomposition::compute(w.data(), k, n, nullptr, o,
                                                   error);
    double s = std::chrono::duration<double>(
                   std::chrono::steady_clock::now() - t0)
                   .count();
    if (!d) {
      std::fprintf(stderr, "svd failed: %s\n", error.c_str());
      return 1;
    }
    std::vector<float> fa, fb;
    d->factors(rank, fa, fb);
    std::vector<float> wr(k * n, 0.0f);
    multiply(fa.data(), fb.data(), wr.data(), k, rank, n);
    double err = 0.0;
    for (int64_t i = 0; i < k * n; ++i)
      err += double(w[i] - wr[i]) * double(w[i] - wr[i]);
    std::printf("%s s %.3f error %.6f\n",
                solver == slim::lowrank::Solver::Exact ? "exact" : "randomized",
                s, std::sqrt(err / total));
  }
  return 0;
}

int main(int argc, char **argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 4 && a[0] == "svd")
    return svd(std::stoll(a[1]), std::stoll(a[2]), std::stoll(a[3]));
  if (a.size() == 8 && a[0] == "gemm")
    return gemm(a[1], a[2], std::stoll(a[3]), std::stoll(a[4]),
                std::stoll(a[5]), std::stoi(a[6]), std::stod(a[7]));
  if (a.size() == 3 && a[0] == "peak") {
    double g = peakGops(a[1], std::stod(a[2]));
    if (g < 0)
      std::printf("unsupported\n");
    else
      std::printf("gops %.1f\n", g);
    return 0;
  }
  std::fprintf(stderr, "usage: slim-bench-peers gemm LIB KIND M N K THREADS "
                       "SECONDS | peak NAME SECONDS | svd K N RANK\n");
  return 2;
}
