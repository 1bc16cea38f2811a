// RUN: slim-opt %s -split-input-file --slim-hoist-vector-transfers -allow-unregistered-dialect | FileCheck %s

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

// -----

// A batched product's result that is expanded for the next op: upstream's
// hoisting refuses any buffer with a view; this one hoists, since the loop
// reads only other buffers (an argument and a view of another allocation).
// CHECK-LABEL: func.func @viewed_result
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<1x4x16xf32>
// CHECK:         %[[OLD:.*]] = vector.transfer_read %[[ACC]][%c0, %c0, %c0]
// CHECK:         %[[R:.*]] = scf.for {{.*}} iter_args(%[[V:.*]] = %[[OLD]]) -> (vector<1x4x16xf32>)
// CHECK-NOT:       vector.transfer_write
// CHECK:           vector.contract {{.*}} %[[V]]
// CHECK:         vector.transfer_write %[[R]], %[[ACC]][%c0, %c0, %c0]
// CHECK:         memref.expand_shape %[[ACC]]
#a3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#b3 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#c3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @viewed_result(%p: memref<1x4x8xf32>, %v: memref<8x16xf32>) -> memref<1x1x4x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %f0 = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x4x16xf32>
  %other = memref.alloc() : memref<8x16xf32>
  memref.copy %v, %other : memref<8x16xf32> to memref<8x16xf32>
  %vb = memref.expand_shape %other [[0, 1], [2]] output_shape [1, 8, 16] : memref<8x16xf32> into memref<1x8x16xf32>
  %acc = memref.alloc() : memref<1x4x16xf32>
  vector.transfer_write %zero, %acc[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x4x16xf32>
  scf.for %k = %c0 to %c8 step %c1 {
    %pa = vector.transfer_read %p[%c0, %c0, %k], %f0 {in_bounds = [true, true, true]} : memref<1x4x8xf32>, vector<1x4x1xf32>
    %vr = vector.transfer_read %vb[%c0, %k, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x8x16xf32>, vector<1x1x16xf32>
    %old = vector.transfer_read %acc[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x4x16xf32>, vector<1x4x16xf32>
    %new = vector.contract {indexing_maps = [#a3, #b3, #c3], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %pa, %vr, %old : vector<1x4x1xf32>, vector<1x1x16xf32> into vector<1x4x16xf32>
    vector.transfer_write %new, %acc[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x4x16xf32>
  }
  %out = memref.expand_shape %acc [[0, 1], [2], [3]] output_shape [1, 1, 4, 16] : memref<1x4x16xf32> into memref<1x1x4x16xf32>
  return %out : memref<1x1x4x16xf32>
}

// -----

// The loop also reads a view of the accumulator's own allocation: they may
// overlap, so the pair stays in the loop.
// CHECK-LABEL: func.func @same_allocation
// CHECK:         scf.for
// CHECK:           vector.transfer_read %[[ALIAS:.*]][%c0, %{{.*}}]
// CHECK:           vector.transfer_read %{{.*}}[%c0, %c0, %c0]
// CHECK:           vector.transfer_write
// CHECK-NEXT:    {{^ *}}}
func.func @same_allocation(%p: memref<4x8xf32>) -> memref<1x4x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %f0 = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<1x4x16xf32>
  %flat = memref.collapse_shape %acc [[0, 1], [2]] : memref<1x4x16xf32> into memref<4x16xf32>
  scf.for %k = %c0 to %c8 step %c1 {
    %x = vector.transfer_read %flat[%c0, %k], %f0 {in_bounds = [true, true]} : memref<4x16xf32>, vector<1x16xf32>
    %old = vector.transfer_read %acc[%c0, %c0, %c0], %f0 {in_bounds = [true, true, true]} : memref<1x4x16xf32>, vector<1x4x16xf32>
    %b = vector.broadcast %x : vector<1x16xf32> to vector<1x4x16xf32>
    %new = arith.addf %old, %b : vector<1x4x16xf32>
    vector.transfer_write %new, %acc[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x4x16xf32>
  }
  return %acc : memref<1x4x16xf32>
}

// -----

// Two arguments may be the same buffer: with the accumulator an argument
// and another argument read in the loop, nothing moves (the subview keeps
// upstream's hoisting, which does not look at arguments, out of this case).
// CHECK-LABEL: func.func @argument_accumulator
// CHECK:         scf.for
// CHECK:           vector.transfer_read %arg0
// CHECK:           vector.transfer_read %arg1
// CHECK:           vector.transfer_write %{{.*}}, %arg1
func.func @argument_accumulator(%x: memref<8x16xf32>, %acc: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %f0 = arith.constant 0.0 : f32
  %view = memref.subview %acc[0, 0] [4, 16] [1, 1] : memref<4x16xf32> to memref<4x16xf32, strided<[16, 1]>>
  scf.for %k = %c0 to %c8 step %c1 {
    %r = vector.transfer_read %x[%k, %c0], %f0 {in_bounds = [true, true]} : memref<8x16xf32>, vector<1x16xf32>
    %old = vector.transfer_read %acc[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %b = vector.broadcast %r : vector<1x16xf32> to vector<4x1x16xf32>
    %c = vector.shape_cast %b : vector<4x1x16xf32> to vector<4x16xf32>
    %new = arith.addf %old, %c : vector<4x16xf32>
    vector.transfer_write %new, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  "test.use"(%view) : (memref<4x16xf32, strided<[16, 1]>>) -> ()
  return
}
