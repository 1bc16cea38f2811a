// Pruned int8 weights in the sparse form (slim.packed_matmul with sparse):
// sparse-weights=auto (the default) takes weights at least half zeros where
// the host rebuilds them with vpexpandb and the product has few rows or a
// big weight (pack-contractions-sparse-auto.mlir), never keeps every
// weight dense, always takes every int8 weight.
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni sparse-weights=always}))' | FileCheck %s
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni sparse-weights=never}))' | FileCheck %s --check-prefix=NEVER
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2 sparse-weights=always}))' | FileCheck %s --check-prefix=ALWAYS
// The f32 rule does not depend on the host: auto (the default) on the
// block-pruned f32 weight.
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2}))' | FileCheck %s --check-prefix=AUTO
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni}))' | FileCheck %s --check-prefix=AUTO512
// RUN: not slim-opt %s --pass-pipeline='builtin.module(func.func(slim-pack-contractions{sparse-weights=sometimes}))' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: slim-pack-contractions: unknown sparse-weights 'sometimes' (expected auto, never or always)

// A 2:4 weight (K = 4, N = 2): column 0 keeps k = 0 and 2 (1 and 3),
// column 1 keeps k = 1 and 3 (2 and -1). The sparse form: the offsets of
// the one panel (16) and of the column sums (156); the panel's 16 quad
// masks, the first 0xA5 (bytes 0 and 2 of column 0, 5 and 7 of column 1);
// one block start (0); the four values padded to 8; the column sums 4 and
// 1; 64 bytes of tail. 284 bytes where the dense form has 1088.
// CHECK-LABEL: func.func @two_four
// CHECK: %[[P:.*]] = arith.constant dense<"0x10000000000000009C00000000000000A5{{(00)+}}010302FF00000000040000000100000000{{(00)+}}"> : tensor<284xi8>
// CHECK: slim.packed_matmul ins(%{{.*}}, %[[P]] : tensor<5x4xi8>, tensor<284xi8>) {{.*}} k = 4 n = 2 isa = <avx512_vnni> {lhs_unsigned, sparse}
// NEVER-LABEL: func.func @two_four
// NEVER: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<5x4xi8>, tensor<1088xi8>) {{.*}} {lhs_unsigned} -> tensor<5x2xi32>
// ALWAYS-LABEL: func.func @two_four
// ALWAYS: tensor<284xi8>) {{.*}} isa = <avx2> {lhs_unsigned, sparse}
#map_a = affine_map<(m, n, k) -> (m, k)>
#map_b = affine_map<(m, n, k) -> (k, n)>
#map_c = affine_map<(m, n, k) -> (m, n)>
func.func @two_four(%a: tensor<5x4xi8>) -> tensor<5x2xi32> {
  %w = arith.constant dense<[[1, 0], [0, 2], [3, 0], [0, -1]]> : tensor<4x2xi8>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<5x2xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<5x2xi32>) -> tensor<5x2xi32>
  %r = linalg.generic {indexing_maps = [#map_a, #map_b, #map_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<5x4xi8>, tensor<4x2xi8>) outs(%init : tensor<5x2xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<5x2xi32>
  return %r : tensor<5x2xi32>
}

// -----

// Three zeros of eight: below half, dense but with sparse-weights=always;
// the f32 weight (every row of its panel holds a nonzero) likewise, its
// four rows kept with one value each (16 + 4 + 4 x (4 + 2 + 4) + 64
// bytes of padding).
// CHECK-LABEL: func.func @mostly_dense
// CHECK: slim.packed_matmul {{.*}} tensor<284xi8>) {{.*}} isa = <avx512_vnni> {sparse} -> tensor<5x2xi32>
// CHECK: slim.packed_matmul {{.*}} tensor<124xi8>) {{.*}} isa = <avx512_vnni> {sparse} -> tensor<5x2xf32>
// NEVER-LABEL: func.func @mostly_dense
// NEVER: slim.packed_matmul {{.*}} tensor<1088xi8>) {{.*}} isa = <avx512_vnni> -> tensor<5x2xi32>
// NEVER: slim.packed_matmul {{.*}} tensor<64xf32>) {{.*}} isa = <avx512_vnni> -> tensor<5x2xf32>
// ALWAYS-LABEL: func.func @mostly_dense
// ALWAYS: tensor<284xi8>) {{.*}} isa = <avx2> {sparse} -> tensor<5x2xi32>
// ALWAYS: slim.packed_matmul {{.*}} tensor<124xi8>) {{.*}} isa = <avx2> {sparse} -> tensor<5x2xf32>
// AUTO-LABEL: func.func @mostly_dense
// AUTO: slim.packed_matmul {{.*}} tensor<64xf32>) {{.*}} isa = <avx2> -> tensor<5x2xf32>
func.func @mostly_dense(%a: tensor<5x4xi8>, %x: tensor<5x4xf32>) -> (tensor<5x2xi32>, tensor<5x2xf32>) {
  %w = arith.constant dense<[[1, 0], [5, 2], [3, 0], [0, -1]]> : tensor<4x2xi8>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<5x2xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<5x2xi32>) -> tensor<5x2xi32>
  %r = linalg.matmul ins(%a, %w : tensor<5x4xi8>, tensor<4x2xi8>) outs(%init : tensor<5x2xi32>) -> tensor<5x2xi32>
  %v = arith.constant dense<[[1.0, 0.0], [0.0, 2.0], [3.0, 0.0], [0.0, -1.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %ef = tensor.empty() : tensor<5x2xf32>
  %fi = linalg.fill ins(%z : f32) outs(%ef : tensor<5x2xf32>) -> tensor<5x2xf32>
  %y = linalg.matmul ins(%x, %v : tensor<5x4xf32>, tensor<4x2xf32>) outs(%fi : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %r, %y : tensor<5x2xi32>, tensor<5x2xf32>
}

// -----

// A block-pruned f32 weight: rows 1 and 3 of its one panel are zeros (the
// -0 too), half of them: row-compressed under auto. The offsets of the
// panel (16) and of the end (112); 2 rows kept, k = 0 and 2; their lane
// masks (lanes 0 and 1: 0x0003); their values (1, 0.5; 3, -1); 64 bytes
// of padding.
// AUTO-LABEL: func.func @block_f32
// AUTO: %[[P:.*]] = arith.constant dense<"0x10000000000000007000000000000000020000000000000002000000030003000000803F0000003F00004040000080BF{{(00)+}}"> : tensor<112xi8>
// AUTO: slim.packed_matmul ins(%{{.*}}, %[[P]] : tensor<3x4xf32>, tensor<112xi8>) {{.*}} k = 4 n = 2 isa = <avx2> {sparse} -> tensor<3x2xf32>
// NEVER-LABEL: func.func @block_f32
// NEVER: tensor<64xf32>) {{.*}} isa = <avx512_vnni> -> tensor<3x2xf32>
func.func @block_f32(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %v = arith.constant dense<[[1.0, 0.5], [0.0, -0.0], [3.0, -1.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %v : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A 2:4 f32 weight (every row of the panel keeps one value per column):
// under auto, the AVX-512 kernels take it compressed for one row (its
// 164 bytes against 512), and dense for 3 rows of so small a weight
// (expanding rows costs more than the bytes it saves there); AVX2 keeps
// it dense.
// AUTO512-LABEL: func.func @f32_24
// AUTO512: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<1x8xf32>, tensor<164xi8>) {{.*}} isa = <avx512_vnni> {sparse} -> tensor<1x2xf32>
// AUTO512: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<3x8xf32>, tensor<128xf32>) {{.*}} isa = <avx512_vnni> -> tensor<3x2xf32>
// AUTO-LABEL: func.func @f32_24
// AUTO-NOT: sparse
func.func @f32_24(%x1: tensor<1x8xf32>, %x3: tensor<3x8xf32>) -> (tensor<1x2xf32>, tensor<3x2xf32>) {
  %v = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [0.0, 3.0], [0.0, 4.0], [5.0, 0.0], [0.0, 6.0], [7.0, 0.0], [0.0, 8.0]]> : tensor<8x2xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x2xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y1 = linalg.matmul ins(%x1, %v : tensor<1x8xf32>, tensor<8x2xf32>) outs(%f1 : tensor<1x2xf32>) -> tensor<1x2xf32>
  %e3 = tensor.empty() : tensor<3x2xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y3 = linalg.matmul ins(%x3, %v : tensor<3x8xf32>, tensor<8x2xf32>) outs(%f3 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y1, %y3 : tensor<1x2xf32>, tensor<3x2xf32>
}
