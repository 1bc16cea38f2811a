// REQUIRES: kernel-avx2
// Cross-compiling: for an AVX2 CPU (x86-64-v3) the AVX2 kernel, whatever
// this host is, and (this host runs AVX2) the program runs and agrees with
// slim-run; --target-features alone mean a generic x86-64 with them.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ref gen %t/x.npy --shape 3,5 --random 15 --range=-2,2 --seed 3
// RUN: %ref gen %t/i.npy --dtype int64 --shape 3 --values=5,-7,4611686018427387904
// RUN: slim-run %s --input %t/x.npy --input %t/i.npy --output %t/r0.npy --output %t/r1.npy
// RUN: slim-compile %s -o %t/tiny3.o --name tiny --target-cpu x86-64-v3
// RUN: nm %t/tiny3.o | FileCheck %s --check-prefix=CHECK-V3
// CHECK-V3: U slim_uk_sgemm_f32_avx2
// RUN: head -3 %t/tiny3.h | FileCheck %s --check-prefix=CHECK-V3H
// CHECK-V3H: (CPU x86-64-v3, micro-kernels avx2)
// RUN: %cc -DMODEL=tiny -DMODEL_HEADER='"tiny3.h"' -I%t %slim_src_root/examples/aot/npy-driver.c %t/tiny3.o %cc-model-libs -o %t/run-v3
// RUN: %t/run-v3 %t/x.npy %t/i.npy %t/v0.npy %t/v1.npy
// RUN: %ref close %t/v0.npy %t/r0.npy --atol 1e-6 --label v3 | FileCheck %s --check-prefix=CHECK-V3OUT
// CHECK-V3OUT: v3: 12 values, 0 mismatches
//
// RUN: slim-compile %s -o %t/feat.o --name feat --target-features=+avx2,+fma
// RUN: head -3 %t/feat.h | FileCheck %s --check-prefix=CHECK-FEAT
// CHECK-FEAT: (CPU x86-64, micro-kernels avx2)
// RUN: FileCheck %s --check-prefix=CHECK-FEATLIST < %t/feat.h
// CHECK-FEATLIST-NOT: avx512

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
