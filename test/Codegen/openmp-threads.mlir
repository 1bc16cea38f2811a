// RUN: slim-opt %s -split-input-file -verify-diagnostics --convert-scf-to-openmp --slim-openmp-threads | FileCheck %s --implicit-check-not=memref.alloca_scope

// Each parallel region asks the runtime for its thread count; the function
// is declared once. The scopes around each iteration's body are gone (the
// body has no alloca), so the loops inside can become branches.
// CHECK-LABEL: func.func @two_loops
// CHECK: %[[N1:.*]] = call @slim_rt_get_num_threads() : () -> i32
// CHECK: omp.parallel num_threads(%[[N1]] : i32)
// CHECK-NOT: memref.alloca_scope
// CHECK: omp.wsloop
// CHECK: scf.for
// CHECK: %[[N2:.*]] = call @slim_rt_get_num_threads() : () -> i32
// CHECK: omp.parallel num_threads(%[[N2]] : i32)
// CHECK-NOT: memref.alloca_scope
// CHECK: return
// CHECK-COUNT-1: func.func private @slim_rt_get_num_threads() -> i32
// CHECK-NOT: func.func private @slim_rt_get_num_threads
func.func @two_loops(%a: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.for %j = %c0 to %c32 step %c1 {
      %v = memref.load %a[%i, %j] : memref<64x32xf32>
      %w = arith.addf %v, %one : f32
      memref.store %w, %a[%i, %j] : memref<64x32xf32>
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %one, %a[%i, %c0] : memref<64x32xf32>
    scf.reduce
  }
  return
}

// -----

// A body with an alloca: the stack is saved before it and restored after,
// so each iteration's alloca is freed as the scope would have.
// CHECK-LABEL: func.func @with_alloca
// CHECK: omp.parallel num_threads
// CHECK: omp.loop_nest
// CHECK: %[[SP:.*]] = llvm.intr.stacksave : !llvm.ptr
// CHECK-NEXT: memref.alloca() : memref<16xf32>
// CHECK: llvm.intr.stackrestore %[[SP]] : !llvm.ptr
// CHECK-NEXT: omp.yield
func.func @with_alloca(%a: memref<64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %t = memref.alloca() : memref<16xf32>
    %s = memref.subview %a[%i, 0] [1, 16] [1, 1] : memref<64x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.copy %s, %t : memref<16xf32, strided<[1], offset: ?>> to memref<16xf32>
    scf.reduce
  }
  return
}

// -----

// A region that names its thread count keeps it (its scopes still go); a
// module whose regions all name theirs declares nothing.
// CHECK-LABEL: func.func @named
// CHECK: %[[C4:.*]] = arith.constant 4 : i32
// CHECK: omp.parallel num_threads(%[[C4]] : i32)
// CHECK-NEXT: memref.store
// CHECK-NEXT: omp.terminator
// CHECK-NOT: slim_rt_get_num_threads
func.func @named(%a: memref<4xf32>) {
  %c4 = arith.constant 4 : i32
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  omp.parallel num_threads(%c4 : i32) {
    memref.alloca_scope {
      memref.store %z, %a[%c0] : memref<4xf32>
    }
    omp.terminator
  }
  return
}

// -----

// Nested parallel loops: two regions, one inside the other, each scope
// inlined once.
// CHECK-LABEL: func.func @nested
// CHECK: omp.parallel num_threads
// CHECK: omp.loop_nest
// CHECK: omp.parallel num_threads
// CHECK: omp.loop_nest
// CHECK: memref.store
func.func @nested(%a: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %z = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %z, %a[%i, %j] : memref<8x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// The runtime's function declared with another type: refused.
// expected-error @+1 {{'slim_rt_get_num_threads' is the runtime's thread count, () -> i32; this module declares it as '(i32) -> i64'}}
func.func private @slim_rt_get_num_threads(i32) -> i64
func.func @clash(%a: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %z = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %z, %a[%i] : memref<8xf32>
    scf.reduce
  }
  return
}
