// RUN: slim-opt %s -split-input-file --slim-merge-similar-functions | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-merge-similar-functions="max-parameters=1" | FileCheck %s --check-prefix=CHECK-MAX

// Two layers' copies of a nest that differ in a scale (a scalar), a clamp
// bound (a splat vector, passed as its element) and the global they read;
// the second writes its constants in another order and has a dead copy of
// one. The first stays and takes the three as trailing arguments (in the
// order the comparison meets them: uses in the order of the ops); each call
// passes its own function's values; the second is erased. The constant the
// two share (the step, the zero vector) stays inside.
// CHECK-LABEL: func.func private @layer0
// CHECK-SAME: (%[[X:.*]]: memref<32xf32>, %[[Y:.*]]: memref<32xf32>, %[[G:.*]]: memref<32xf32>, %[[S:.*]]: f32, %[[HI:.*]]: f32)
// CHECK-DAG: %[[HIV:.*]] = vector.broadcast %[[HI]] : f32 to vector<16xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: scf.for
// CHECK: %[[A:.*]] = vector.transfer_read %[[X]]
// CHECK: %[[B:.*]] = vector.transfer_read %[[G]]
// CHECK: %[[SV:.*]] = vector.broadcast %[[S]]
// CHECK: %[[M:.*]] = arith.mulf %[[A]], %[[SV]]
// CHECK: %[[P:.*]] = arith.addf %[[M]], %[[B]]
// CHECK: %[[LO:.*]] = arith.maximumf %[[P]], %[[ZERO]]
// CHECK: arith.minimumf %[[LO]], %[[HIV]]
// CHECK-NOT: func.func private @layer1
// CHECK-LABEL: func.func @model
// CHECK-DAG: %[[S0:.*]] = arith.constant 1.250000e-01 : f32
// CHECK-DAG: %[[H0:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-DAG: %[[G0:.*]] = memref.get_global @bias0
// CHECK: call @layer0(%{{.*}}, %{{.*}}, %[[G0]], %[[S0]], %[[H0]])
// CHECK-DAG: %[[S1:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-DAG: %[[H1:.*]] = arith.constant 4.000000e+00 : f32
// CHECK-DAG: %[[G1:.*]] = memref.get_global @bias1
// CHECK: call @layer0(%{{.*}}, %{{.*}}, %[[G1]], %[[S1]], %[[H1]])
// The limit: three values differ, one may.
// CHECK-MAX-LABEL: func.func private @layer0
// CHECK-MAX-SAME: (%{{.*}}: memref<32xf32>, %{{.*}}: memref<32xf32>) attributes
// CHECK-MAX-LABEL: func.func private @layer1
// CHECK-MAX-LABEL: func.func @model
// CHECK-MAX: call @layer0
// CHECK-MAX: call @layer1
memref.global "private" constant @bias0 : memref<32xf32> = dense<1.0>
memref.global "private" constant @bias1 : memref<32xf32> = dense<2.0>
func.func private @layer0(%x: memref<32xf32>, %y: memref<32xf32>) attributes {passthrough = ["noinline"]} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %pad = arith.constant 0.0 : f32
  %s = arith.constant 0.125 : f32
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %hi = arith.constant dense<6.0> : vector<16xf32>
  %g = memref.get_global @bias0 : memref<32xf32>
  scf.for %i = %c0 to %c32 step %c16 {
    %a = vector.transfer_read %x[%i], %pad : memref<32xf32>, vector<16xf32>
    %b = vector.transfer_read %g[%i], %pad : memref<32xf32>, vector<16xf32>
    %sv = vector.broadcast %s : f32 to vector<16xf32>
    %m = arith.mulf %a, %sv : vector<16xf32>
    %p = arith.addf %m, %b : vector<16xf32>
    %lo = arith.maximumf %p, %zero : vector<16xf32>
    %r = arith.minimumf %lo, %hi : vector<16xf32>
    vector.transfer_write %r, %y[%i] : vector<16xf32>, memref<32xf32>
  }
  return
}
func.func private @layer1(%x: memref<32xf32>, %y: memref<32xf32>) attributes {passthrough = ["noinline"]} {
  %g = memref.get_global @bias1 : memref<32xf32>
  %hi = arith.constant dense<4.0> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant 3.0 : f32
  %pad = arith.constant 0.0 : f32
  %dead = arith.constant 0.0 : f32
  %c32 = arith.constant 32 : index
  %c16 = arith.constant 16 : index
  %c0 = arith.constant 0 : index
  scf.for %i = %c0 to %c32 step %c16 {
    %a = vector.transfer_read %x[%i], %pad : memref<32xf32>, vector<16xf32>
    %b = vector.transfer_read %g[%i], %pad : memref<32xf32>, vector<16xf32>
    %sv = vector.broadcast %s : f32 to vector<16xf32>
    %m = arith.mulf %a, %sv : vector<16xf32>
    %p = arith.addf %m, %b : vector<16xf32>
    %lo = arith.maximumf %p, %zero : vector<16xf32>
    %r = arith.minimumf %lo, %hi : vector<16xf32>
    vector.transfer_write %r, %y[%i] : vector<16xf32>, memref<32xf32>
  }
  return
}
func.func @model(%x: memref<32xf32>, %y: memref<32xf32>, %z: memref<32xf32>) {
  call @layer0(%x, %y) : (memref<32xf32>, memref<32xf32>) -> ()
  call @layer1(%y, %z) : (memref<32xf32>, memref<32xf32>) -> ()
  return
}

