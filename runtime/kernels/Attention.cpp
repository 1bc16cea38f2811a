//===- Attention.cpp - Attention heads in one pass ------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The driver of the attention kernel (AttentionImpl.h): the heads (and,
// when there are fewer heads than threads, blocks of query rows) are the
// work items, each thread with its own scratch buffers.
//
//===----------------------------------------------------------------------===//

#include "AttentionImpl.h"
#include "Dispatch.h"
#include "Parallel.h"

#include <vector>

using namespace slim::runtime;
using namespace slim::runtime::detail;

using AttentionRows = void (*)(const AttentionArgs &, int64_t, int64_t, int64_t,
                               int64_t, AttentionScratch &);

static void attentionRowsGeneric(const AttentionArgs &args, int64_t b,
                                 int64_t h, int64_t r0, int64_t r1,
                                 AttentionScratch &scratch) {
  attentionRows(args, b, h, r0, r1, scratch);
}

void slim::runtime::attention(Isa isa, const AttentionArgs &args) {
  if (args.batch <= 0 || args.heads <= 0 || args.m <= 0 || args.dv <= 0)
    return;
  AttentionRows rows = byVectorWidth<AttentionRows>(
      isa, attentionRowsGeneric, attentionRowsAvx2, attentionRowsAvx512);
  if (args.n <= 0) {
    // No keys: the softmax of an empty row divides 0 by 0.
    for (int64_t b = 0; b < args.batch; ++b)
      for (int64_t h = 0; h < args.heads; ++h)
        for (int64_t i = 0; i < args.m; ++i)
          for (int64_t e = 0; e < args.dv; ++e)
            args.out[b * args.outStrides[0] + h * args.outStrides[1] +
                     i * args.outStrides[2] + e * args.outStrides[3]] =
                std::numeric_limits<float>::quiet_NaN();
    return;
  }
  int64_t heads = args.batch * args.heads;
  int threads = threadsFor(heads * args.m * args.n * (args.d + args.dv));
  // Blocks of rows per head: enough work items for every thread.
  int64_t blocks = 1;
  if (heads < threads)
    blocks = std::min<int64_t>((threads + heads - 1) / heads,
                               (args.m + kAttentionRows - 1) / kAttentionRows);
  int64_t chunk = (args.m + blocks - 1) / blocks;
  chunk = (chunk + kAttentionRows - 1) / kAttentionRows * kAttentionRows;
  blocks = (args.m + chunk - 1) / chunk;
  int64_t items = heads * blocks;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1)
#endif
  {
    std::vector<float> buffer(
        static_cast<size_t>(AttentionScratch::floats(args)));
    AttentionScratch scratch = AttentionScratch::carve(args, buffer.data());
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t item = 0; item < items; ++item) {
      int64_t head = item / blocks, r0 = (item % blocks) * chunk;
      rows(args, head / args.heads, head % args.heads, r0,
           std::min(args.m, r0 + chunk), scratch);
    }
  }
}
