// sparse-weights=auto on a host with vpexpandb (AVX-512 VBMI2): a weight at
// least half zeros is stored sparse for AVX-512 VNNI and AMX code when the
// product has fewer than 16 rows (or a dynamic M), or 128 rows and more
// and the dense weight, or the function's int8 weights together, take 4 MiB
// or more; otherwise, and for the other ISAs, dense.
// REQUIRES: cpu-avx512vbmi2
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=amx}))' | FileCheck %s
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx2}))' | FileCheck %s --check-prefix=AVX2
// AVX-512 VNNI without AMX: few rows only (its fused kernel rebuilds the
// weight per 8-row tile).
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni}))' | FileCheck %s --check-prefix=VNNI

// CHECK-LABEL: func.func @rows
// CHECK: slim.packed_matmul ins({{.*}} : tensor<15x8xi8>, {{.*}} {sparse} -> tensor<15x4xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<?x8xi8>, {{.*}} {sparse} -> tensor<?x4xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<16x8xi8>, {{.*}} isa = <amx> -> tensor<16x4xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<15x8xi8>, {{.*}} isa = <amx> -> tensor<15x4xi32>
// AVX2-LABEL: func.func @rows
// AVX2-NOT: sparse
// VNNI-LABEL: func.func @rows
// VNNI: tensor<15x8xi8>, {{.*}} {sparse}
// VNNI: tensor<?x8xi8>, {{.*}} {sparse}
func.func @rows(%a: tensor<15x8xi8>, %b: tensor<?x8xi8>, %c: tensor<16x8xi8>) -> (tensor<15x4xi32>, tensor<?x4xi32>, tensor<16x4xi32>, tensor<15x4xi32>) {
  %w = arith.constant dense<[[1, 0, 0, 4], [0, 2, 0, 0], [3, 0, 5, 0], [0, -1, 0, 7], [0, 0, 0, 0], [9, 0, 0, 1], [0, 3, 2, 0], [1, 0, -2, 0]]> : tensor<8x4xi8>
  %d = arith.constant dense<[[1, 6, 0, 4], [0, 2, 5, 3], [3, 0, 5, 2], [5, -1, 0, 7], [2, 0, 8, 0], [9, 0, 4, 1], [0, 3, 2, 7], [1, 8, -2, 0]]> : tensor<8x4xi8>
  %z = arith.constant 0 : i32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %b, %c0 : tensor<?x8xi8>
  %e1 = tensor.empty() : tensor<15x4xi32>
  %f1 = linalg.fill ins(%z : i32) outs(%e1 : tensor<15x4xi32>) -> tensor<15x4xi32>
  %r1 = linalg.matmul ins(%a, %w : tensor<15x8xi8>, tensor<8x4xi8>) outs(%f1 : tensor<15x4xi32>) -> tensor<15x4xi32>
  %e2 = tensor.empty(%m) : tensor<?x4xi32>
  %f2 = linalg.fill ins(%z : i32) outs(%e2 : tensor<?x4xi32>) -> tensor<?x4xi32>
  %r2 = linalg.matmul ins(%b, %w : tensor<?x8xi8>, tensor<8x4xi8>) outs(%f2 : tensor<?x4xi32>) -> tensor<?x4xi32>
  %e3 = tensor.empty() : tensor<16x4xi32>
  %f3 = linalg.fill ins(%z : i32) outs(%e3 : tensor<16x4xi32>) -> tensor<16x4xi32>
  %r3 = linalg.matmul ins(%c, %w : tensor<16x8xi8>, tensor<8x4xi8>) outs(%f3 : tensor<16x4xi32>) -> tensor<16x4xi32>
  // Mostly nonzero: dense at any M.
  %r4 = linalg.matmul ins(%a, %d : tensor<15x8xi8>, tensor<8x4xi8>) outs(%f1 : tensor<15x4xi32>) -> tensor<15x4xi32>
  return %r1, %r2, %r3, %r4 : tensor<15x4xi32>, tensor<?x4xi32>, tensor<16x4xi32>, tensor<15x4xi32>
}

// -----

