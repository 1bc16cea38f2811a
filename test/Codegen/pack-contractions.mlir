// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni}))' | FileCheck %s
// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=generic}))' | FileCheck %s --check-prefix=GENERIC
// The ISA the host would pick, with every other one hidden.
// RUN: env SLIM_DISABLE_ISA=amx,avx512_vnni,avx_vnni,avx2 slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions))' | FileCheck %s --check-prefix=GENERIC

// The integer contraction slim-lower-quant emits for slim.qmatmul with a
// constant weight (u8 activation: zero-extended), on a zero-filled init.
// The 2 x 3 weight packs into Kp = 64 rows x Np = 16 columns: column j at
// bytes 4j..4j+3 of the first quad, then zeros, then 16 int32 column sums
// (4, 6, -2 here).
// CHECK-LABEL: func.func @generic_u8
// CHECK-SAME: (%[[A:.*]]: tensor<5x2xi8>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<5x3xi32>
// CHECK: %[[P:.*]] = arith.constant dense<"0x0103000002040000FFFF0000{{(00)+}}0400000006000000FEFFFFFF{{(00)+}}"> : tensor<1088xi8>
// CHECK: %[[R:.*]] = slim.packed_matmul ins(%[[A]], %[[P]] : tensor<5x2xi8>, tensor<1088xi8>) outs(%[[E]] : tensor<5x3xi32>) k = 2 n = 3 isa = <avx512_vnni> {lhs_unsigned} -> tensor<5x3xi32>
// CHECK: return %[[R]]
// GENERIC-LABEL: func.func @generic_u8
// GENERIC: slim.packed_matmul {{.*}} isa = <generic> {lhs_unsigned}
#map_a = affine_map<(m, n, k) -> (m, k)>
#map_b = affine_map<(m, n, k) -> (k, n)>
#map_c = affine_map<(m, n, k) -> (m, n)>
func.func @generic_u8(%a: tensor<5x2xi8>) -> tensor<5x3xi32> {
  %w = arith.constant dense<[[1, 2, -1], [3, 4, -1]]> : tensor<2x3xi8>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<5x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<5x3xi32>) -> tensor<5x3xi32>
  %r = linalg.generic {indexing_maps = [#map_a, #map_b, #map_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<5x2xi8>, tensor<2x3xi8>) outs(%init : tensor<5x3xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<5x3xi32>
  return %r : tensor<5x3xi32>
}

// -----

// linalg.matmul on i8 (signed by default) with a dynamic M; an init that is
// not a zero fill is accumulated onto. (The pass leaves the unpacked
// constant to canonicalization.)
// CHECK-LABEL: func.func @named_accumulate
// CHECK-SAME: (%[[A:.*]]: tensor<?x17xi8>, %[[C:.*]]: tensor<?x33xi32>)
// CHECK: %[[P:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<3264xi8>
// CHECK: slim.packed_matmul ins(%[[A]], %[[P]] : tensor<?x17xi8>, tensor<3264xi8>) outs(%[[C]] : tensor<?x33xi32>) k = 17 n = 33 isa = <avx512_vnni> {accumulate} -> tensor<?x33xi32>
// CHECK-NOT: linalg.matmul
func.func @named_accumulate(%a: tensor<?x17xi8>, %c: tensor<?x33xi32>) -> tensor<?x33xi32> {
  %w = arith.constant dense<-7> : tensor<17x33xi8>
  %r = linalg.matmul ins(%a, %w : tensor<?x17xi8>, tensor<17x33xi8>) outs(%c : tensor<?x33xi32>) -> tensor<?x33xi32>
  return %r : tensor<?x33xi32>
}

// -----

// Batched activation, one weight: (b, m, n, k) loops.
// CHECK-LABEL: func.func @batched
// CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x4xi8>, tensor<1088xi8>) outs(%{{.*}} : tensor<2x3x5xi32>) k = 4 n = 5 isa = <avx512_vnni> -> tensor<2x3x5xi32>
#a3 = affine_map<(b, m, n, k) -> (b, m, k)>
#b3 = affine_map<(b, m, n, k) -> (k, n)>
#c3 = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @batched(%a: tensor<2x3x4xi8>) -> tensor<2x3x5xi32> {
  %w = arith.constant dense<3> : tensor<4x5xi8>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<2x3x5xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<2x3x5xi32>) -> tensor<2x3x5xi32>
  %r = linalg.generic {indexing_maps = [#a3, #b3, #c3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<2x3x4xi8>, tensor<4x5xi8>) outs(%init : tensor<2x3x5xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %ye, %xe : i32
    %s = arith.addi %p, %acc : i32
    linalg.yield %s : i32
  } -> tensor<2x3x5xi32>
  return %r : tensor<2x3x5xi32>
}

// -----

