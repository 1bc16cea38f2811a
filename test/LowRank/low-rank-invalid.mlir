// RUN: slim-opt %s -split-input-file -verify-diagnostics --slim-low-rank="rank=4"
// What slim-low-rank refuses on a layer: the pass fails and the module
// stays as it was (no layer of it is factorized).

func.func @rank_too_high(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x8xf32>) {
  %w = arith.constant dense<1.0> : tensor<4x3xf32>
  %v = arith.constant dense<2.0> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{rank 4 is above min(K, N) = 3 of this 4 x 3 weight}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<2x8xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x8xf32>) -> tensor<2x8xf32>
  %y2 = linalg.matmul ins(%x, %v : tensor<2x4xf32>, tensor<4x8xf32>) outs(%f2 : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y, %y2 : tensor<2x3xf32>, tensor<2x8xf32>
}

// -----

func.func @not_finite(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0x7FC00000, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
  // expected-error @+1 {{the weight holds NaN or Inf: it cannot be factorized}}
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x8xf32>) outs(%f : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// A batch matmul: rank=4 is above min(K, N) = 3 of each batch's matrix.
func.func @too_high(%x: tensor<2x5x4xf32>, %c: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4x3xf32>
  // expected-error @+1 {{rank 4 is above min(K, N) = 3 of this 2 x 4 x 3 weight}}
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x5x4xf32>, tensor<2x4x3xf32>) outs(%c : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// A weight computed from a constant by an op the pass cannot evaluate
// (here a linalg.generic negating it) is left dense, with a remark, not
// refused.
func.func @computed(%x: tensor<2x4xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<1.0> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.negf %v : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // expected-remark @+1 {{left dense: the weight is not a constant this pass can read}}
  %y = linalg.matmul ins(%x, %n : tensor<2x4xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
