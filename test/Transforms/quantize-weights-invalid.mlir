// RUN: slim-opt %s -split-input-file -slim-quantize-weights -verify-diagnostics
// RUN: not slim-opt %s "-slim-quantize-weights=bits=3" 2>&1 | FileCheck %s --check-prefix=CHECK-BITS
// CHECK-BITS: error: slim-quantize-weights: bits must be 8 or 4, got 3
// RUN: not slim-opt %s "-slim-quantize-weights=granularity=row" 2>&1 | FileCheck %s --check-prefix=CHECK-GRAN
// CHECK-GRAN: error: slim-quantize-weights: unknown granularity 'row' (expected tensor, channel or group)
// RUN: not slim-opt %s "-slim-quantize-weights=scheme=odd" 2>&1 | FileCheck %s --check-prefix=CHECK-SCHEME
// CHECK-SCHEME: error: slim-quantize-weights: unknown scheme 'odd'

func.func @nan_weight(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 0x7FC00000, 0.5], [0.25, 4.0, -1.0], [0.0, 1.0, 2.0], [-0.5, 0.1, 3.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{weight holds NaN or Inf (element 1); refusing to quantize it}}
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm : tensor<2x3xf32>
}

// -----

func.func @inf_weight(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 2.0, 0.5], [0.25, 0x7F800000, -1.0], [0.0, 1.0, 2.0], [-0.5, 0.1, 3.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{weight holds NaN or Inf (element 4)}}
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm : tensor<2x3xf32>
}

// -----

func.func @valid_weight(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+1 {{weight SQNR exact (int8 channel)}}
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm : tensor<2x3xf32>
}
