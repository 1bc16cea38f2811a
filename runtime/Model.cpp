//===- Model.cpp - The C runtime of models compiled by slim-compile -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runtime/Model.h"

#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

/// Whether the CPU has `feature` (LLVM's name): true, false, or -1 when the
/// runtime cannot tell (a feature its compiler cannot query).
int hasFeature(const std::string &feature) {
  // Tests pretend a feature is missing, as SLIM_DISABLE_ISA hides ISAs.
  if (const char *hidden = std::getenv("SLIM_HIDE_CPU_FEATURES")) {
    std::string list = std::string(",") + hidden + ",";
    if (list.find("," + feature + ",") != std::string::npos)
      return 0;
  }
  // LLVM's names are the builtin's for every feature the runtime queries.
#define SLIM_FEATURE(name)                                                     \
  if (feature == name)                                                         \
    return __builtin_cpu_supports(name) ? 1 : 0;
  SLIM_FEATURE("sse2")
  SLIM_FEATURE("sse3")
  SLIM_FEATURE("ssse3")
  SLIM_FEATURE("sse4.1")
  SLIM_FEATURE("sse4.2")
  SLIM_FEATURE("popcnt")
  SLIM_FEATURE("avx")
  SLIM_FEATURE("avx2")
  SLIM_FEATURE("fma")
  SLIM_FEATURE("f16c")
  SLIM_FEATURE("bmi")
  SLIM_FEATURE("bmi2")
  SLIM_FEATURE("avx512f")
  SLIM_FEATURE("avx512bw")
  SLIM_FEATURE("avx512cd")
  SLIM_FEATURE("avx512dq")
  SLIM_FEATURE("avx512vl")
  SLIM_FEATURE("avx512vnni")
  SLIM_FEATURE("avx512bf16")
  SLIM_FEATURE("avx512vbmi")
  SLIM_FEATURE("avx512vbmi2")
  SLIM_FEATURE("avx512ifma")
  SLIM_FEATURE("avx512bitalg")
  SLIM_FEATURE("avx512vpopcntdq")
  SLIM_FEATURE("avxvnni")
  SLIM_FEATURE("gfni")
  SLIM_FEATURE("vaes")
  SLIM_FEATURE("vpclmulqdq")
  SLIM_FEATURE("amx-tile")
  SLIM_FEATURE("amx-int8")
  SLIM_FEATURE("amx-bf16")
  SLIM_FEATURE("amx-fp16")
  SLIM_FEATURE("amx-complex")
  SLIM_FEATURE("avx512fp16")
  SLIM_FEATURE("avx512vp2intersect")
  SLIM_FEATURE("avxvnniint8")
  SLIM_FEATURE("avxvnniint16")
  SLIM_FEATURE("avxifma")
  SLIM_FEATURE("avxneconvert")
  SLIM_FEATURE("cmpccxadd")
  SLIM_FEATURE("sha512")
  SLIM_FEATURE("sm3")
  SLIM_FEATURE("sm4")
  SLIM_FEATURE("movbe")
  SLIM_FEATURE("lzcnt")
  SLIM_FEATURE("sha")
  SLIM_FEATURE("adx")
  SLIM_FEATURE("aes")
  SLIM_FEATURE("pclmul")
  SLIM_FEATURE("sse4a")
  SLIM_FEATURE("xsave")
  SLIM_FEATURE("rdrnd")
  SLIM_FEATURE("rdseed")
  SLIM_FEATURE("clflushopt")
  SLIM_FEATURE("clwb")
#undef SLIM_FEATURE
  return -1;
}

} // namespace

extern "C" int slim_rt_check_cpu(const char *features, char *error,
                                 size_t size) {
  std::string missing;
  bool amx = false;
  const char *p = features ? features : "";
  while (*p) {
    const char *end = std::strchr(p, ',');
    std::string entry(p, end ? end - p : std::strlen(p));
    p = end ? end + 1 : p + entry.size();
    if (entry.size() < 2 || entry[0] != '+')
      continue;
    std::string name = entry.substr(1);
    amx |= name == "amx-tile";
    if (hasFeature(name) == 0)
      missing += (missing.empty() ? "" : ", ") + name;
  }
  // The tile state is the operating system's to grant.
  if (missing.empty() && amx && !::slim::runtime::requestAmx())
    missing = "amx-tile (the operating system did not grant the AMX state)";
  if (missing.empty())
    return 0;
  if (error && size > 0)
    std::snprintf(error, size,
                  "this CPU lacks features the model was compiled for: %s",
                  missing.c_str());
  return 1;
}

namespace {
/// MLIR's ranked memref descriptor, as the LLVM lowering lays it out.
struct Descriptor {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[]; // sizes[rank], then strides[rank]
};
} // namespace

