/*===- Model.h - The C runtime of models compiled by slim-compile -*- C -*-===*\
|*                                                                            *|
|* Part of the Slim project: an MLIR-based model-compression compiler.        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * What the header slim-compile writes for a model calls: the check of the
 * CPU's features against those the model was compiled for, and the number
 * of threads the micro-kernels use. Part of libSlimRuntime (C++ inside, C
 * calling convention), which a compiled model links.
 */

#ifndef SLIM_RUNTIME_MODEL_H
#define SLIM_RUNTIME_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Checks that this CPU has every feature in `features` (LLVM's spelling,
 * comma-separated, each with a leading '+': "+avx2,+fma,+avx512f"; entries
 * with '-' are ignored) that the runtime can query, and that the operating
 * system grants AMX's tile state when amx-tile is listed. Returns 0 when
 * it does; otherwise 1, with a message naming the missing features written
 * to `error` (at most `size` bytes, NUL-terminated) when it is not NULL.
 * The environment variable SLIM_HIDE_CPU_FEATURES (comma-separated names)
 * makes features count as missing, for tests. */
int slim_rt_check_cpu(const char *features, char *error, size_t size);

/* An unranked memref as MLIR passes one: the rank and a pointer to the
 * ranked descriptor (allocated and aligned pointers, offset, sizes,
 * strides). */
typedef struct {
  int64_t rank;
  void *descriptor;
} slim_rt_unranked_memref;

/* What compiled code calls for a memref.copy between buffers that are not
 * both contiguous (MLIR's memrefCopy, which slim-compile renames to this):
 * copies `source` into `target`, same sizes, any strides. */
void slim_rt_memref_copy(int64_t element_size,
                         const slim_rt_unranked_memref *source,
                         const slim_rt_unranked_memref *target);

/* The threads the micro-kernels and parallel loops split a call over (0: all the hardware
 * threads the OpenMP runtime sees; the default). */
void slim_rt_set_num_threads(int threads);

/* The threads a call splits over: the number set above, else OpenMP's
 * default. The micro-kernels and the compiled model's parallel loops
 * (each an OpenMP parallel region) both ask this. */
int slim_rt_get_num_threads(void);

/* The buffers a compiled model allocates and frees (memref.alloc and
 * memref.dealloc: MLIR's _mlir_memref_to_llvm_alloc / _free, which the JIT
 * binds and slim-compile renames to these). Blocks of 64 KiB or more are
 * kept when freed and handed out again for the same size, so that a model's
 * next call finds its buffers already mapped; thread-safe. */
void *slim_rt_alloc(size_t size);
void *slim_rt_aligned_alloc(size_t alignment, size_t size);
void slim_rt_free(void *block);

/* Returns the kept blocks to the system (they are kept until then, or
 * until the process ends); returns their bytes. */
size_t slim_rt_release_memory(void);

#ifdef __cplusplus
}
#endif

#endif /* SLIM_RUNTIME_MODEL_H */
