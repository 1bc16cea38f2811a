// RUN: slim-opt %s -split-input-file --slim-outline-loop-nests | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-outline-loop-nests="min-nests=3" | FileCheck %s --check-prefix=CHECK-MIN
// RUN: slim-opt %s -split-input-file --slim-outline-loop-nests --convert-scf-to-cf --convert-to-llvm | FileCheck %s --check-prefix=CHECK-LLVM

// Each of the two nests becomes a private function that LLVM may not
// inline (LLVM's noinline); the constants and the weights' global are made inside, the
// buffers passed, the value the second nest yields returned.
// CHECK-LABEL: func.func private @two__nest0
// CHECK-SAME: (%[[A:.*]]: memref<16xf32>, %[[B:.*]]: memref<16xf32>) attributes {passthrough = ["noinline"]}
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[W:.*]] = memref.get_global @weights : memref<16xf32>
// CHECK: scf.for
// CHECK: memref.load %[[A]]
// CHECK: memref.load %[[W]]
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[B]]
// CHECK: return
// CHECK-LABEL: func.func private @two__nest1
// CHECK-SAME: (%[[B1:.*]]: memref<16xf32>) -> f32 attributes {passthrough = ["noinline"]}
// CHECK: %[[S:.*]] = scf.for {{.*}} iter_args
// CHECK: return %[[S]] : f32
// CHECK-LABEL: func.func @two
// CHECK-SAME: (%[[X:.*]]: memref<16xf32>, %[[Y:.*]]: memref<16xf32>)
// CHECK: call @two__nest0(%[[X]], %[[Y]]) : (memref<16xf32>, memref<16xf32>) -> ()
// CHECK: %[[R:.*]] = call @two__nest1(%[[Y]]) : (memref<16xf32>) -> f32
// CHECK: return %[[R]]
// CHECK-MIN-LABEL: func.func @two
// CHECK-MIN-NOT: call
// CHECK-MIN: scf.for
// CHECK-MIN: scf.for
// CHECK-LLVM: llvm.func @two__nest0({{.*}}) attributes {passthrough = ["noinline"], sym_visibility = "private"}
memref.global "private" constant @weights : memref<16xf32> = dense<3.0>
func.func @two(%a: memref<16xf32>, %b: memref<16xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @weights : memref<16xf32>
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %a[%i] : memref<16xf32>
    %u = memref.load %w[%i] : memref<16xf32>
    %p = arith.mulf %v, %u : f32
    %q = arith.mulf %p, %two : f32
    memref.store %q, %b[%i] : memref<16xf32>
  }
  %s = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> f32 {
    %v = memref.load %b[%i] : memref<16xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  return %s : f32
}

// -----

// One nest (fewer than min-nests = 2): nothing to gain.
// CHECK-LABEL: func.func @one
// CHECK-NOT: call
// CHECK: scf.for
// CHECK-NOT: func.func private
func.func @one(%a: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %two, %a[%i] : memref<16xf32>
  }
  return
}

// -----

// A name already taken is skipped.
// CHECK-LABEL: func.func @f__nest0
// CHECK-LABEL: func.func private @f__nest1
// CHECK-LABEL: func.func private @f__nest2
// CHECK-LABEL: func.func @f(
// CHECK: call @f__nest1
// CHECK: call @f__nest2
func.func @f__nest0() {
  return
}
func.func @f(%a: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %two, %a[%i] : memref<16xf32>
  }
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %two, %a[%i] : memref<16xf32>
  }
  return
}
