// A linear layer whose activation (tanh) has no integer form, then a
// second linear layer: int8-integer must refuse it (strict).
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @main(%x: tensor<4x64xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<0.01> : tensor<64x16xf32>
  %w1 = arith.constant dense<0.02> : tensor<16x8xf32>
  %e0 = tensor.empty() : tensor<4x16xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<4x64xf32>, tensor<64x16xf32>) outs(%f0 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %t = math.tanh %m0 : tensor<4x16xf32>
  %e1 = tensor.empty() : tensor<4x8xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %m1 = linalg.matmul ins(%t, %w1 : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f1 : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %m1 : tensor<4x8xf32>
}
