// RUN: slim-opt %s -split-input-file "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json" -verify-diagnostics
// RUN: not slim-opt %s -slim-smooth-activations 2>&1 | FileCheck %s --check-prefix=CHECK-NOSTATS
// CHECK-NOSTATS: error: slim-smooth-activations: needs stats=
// RUN: not slim-opt %s "-slim-smooth-activations=stats=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: slim-smooth-activations: {{.*}}missing.json: cannot read
// RUN: not slim-opt %s "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json alpha=0" 2>&1 | FileCheck %s --check-prefix=CHECK-ALPHA
// CHECK-ALPHA: error: slim-smooth-activations: alpha must be in (0, 1], got 0.0
// RUN: not slim-opt %s "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json alpha=1.5" 2>&1 | FileCheck %s --check-prefix=CHECK-ALPHA2
// CHECK-ALPHA2: error: slim-smooth-activations: alpha must be in (0, 1], got 1.5
// RUN: not slim-opt %s -split-input-file "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json skip=nothing#9" 2>&1 | FileCheck %s --check-prefix=CHECK-SKIP
// CHECK-SKIP: error: slim-smooth-activations: skip pattern 'nothing#9' matches no layer

// Statistics per tensor only: the factors need per-channel extremes.
func.func @tensor_stats(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{observer 't' has no per-channel statistics along its last dimension; calibrate a module instrumented with slim-insert-observers granularity=channel}}
  %o = slim.observe %x id "t" : tensor<2x3xf32>
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = linalg.matmul ins(%o, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}

// -----

func.func @unknown_id(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{observer 'nope' has no statistics in}}
  %o = slim.observe %x id "nope" axis 1 : tensor<2x3xf32>
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = linalg.matmul ins(%o, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}

// -----

func.func @nan_weight(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %o = slim.observe %x id "x" axis 1 : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, 0x7FC00000], [1.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{weight holds NaN or Inf (element 1); refusing to smooth its input}}
  %a = linalg.matmul ins(%o, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}
