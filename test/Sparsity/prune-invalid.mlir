// RUN: slim-opt %s -split-input-file -verify-diagnostics --slim-prune
// What slim-prune refuses on a layer: the pass fails and the weight stays.

// m must divide the reduction dimension: the op is refused, nothing changes.
func.func @indivisible(%x: tensor<1x6xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<1.0> : tensor<6x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  // expected-error @+1 {{cannot prune its 'tensor<6x1xf32>' weight: m = 4 does not divide the reduction dimension of size 6}}
  %y = linalg.matmul ins(%x, %w : tensor<1x6xf32>, tensor<6x1xf32>) outs(%f : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

func.func @not_finite(%x: tensor<1x4xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<[[1.0], [0x7FC00000], [2.0], [3.0]]> : tensor<4x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  // expected-error @+1 {{weight holds NaN or Inf (element 1); refusing to prune it}}
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x1xf32>) outs(%f : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
