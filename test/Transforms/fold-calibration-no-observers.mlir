// Statistics given for a module without observers (the float module next
// to the observed copy that was calibrated): refused, not quietly turned
// into a weight-only model.
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json" 2>&1 | FileCheck %s
// RUN: not slim-opt %s "--slim-ptq-static=stats=%S/Inputs/stats.json" 2>&1 | FileCheck %s
// CHECK: error: slim-fold-calibration: {{.*}}stats.json holds {{[0-9]+}} observers' statistics but the module has no slim.observe ops to fold them into; quantize the module that slim-insert-observers made and slim-run --calibrate measured
// Without stats= there is nothing to fold, and the module passes through;
// a model with nothing to quantize (no observers, and statistics of none:
// test/BadInput/output-paths.mlir) passes too.
// RUN: slim-opt %s -slim-fold-calibration | FileCheck %s --check-prefix=CHECK-NONE
// CHECK-NONE-LABEL: func.func @plain
// CHECK-NONE: linalg.matmul

func.func @plain(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<0.5> : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