// -----

// A constant inside a loop body, and a function that returns a value: the
// merged function returns it for both calls.
// CHECK-LABEL: func.func private @sum0
// CHECK-SAME: (%{{.*}}: memref<8xf32>, %[[W:.*]]: f32) -> f32
// CHECK: scf.for
// CHECK: arith.mulf %{{.*}}, %[[W]] : f32
// CHECK-NOT: func.func private @sum1
// CHECK-LABEL: func.func @nested
// CHECK: %[[A:.*]] = call @sum0(%{{.*}}, %{{.*}}) : (memref<8xf32>, f32) -> f32
// CHECK: %[[B:.*]] = call @sum0(%{{.*}}, %{{.*}}) : (memref<8xf32>, f32) -> f32
// CHECK: arith.addf %[[A]], %[[B]]
func.func private @sum0(%x: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %init = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> f32 {
    %w = arith.constant 0.5 : f32
    %v = memref.load %x[%i] : memref<8xf32>
    %p = arith.mulf %v, %w : f32
    %n = arith.addf %acc, %p : f32
    scf.yield %n : f32
  }
  return %r : f32
}
func.func private @sum1(%x: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %init = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> f32 {
    %w = arith.constant -2.0 : f32
    %v = memref.load %x[%i] : memref<8xf32>
    %p = arith.mulf %v, %w : f32
    %n = arith.addf %acc, %p : f32
    scf.yield %n : f32
  }
  return %r : f32
}
func.func @nested(%x: memref<8xf32>) -> f32 {
  %a = call @sum0(%x) : (memref<8xf32>) -> f32
  %b = call @sum1(%x) : (memref<8xf32>) -> f32
  %s = arith.addf %a, %b : f32
  return %s : f32
}

// -----

