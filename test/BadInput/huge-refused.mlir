// Bad-input catalogue: a weight that would have to be expanded beyond
// 2^31 elements is refused with a diagnostic naming the op.
//
// RUN: not slim-opt %s --slim-quantize-weights 2>&1 | FileCheck %s

// A small non-splat constant broadcast to 2^40 elements would have to be
// expanded: refused.
// CHECK: error: 'linalg.matmul' op the weight has 1099511627776 elements, more than the 2147483648 this pass can hold in memory
func.func @broadcast_2_40(%x: tensor<1x1048576xf32>) -> tensor<1x1048576xf32> {
  %v = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %w0 = tensor.empty() : tensor<524288x2x1048576xf32>
  %b = linalg.broadcast ins(%v : tensor<2xf32>) outs(%w0 : tensor<524288x2x1048576xf32>) dimensions = [0, 2]
  %w = tensor.collapse_shape %b [[0, 1], [2]] : tensor<524288x2x1048576xf32> into tensor<1048576x1048576xf32>
  %e = tensor.empty() : tensor<1x1048576xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x1048576xf32>, tensor<1048576x1048576xf32>) outs(%e : tensor<1x1048576xf32>) -> tensor<1x1048576xf32>
  return %r : tensor<1x1048576xf32>
}
