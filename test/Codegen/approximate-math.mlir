// RUN: slim-opt %s -split-input-file --slim-approximate-math | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-approximate-math="functions=erf" | FileCheck %s --check-prefix=CHECK-ERF

// exp and erf on vectors become arithmetic; rsqrt (an instruction) stays.
// CHECK-LABEL: func.func @vectors
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK: math.fma {{.*}} : vector<16xf32>
// CHECK: math.rsqrt %{{.*}} : vector<16xf32>
// Only erf when the option names it.
// CHECK-ERF-LABEL: func.func @vectors
// CHECK-ERF: math.exp %{{.*}} : vector<16xf32>
// CHECK-ERF-NOT: math.erf
// CHECK-ERF: math.rsqrt
func.func @vectors(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %0 = math.exp %x : vector<16xf32>
  %1 = math.erf %x : vector<16xf32>
  %2 = math.rsqrt %x : vector<16xf32>
  return %0, %1, %2 : vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// -----

// Scalars too (one formula for the vectorized and the scalar paths); f16
// is computed in f32.
// CHECK-LABEL: func.func @scalars
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @scalars(%x: f32, %h: f16) -> (f32, f16) {
  %0 = math.tanh %x : f32
  %1 = math.exp %h : f16
  return %0, %1 : f32, f16
}