// At 128 rows: a 2048 x 2048 weight (4 MiB dense) sparse; a 1024 x 2048
// one (2 MiB, the function's only weight) dense. All zeros here: the
// sizes decide.
// CHECK-LABEL: func.func @big
// CHECK: slim.packed_matmul ins({{.*}} : tensor<128x2048xi8>, {{.*}} {sparse} -> tensor<128x2048xi32>
// VNNI-LABEL: func.func @big
// VNNI: isa = <avx512_vnni> -> tensor<128x2048xi32>
func.func @big(%a: tensor<128x2048xi8>) -> tensor<128x2048xi32> {
  %w = arith.constant dense<0> : tensor<2048x2048xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<128x2048xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<128x2048xi32>) -> tensor<128x2048xi32>
  %r = linalg.matmul ins(%a, %w : tensor<128x2048xi8>, tensor<2048x2048xi8>) outs(%f : tensor<128x2048xi32>) -> tensor<128x2048xi32>
  return %r : tensor<128x2048xi32>
}

// -----

// CHECK-LABEL: func.func @cached
// CHECK: slim.packed_matmul ins({{.*}} : tensor<128x1024xi8>, {{.*}} isa = <amx> -> tensor<128x2048xi32>
func.func @cached(%b: tensor<128x1024xi8>) -> tensor<128x2048xi32> {
  %v = arith.constant dense<0> : tensor<1024x2048xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<128x2048xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<128x2048xi32>) -> tensor<128x2048xi32>
  %s = linalg.matmul ins(%b, %v : tensor<128x1024xi8>, tensor<1024x2048xi8>) outs(%f : tensor<128x2048xi32>) -> tensor<128x2048xi32>
  return %s : tensor<128x2048xi32>
}

// -----

// A function whose int8 weights add up to 4 MiB reads them from memory on
// every call: its small pruned weight is sparse at 128 rows too (the two
// big ones have no zeros), not at 64.
// CHECK-LABEL: func.func @streamed
// CHECK: slim.packed_matmul ins({{.*}} : tensor<16x2048xi8>, {{.*}} isa = <amx> -> tensor<16x1024xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<16x2048xi8>, {{.*}} isa = <amx> -> tensor<16x1024xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<128x8xi8>, {{.*}} {sparse} -> tensor<128x4xi32>
// CHECK: slim.packed_matmul ins({{.*}} : tensor<64x8xi8>, {{.*}} isa = <amx> -> tensor<64x4xi32>
func.func @streamed(%a: tensor<16x2048xi8>, %c: tensor<128x8xi8>, %d: tensor<64x8xi8>) -> (tensor<16x1024xi32>, tensor<16x1024xi32>, tensor<128x4xi32>, tensor<64x4xi32>) {
  %big = arith.constant dense<1> : tensor<2048x1024xi8>
  %big2 = arith.constant dense<2> : tensor<2048x1024xi8>
  %w = arith.constant dense<[[1, 0, 0, 4], [0, 2, 0, 0], [3, 0, 5, 0], [0, -1, 0, 7], [0, 0, 0, 0], [9, 0, 0, 1], [0, 3, 2, 0], [1, 0, -2, 0]]> : tensor<8x4xi8>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16x1024xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<16x1024xi32>) -> tensor<16x1024xi32>
  %r1 = linalg.matmul ins(%a, %big : tensor<16x2048xi8>, tensor<2048x1024xi8>) outs(%f : tensor<16x1024xi32>) -> tensor<16x1024xi32>
  %r2 = linalg.matmul ins(%a, %big2 : tensor<16x2048xi8>, tensor<2048x1024xi8>) outs(%f : tensor<16x1024xi32>) -> tensor<16x1024xi32>
  %e3 = tensor.empty() : tensor<128x4xi32>
  %f3 = linalg.fill ins(%z : i32) outs(%e3 : tensor<128x4xi32>) -> tensor<128x4xi32>
  %r3 = linalg.matmul ins(%c, %w : tensor<128x8xi8>, tensor<8x4xi8>) outs(%f3 : tensor<128x4xi32>) -> tensor<128x4xi32>
  %e4 = tensor.empty() : tensor<64x4xi32>
  %f4 = linalg.fill ins(%z : i32) outs(%e4 : tensor<64x4xi32>) -> tensor<64x4xi32>
  %r4 = linalg.matmul ins(%d, %w : tensor<64x8xi8>, tensor<8x4xi8>) outs(%f4 : tensor<64x4xi32>) -> tensor<64x4xi32>
  return %r1, %r2, %r3, %r4 : tensor<16x1024xi32>, tensor<16x1024xi32>, tensor<128x4xi32>, tensor<64x4xi32>
}
