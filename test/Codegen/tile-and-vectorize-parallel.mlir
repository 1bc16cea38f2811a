// RUN: slim-opt %s -split-input-file --slim-tile-and-vectorize="parallel-work=4096" --canonicalize | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-tile-and-vectorize --canonicalize | FileCheck %s --check-prefix=CHECK-OFF
// RUN: not slim-opt %s -split-input-file --slim-tile-and-vectorize="parallel-work=-1" 2>&1 | FileCheck %s --check-prefix=CHECK-NEGATIVE
// CHECK-NEGATIVE: slim-tile-and-vectorize: parallel-work must be 0 (no threads) or a positive number of loop iterations, got -1

// parallel-work: an op of at least that many loop iterations gets its outer
// tile loop as an scf.forall (one iteration per tile), the other tile loops
// inside it as before. Without the option, no op is distributed.

// Elementwise 64x512: the rows are shared, each row a vector at a time.
// CHECK-LABEL: func.func @rows
// CHECK: scf.forall (%[[I:.*]]) in (64) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<64x512xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c16
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<1x16xf32>
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[I]], 0] [1, 512] [1, 1]
// CHECK-OFF-LABEL: func.func @rows
// CHECK-OFF-NOT: scf.forall
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @rows(%a: tensor<64x512xf32>, %b: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %e = tensor.empty() : tensor<64x512xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<64x512xf32>, tensor<64x512xf32>) outs(%e : tensor<64x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// -----

// Below parallel-work (63 x 64 = 4032 iterations): loops only.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.forall
// CHECK: scf.for
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @small(%a: tensor<63x64xf32>) -> tensor<63x64xf32> {
  %e = tensor.empty() : tensor<63x64xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<63x64xf32>) outs(%e : tensor<63x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.negf %x : f32
    linalg.yield %s : f32
  } -> tensor<63x64xf32>
  return %r : tensor<63x64xf32>
}

// -----

// One row: the outer loop has one tile, so the vectors along the row are
// shared (tiles of 16 columns).
// CHECK-LABEL: func.func @one_row
// CHECK: scf.forall (%[[J:.*]]) = (0) to (4096) step (16)
// CHECK: tensor.extract_slice %{{.*}}[0, %[[J]]] [1, 16] [1, 1]
// CHECK: math.exp %{{.*}} : vector<1x16xf32>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @one_row(%a: tensor<1x4096xf32>) -> tensor<1x4096xf32> {
  %e = tensor.empty() : tensor<1x4096xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<1x4096xf32>) outs(%e : tensor<1x4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<1x4096xf32>
  return %r : tensor<1x4096xf32>
}

// -----

// A batched contraction: the batch is shared (one forall iteration per
// head); inside, m x n tiles with the reduction loop innermost as before.
// CHECK-LABEL: func.func @heads
// CHECK: scf.forall (%[[B:.*]]) in (12)
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c4
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c16
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK: vector.contract
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], 0, 0] [1, 128, 128] [1, 1, 1]
func.func @heads(%a: tensor<12x128x32xf32>, %b: tensor<12x32x128xf32>, %c: tensor<12x128x128xf32>) -> tensor<12x128x128xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<12x128x32xf32>, tensor<12x32x128xf32>)
      outs(%c : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  return %r : tensor<12x128x128xf32>
}

// -----

// A matmul without a batch: the m tiles (contraction-rows 4) are shared.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%{{.*}}) = (0) to (32) step (4)
// CHECK: scf.for %{{.*}} = %c0 to %c256 step %c16
// CHECK: vector.contract
func.func @matmul(%a: tensor<32x64xf32>, %b: tensor<64x256xf32>, %c: tensor<32x256xf32>) -> tensor<32x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<32x64xf32>, tensor<64x256xf32>)
      outs(%c : tensor<32x256xf32>) -> tensor<32x256xf32>
  return %r : tensor<32x256xf32>
}

// -----

// A sum over the outer dimension: that loop is a reduction, never shared;
// the 16-column tiles are (4 of them), each summing all 128 rows.
// CHECK-LABEL: func.func @column_sums
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (16)
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @column_sums(%x: tensor<128x64xf32>, %z: tensor<64xf32>) -> tensor<64xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<128x64xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %o : f32
    linalg.yield %t : f32
  } -> tensor<64xf32>
  return %s : tensor<64xf32>
}

// -----

// A reduction over a single row of 8192: nothing parallel has two tiles
// (the one row), so it stays on one thread.
// CHECK-LABEL: func.func @one_long_row
// CHECK-NOT: scf.forall
// CHECK: vector.reduction <add>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @one_long_row(%x: tensor<1x8192xf32>, %z: tensor<1xf32>) -> tensor<1xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<1x8192xf32>) outs(%z : tensor<1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %o : f32
    linalg.yield %t : f32
  } -> tensor<1xf32>
  return %s : tensor<1xf32>
}

// -----

// A parallel loop that the output does not index (64 rows all written to
// the same 16 columns; linalg allows it) is never shared: every iteration
// would write the whole result. The columns are.
// CHECK-LABEL: func.func @unindexed_rows
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (16)
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @unindexed_rows(%x: tensor<64x64xf32>, %z: tensor<64xf32>) -> tensor<64xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x64xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<64xf32>
  return %s : tensor<64xf32>
}
