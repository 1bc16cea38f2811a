// RUN: slim-opt %s -verify-diagnostics "--slim-prune=pattern=channel sparsity=0.5" | FileCheck %s
// RUN: slim-opt %s "--slim-prune=pattern=channel sparsity=0.5 skip=main/linalg.matmul#1" 2>&1 | FileCheck %s --check-prefix=CHECK-SKIP

// A layer whose channels reach a skipped layer stays as it is (the
// second RUN skips the reader, main/linalg.matmul#1); unskipped, both
// shrink.
// CHECK-LABEL: func.func @main
// CHECK: linalg.matmul {{.*}} -> tensor<2x2xf32>
// CHECK-SKIP: remark: output channels left as they are: they reach main/linalg.matmul#1, which skip= leaves as it is
// CHECK-SKIP-LABEL: func.func @main
// CHECK-SKIP: linalg.matmul {{.*}} -> tensor<2x4xf32>
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<3x4xf32>
  %w2 = arith.constant dense<1.0> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-remark @+1 {{removed 2 of 4 channels}}
  %h = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+2 {{it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%h, %w2 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

