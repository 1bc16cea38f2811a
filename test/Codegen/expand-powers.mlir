// RUN: slim-opt %s -split-input-file --slim-expand-powers | FileCheck %s

// Constant exponents: squares for the bits of |n|, a product per set bit
// (x^3 = x * x^2, x^6 = x^2 * x^4), then 1 / x^|n| for n < 0; x^1 is x,
// x^0 is 1.
// CHECK-LABEL: func.func @constant
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[S2:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK: %[[S3A:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK: %[[P3:.*]] = arith.mulf %[[X]], %[[S3A]] : f32
// CHECK: %[[S6A:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK: %[[S6B:.*]] = arith.mulf %[[S6A]], %[[S6A]] : f32
// CHECK: %[[P6:.*]] = arith.mulf %[[S6A]], %[[S6B]] : f32
// CHECK: %[[I6:.*]] = arith.divf %{{.*}}, %[[P6]] : f32
// CHECK-NOT: math.fpowi
// CHECK: return %[[S2]], %[[P3]], %[[I6]], %[[X]], %[[ONE]]
func.func @constant(%x: f32) -> (f32, f32, f32, f32, f32) {
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i32
  %cm6 = arith.constant -6 : i64
  %c1 = arith.constant 1 : i64
  %c0 = arith.constant 0 : i64
  %a = math.fpowi %x, %c2 : f32, i64
  %b = math.fpowi %x, %c3 : f32, i32
  %c = math.fpowi %x, %cm6 : f32, i64
  %d = math.fpowi %x, %c1 : f32, i64
  %e = math.fpowi %x, %c0 : f32, i64
  return %a, %b, %c, %d, %e : f32, f32, f32, f32, f32
}

// -----

// Vectors with a splat exponent, fast-math flags kept; the most negative
// exponent (|n| = 2^63 squarings, no overflow in taking |n|).
// CHECK-LABEL: func.func @vector
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[Y:.*]]: f32)
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[S:.*]] = arith.mulf %[[X]], %[[X]] fastmath<fast> : vector<16xf32>
// CHECK: %[[R:.*]] = arith.divf %[[ONE]], %[[S]] fastmath<fast> : vector<16xf32>
// CHECK-COUNT-63: arith.mulf
// CHECK-NOT: arith.mulf
// CHECK: arith.divf
// CHECK-NOT: math.fpowi
func.func @vector(%x: vector<16xf32>, %y: f32) -> (vector<16xf32>, f32) {
  %c = arith.constant dense<-2> : vector<16xi64>
  %p = math.fpowi %x, %c fastmath<fast> : vector<16xf32>, vector<16xi64>
  %min = arith.constant -9223372036854775808 : i64
  %q = math.fpowi %y, %min : f32, i64
  return %p, %q : vector<16xf32>, f32
}

// -----

// Any other exponent: C's pow in f64 (the exponent exact, its parity
// kept), rounded back; likewise x^-2 on a tensor of dynamic shape.
// CHECK-LABEL: func.func @variable
// CHECK-SAME: (%[[X:.*]]: vector<8xbf16>, %[[N:.*]]: vector<8xi32>, %[[T:.*]]: tensor<?xf32>)
// CHECK: %[[XE:.*]] = arith.extf %[[X]] : vector<8xbf16> to vector<8xf64>
// CHECK: %[[F:.*]] = arith.sitofp %[[N]] : vector<8xi32> to vector<8xf64>
// CHECK: %[[P:.*]] = math.powf %[[XE]], %[[F]] : vector<8xf64>
// CHECK: %[[R:.*]] = arith.truncf %[[P]] : vector<8xf64> to vector<8xbf16>
// CHECK: %[[TE:.*]] = arith.extf %[[T]] : tensor<?xf32> to tensor<?xf64>
// CHECK: math.powf %[[TE]], %{{.*}} : tensor<?xf64>
// CHECK: return %[[R]]
func.func @variable(%x: vector<8xbf16>, %n: vector<8xi32>, %t: tensor<?xf32>) -> (vector<8xbf16>, tensor<?xf32>) {
  %p = math.fpowi %x, %n : vector<8xbf16>, vector<8xi32>
  %c = arith.constant dense<-2> : tensor<4xi64>
  %cd = tensor.cast %c : tensor<4xi64> to tensor<?xi64>
  %q = math.fpowi %t, %cd : tensor<?xf32>, tensor<?xi64>
  return %p, %q : vector<8xbf16>, tensor<?xf32>
}

// -----

// fpowi on tensors as convert-elementwise-to-linalg leaves it: the
// exponent is a block argument whose input is a splat constant.
// CHECK-LABEL: func.func @generic_input
// CHECK: linalg.generic
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: i64, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.mulf %[[V]], %[[V]] : f32
// CHECK: %[[P:.*]] = arith.mulf %[[V]], %[[S]] : f32
// CHECK: linalg.yield %[[P]]
// CHECK-NOT: math.
func.func @generic_input(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant dense<3> : tensor<64xi64>
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %c : tensor<64xf32>, tensor<64xi64>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %n: i64, %o: f32):
    %p = math.fpowi %v, %n : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}
