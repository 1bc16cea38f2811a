// 4-bit weight-only weights pruned 2:4 along K: sparse-weights=auto packs
// them in the 2:4 form (slim.dequant_matmul with `sparse`) for products of
// 16 rows and more, the plain layout below (and for a dynamic M); `always`
// packs every 2:4 weight so, `never` none. A weight with three values in a
// quartet, and the int8-activation path, keep the plain layouts.
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2}))' | FileCheck %s
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2 sparse-weights=always}))' | FileCheck %s --check-prefix=ALWAYS
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2 sparse-weights=never}))' | FileCheck %s --check-prefix=NEVER
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2 weight-only-activations=int8}))' | FileCheck %s --check-prefix=INT8

// The 8 x 3 weight (columns [1,0,0,-2, 0,3,0,0], [0,5,-1,0, 0,0,0,0],
// [0,0,7,-8, 2,0,0,-3], zero points 0, stored q + 8) per quartet of k: 16
// bytes of kept values (low nibble the first) and 8 of indices (i0 | i1 <<
// 2, two columns a byte). Column 0, quartet 0: k 0 and 3 (9 | 6 << 4 =
// 105, indices 12); quartet 1 keeps only k 5, padded with the zero point
// at k 4 (8 | 11 << 4 = -72 as i8, indices 4). The padding columns 3..15
// hold zero points at indices 0 and 1 (-120, 4 | 4 << 4 = 68).
// CHECK-LABEL: func.func @rows
// CHECK: %[[P:.*]] = arith.constant dense<[105, 125, 15, {{(-120, )+}}-100, 78, 68, 68, 68, 68, 68, 68, -72, -120, 90, {{(-120, )+}}68, 76, 68, 68, 68, 68, 68, 68]> : tensor<48xi8>
// CHECK: slim.dequant_matmul ins(%{{.*}}, %[[P]] : tensor<16x8xf32>, tensor<48xi8>) {{.*}} k = 8 n = 3 bits = 4 group_size = 8 sparse isa = <avx2> -> tensor<16x3xf32>
// CHECK: slim.dequant_matmul ins({{.*}} : tensor<15x8xf32>, tensor<64xi8>) {{.*}} group_size = 8 isa = <avx2> -> tensor<15x3xf32>
// CHECK: slim.dequant_matmul ins({{.*}} : tensor<?x8xf32>, tensor<64xi8>) {{.*}} group_size = 8 isa = <avx2> -> tensor<?x3xf32>
// ALWAYS-LABEL: func.func @rows
// ALWAYS-COUNT-3: tensor<48xi8>) {{.*}} sparse isa
// NEVER-LABEL: func.func @rows
// NEVER-NOT: sparse
// INT8-LABEL: func.func @rows
// INT8-NOT: sparse
// INT8: int8_activations
func.func @rows(%x: tensor<16x8xf32>, %y: tensor<15x8xf32>, %z: tensor<?x8xf32>) -> (tensor<16x3xf32>, tensor<15x3xf32>, tensor<?x3xf32>) {
  %bytes = arith.constant dense<[[1, 0], [80, 0], [-16, 7], [14, 8], [0, 2], [3, 0], [0, 0], [0, 13]]> : tensor<8x2xi8>
  %w = slim.unpack %bytes : tensor<8x2xi8> -> tensor<8x3xi4>
  %q = quant.scast %w : tensor<8x3xi4> to tensor<8x3x!quant.uniform<i4:f32:1, {0.5, 0.25, 0.125}>>
  %d = slim.dequantize %q : tensor<8x3x!quant.uniform<i4:f32:1, {0.5, 0.25, 0.125}>> to tensor<8x3xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %z, %c0 : tensor<?x8xf32>
  %e1 = tensor.empty() : tensor<16x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x3xf32>) -> tensor<16x3xf32>
  %r1 = linalg.matmul ins(%x, %d : tensor<16x8xf32>, tensor<8x3xf32>) outs(%f1 : tensor<16x3xf32>) -> tensor<16x3xf32>
  %e2 = tensor.empty() : tensor<15x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<15x3xf32>) -> tensor<15x3xf32>
  %r2 = linalg.matmul ins(%y, %d : tensor<15x8xf32>, tensor<8x3xf32>) outs(%f2 : tensor<15x3xf32>) -> tensor<15x3xf32>
  %e3 = tensor.empty(%m) : tensor<?x3xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %r3 = linalg.matmul ins(%z, %d : tensor<?x8xf32>, tensor<8x3xf32>) outs(%f3 : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r1, %r2, %r3 : tensor<16x3xf32>, tensor<15x3xf32>, tensor<?x3xf32>
}

// -----

// Column 2 keeps three values of its first quartet (k 1, 2, 3): not 2:4,
// plain at any M, with `always` too.
// CHECK-LABEL: func.func @three
// CHECK-NOT: sparse
// CHECK: slim.dequant_matmul ins({{.*}} : tensor<16x8xf32>, tensor<64xi8>)
// ALWAYS-LABEL: func.func @three
// ALWAYS-NOT: sparse
// ALWAYS: slim.dequant_matmul ins({{.*}} : tensor<16x8xf32>, tensor<64xi8>)
func.func @three(%x: tensor<16x8xf32>) -> tensor<16x3xf32> {
  %bytes = arith.constant dense<[[1, 0], [80, 1], [-16, 7], [14, 8], [0, 2], [3, 0], [0, 0], [0, 13]]> : tensor<8x2xi8>
  %w = slim.unpack %bytes : tensor<8x2xi8> -> tensor<8x3xi4>
  %q = quant.scast %w : tensor<8x3xi4> to tensor<8x3x!quant.uniform<i4:f32:1, {0.5, 0.25, 0.125}>>
  %d = slim.dequantize %q : tensor<8x3x!quant.uniform<i4:f32:1, {0.5, 0.25, 0.125}>> to tensor<8x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x3xf32>) -> tensor<16x3xf32>
  %r = linalg.matmul ins(%x, %d : tensor<16x8xf32>, tensor<8x3xf32>) outs(%f : tensor<16x3xf32>) -> tensor<16x3xf32>
  return %r : tensor<16x3xf32>
}

// -----

// Groups of 2 rows split the quartets: plain.
// CHECK-LABEL: func.func @split_groups
// CHECK-NOT: sparse
// CHECK: group_size = 2 isa
// ALWAYS-LABEL: func.func @split_groups
// ALWAYS-NOT: sparse
// ALWAYS: group_size = 2 isa
func.func @split_groups(%x: tensor<16x4xf32>) -> tensor<16x3xf32> {
  %bytes = arith.constant dense<[[1, 0], [80, 0], [-16, 7], [14, 8]]> : tensor<4x2xi8>
  %w = slim.unpack %bytes : tensor<4x2xi8> -> tensor<4x3xi4>
  %q = quant.scast %w : tensor<4x3xi4> to tensor<4x3x!quant.uniform<i4:f32:{0:2,1:1}, {{0.5,0.25,0.125},{1.0,2.0,4.0}}>>
  %d = slim.dequantize %q : tensor<4x3x!quant.uniform<i4:f32:{0:2,1:1}, {{0.5,0.25,0.125},{1.0,2.0,4.0}}>> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x3xf32>) -> tensor<16x3xf32>
  %r = linalg.matmul ins(%x, %d : tensor<16x4xf32>, tensor<4x3xf32>) outs(%f : tensor<16x3xf32>) -> tensor<16x3xf32>
  return %r : tensor<16x3xf32>
}
