// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json" | FileCheck %s
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json method=ema" | FileCheck %s --check-prefix=CHECK-EMA
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json scheme=symmetric storage=i8" | FileCheck %s --check-prefix=CHECK-SYM
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json method=percentile percentile=75" | FileCheck %s --check-prefix=CHECK-PCT
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json granularity=channel" | FileCheck %s --check-prefix=CHECK-CHANNEL
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json method=entropy" | FileCheck %s --check-prefix=CHECK-ENTROPY
// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json method=mse" | FileCheck %s --check-prefix=CHECK-ENTROPY

// Observer "a" saw {-1, 0, 1, 3}; "c" saw {-1, 1, 0, 2} with channel 0 in
// [-1, 1] and channel 1 in [0, 2] (test/Transforms/Inputs/stats.json).
//
// minmax, asymmetric u8: a: S = 4/255, Z = round(1 / S) = 64;
// c: S = 3/255, Z = 85.
// CHECK-LABEL: func @two_observers
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf32>)
// CHECK: %[[QA:.*]] = slim.quantize %[[X]] : tensor<?x2xf32> to tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK: %[[DA:.*]] = slim.dequantize %[[QA]] : tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>> to tensor<?x2xf32>
// CHECK: %[[B:.*]] = arith.addf %[[DA]], %[[DA]]
// CHECK: %[[QC:.*]] = slim.quantize %[[B]] : tensor<?x2xf32> to tensor<?x2x!quant.uniform<u8:f32, 0.011764706112444401:85>>
// CHECK: %[[DC:.*]] = slim.dequantize %[[QC]]
// CHECK-NOT: slim.observe
// CHECK: return %[[DC]]
// ema: a's moving averages are [-0.5, 2]: S = 2.5/255, Z = 51.
// CHECK-EMA-LABEL: func @two_observers
// CHECK-EMA: slim.quantize %{{.*}} to tensor<?x2x!quant.uniform<u8:f32, 0.0098039219155907631:51>>
// symmetric i8: S = max|x| / 127.5, Z = 0.
// CHECK-SYM-LABEL: func @two_observers
// CHECK-SYM: slim.quantize %{{.*}} to tensor<?x2x!quant.uniform<i8:f32, 0.023529412224888802>>
// CHECK-SYM: slim.quantize %{{.*}} to tensor<?x2x!quant.uniform<i8:f32, 0.015686275437474251>>
// percentile 75 of a: the lower quantile falls in -1's bin, the upper in
// 1's bin (width 4/2048): [-1, 1 + 1/512], S = 2.001953125 / 255, Z = 127.
// CHECK-PCT-LABEL: func @two_observers
// CHECK-PCT: slim.quantize %{{.*}} to tensor<?x2x!quant.uniform<u8:f32, 0.0078507969155907631:127>>
// Per channel where recorded: c gets per-axis parameters on axis 1
// (channel 0: [-1, 1], Z = 127 since 1 / S rounds to 127.49999 in float32;
// channel 1: [0, 2], Z = 0); a has no channel statistics and stays per
// tensor.
// CHECK-CHANNEL-LABEL: func @two_observers
// CHECK-CHANNEL: to tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK-CHANNEL: to tensor<?x2x!quant.uniform<u8:f32:1, {0.0078431377187371254:127,0.0078431377187371254}>>
// With four well-spread values entropy and MSE keep the whole range.
// CHECK-ENTROPY-LABEL: func @two_observers
// CHECK-ENTROPY: to tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>
func.func @two_observers(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %a = slim.observe %x id "a" : tensor<?x2xf32>
  %b = arith.addf %a, %a : tensor<?x2xf32>
  %c = slim.observe %b id "c" axis 1 : tensor<?x2xf32>
  return %c : tensor<?x2xf32>
}

// -----

// A range already in the IR (quant.qcast to a calibrated type, then
// quant.dcast) folds the same way: [-2, 2] asymmetric u8, S = 4/255, and
// Z = 127 (2 / S is 127.49999 in float32).
// CHECK-LABEL: func @calibrated_range
// CHECK: %[[Q:.*]] = slim.quantize %arg0 : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.015686275437474251:127>>
// CHECK: %[[D:.*]] = slim.dequantize %[[Q]]
// CHECK-NOT: quant.qcast
// CHECK-NOT: quant.dcast
// CHECK: return %[[D]]
func.func @calibrated_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.calibrated<f32<-2.0:2.0>>>
  %d = quant.dcast %q : tensor<4x!quant.calibrated<f32<-2.0:2.0>>> to tensor<4xf32>
  return %d : tensor<4xf32>
}
