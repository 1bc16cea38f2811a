// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-tile-and-vectorize,canonicalize))' | FileCheck %s
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-tile-and-vectorize{vector-width=8 contraction-rows=2}))' | FileCheck %s --check-prefix=CHECK-NARROW

// A matmul: 4 x 16 tiles of the result, one reduction step per iteration
// of the innermost loop, as a vector.contract.
// CHECK-LABEL: func.func @matmul
// CHECK:         scf.for %{{.*}} = %c0 to %c8 step %c4
// CHECK:           scf.for %{{.*}} = %c0 to %c32 step %c16
// CHECK:             scf.for %{{.*}} = %c0 to %c24 step %c1
// CHECK:               vector.transfer_read {{.*}} : tensor<4x1xf32>, vector<4x1xf32>
// CHECK:               vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK-NARROW-LABEL: func.func @matmul
// CHECK-NARROW:         vector.contract {{.*}} : vector<2x1xf32>, vector<1x8xf32> into vector<2x8xf32>
func.func @matmul(%a: tensor<8x24xf32>, %b: tensor<24x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<8x24xf32>, tensor<24x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %m : tensor<8x32xf32>
}

// -----

// Tiles divide the ranges (nothing is masked): 6 rows take tiles of 3, 20
// columns tiles of 10.
// CHECK-LABEL: func.func @matmul_odd
// CHECK-NOT:     vector.mask
// CHECK:         vector.contract {{.*}} : vector<3x1xf32>, vector<1x10xf32> into vector<3x10xf32>
func.func @matmul_odd(%a: tensor<6x7xf32>, %b: tensor<7x20xf32>, %c: tensor<6x20xf32>) -> tensor<6x20xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<6x7xf32>, tensor<7x20xf32>) outs(%c : tensor<6x20xf32>) -> tensor<6x20xf32>
  return %m : tensor<6x20xf32>
}

// -----

// Elementwise ops vectorize along the innermost loop; the math stays math
// on vectors.
// CHECK-LABEL: func.func @gelu_like
// CHECK:         scf.for
// CHECK:           math.erf {{.*}} : vector<1x16xf32>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @gelu_like(%x: tensor<3x64xf32>) -> tensor<3x64xf32> {
  %e = tensor.empty() : tensor<3x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x64xf32>) outs(%e : tensor<3x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.erf %in : f32
    linalg.yield %r : f32
  } -> tensor<3x64xf32>
  return %y : tensor<3x64xf32>
}

// -----

// Left whole: a convolution, a reduction that is not a contraction, i4
// elements (one per byte in memory, packed in vectors), dynamic shapes.
// CHECK-LABEL: func.func @left_whole
// CHECK-NOT:     vector.
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK:         linalg.generic
// CHECK:         linalg.generic
// CHECK:         linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x4xf32>
// CHECK-NOT:     vector.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @left_whole(%i: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %o: tensor<1x3x3x3xf32>,
                      %x: tensor<4x32xf32>, %s: tensor<4x1xf32>, %p: tensor<4x8xi4>,
                      %d: tensor<?x4xf32>, %b: tensor<4x4xf32>, %dc: tensor<?x4xf32>)
    -> (tensor<1x3x3x3xf32>, tensor<4x1xf32>, tensor<4x8xi32>, tensor<?x4xf32>) {
  %c = linalg.conv_2d_nchw_fchw ins(%i, %w : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%o : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x32xf32>) outs(%s : tensor<4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<4x1xf32>
  %e = tensor.empty() : tensor<4x8xi32>
  %w32 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x8xi4>) outs(%e : tensor<4x8xi32>) {
  ^bb0(%in: i4, %out: i32):
    %v = arith.extsi %in : i4 to i32
    linalg.yield %v : i32
  } -> tensor<4x8xi32>
  %m = linalg.matmul ins(%d, %b : tensor<?x4xf32>, tensor<4x4xf32>) outs(%dc : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %c, %r, %w32, %m : tensor<1x3x3x3xf32>, tensor<4x1xf32>, tensor<4x8xi32>, tensor<?x4xf32>
}

// -----

// slim-hoist-vector-transfers: on buffers, the accumulator read and write
// of a reduction loop move out of it.
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-tile-and-vectorize),one-shot-bufferize{bufferize-function-boundaries},canonicalize,fold-memref-alias-ops,canonicalize,func.func(slim-hoist-vector-transfers))' | FileCheck %s --check-prefix=CHECK-HOIST
// CHECK-LABEL: func.func @hoisted
// CHECK-HOIST-LABEL: func.func @hoisted
// CHECK-HOIST:           %[[ACC:.*]] = vector.transfer_read %arg2
// CHECK-HOIST:           %[[R:.*]] = scf.for {{.*}} iter_args(%[[V:.*]] = %[[ACC]]) -> (vector<4x16xf32>)
// CHECK-HOIST-NOT:         vector.transfer_write
// CHECK-HOIST:             vector.contract {{.*}} %[[V]]
// CHECK-HOIST:           vector.transfer_write %[[R]]
func.func @hoisted(%a: tensor<4x24xf32>, %b: tensor<24x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<4x24xf32>, tensor<24x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %m : tensor<4x16xf32>
}