// Right-hand sides the compiler cannot pack become slim.activation_matmul,
// packed by the runtime on every call: an activation (accumulated onto a
// non-zero init), an unsigned (zero-extended) constant, a constant per
// batch, and attention's Q x K^T (u8 x u8, per batch, on a zero fill).
// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x8xi8>, %[[B:[^:]*]]: tensor<8x2xi8>, %[[C:[^:]*]]: tensor<4x2xi32>, %[[BA:[^:]*]]: tensor<3x4x8xi8>, %[[BC:[^:]*]]: tensor<3x4x2xi32>, %[[Q:[^:]*]]: tensor<12x5x32xi8>, %[[KT:[^:]*]]: tensor<12x32x5xi8>)
// CHECK-NOT: slim.packed_matmul
// CHECK: %[[R0:.*]] = slim.activation_matmul ins(%[[A]], %[[B]] : tensor<4x8xi8>, tensor<8x2xi8>) outs(%[[C]] : tensor<4x2xi32>) isa = <avx512_vnni> {accumulate} -> tensor<4x2xi32>
// CHECK: %[[W:.*]] = arith.constant dense<1> : tensor<8x2xi8>
// CHECK: %[[R1:.*]] = slim.activation_matmul ins(%[[A]], %[[W]] : tensor<4x8xi8>, tensor<8x2xi8>) outs(%[[C]] : tensor<4x2xi32>) isa = <avx512_vnni> {accumulate, rhs_unsigned} -> tensor<4x2xi32>
// CHECK: %[[WB:.*]] = arith.constant dense<2> : tensor<3x8x2xi8>
// CHECK: %[[R2:.*]] = slim.activation_matmul ins(%[[BA]], %[[WB]] : tensor<3x4x8xi8>, tensor<3x8x2xi8>) outs(%[[BC]] : tensor<3x4x2xi32>) isa = <avx512_vnni> {accumulate} -> tensor<3x4x2xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<12x5x5xi32>
// CHECK: %[[R3:.*]] = slim.activation_matmul ins(%[[Q]], %[[KT]] : tensor<12x5x32xi8>, tensor<12x32x5xi8>) outs(%[[E]] : tensor<12x5x5xi32>) isa = <avx512_vnni> {lhs_unsigned, rhs_unsigned} -> tensor<12x5x5xi32>
// CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]]
// GENERIC-LABEL: func.func @activations
// GENERIC-COUNT-4: slim.activation_matmul {{.*}} isa = <generic>
#ma = affine_map<(m, n, k) -> (m, k)>
#mb = affine_map<(m, n, k) -> (k, n)>
#mc = affine_map<(m, n, k) -> (m, n)>
#qa = affine_map<(b, m, n, k) -> (b, m, k)>
#qb = affine_map<(b, m, n, k) -> (b, k, n)>
#qc = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @activations(%a: tensor<4x8xi8>, %b: tensor<8x2xi8>, %c: tensor<4x2xi32>, %ba: tensor<3x4x8xi8>, %bc: tensor<3x4x2xi32>, %q: tensor<12x5x32xi8>, %kt: tensor<12x32x5xi8>) -> (tensor<4x2xi32>, tensor<4x2xi32>, tensor<3x4x2xi32>, tensor<12x5x5xi32>) {
  %r0 = linalg.matmul ins(%a, %b : tensor<4x8xi8>, tensor<8x2xi8>) outs(%c : tensor<4x2xi32>) -> tensor<4x2xi32>
  %w = arith.constant dense<1> : tensor<8x2xi8>
  %r1 = linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<4x8xi8>, tensor<8x2xi8>) outs(%c : tensor<4x2xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extui %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<4x2xi32>
  %wb = arith.constant dense<2> : tensor<3x8x2xi8>
  %r2 = linalg.batch_matmul ins(%ba, %wb : tensor<3x4x8xi8>, tensor<3x8x2xi8>) outs(%bc : tensor<3x4x2xi32>) -> tensor<3x4x2xi32>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<12x5x5xi32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<12x5x5xi32>) -> tensor<12x5x5xi32>
  %r3 = linalg.generic {indexing_maps = [#qa, #qb, #qc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %kt : tensor<12x5x32xi8>, tensor<12x32x5xi8>) outs(%z : tensor<12x5x5xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extui %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<12x5x5xi32>
  return %r0, %r1, %r2, %r3 : tensor<4x2xi32>, tensor<4x2xi32>, tensor<3x4x2xi32>, tensor<12x5x5xi32>
}

// -----

// Left alone: a float max-plus "product", an f32 matmul of two activations
// (the vectorized path runs it), a batch map the kernels do not read.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: slim.packed_matmul
// CHECK-NOT: slim.activation_matmul
// CHECK: linalg.generic
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK-NOT: slim.packed_matmul
// CHECK-NOT: slim.activation_matmul
#ma = affine_map<(m, n, k) -> (m, k)>
#mb = affine_map<(m, n, k) -> (k, n)>
#mc = affine_map<(m, n, k) -> (m, n)>
#ta = affine_map<(b, m, n, k) -> (b, m, k)>
#tb = affine_map<(b, m, n, k) -> (k, b, n)>
#tc = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @left_alone(%f: tensor<4x8xf32>, %g: tensor<8x2xf32>, %cf: tensor<4x2xf32>, %ba: tensor<3x4x8xi8>, %bb: tensor<8x3x2xi8>, %bc: tensor<3x4x2xi32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<3x4x2xi32>) {
  %wf = arith.constant dense<1.0> : tensor<8x2xf32>
  %r0 = linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%f, %wf : tensor<4x8xf32>, tensor<8x2xf32>) outs(%cf : tensor<4x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.addf %x, %y : f32
    %s = arith.maximumf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %r1 = linalg.matmul ins(%f, %g : tensor<4x8xf32>, tensor<8x2xf32>) outs(%cf : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r2 = linalg.generic {indexing_maps = [#ta, #tb, #tc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%ba, %bb : tensor<3x4x8xi8>, tensor<8x3x2xi8>) outs(%bc : tensor<3x4x2xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<3x4x2xi32>
  return %r0, %r1, %r2 : tensor<4x2xf32>, tensor<4x2xf32>, tensor<3x4x2xi32>
}

// -----

// f32: a named matmul on a +0 fill (overwritten), the 2 x 3 weight packed
// into K = 2 rows of 16 floats (1, 2, -1, then zeros; 3, 4, -1, ...).
// CHECK-LABEL: func.func @f32_named
// CHECK-SAME: (%[[A:.*]]: tensor<5x2xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<5x3xf32>
// CHECK: %[[P:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, -1.000000e+00, {{(0.000000e\+00, )+}}3.000000e+00, 4.000000e+00, -1.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<32xf32>
// CHECK: slim.packed_matmul ins(%[[A]], %[[P]] : tensor<5x2xf32>, tensor<32xf32>) outs(%[[E]] : tensor<5x3xf32>) k = 2 n = 3 isa = <avx512_vnni> -> tensor<5x3xf32>
// GENERIC-LABEL: func.func @f32_named
// GENERIC: slim.packed_matmul {{.*}} isa = <generic> -> tensor<5x3xf32>
func.func @f32_named(%a: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, -1.0], [3.0, 4.0, -1.0]]> : tensor<2x3xf32>
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x3xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e : tensor<5x3xf32>) -> tensor<5x3xf32>
  %r = linalg.matmul ins(%a, %w : tensor<5x2xf32>, tensor<2x3xf32>) outs(%init : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %r : tensor<5x3xf32>
}

// -----

// f32 generic (b * a order), batched; a -0.0 fill is not a +0 start: the
// kernel accumulates onto it.
// CHECK-LABEL: func.func @f32_batched_negzero
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<64xf32>) outs(%[[F]] : tensor<2x3x5xf32>) k = 4 n = 5 isa = <avx512_vnni> {accumulate} -> tensor<2x3x5xf32>
#fa = affine_map<(b, m, n, k) -> (b, m, k)>
#fb = affine_map<(b, m, n, k) -> (k, n)>
#fc = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @f32_batched_negzero(%a: tensor<2x3x4xf32>) -> tensor<2x3x5xf32> {
  %w = arith.constant dense<0.5> : tensor<4x5xf32>
  %c0 = arith.constant -0.0 : f32
  %e = tensor.empty() : tensor<2x3x5xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %r = linalg.generic {indexing_maps = [#fa, #fb, #fc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<2x3x4xf32>, tensor<4x5xf32>) outs(%init : tensor<2x3x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %y, %x : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// -----

// The epilogue slim-lower-quant emits (the contraction plus per-column
// vectors: here a constant correction and a bias argument) becomes the
// kernel's bias: the column vectors are summed once (N elements) and the
// M x N pass is gone.
// CHECK-LABEL: func.func @fused_int_epilogue
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xi8>, %[[B:.*]]: tensor<3xi32>)
// CHECK: %[[CORR:.*]] = arith.constant dense<[5, -6, 7]> : tensor<3xi32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[CORR]], %[[B]] : tensor<3xi32>, tensor<3xi32>) outs(%{{.*}} : tensor<3xi32>)
// CHECK: arith.addi
// CHECK: %[[R:.*]] = slim.packed_matmul ins(%[[A]], %{{.*}} : tensor<4x8xi8>, tensor<1088xi8>) outs(%{{.*}} : tensor<4x3xi32>) bias(%[[SUM]] : tensor<3xi32>) k = 8 n = 3 isa = <avx512_vnni> -> tensor<4x3xi32>
// CHECK-NEXT: return %[[R]]
#ea = affine_map<(m, n, k) -> (m, k)>
#eb = affine_map<(m, n, k) -> (k, n)>
#ec = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
#row = affine_map<(m, n) -> (m)>
func.func @fused_int_epilogue(%a: tensor<4x8xi8>, %bias: tensor<3xi32>) -> tensor<4x3xi32> {
  %w = arith.constant dense<2> : tensor<8x3xi8>
  %corr = arith.constant dense<[5, -6, 7]> : tensor<3xi32>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<4x3xi32>) -> tensor<4x3xi32>
  %acc = linalg.generic {indexing_maps = [#ea, #eb, #ec], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<4x8xi8>, tensor<8x3xi8>) outs(%init : tensor<4x3xi32>) {
  ^bb0(%x: i8, %y: i8, %o: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<4x3xi32>
  %out = tensor.empty() : tensor<4x3xi32>
  %r = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc, %corr, %bias : tensor<4x3xi32>, tensor<3xi32>, tensor<3xi32>) outs(%out : tensor<4x3xi32>) {
  ^bb0(%v: i32, %c: i32, %b: i32, %unused: i32):
    %t = arith.addi %v, %c : i32
    %u = arith.addi %t, %b : i32
    linalg.yield %u : i32
  } -> tensor<4x3xi32>
  return %r : tensor<4x3xi32>
}

// -----

// A float model's bias add: the kernel adds it after each chain.
// CHECK-LABEL: func.func @fused_f32_bias
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[R:.*]] = slim.packed_matmul ins(%[[A]], %{{.*}} : tensor<4x8xf32>, tensor<128xf32>) outs(%{{.*}} : tensor<4x3xf32>) bias(%[[B]] : tensor<3xf32>) k = 8 n = 3 isa = <avx512_vnni> -> tensor<4x3xf32>
// CHECK-NEXT: return %[[R]]
#fid = affine_map<(m, n) -> (m, n)>
#fcol = affine_map<(m, n) -> (n)>
func.func @fused_f32_bias(%a: tensor<4x8xf32>, %bias: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<0.25> : tensor<8x3xf32>
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %out = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [#fid, #fcol, #fid], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<4x3xf32>, tensor<3xf32>) outs(%out : tensor<4x3xf32>) {
  ^bb0(%v: f32, %b: f32, %unused: f32):
    %s = arith.addf %b, %v : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// Not fused (the kernel runs, the epilogue stays): a per-row term, a
// product, and a float sum of two vectors (two roundings).
// CHECK-LABEL: func.func @not_fused
// CHECK: %[[P0:.*]] = slim.packed_matmul {{.*}} k = 8 n = 3 isa = <avx512_vnni> -> tensor<4x3xi32>
// CHECK: linalg.generic {{.*}} ins(%[[P0]], %{{.*}} : tensor<4x3xi32>, tensor<4xi32>)
// CHECK: %[[P1:.*]] = slim.packed_matmul {{.*}} k = 8 n = 3 isa = <avx512_vnni> -> tensor<4x3xi32>
// CHECK: linalg.generic {{.*}} ins(%[[P1]], %{{.*}} : tensor<4x3xi32>, tensor<3xi32>)
// CHECK: arith.muli
// CHECK: %[[P2:.*]] = slim.packed_matmul {{.*}} k = 8 n = 3 isa = <avx512_vnni> -> tensor<4x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[P2]], %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK-NOT: bias(
#na = affine_map<(m, n, k) -> (m, k)>
#nb = affine_map<(m, n, k) -> (k, n)>
#nc = affine_map<(m, n, k) -> (m, n)>
#nid = affine_map<(m, n) -> (m, n)>
#ncol = affine_map<(m, n) -> (n)>
#nrow = affine_map<(m, n) -> (m)>
func.func @not_fused(%a: tensor<4x8xi8>, %rows: tensor<4xi32>, %cols: tensor<3xi32>, %f: tensor<4x8xf32>, %b1: tensor<3xf32>, %b2: tensor<3xf32>) -> (tensor<4x3xi32>, tensor<4x3xi32>, tensor<4x3xf32>) {
  %w = arith.constant dense<2> : tensor<8x3xi8>
  %wf = arith.constant dense<0.5> : tensor<8x3xf32>
  %c0 = arith.constant 0 : i32
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<4x3xi32>) -> tensor<4x3xi32>
  %acc0 = linalg.matmul ins(%a, %w : tensor<4x8xi8>, tensor<8x3xi8>) outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  %r0 = linalg.generic {indexing_maps = [#nid, #nrow, #nid], iterator_types = ["parallel", "parallel"]}
      ins(%acc0, %rows : tensor<4x3xi32>, tensor<4xi32>) outs(%e : tensor<4x3xi32>) {
  ^bb0(%v: i32, %r: i32, %unused: i32):
    %s = arith.addi %v, %r : i32
    linalg.yield %s : i32
  } -> tensor<4x3xi32>
  %acc1 = linalg.matmul ins(%a, %w : tensor<4x8xi8>, tensor<8x3xi8>) outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  %r1 = linalg.generic {indexing_maps = [#nid, #ncol, #nid], iterator_types = ["parallel", "parallel"]}
      ins(%acc1, %cols : tensor<4x3xi32>, tensor<3xi32>) outs(%e : tensor<4x3xi32>) {
  ^bb0(%v: i32, %c: i32, %unused: i32):
    %s = arith.muli %v, %c : i32
    linalg.yield %s : i32
  } -> tensor<4x3xi32>
  %ef = tensor.empty() : tensor<4x3xf32>
  %finit = linalg.fill ins(%z : f32) outs(%ef : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul ins(%f, %wf : tensor<4x8xf32>, tensor<8x3xf32>) outs(%finit : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r2 = linalg.generic {indexing_maps = [#nid, #ncol, #ncol, #nid], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b1, %b2 : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%ef : tensor<4x3xf32>) {
  ^bb0(%v: f32, %x: f32, %y: f32, %unused: f32):
    %s = arith.addf %v, %x : f32
    %t = arith.addf %s, %y : f32
    linalg.yield %t : f32
  } -> tensor<4x3xf32>
  return %r0, %r1, %r2 : tensor<4x3xi32>, tensor<4x3xi32>, tensor<4x3xf32>
}

// -----

// Chained layers (a factored Linear, then a bias, then another Linear):
// each contraction is matched again when it is rewritten, so the second
// reads the first's packed result, and the bias between them is fused.
// CHECK-LABEL: func.func @chained
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK: %[[H:.*]] = slim.packed_matmul ins(%[[X]], %{{.*}} : tensor<4x8xf32>, tensor<128xf32>) outs(%{{.*}} : tensor<4x2xf32>) bias(%[[B]] : tensor<2xf32>) k = 8 n = 2
// CHECK: %[[Y:.*]] = slim.packed_matmul ins(%[[H]], %{{.*}} : tensor<4x2xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<4x3xf32>) k = 2 n = 3
// CHECK-NEXT: return %[[Y]]
#cid = affine_map<(m, n) -> (m, n)>
#ccol = affine_map<(m, n) -> (n)>
func.func @chained(%x: tensor<4x8xf32>, %b: tensor<2xf32>) -> tensor<4x3xf32> {
  %u = arith.constant dense<0.5> : tensor<8x2xf32>
  %v = arith.constant dense<0.25> : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x2xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %h = linalg.matmul ins(%x, %u : tensor<4x8xf32>, tensor<8x2xf32>) outs(%f1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %hb = linalg.generic {indexing_maps = [#cid, #ccol, #cid], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e1 : tensor<4x2xf32>) {
  ^bb0(%p: f32, %q: f32, %unused: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x3xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = linalg.matmul ins(%hb, %v : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Weights held as dense_resource blobs (what slim-import writes) are packed
// too, f32 and i8.
// CHECK-LABEL: func.func @resources
// CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<3x2xf32>) k = 2 n = 2
// CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<3x2xi8>, tensor<1088xi8>) outs(%{{.*}} : tensor<3x2xi32>) k = 2 n = 2
func.func @resources(%x: tensor<3x2xf32>, %a: tensor<3x2xi8>) -> (tensor<3x2xf32>, tensor<3x2xi32>) {
  %wf = arith.constant dense_resource<wf> : tensor<2x2xf32>
  %w8 = arith.constant dense_resource<w8> : tensor<2x2xi8>
  %z = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : i32
  %ef = tensor.empty() : tensor<3x2xf32>
  %ff = linalg.fill ins(%z : f32) outs(%ef : tensor<3x2xf32>) -> tensor<3x2xf32>
  %yf = linalg.matmul ins(%x, %wf : tensor<3x2xf32>, tensor<2x2xf32>) outs(%ff : tensor<3x2xf32>) -> tensor<3x2xf32>
  %ei = tensor.empty() : tensor<3x2xi32>
  %fi = linalg.fill ins(%c0 : i32) outs(%ei : tensor<3x2xi32>) -> tensor<3x2xi32>
  %yi = linalg.matmul ins(%a, %w8 : tensor<3x2xi8>, tensor<2x2xi8>) outs(%fi : tensor<3x2xi32>) -> tensor<3x2xi32>
  return %yf, %yi : tensor<3x2xf32>, tensor<3x2xi32>
}
{-#
  dialect_resources: {
    builtin: {
      wf: "0x040000000000803F000000400000404000008040",
      w8: "0x0100000001FE03FC"
    }
  }
#-}

// -----

// slim.dynamic_qmatmul by a constant weight of signed 8-bit storage: one
// slim.dynamic_packed_matmul, the weight packed, its scales as f32 column
// constants, its zero points only when one is nonzero; per_row kept; a
// following per-column f32 add fused as the bias. The 2 x 3 weight packs
// as in @generic_u8.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[P:.*]] = arith.constant dense<"0x0103000002040000FFFF0000{{(00)+}}0400000006000000FEFFFFFF{{(00)+}}"> : tensor<1088xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.250000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<[0, 3, -128]> : tensor<3xi32>
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK: %[[Y:.*]] = slim.dynamic_packed_matmul ins(%[[X]], %[[P]] : tensor<?x2xf32>, tensor<1088xi8>) outs(%[[E]] : tensor<?x3xf32>) scales(%[[S]] : tensor<3xf32>) zero_points(%[[Z]] : tensor<3xi32>) k = 2 n = 3 isa = <avx512_vnni> {per_row} -> tensor<?x3xf32>
// CHECK: %[[P2:.*]] = arith.constant dense<"0x0103000002040000FFFF0000{{(00)+}}0400000006000000FEFFFFFF{{(00)+}}"> : tensor<1088xi8>
// CHECK: %[[S1:.*]] = arith.constant dense<5.000000e-02> : tensor<3xf32>
// CHECK: %[[Y2:.*]] = slim.dynamic_packed_matmul ins(%[[X]], %[[P2]] : tensor<?x2xf32>, tensor<1088xi8>) outs(%{{.*}} : tensor<?x3xf32>) scales(%[[S1]] : tensor<3xf32>) bias(%[[B]] : tensor<3xf32>) k = 2 n = 3 isa = <avx512_vnni> -> tensor<?x3xf32>
// CHECK-NOT: slim.dynamic_qmatmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]], %[[Y2]]
// GENERIC-LABEL: func.func @dynamic
// GENERIC-COUNT-2: slim.dynamic_packed_matmul {{.*}} isa = <generic>
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @dynamic(%x: tensor<?x2xf32>, %b: tensor<3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %w = arith.constant dense<[[1, 2, -1], [3, 4, -1]]> : tensor<2x3xi8>
  %wq = quant.scast %w : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25:3, 0.125:-128}>>
  %y = slim.dynamic_qmatmul %x, %wq per_row : tensor<?x2xf32>, tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25:3, 0.125:-128}>> -> tensor<?x3xf32>
  %wt = quant.scast %w : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 0.05>>
  %y2 = slim.dynamic_qmatmul %x, %wt : tensor<?x2xf32>, tensor<2x3x!quant.uniform<i8:f32, 0.05>> -> tensor<?x3xf32>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%m) : tensor<?x3xf32>
  %z = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%y2, %b : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  return %y, %z : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

// Left to slim-lower-quant: a weight that is not a constant, u8 weights.
// CHECK-LABEL: func.func @dynamic_left_alone
// CHECK-NOT: slim.dynamic_packed_matmul
// CHECK-COUNT-2: slim.dynamic_qmatmul
// CHECK-NOT: slim.dynamic_packed_matmul
func.func @dynamic_left_alone(%x: tensor<4x4xf32>, %w: tensor<4x3x!quant.uniform<i8:f32, 0.5>>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %y0 = slim.dynamic_qmatmul %x, %w : tensor<4x4xf32>, tensor<4x3x!quant.uniform<i8:f32, 0.5>> -> tensor<4x3xf32>
  %c = arith.constant dense<7> : tensor<4x3xi8>
  %wu = quant.scast %c : tensor<4x3xi8> to tensor<4x3x!quant.uniform<u8:f32, 0.5:128>>
  %y1 = slim.dynamic_qmatmul %x, %wu : tensor<4x4xf32>, tensor<4x3x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4x3xf32>
  return %y0, %y1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Weight-only: a float matmul by slim.dequantize of a constant becomes
// slim.dequant_matmul. int4 in groups of 2 rows, scales per column (signed
// storage: stored
// q + 8, offsets z + 8 = 8), the 4 x 3 weight [[1,-2,3],[-4,5,-6],[7,-8,0],
// [1,1,1]] packed as panel rows of 16 bytes, k = 0 in the low nibbles (73 =
// (-4+8) << 4 | (1+8)); 2 groups x 16 scales and offsets. int8 per column on
// a non-zero init: accumulate, offsets the zero points.
// CHECK-LABEL: func.func @weight_only
// CHECK-SAME: (%[[X:.*]]: tensor<5x4xf32>, %[[C:.*]]: tensor<5x3xf32>)
// CHECK-DAG: %[[P4:.*]] = arith.constant dense<[73, -42, 43, {{(0, )+}}-97, -112, -104, {{(0, )+}}0]> : tensor<32xi8>
// CHECK-DAG: %[[S4:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.250000e-01, {{(0.000000e\+00, )+}}1.000000e+00, 2.000000e+00, 4.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<32xf32>
// CHECK-DAG: %[[O4:.*]] = arith.constant dense<[8, 8, 8, {{(0, )+}}8, 8, 8, {{(0, )+}}0]> : tensor<32xi8>
// CHECK: %[[Y:.*]] = slim.dequant_matmul ins(%[[X]], %[[P4]] : tensor<5x4xf32>, tensor<32xi8>) outs(%{{.*}} : tensor<5x3xf32>) scales(%[[S4]] : tensor<32xf32>) offsets(%[[O4]] : tensor<32xi8>) k = 4 n = 3 bits = 4 group_size = 2 isa = <avx512_vnni> -> tensor<5x3xf32>
// CHECK: %[[O8:.*]] = arith.constant dense<[0, 3, -128, {{(0, )+}}0]> : tensor<16xi8>
// CHECK: %[[Z:.*]] = slim.dequant_matmul ins(%[[X]], %{{.*}} : tensor<5x4xf32>, tensor<64xi8>) outs(%[[C]] : tensor<5x3xf32>) scales(%{{.*}} : tensor<16xf32>) offsets(%[[O8]] : tensor<16xi8>) k = 4 n = 3 bits = 8 group_size = 4 isa = <avx512_vnni> {accumulate} -> tensor<5x3xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return %[[Y]], %[[Z]]
// GENERIC-LABEL: func.func @weight_only
// GENERIC-COUNT-2: slim.dequant_matmul {{.*}} isa = <generic>
func.func @weight_only(%x: tensor<5x4xf32>, %c: tensor<5x3xf32>) -> (tensor<5x3xf32>, tensor<5x3xf32>) {
  %bytes = arith.constant dense<[[-31, 3], [92, 10], [-121, 0], [17, 1]]> : tensor<4x2xi8>
  %w4 = slim.unpack %bytes : tensor<4x2xi8> -> tensor<4x3xi4>
  %q4 = quant.scast %w4 : tensor<4x3xi4> to tensor<4x3x!quant.uniform<i4:f32:{0:2,1:1}, {{0.5,0.25,0.125},{1.0,2.0,4.0}}>>
  %d4 = slim.dequantize %q4 : tensor<4x3x!quant.uniform<i4:f32:{0:2,1:1}, {{0.5,0.25,0.125},{1.0,2.0,4.0}}>> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<5x3xf32>) -> tensor<5x3xf32>
  %y = linalg.matmul ins(%x, %d4 : tensor<5x4xf32>, tensor<4x3xf32>) outs(%f : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w8 = arith.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]> : tensor<4x3xi8>
  %q8 = quant.scast %w8 : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.25:3, 0.125:-128}>>
  %d8 = slim.dequantize %q8 : tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.25:3, 0.125:-128}>> to tensor<4x3xf32>
  %z = linalg.matmul ins(%x, %d8 : tensor<5x4xf32>, tensor<4x3xf32>) outs(%c : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %y, %z : tensor<5x3xf32>, tensor<5x3xf32>
}

// -----

// slim.sign_matmul (slim-low-rank method=onebit) is already in its
// kernel's layout: an op without an ISA takes the chosen one, one with an
// ISA keeps it; the column add that follows becomes its bias.
// CHECK-LABEL: func.func @sign
// CHECK-SAME: (%[[X:.*]]: tensor<5x4xf32>, %[[S:.*]]: tensor<8xi8>, %[[B:.*]]: tensor<3xf32>, %[[BIAS:.*]]: tensor<3xf32>, %[[C:.*]]: tensor<5x3xf32>)
// CHECK: %[[Y:.*]] = slim.sign_matmul ins(%[[X]], %[[S]] : tensor<5x4xf32>, tensor<8xi8>) outs(%[[C]] : tensor<5x3xf32>) scales(%[[B]] : tensor<3xf32>) bias(%[[BIAS]] : tensor<3xf32>) k = 4 n = 3 isa = <avx512_vnni> -> tensor<5x3xf32>
// CHECK-NOT: linalg.generic
// CHECK: %[[Z:.*]] = slim.sign_matmul {{.*}} k = 4 n = 3 accumulate isa = <avx2> -> tensor<5x3xf32>
// CHECK: return %[[Y]], %[[Z]]
// GENERIC-LABEL: func.func @sign
// GENERIC: slim.sign_matmul {{.*}} isa = <generic>
// GENERIC: slim.sign_matmul {{.*}} isa = <avx2>
func.func @sign(%x: tensor<5x4xf32>, %s: tensor<8xi8>, %b: tensor<3xf32>, %bias: tensor<3xf32>, %c: tensor<5x3xf32>) -> (tensor<5x3xf32>, tensor<5x3xf32>) {
  %y = slim.sign_matmul ins(%x, %s : tensor<5x4xf32>, tensor<8xi8>) outs(%c : tensor<5x3xf32>) scales(%b : tensor<3xf32>) k = 4 n = 3 -> tensor<5x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %yb = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : tensor<5x3xf32>, tensor<3xf32>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%a: f32, %v: f32, %o: f32):
    %sum = arith.addf %a, %v : f32
    linalg.yield %sum : f32
  } -> tensor<5x3xf32>
  %z = slim.sign_matmul ins(%x, %s : tensor<5x4xf32>, tensor<8xi8>) outs(%c : tensor<5x3xf32>) scales(%b : tensor<3xf32>) k = 4 n = 3 accumulate isa = <avx2> -> tensor<5x3xf32>
  return %yb, %z : tensor<5x3xf32>, tensor<5x3xf32>
}

// -----

// Left to the plain lowering: a dequantized argument (not a constant).
// CHECK-LABEL: func.func @weight_only_left_alone
// CHECK-NOT: slim.dequant_matmul
// CHECK: linalg.matmul
func.func @weight_only_left_alone(%x: tensor<5x4xf32>, %q: tensor<4x3x!quant.uniform<i8:f32, 0.5>>, %c: tensor<5x3xf32>) -> tensor<5x3xf32> {
  %d = slim.dequantize %q : tensor<4x3x!quant.uniform<i8:f32, 0.5>> to tensor<4x3xf32>
  %y = linalg.matmul ins(%x, %d : tensor<5x4xf32>, tensor<4x3xf32>) outs(%c : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// f32 convolutions with a constant filter become slim.packed_conv2d: NCHW
// x FCHW keeps the filter as the F x K matrix of its taps in (c, kh, kw)
// order (2 filters of 1 x 1 x 2: 1, 2 and 3, 4), strides and dilations
// kept; NHWC x HWCF packs the K x F matrix as a right-hand side (rows
// 1, 3 and 2, 4 in panels of 16) and accumulates onto a non-zero init.
// CHECK-LABEL: func.func @convolutions
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x4x5xf32>, %[[Y:.*]]: tensor<1x4x5x1xf32>, %[[C:.*]]: tensor<1x4x2x2xf32>)
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1x2x2x2xf32>
// CHECK-DAG: %[[P:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[A:.*]] = slim.packed_conv2d ins(%[[X]], %[[P]] : tensor<1x1x4x5xf32>, tensor<4xf32>) outs(%[[E]] : tensor<1x2x2x2xf32>) kernel = [1, 2] strides = [2, 2] dilations = [1, 2] isa = <avx512_vnni> -> tensor<1x2x2x2xf32>
// CHECK: %[[Q:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00, {{(0.000000e\+00, )+}}2.000000e+00, 4.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<32xf32>
// CHECK: %[[B:.*]] = slim.packed_conv2d ins(%[[Y]], %[[Q]] : tensor<1x4x5x1xf32>, tensor<32xf32>) outs(%[[C]] : tensor<1x4x2x2xf32>) kernel = [1, 2] strides = [1, 2] dilations = [1, 1] isa = <avx512_vnni> {accumulate, nhwc} -> tensor<1x4x2x2xf32>
// CHECK-NOT: linalg.conv_2d
// CHECK: return %[[A]], %[[B]]
func.func @convolutions(%x: tensor<1x1x4x5xf32>, %y: tensor<1x4x5x1xf32>, %c: tensor<1x4x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x4x2x2xf32>) {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x1x4x5xf32>, tensor<2x1x1x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %v = arith.constant dense<[[[[1.0, 3.0]], [[2.0, 4.0]]]]> : tensor<1x2x1x2xf32>
  %b = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%y, %v : tensor<1x4x5x1xf32>, tensor<1x2x1x2xf32>) outs(%c : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %a, %b : tensor<1x2x2x2xf32>, tensor<1x4x2x2xf32>
}

// -----

// Depthwise convolutions become slim.packed_conv2d {depthwise}: the filter
// taps-major, channels padded to 16 (2 channels, 1 x 2 taps: NCHW's CHW
// [[1, 2]], [[3, 4]] gives rows (kh 0, kw 0) = 1, 3 and (0, 1) = 2, 4; NHWC's
// HWC filter the same values), strides and dilations kept.
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x5xf32>, %[[Y:.*]]: tensor<1x4x5x2xf32>, %[[C:.*]]: tensor<1x4x2x2xf32>)
// CHECK-DAG: %[[P:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00, {{(0.000000e\+00, )+}}2.000000e+00, 4.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<32xf32>
// CHECK: %[[A:.*]] = slim.packed_conv2d ins(%[[X]], %[[P]] : tensor<1x2x4x5xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<1x2x2x2xf32>) kernel = [1, 2] strides = [2, 2] dilations = [1, 2] isa = <avx512_vnni> {depthwise} -> tensor<1x2x2x2xf32>
// CHECK: %[[B:.*]] = slim.packed_conv2d ins(%[[Y]], %{{.*}} : tensor<1x4x5x2xf32>, tensor<32xf32>) outs(%[[C]] : tensor<1x4x2x2xf32>) kernel = [1, 2] strides = [1, 2] dilations = [1, 1] isa = <avx512_vnni> {accumulate, depthwise, nhwc} -> tensor<1x4x2x2xf32>
// CHECK-NOT: linalg.depthwise
// CHECK: return %[[A]], %[[B]]
// GENERIC-LABEL: func.func @depthwise
// GENERIC-COUNT-2: slim.packed_conv2d {{.*}} isa = <generic>
func.func @depthwise(%x: tensor<1x2x4x5xf32>, %y: tensor<1x4x5x2xf32>, %c: tensor<1x4x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x4x2x2xf32>) {
  %w = arith.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %a = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x2x4x5xf32>, tensor<2x1x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %v = arith.constant dense<[[[1.0, 3.0], [2.0, 4.0]]]> : tensor<1x2x2xf32>
  %b = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%y, %v : tensor<1x4x5x2xf32>, tensor<1x2x2xf32>) outs(%c : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %a, %b : tensor<1x2x2x2xf32>, tensor<1x4x2x2xf32>
}

// -----

// Left alone: a filter that is not a constant, and dynamic shapes.
// CHECK-LABEL: func.func @convolutions_left_alone
// CHECK-NOT: slim.packed_conv2d
// CHECK-COUNT-2: linalg.conv_2d_nchw_fchw
func.func @convolutions_left_alone(%x: tensor<1x1x4x5xf32>, %w: tensor<2x1x1x2xf32>, %c: tensor<1x2x4x4xf32>, %d: tensor<?x1x4x5xf32>, %dc: tensor<?x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %a = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x4x5xf32>, tensor<2x1x1x2xf32>) outs(%c : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %k = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %b = linalg.conv_2d_nchw_fchw ins(%d, %k : tensor<?x1x4x5xf32>, tensor<2x1x1x2xf32>) outs(%dc : tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  return %a, %b : tensor<1x2x4x4xf32>, tensor<?x2x4x4xf32>
}

// -----

// A tensor.pad of +0 along H and W in front of an f32 convolution becomes
// the kernel's padding (the runtime pads a copy once); a pad of another
// value, or one that pads the channels, stays in the IR.
// CHECK-LABEL: func.func @padded_convolutions
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x1x3x4xf32>, %[[Y:[^:]*]]: tensor<1x3x4x2xf32>
// CHECK: slim.packed_conv2d ins(%[[X]], %{{.*}} : tensor<1x1x3x4xf32>, tensor<4xf32>) {{.*}} padding = [1, 0, 2, 1] isa
// CHECK: slim.packed_conv2d ins(%[[Y]], %{{.*}} : tensor<1x3x4x2xf32>, tensor<32xf32>) {{.*}} padding = [0, 2, 1, 0] isa {{.*}}{depthwise, nhwc}
// CHECK: %[[P:.*]] = tensor.pad %[[X]]
// CHECK: slim.packed_conv2d ins(%[[P]], %{{.*}} : tensor<1x1x6x5xf32>, tensor<4xf32>)
// CHECK-NOT: padding =
func.func @padded_convolutions(%x: tensor<1x1x3x4xf32>, %y: tensor<1x3x4x2xf32>) -> (tensor<1x2x6x4xf32>, tensor<1x4x5x2xf32>, tensor<1x2x6x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %px = tensor.pad %x low[0, 0, 1, 0] high[0, 0, 2, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x3x4xf32> to tensor<1x1x6x5xf32>
  %e = tensor.empty() : tensor<1x2x6x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x6x4xf32>) -> tensor<1x2x6x4xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%px, %w : tensor<1x1x6x5xf32>, tensor<2x1x1x2xf32>) outs(%f : tensor<1x2x6x4xf32>) -> tensor<1x2x6x4xf32>
  %v = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %py = tensor.pad %y low[0, 0, 2, 0] high[0, 1, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x4x2xf32> to tensor<1x4x6x2xf32>
  %e2 = tensor.empty() : tensor<1x4x5x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x4x5x2xf32>) -> tensor<1x4x5x2xf32>
  %b = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%py, %v : tensor<1x4x6x2xf32>, tensor<1x2x2xf32>) outs(%f2 : tensor<1x4x5x2xf32>) -> tensor<1x4x5x2xf32>
  %qx = tensor.pad %x low[0, 0, 1, 0] high[0, 0, 2, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x1x3x4xf32> to tensor<1x1x6x5xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%qx, %w : tensor<1x1x6x5xf32>, tensor<2x1x1x2xf32>) outs(%f : tensor<1x2x6x4xf32>) -> tensor<1x2x6x4xf32>
  return %a, %b, %c : tensor<1x2x6x4xf32>, tensor<1x4x5x2xf32>, tensor<1x2x6x4xf32>
}
