// SmoothQuant end to end through slim-run: a 9x6 activation whose channel
// 2 holds outliers (|x| 11-20, the others below 1) times a 6x5 weight.
// Smoothing computes the same product in float (up to float32 rounding);
// with static int8 after it, the outlier no longer takes the activation's
// resolution: the smoothed int8 layer stays within 0.08 of float (0.073
// measured, RMS 0.025), where the unsmoothed one is off by up to 0.129
// (RMS 0.060).
//
// RUN: %ref gen %t.x.npy --shape 9,6 --values=0.246,0.484,11.85,0.885,0.48,0.845,-0.942,-0.069,17.05,0.298,0.802,-0.774,-0.062,-0.507,-12.56,0.148,-0.974,-0.567,-0.441,0.833,-19.49,-0.681,0.594,-0.722,0.235,-0.747,18.45,0.743,-0.581,-0.569,0.965,0.745,-15.49,0.923,0.078,0.356,-0.59,0.882,13.66,0.933,0.787,-0.402,-0.278,-0.668,-14.53,-0.87,-0.397,0.206,-0.993,0.356,-16.24,-0.38,0.637,-0.039
// RUN: slim-run %s --input %t.x.npy --output %t.float.npy
// RUN: slim-opt %s --slim-insert-observers=granularity=channel -o %t.observed.mlir
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --stats-file %t.stats.json
// RUN: slim-opt %t.observed.mlir "--slim-smooth-activations=stats=%t.stats.json" -o %t.smoothed.mlir 2>%t.remarks.txt
// RUN: FileCheck %s --check-prefix=CHECK-REMARK < %t.remarks.txt
// CHECK-REMARK: remark: smoothed 6 channels (alpha 0.50): max |x| 19.490 -> {{[0-9]\.[0-9]+}}
// RUN: slim-run %t.smoothed.mlir --input %t.x.npy --output %t.smoothed.npy
// RUN: %ref close %t.float.npy %t.smoothed.npy --atol 2e-6 --label same | FileCheck %s --check-prefix=CHECK-SAME
// CHECK-SAME: same: 45 values, 0 mismatches
//
// RUN: slim-run %t.smoothed.mlir --calibrate %t.x.npy --stats-file %t.smoothed-stats.json
// RUN: slim-opt %t.smoothed.mlir "--slim-ptq-static=stats=%t.smoothed-stats.json outputs=float" -o %t.smooth-int8.mlir
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json outputs=float" -o %t.int8.mlir
// RUN: FileCheck %s --check-prefix=CHECK-INT8 < %t.smooth-int8.mlir
// CHECK-INT8: slim.qmatmul
// RUN: slim-run %t.smooth-int8.mlir --input %t.x.npy --output %t.smooth-int8.npy
// RUN: slim-run %t.int8.mlir --input %t.x.npy --output %t.int8.npy
// RUN: %ref close %t.float.npy %t.smooth-int8.npy --atol 0.08 --label smoothed | FileCheck %s --check-prefix=CHECK-SMOOTHED
// RUN: not %ref close %t.float.npy %t.int8.npy --atol 0.08 --label plain | FileCheck %s --check-prefix=CHECK-PLAIN
// CHECK-SMOOTHED: smoothed: 45 values, 0 mismatches
// CHECK-PLAIN: plain: 45 values, {{[1-9][0-9]*}} mismatches

func.func @main(%x: tensor<9x6xf32>) -> tensor<9x5xf32> {
  %w = arith.constant dense<[[0.909, -0.762, -0.508, 0.639, -0.076], [0.025, 0.785, -0.498, -0.074, 0.18], [0.562, -0.265, -0.408, -0.134, 0.957], [-0.583, 0.026, -0.275, -0.704, -0.449], [0.405, -0.816, 0.372, -0.388, 0.598], [0.254, 0.442, -0.381, -0.032, 0.44]]> : tensor<6x5xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<9x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<9x5xf32>) -> tensor<9x5xf32>
  %y = linalg.matmul ins(%x, %w : tensor<9x6xf32>, tensor<6x5xf32>) outs(%f : tensor<9x5xf32>) -> tensor<9x5xf32>
  return %y : tensor<9x5xf32>
}