// What must stay equal: loop bounds (index constants), non-splat vectors,
// the ops themselves, and one constant of the first function standing for
// two different values of the second. Public functions and functions used
// other than by a call are left alone even when identical.
// CHECK-LABEL: func.func private @bound0
// CHECK-LABEL: func.func private @bound1
// CHECK-LABEL: func.func private @lanes0
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK-LABEL: func.func private @lanes1
// CHECK: arith.constant dense<[4.000000e+00, 3.000000e+00, 2.000000e+00, 1.000000e+00]>
// CHECK-LABEL: func.func private @op0
// CHECK: arith.mulf
// CHECK-LABEL: func.func private @op1
// CHECK: arith.divf
// CHECK-LABEL: func.func private @shared0
// CHECK-SAME: (%{{.*}}: f32) -> f32 {
// CHECK-LABEL: func.func private @shared1
// CHECK-LABEL: func.func @public0
// CHECK-LABEL: func.func @public1
// CHECK-LABEL: func.func private @taken0
// CHECK-LABEL: func.func private @taken1
// CHECK-LABEL: func.func @users
// CHECK: call @bound0
// CHECK: call @bound1
// CHECK: call @lanes0
// CHECK: call @lanes1
// CHECK: call @op0
// CHECK: call @op1
// CHECK: call @shared0
// CHECK: call @shared1
// CHECK: call @public0
// CHECK: call @public1
// CHECK: constant @taken0
// CHECK: call @taken1
func.func private @bound0(%x: memref<64xf32>) attributes {passthrough = ["noinline"]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 32 : index
  %v = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %v, %x[%i] : memref<64xf32>
  }
  return
}
func.func private @bound1(%x: memref<64xf32>) attributes {passthrough = ["noinline"]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 64 : index
  %v = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %v, %x[%i] : memref<64xf32>
  }
  return
}
func.func private @lanes0(%x: vector<4xf32>) -> vector<4xf32> {
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : vector<4xf32>
  %r = arith.mulf %x, %c : vector<4xf32>
  return %r : vector<4xf32>
}
func.func private @lanes1(%x: vector<4xf32>) -> vector<4xf32> {
  %c = arith.constant dense<[4.0, 3.0, 2.0, 1.0]> : vector<4xf32>
  %r = arith.mulf %x, %c : vector<4xf32>
  return %r : vector<4xf32>
}
func.func private @op0(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.mulf %x, %c : f32
  return %r : f32
}
func.func private @op1(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.divf %x, %c : f32
  return %r : f32
}
func.func private @shared0(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %a = arith.mulf %x, %c : f32
  %r = arith.addf %a, %c : f32
  return %r : f32
}
func.func private @shared1(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %d = arith.constant 3.0 : f32
  %a = arith.mulf %x, %c : f32
  %r = arith.addf %a, %d : f32
  return %r : f32
}
func.func @public0(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.mulf %x, %c : f32
  return %r : f32
}
func.func @public1(%x: f32) -> f32 {
  %c = arith.constant 3.0 : f32
  %r = arith.mulf %x, %c : f32
  return %r : f32
}
func.func private @taken0(%x: f32) -> f32 {
  %c = arith.constant 5.0 : f32
  %r = arith.subf %x, %c : f32
  return %r : f32
}
func.func private @taken1(%x: f32) -> f32 {
  %c = arith.constant 7.0 : f32
  %r = arith.subf %x, %c : f32
  return %r : f32
}
func.func @users(%m: memref<64xf32>, %v: vector<4xf32>, %x: f32) -> (vector<4xf32>, vector<4xf32>, f32, f32, f32, f32, f32, f32, (f32) -> f32, f32) {
  call @bound0(%m) : (memref<64xf32>) -> ()
  call @bound1(%m) : (memref<64xf32>) -> ()
  %l0 = call @lanes0(%v) : (vector<4xf32>) -> vector<4xf32>
  %l1 = call @lanes1(%v) : (vector<4xf32>) -> vector<4xf32>
  %o0 = call @op0(%x) : (f32) -> f32
  %o1 = call @op1(%x) : (f32) -> f32
  %s0 = call @shared0(%x) : (f32) -> f32
  %s1 = call @shared1(%x) : (f32) -> f32
  %p0 = call @public0(%x) : (f32) -> f32
  %p1 = call @public1(%x) : (f32) -> f32
  %t0 = func.constant @taken0 : (f32) -> f32
  %t1 = call @taken1(%x) : (f32) -> f32
  return %l0, %l1, %o0, %o1, %s0, %s1, %p0, %p1, %t0, %t1 : vector<4xf32>, vector<4xf32>, f32, f32, f32, f32, f32, f32, (f32) -> f32, f32
}

// -----

// Chains: two functions that merge both call a function that merges with
// another later; every call ends at the right function with its values.
// CHECK-LABEL: func.func private @outer0
// CHECK-SAME: (%{{.*}}: f32, %[[C:.*]]: f32) -> f32
// CHECK: %[[A:.*]] = arith.addf %{{.*}}, %[[C]]
// CHECK: %[[K:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: call @inner0(%[[A]], %[[K]])
// CHECK-NOT: func.func private @outer1
// CHECK-LABEL: func.func private @inner0
// CHECK-SAME: (%{{.*}}: f32, %{{.*}}: f32) -> f32
// CHECK-NOT: func.func private @inner1
// CHECK-LABEL: func.func @chains
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: call @outer0(%{{.*}}, %[[ONE]])
// CHECK: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: call @outer0(%{{.*}}, %[[TWO]])
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: call @inner0(%{{.*}}, %[[FOUR]])
func.func private @outer0(%x: f32) -> f32 {
  %c = arith.constant 1.0 : f32
  %a = arith.addf %x, %c : f32
  %r = call @inner0(%a) : (f32) -> f32
  return %r : f32
}
func.func private @outer1(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %a = arith.addf %x, %c : f32
  %r = call @inner0(%a) : (f32) -> f32
  return %r : f32
}
func.func private @inner0(%x: f32) -> f32 {
  %c = arith.constant 3.0 : f32
  %a = arith.mulf %x, %c : f32
  return %a : f32
}
func.func private @inner1(%x: f32) -> f32 {
  %c = arith.constant 4.0 : f32
  %a = arith.mulf %x, %c : f32
  return %a : f32
}
func.func @chains(%x: f32) -> (f32, f32, f32) {
  %a = call @outer0(%x) : (f32) -> f32
  %b = call @outer1(%x) : (f32) -> f32
  %c = call @inner1(%x) : (f32) -> f32
  return %a, %b, %c : f32, f32, f32
}

