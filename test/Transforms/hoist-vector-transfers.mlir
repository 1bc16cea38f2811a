// RUN: slim-opt %s -split-input-file --slim-hoist-vector-transfers | FileCheck %s

// The accumulator tile of a reduction loop: read and written at the same
// place on every iteration, it becomes a loop-carried vector, read once
// before the loop and written once after it.
// CHECK-LABEL: func.func @accumulator
// CHECK:         %[[ACC:.*]] = vector.transfer_read %arg2[%c0, %c0]
// CHECK:         %[[R:.*]] = scf.for {{.*}} iter_args(%[[V:.*]] = %[[ACC]]) -> (vector<4x16xf32>)
// CHECK-NOT:       vector.transfer_write
// CHECK:           vector.contract {{.*}} %[[V]]
// CHECK:         vector.transfer_write %[[R]], %arg2[%c0, %c0]
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @accumulator(%x: memref<4x24xf32>, %w: memref<24x16xf32>, %acc: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c24 = arith.constant 24 : index
  %f0 = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c24 step %c1 {
    %xa = vector.transfer_read %x[%c0, %k], %f0 {in_bounds = [true, true]} : memref<4x24xf32>, vector<4x1xf32>
    %wb = vector.transfer_read %w[%k, %c0], %f0 {in_bounds = [true, true]} : memref<24x16xf32>, vector<1x16xf32>
    %old = vector.transfer_read %acc[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %new = vector.contract {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %xa, %wb, %old : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
    vector.transfer_write %new, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  return
}

// -----

// A write to a location that moves with the loop is not hoisted.
// CHECK-LABEL: func.func @moving
// CHECK:         scf.for
// CHECK:           vector.transfer_read %arg0[%{{.*}}]
// CHECK:           vector.transfer_write
func.func @moving(%m: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %f0 = arith.constant 0.0 : f32
  %one = arith.constant dense<1.0> : vector<16xf32>
  scf.for %i = %c0 to %c64 step %c16 {
    %v = vector.transfer_read %m[%i], %f0 {in_bounds = [true]} : memref<64xf32>, vector<16xf32>
    %s = arith.addf %v, %one : vector<16xf32>
    vector.transfer_write %s, %m[%i] {in_bounds = [true]} : vector<16xf32>, memref<64xf32>
  }
  return
}
