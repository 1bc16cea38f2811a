// RUN: slim-opt %s -split-input-file -verify-diagnostics --slim-prune | FileCheck %s
// RUN: slim-opt %s -split-input-file "--slim-prune=pattern=unstructured sparsity=0.25" | FileCheck %s --check-prefix=UNSTRUCTURED
// RUN: slim-opt %s -split-input-file "--slim-prune=pattern=block block=2x1 sparsity=0.5" | FileCheck %s --check-prefix=BLOCK
// RUN: slim-opt %s -split-input-file "--slim-prune=pattern=bank banks=2 sparsity=0.25" 2>&1 | FileCheck %s --check-prefix=BANK

// 2:4 (the default) by magnitude, per column along K: column 0 keeps -0.5
// and 0.3 of its first group, 1.0 and -1.0 of its second; column 1 keeps
// 4 and 3, then the first two of four equal 0.25s (ties keep the lower
// index). Pruned weights are +0.
// CHECK-LABEL: func.func @two_four
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 4.000000e+00], [-5.000000e-01, 3.000000e+00], [3.000000e-01, 0.000000e+00], [0.000000e+00, 0.000000e+00], [1.000000e+00, 2.500000e-01], [-1.000000e+00, 2.500000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]> : tensor<8x2xf32>
// CHECK: linalg.matmul {slim.sparsity = #slim.sparsity<nm, n = 2, m = 4, blockRows = 0, blockCols = 0, zeros = 5.000000e-01 : f64>} ins(%{{.*}}, %[[W]] : tensor<3x8xf32>, tensor<8x2xf32>)
// UNSTRUCTURED-LABEL: func.func @two_four
// UNSTRUCTURED: slim.sparsity = #slim.sparsity<unstructured, n = 0, m = 0, blockRows = 0, blockCols = 0, zeros = 2.500000e-01 : f64>
// BLOCK-LABEL: func.func @two_four
// BLOCK: slim.sparsity = #slim.sparsity<block, n = 0, m = 0, blockRows = 2, blockCols = 1, zeros = 5.000000e-01 : f64>
// Two banks of 4 per column at 25%: 3 of each 4 kept (the lowest goes; of
// equal ones the later).
// BANK: remark: pruned to 25.0% zeros (2 banks of 4, 3 kept in each, magnitude)
// BANK-LABEL: func.func @two_four
// BANK: arith.constant dense<{{\[}}[0.000000e+00, 4.000000e+00], [-5.000000e-01, 3.000000e+00], [3.000000e-01, -2.000000e+00], [2.000000e-01, 0.000000e+00], [1.000000e+00, 2.500000e-01], [-1.000000e+00, 2.500000e-01], [5.000000e-01, 2.500000e-01], [0.000000e+00, 0.000000e+00]]>
// BANK: slim.sparsity = #slim.sparsity<bank, n = 3, m = 4, blockRows = 0, blockCols = 0, zeros = 2.500000e-01 : f64>
func.func @two_four(%x: tensor<3x8xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[0.1, 4.0], [-0.5, 3.0], [0.3, -2.0], [0.2, 1.0], [1.0, 0.25], [-1.0, 0.25], [0.5, 0.25], [0.5, 0.25]]> : tensor<8x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  // expected-remark @+1 {{pruned to 50.0% zeros (2:4, magnitude)}}
  %y = linalg.matmul ins(%x, %w : tensor<3x8xf32>, tensor<8x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Unstructured 25%: the one smallest of four goes. Blocks of 2 x 1 at 50%:
// the block sums are 2 and 0.4 (rows 0-1), 0.2 and 6 (rows 2-3); the two
// smallest go.
// CHECK-LABEL: func.func @patterns
// UNSTRUCTURED-LABEL: func.func @patterns
// UNSTRUCTURED: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e-01], [1.000000e+00, 2.000000e-01], [0.000000e+00, 3.000000e+00], [0.000000e+00, 3.000000e+00]]>
// BLOCK-LABEL: func.func @patterns
// BLOCK: arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [1.000000e+00, 0.000000e+00], [0.000000e+00, 3.000000e+00], [0.000000e+00, 3.000000e+00]]>
func.func @patterns(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0.2], [1.0, 0.2], [0.1, 3.0], [0.1, 3.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{pruned to 50.0% zeros (2:4, magnitude)}}
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A batch_matmul's weight is pruned batch by batch; a weight computed at
// run time is left alone.
// CHECK-LABEL: func.func @batched
// CHECK: arith.constant dense<{{\[}}{{\[}}[0.000000e+00], [2.000000e+00], [3.000000e+00], [0.000000e+00]], {{\[}}[4.000000e+00], [0.000000e+00], [0.000000e+00], [-1.000000e+00]]]> : tensor<2x4x1xf32>
// CHECK: linalg.batch_matmul {slim.sparsity = #slim.sparsity<nm
// CHECK: linalg.matmul ins
// CHECK-NOT: slim.sparsity
func.func @batched(%x: tensor<2x1x4xf32>, %a: tensor<1x4xf32>, %b: tensor<4x1xf32>) -> (tensor<2x1x1xf32>, tensor<1x1xf32>) {
  %w = arith.constant dense<[[[1.0], [2.0], [3.0], [-0.5]], [[4.0], [0.5], [-0.25], [-1.0]]]> : tensor<2x4x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x1x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  // expected-remark @+1 {{pruned to 50.0% zeros (2:4, magnitude)}}
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x1x4xf32>, tensor<2x4x1xf32>) outs(%f : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %e2 = tensor.empty() : tensor<1x1xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %v = linalg.matmul ins(%a, %b : tensor<1x4xf32>, tensor<4x1xf32>) outs(%f2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y, %v : tensor<2x1x1xf32>, tensor<1x1xf32>
}


// -----

// Convolutions: the filter as the K x F matrix of its taps, K in (kh, kw,
// c) order. A 1 x 1 FCHW filter of 4 input channels, 2:4: filter 0 keeps
// -3 and 2, filter 1 keeps 4 and -5, written back in FCHW; the same
// weights as an HWCF filter give the same mask.
// CHECK-LABEL: func.func @convolutions
// CHECK: arith.constant dense<{{\[}}{{\[}}{{\[}}[0.000000e+00]], {{\[}}[-3.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[2.000000e+00]]], {{\[}}{{\[}}[4.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[-5.000000e+00]]]]> : tensor<2x4x1x1xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}slim.sparsity = #slim.sparsity<nm, n = 2, m = 4
// CHECK: arith.constant dense<{{\[}}{{\[}}{{\[}}[0.000000e+00, 4.000000e+00], [-3.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [2.000000e+00, -5.000000e+00]]]]> : tensor<1x1x4x2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}}slim.sparsity = #slim.sparsity<nm, n = 2, m = 4
func.func @convolutions(%x: tensor<1x4x3x3xf32>, %y: tensor<1x3x3x4xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x3x3x2xf32>) {
  %w = arith.constant dense<[[[[1.0]], [[-3.0]], [[0.5]], [[2.0]]], [[[4.0]], [[0.1]], [[0.2]], [[-5.0]]]]> : tensor<2x4x1x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  // expected-remark @+1 {{pruned to 50.0% zeros (2:4, magnitude)}}
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x3x3xf32>, tensor<2x4x1x1xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %v = arith.constant dense<[[[[1.0, 4.0], [-3.0, 0.1], [0.5, 0.2], [2.0, -5.0]]]]> : tensor<1x1x4x2xf32>
  %e2 = tensor.empty() : tensor<1x3x3x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  // expected-remark @+1 {{pruned to 50.0% zeros (2:4, magnitude)}}
  %b = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %v : tensor<1x3x3x4xf32>, tensor<1x1x4x2xf32>) outs(%f2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  return %a, %b : tensor<1x2x3x3xf32>, tensor<1x3x3x2xf32>
}
