// skip= leaves named layers in float in every compression pipeline. Two
// layers, main/linalg.matmul#0 and #1, calibrated on real data; #1 skipped.
//
// RUN: %ref gen %t.x.npy --shape 4,3 --values=-1,3,0.5,2,-0.25,1,0,0.75,-0.5,2.5,1.5,0.125
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --stats-file %t.stats.json
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json outputs=float skip=main/linalg.matmul#1 report=%t.md report-format=table" | FileCheck %s --check-prefix=CHECK-FLOAT
// RUN: FileCheck %s --check-prefix=CHECK-TABLE < %t.md
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json skip=main/linalg.matmul#1" | FileCheck %s --check-prefix=CHECK-QUANT
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json outputs=float skip=.*" | FileCheck %s --check-prefix=CHECK-ALL
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=2 skip=main/linalg.matmul#(0|7)" | FileCheck %s --check-prefix=CHECK-WO
// RUN: slim-opt %s "--slim-ptq-dynamic=skip=.*#0" | FileCheck %s --check-prefix=CHECK-DYN
// RUN: not slim-opt %s "--slim-weight-only=skip=main/linalg.matmul#7" 2>&1 | FileCheck %s --check-prefix=CHECK-NOMATCH
// RUN: not slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json skip=main/(linalg" 2>&1 | FileCheck %s --check-prefix=CHECK-REGEX

// outputs=float: layer #0 runs on integers and dequantizes its accumulator;
// layer #1 reads the float ReLU output (its observer is gone) and keeps its
// float weight.
// CHECK-FLOAT-LABEL: func.func @main
// CHECK-FLOAT:         %[[W1:.*]] = arith.constant dense<{{\[}}[2.000000e-01, -5.000000e-01]
// CHECK-FLOAT:         slim.quantize %arg0
// CHECK-FLOAT:         %[[ACC:.*]] = slim.qmatmul
// CHECK-FLOAT:         %[[D:.*]] = slim.dequantize %[[ACC]]
// CHECK-FLOAT:         %[[R:.*]] = arith.maximumf %[[D]]
// CHECK-FLOAT-NOT:     slim.quantize
// CHECK-FLOAT:         linalg.matmul ins(%[[R]], %[[W1]] : tensor<4x4xf32>, tensor<4x2xf32>)
// CHECK-FLOAT-NOT:     slim.

// CHECK-TABLE: | main/linalg.matmul#0 | S=0.01569 Z=64, {{.*}} | int8 channel, {{.*}} dB | float | slim.qmatmul |
// CHECK-TABLE-NEXT: | main/linalg.matmul#1 | float | float | float | float: skipped (skip=main/linalg.matmul#1) |

// outputs=quantize: layer #0 still requantizes its output (int8 between
// layers); the skipped layer reads it dequantized, with its float weight.
// CHECK-QUANT-LABEL: func.func @main
// CHECK-QUANT:         %[[W1:.*]] = arith.constant dense<{{\[}}[2.000000e-01, -5.000000e-01]
// CHECK-QUANT:         slim.qmatmul
// CHECK-QUANT:         %[[Y:.*]] = slim.requantize
// CHECK-QUANT:         %[[D:.*]] = slim.dequantize %[[Y]]
// CHECK-QUANT:         linalg.matmul ins(%[[D]], %[[W1]] : tensor<4x4xf32>, tensor<4x2xf32>)

// Everything skipped: the float model, no observer left.
// CHECK-ALL-LABEL: func.func @main
// CHECK-ALL-NOT:     slim.
// CHECK-ALL-COUNT-2: linalg.matmul
// CHECK-ALL-NOT:     slim.

// A pattern may match more names than exist; one that matches is enough.
// CHECK-WO-LABEL: func.func @main
// CHECK-WO-COUNT-1: quant.scast
// CHECK-WO-NOT:     quant.scast

// CHECK-DYN-LABEL: func.func @main
// CHECK-DYN-NOT:     slim.dynamic_qmatmul
// CHECK-DYN:         linalg.matmul
// CHECK-DYN:         slim.dynamic_qmatmul
// CHECK-DYN-NOT:     linalg.matmul

// CHECK-NOMATCH: error: slim-quantize-weights: skip pattern 'main/linalg.matmul#7' matches no layer (layers are named like main/linalg.matmul#0; the per-layer report lists them)
// CHECK-REGEX: error: slim-fold-calibration: skip pattern 'main/(linalg' is not a regular expression: parentheses not balanced

func.func @main(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<[[0.5, -0.25, 1.0, 0.3], [0.125, 1.0, -0.7, 0.2], [-0.6, 0.4, 0.9, -0.1]]> : tensor<3x4xf32>
  %w1 = arith.constant dense<[[0.2, -0.5], [0.7, 0.1], [-0.3, 0.8], [0.6, -0.9]]> : tensor<4x2xf32>
  %e0 = tensor.empty() : tensor<4x4xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<4x3xf32>, tensor<3x4xf32>) outs(%f0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r0 = arith.maximumf %m0, %f0 : tensor<4x4xf32>
  %e1 = tensor.empty() : tensor<4x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %m1 = linalg.matmul ins(%r0, %w1 : tensor<4x4xf32>, tensor<4x2xf32>) outs(%f1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %m1 : tensor<4x2xf32>
}