extern "C" void slim_rt_memref_copy(int64_t elementSize,
                                    const slim_rt_unranked_memref *source,
                                    const slim_rt_unranked_memref *target) {
  int64_t rank = source->rank;
  auto *src = static_cast<const Descriptor *>(source->descriptor);
  auto *dst = static_cast<const Descriptor *>(target->descriptor);
  const int64_t *sizes = src->sizesAndStrides;
  const int64_t *srcStrides = src->sizesAndStrides + rank;
  const int64_t *dstStrides = dst->sizesAndStrides + rank;
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return;
  const char *from = src->aligned + src->offset * elementSize;
  char *to = dst->aligned + dst->offset * elementSize;
  if (rank == 0) {
    std::memcpy(to, from, elementSize);
    return;
  }
  // An odometer over the dimensions but the last; the last row by row
  // (contiguous rows in one memcpy).
  std::vector<int64_t> index(rank, 0);
  int64_t last = rank - 1;
  bool contiguous = srcStrides[last] == 1 && dstStrides[last] == 1;
  while (true) {
    int64_t srcOffset = 0, dstOffset = 0;
    for (int64_t d = 0; d < last; ++d) {
      srcOffset += index[d] * srcStrides[d];
      dstOffset += index[d] * dstStrides[d];
    }
    if (contiguous) {
      std::memcpy(to + dstOffset * elementSize, from + srcOffset * elementSize,
                  sizes[last] * elementSize);
    } else {
      for (int64_t j = 0; j < sizes[last]; ++j)
        std::memcpy(to + (dstOffset + j * dstStrides[last]) * elementSize,
                    from + (srcOffset + j * srcStrides[last]) * elementSize,
                    elementSize);
    }
    int64_t d = last - 1;
    while (d >= 0 && ++index[d] == sizes[d])
      index[d--] = 0;
    if (d < 0)
      return;
  }
}

extern "C" void slim_rt_set_num_threads(int threads) {
  ::slim::runtime::setNumThreads(threads);
}

extern "C" int slim_rt_get_num_threads(void) {
  return ::slim::runtime::getNumThreads();
}

namespace {

/// Buffers a compiled model frees are kept for its next call: a model
/// allocates the same sizes in the same order on every call, and a large
/// buffer that goes back to the system costs its page faults (and the
/// kernel's zeroing) again each time: at MiniLM 32 x 64 about a fifth of
/// the run. Blocks below kMinCached stay malloc's (its bins are fast).
constexpr size_t kMinCached = size_t(64) << 10;

struct BlockCache {
  std::mutex mutex;
  /// Every block this cache made, by address: its size.
  std::unordered_map<void *, size_t> sizes;
  /// The blocks freed and kept, by size.
  std::unordered_multimap<size_t, void *> kept;
  size_t keptBytes = 0;
};

/// Never destroyed: a model may free its buffers during static destruction.
BlockCache &blockCache() {
  static BlockCache *cache = new BlockCache;
  return *cache;
}

} // namespace

extern "C" void *slim_rt_alloc(size_t size) {
  if (size < kMinCached)
    return std::malloc(size);
  BlockCache &cache = blockCache();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto it = cache.kept.find(size);
    if (it != cache.kept.end()) {
      void *block = it->second;
      cache.kept.erase(it);
      cache.keptBytes -= size;
      return block;
    }
  }
  void *block = std::malloc(size);
  if (block) {
    std::lock_guard<std::mutex> lock(cache.mutex);
    cache.sizes[block] = size;
  }
  return block;
}

extern "C" void *slim_rt_aligned_alloc(size_t alignment, size_t size) {
  // What memref lowering's aligned form asks for; compiled models use the
  // plain one (they align inside the block), so this one is not cached.
  return std::aligned_alloc(alignment, (size + alignment - 1) / alignment *
                                           alignment);
}

extern "C" void slim_rt_free(void *block) {
  if (!block)
    return;
  BlockCache &cache = blockCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto it = cache.sizes.find(block);
  if (it == cache.sizes.end()) {
    std::free(block); // a small block, or an aligned one
    return;
  }
  cache.kept.emplace(it->second, block);
  cache.keptBytes += it->second;
}

extern "C" size_t slim_rt_release_memory(void) {
  BlockCache &cache = blockCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  size_t released = cache.keptBytes;
  for (auto &[size, block] : cache.kept) {
    cache.sizes.erase(block);
    std::free(block);
  }
  cache.kept.clear();
  cache.keptBytes = 0;
  return released;
}

std::vector<slim::runtime::GeneratedCodeSymbol>
slim::runtime::getGeneratedCodeSymbols() {
  auto address = [](auto *fn) { return reinterpret_cast<void *>(fn); };
  return {
      // Strided copies (memref.copy of buffers not both contiguous).
      {"memrefCopy", "slim_rt_memref_copy", address(&slim_rt_memref_copy)},
      // Buffers (memref.alloc / dealloc with use-generic-functions).
      {"_mlir_memref_to_llvm_alloc", "slim_rt_alloc", address(&slim_rt_alloc)},
      {"_mlir_memref_to_llvm_aligned_alloc", "slim_rt_aligned_alloc",
       address(&slim_rt_aligned_alloc)},
      {"_mlir_memref_to_llvm_free", "slim_rt_free", address(&slim_rt_free)},
      // The thread count of parallel regions (slim-openmp-threads).
      {"slim_rt_get_num_threads", "slim_rt_get_num_threads",
       address(&slim_rt_get_num_threads)},
  };
}