// -----

// Left alone: ops that differ in a property that is not an attribute
// (linearize_index's disjoint), a constant inside a region isolated from
// above (a function argument is not visible there), calls with argument
// attributes (they would need one per new operand), and calls in a nested
// symbol table, which name that table's functions.
// CHECK-LABEL: func.func private @flag0
// CHECK: affine.linearize_index disjoint
// CHECK-LABEL: func.func private @flag1
// CHECK-LABEL: func.func private @isolated0
// CHECK: arith.constant 1.000000e+00
// CHECK-LABEL: func.func private @isolated1
// CHECK: arith.constant 2.000000e+00
// CHECK-LABEL: func.func private @attrs0
// CHECK-LABEL: func.func private @attrs1
// CHECK-LABEL: func.func private @scoped
// CHECK-SAME: (%{{.*}}: f32, %{{.*}}: f32) -> f32
// CHECK-LABEL: func.func @left
// CHECK: call @flag0
// CHECK: call @flag1
// CHECK: call @isolated0
// CHECK: call @isolated1
// CHECK: call @attrs0
// CHECK: call @attrs1
// CHECK: call @scoped
// CHECK: call @scoped
// CHECK: module @inner
// CHECK: func.func private @scoped1(%{{.*}}: f32) -> f32
// CHECK: call @scoped1(%{{.*}}) : (f32) -> f32
func.func private @flag0(%i: index, %j: index) -> index {
  %r = affine.linearize_index disjoint [%i, %j] by (4, 8) : index
  return %r : index
}
func.func private @flag1(%i: index, %j: index) -> index {
  %r = affine.linearize_index [%i, %j] by (4, 8) : index
  return %r : index
}
func.func private @isolated0(%m: memref<4xf32>) {
  omp.target {
    %c = arith.constant 1.0 : f32
    %s = arith.addf %c, %c : f32
    omp.terminator
  }
  return
}
func.func private @isolated1(%m: memref<4xf32>) {
  omp.target {
    %c = arith.constant 2.0 : f32
    %s = arith.addf %c, %c : f32
    omp.terminator
  }
  return
}
func.func private @attrs0(%x: f32) -> f32 {
  %c = arith.constant 1.0 : f32
  %r = arith.addf %x, %c : f32
  return %r : f32
}
func.func private @attrs1(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.addf %x, %c : f32
  return %r : f32
}
func.func private @scoped(%x: f32) -> f32 {
  %c = arith.constant 1.0 : f32
  %r = arith.subf %x, %c : f32
  return %r : f32
}
func.func private @scoped1(%x: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.subf %x, %c : f32
  return %r : f32
}
func.func @left(%i: index, %j: index, %m: memref<4xf32>, %x: f32) -> (index, index, f32, f32, f32, f32) {
  %f0 = call @flag0(%i, %j) : (index, index) -> index
  %f1 = call @flag1(%i, %j) : (index, index) -> index
  call @isolated0(%m) : (memref<4xf32>) -> ()
  call @isolated1(%m) : (memref<4xf32>) -> ()
  %a0 = call @attrs0(%x) {arg_attrs = [{llvm.noundef}]} : (f32) -> f32
  %a1 = call @attrs1(%x) : (f32) -> f32
  %s0 = call @scoped(%x) : (f32) -> f32
  %s1 = call @scoped1(%x) : (f32) -> f32
  return %f0, %f1, %a0, %a1, %s0, %s1 : index, index, f32, f32, f32, f32
}
module @inner {
  func.func private @scoped1(%x: f32) -> f32 {
    return %x : f32
  }
  func.func @user(%x: f32) -> f32 {
    %r = call @scoped1(%x) : (f32) -> f32
    return %r : f32
  }
}
