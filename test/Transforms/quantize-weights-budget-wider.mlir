// RUN: slim-opt %s "-slim-weight-only=bits=4 group-size=8 scheme=asymmetric size-budget=0.2765" | FileCheck %s --check-prefix=CHECK-WIDER

// With zero points, groups of 8 carry 5 bytes of parameters each: for
// K = 48, int4 (24 packed + 6 x 5 bytes per column) is larger than int8 per
// channel (48 + 5): the weight takes 8 bits, and a budget that 8 bits just
// fit (212 of 768 bytes; 4 bits would take 216) is not refused.
// CHECK-WIDER-LABEL: func.func @wider_int4
// CHECK-WIDER: tensor<48x4xi8> to tensor<48x4x!quant.uniform<i8
func.func @wider_int4(%x: tensor<2x48xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %w = arith.constant dense<0.5> : tensor<48x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x48xf32>, tensor<48x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
