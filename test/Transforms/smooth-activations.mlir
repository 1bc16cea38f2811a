// RUN: slim-opt %s -split-input-file "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json" 2>/dev/null | FileCheck %s
// RUN: slim-opt %s -split-input-file "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json" 2>&1 >/dev/null | FileCheck %s --check-prefix=CHECK-REMARK
// RUN: slim-opt %s "-slim-smooth-activations=stats=%S/Inputs/smooth-stats.json skip=two/linalg.matmul#1" 2>/dev/null | FileCheck %s --check-prefix=CHECK-SKIP

// x [2, 3] read by two matmuls and a residual add. Channel maxima |x|:
// 4, 1, and nothing (null); weight row maxima over both matmuls: 1, 4, 3.
// alpha = 0.5: s = sqrt(4 / 1), sqrt(1 / 4), 1 = 2, 0.5, 1. The matmuls
// read x * [0.5, 2, 1], observed under the same id; their weights' rows
// are scaled by s; the add reads x itself.
// CHECK-LABEL: func.func @two
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[INV:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK:         %[[M:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[INV]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.mulf
// CHECK:         %[[O:.*]] = slim.observe %[[M]] id "x" axis 1
// CHECK:         %[[W1:.*]] = arith.constant dense<{{\[}}[2.000000e+00, -1.000000e+00], [2.000000e+00, 1.000000e+00], [2.500000e-01, 3.000000e+00]]>
// CHECK:         linalg.matmul ins(%[[O]], %[[W1]] :
// CHECK:         %[[W2:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [-5.000000e-01, 1.500000e+00], [2.000000e+00, 1.000000e+00]]>
// CHECK:         linalg.matmul ins(%[[O]], %[[W2]] :
// CHECK:         arith.addf %[[X]], %[[X]]
// CHECK-REMARK: remark: smoothed 3 channels (alpha 0.50): max |x| 4.000 -> 2.000, max |w| 4.000 -> 3.000
//
// A skipped reader leaves the activation alone.
// CHECK-SKIP-LABEL: func.func @two
// CHECK-SKIP-NOT:     linalg.generic
// CHECK-SKIP:         slim.observe %arg0 id "x"
func.func @two(%x: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x3xf32>) {
  %o = slim.observe %x id "x" axis 1 : tensor<2x3xf32>
  %w1 = arith.constant dense<[[1.0, -0.5], [4.0, 2.0], [0.25, 3.0]]> : tensor<3x2xf32>
  %w2 = arith.constant dense<[[0.5, 1.0], [-1.0, 3.0], [2.0, 1.0]]> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = linalg.matmul ins(%o, %w1 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = linalg.matmul ins(%o, %w2 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = arith.addf %o, %o : tensor<2x3xf32>
  return %a, %b, %r : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x3xf32>
}

// -----

// Attention's product of two activations has no weight to take the
// factors: left alone (no statistics needed either).
// CHECK-LABEL: func.func @activations
// CHECK-NOT:     linalg.generic
// CHECK:         slim.observe %arg0 id "b"
// CHECK:         linalg.batch_matmul
func.func @activations(%q: tensor<1x2x3xf32>, %k: tensor<1x3x2xf32>) -> tensor<1x2x2xf32> {
  %o = slim.observe %q id "b" axis 2 : tensor<1x2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %s = linalg.batch_matmul ins(%o, %k : tensor<1x2x3xf32>, tensor<1x3x2xf32>) outs(%f : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  return %s : tensor<1x2x2xf32>
}
