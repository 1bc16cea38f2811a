// slim-compile: the object and its C header, a C program linking them
// (examples/aot/npy-driver.c) against slim-run on the same inputs, bit for
// bit; --shared; the load-time refusal on a CPU without a feature; the
// refusals of the tool (cross-compiling: cross.mlir).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: slim-compile %s -o %t/tiny.o
// RUN: FileCheck %s --check-prefix=CHECK-H < %t/tiny.h
// CHECK-H: #include "slim/Runtime/Model.h"
// CHECK-H: enum { TINY_NUM_INPUTS = 2, tiny_num_inputs = 2 };
// CHECK-H: /* input 0: float32 [3, 5] */
// CHECK-H: typedef float tiny_input0_t;
// CHECK-H: static const int64_t tiny_input0_shape[] = {3, 5};
// CHECK-H: /* input 1: int64 [3] */
// CHECK-H: static const char *const tiny_input_dtypes[] = {"float32", "int64"};
// CHECK-H: static const size_t tiny_input_bytes[] = {60, 24};
// CHECK-H: enum { TINY_NUM_OUTPUTS = 2, tiny_num_outputs = 2 };
// CHECK-H: static const int64_t *const tiny_output_shapes[] = {tiny_output0_shape, tiny_output1_shape};
// CHECK-H: static const size_t tiny_output_bytes[] = {48, 24};
// CHECK-H: extern const char tiny_cpu_features[];
// CHECK-H: void tiny_entry(const void *const *inputs, void *const *outputs);
// CHECK-H: static inline tiny_model *tiny_load(char *error, size_t size) {
// CHECK-H: static inline int tiny_run(tiny_model *model, const void *const *inputs,
// CHECK-H: static inline void tiny_free(tiny_model *model)
//
// Only the C API is exported (the model's own main stays inside).
// RUN: nm %t/tiny.o | FileCheck %s --check-prefix=CHECK-NM
// CHECK-NM-NOT: T main
// CHECK-NM-DAG: R tiny_cpu_features
// CHECK-NM-DAG: T tiny_entry
// CHECK-NM-DAG: U slim_uk_sgemm_f32_
// Buffers through the runtime's allocator (MLIR's generic names, renamed).
// CHECK-NM-DAG: U slim_rt_alloc
// CHECK-NM-DAG: U slim_rt_free
// RUN: nm %t/tiny.o | FileCheck %s --check-prefix=CHECK-NOMALLOC
// CHECK-NOMALLOC-NOT: {{_mlir_memref_to_llvm|U malloc$|U free$}}
//
// RUN: %cc -DMODEL=tiny -DMODEL_HEADER='"tiny.h"' -I%t %slim_src_root/examples/aot/npy-driver.c %t/tiny.o %cc-model-libs -o %t/run-tiny
// RUN: %ref gen %t/x.npy --shape 3,5 --random 15 --range=-2,2 --seed 3
// RUN: %ref gen %t/i.npy --dtype int64 --shape 3 --values=5,-7,4611686018427387904
// RUN: %t/run-tiny %t/x.npy %t/i.npy %t/o0.npy %t/o1.npy
// RUN: slim-run %s --input %t/x.npy --input %t/i.npy --output %t/r0.npy --output %t/r1.npy
// RUN: %ref same %t/o0.npy %t/r0.npy --label aot-float | FileCheck %s --check-prefix=CHECK-EQ0
// RUN: %ref same %t/o1.npy %t/r1.npy --label aot-int | FileCheck %s --check-prefix=CHECK-EQ1
// CHECK-EQ0: aot-float: 12 values, 0 mismatches
// CHECK-EQ1: aot-int: 3 values, 0 mismatches
//
// An input of the wrong shape is refused by the driver.
// RUN: not %t/run-tiny %t/i.npy %t/i.npy %t/o0.npy %t/o1.npy 2>&1 | FileCheck %s --check-prefix=CHECK-SHAPE
// CHECK-SHAPE: error: {{.*}}i.npy: expected float32 (3, 5)
//
// A CPU without a feature the model was compiled for: load refuses.
// RUN: env SLIM_HIDE_CPU_FEATURES=sse2 not %t/run-tiny %t/x.npy %t/i.npy %t/o0.npy %t/o1.npy 2>&1 | FileCheck %s --check-prefix=CHECK-CPU
// CHECK-CPU: error: this CPU lacks features the model was compiled for: sse2
//
// --shared: the runtime linked in; the program links the library alone.
// RUN: slim-compile %s --shared -o %t/libtiny.so --header %t/tiny-shared.h
// RUN: %cc -DMODEL=libtiny -DMODEL_HEADER='"tiny-shared.h"' -I%t %slim_src_root/examples/aot/npy-driver.c %t/libtiny.so -Wl,-rpath,%t -o %t/run-shared
// RUN: %t/run-shared %t/x.npy %t/i.npy %t/s0.npy %t/s1.npy
// RUN: %ref same %t/s0.npy %t/r0.npy --label shared | FileCheck %s --check-prefix=CHECK-SHARED
// CHECK-SHARED: shared: 12 values, 0 mismatches
//
// Refusals.
// RUN: not slim-compile %s -o %t/bad.o --name 9lives 2>&1 | FileCheck %s --check-prefix=CHECK-NAME
// CHECK-NAME: error: --name must be a C identifier, got '9lives'
// RUN: not slim-compile %s -o %t/bad.o --isa avx9 2>&1 | FileCheck %s --check-prefix=CHECK-ISA
// CHECK-ISA: error: unknown micro-kernel isa 'avx9'
// RUN: not slim-compile %s -o %t/bad.o --target-cpu x86-64-v3 --isa avx512_vnni 2>&1 | FileCheck %s --check-prefix=CHECK-ISA-CPU
// CHECK-ISA-CPU: error: the avx512_vnni micro-kernels need features CPU 'x86-64-v3' does not have (add them with --target-features)
// RUN: not slim-compile %s -o %t/bad.o -O 4 2>&1 | FileCheck %s --check-prefix=CHECK-OPT
// CHECK-OPT: error: -O 4 is out of range (0 to 3)
// RUN: not slim-compile %s -o %t/bad.o -e nowhere 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY
// CHECK-ENTRY: entry function '@nowhere' is not defined in the module
// RUN: not slim-compile %S/Inputs/dynamic.mlir -o %t/bad.o 2>&1 | FileCheck %s --check-prefix=CHECK-DYN
// CHECK-DYN: error: the entry's arguments need static shapes to be compiled ahead of time; got an argument of type tensor<?x5xf32>
// RUN: not slim-compile %t/missing.mlir -o %t/bad.o 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: {{.*}}missing.mlir

func.func @main(%x: tensor<3x5xf32>, %ids: tensor<3xi64>) -> (tensor<3x4xf32>, tensor<3xi64>) {
  %w = arith.constant dense<[[1.0, -2.0, 0.5, 0.25], [0.5, 1.5, -1.0, 2.0], [-0.75, 0.125, 1.0, 0.0], [2.0, -0.5, 0.25, 1.0], [0.0, 1.0, -2.0, 0.5]]> : tensor<5x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<3x5xf32>, tensor<5x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.tanh %a : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %two = arith.constant dense<2> : tensor<3xi64>
  %i2 = arith.muli %ids, %two : tensor<3xi64>
  return %t, %i2 : tensor<3x4xf32>, tensor<3xi64>
}
