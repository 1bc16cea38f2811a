// RUN: slim-opt %s -split-input-file "-slim-fold-calibration=stats=%S/Inputs/stats.json" -verify-diagnostics
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: slim-fold-calibration: {{.*}}missing.json: cannot read
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats-corrupt.json" 2>&1 | FileCheck %s --check-prefix=CHECK-CORRUPT
// CHECK-CORRUPT: error: slim-fold-calibration: {{.*}}stats-corrupt.json: not valid JSON
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats-v2.json" 2>&1 | FileCheck %s --check-prefix=CHECK-VERSION
// CHECK-VERSION: error: slim-fold-calibration: {{.*}}stats-v2.json: unsupported stats version 2 (this Slim reads version 1)
// RUN: not slim-opt %s -slim-fold-calibration 2>&1 | FileCheck %s --check-prefix=CHECK-NOSTATS
// CHECK-NOSTATS: error: slim-fold-calibration: the module has observers but no stats= file was given
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json method=median" 2>&1 | FileCheck %s --check-prefix=CHECK-METHOD
// CHECK-METHOD: error: slim-fold-calibration: unknown method 'median' (expected minmax, ema, percentile, entropy or mse)
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json scheme=both" 2>&1 | FileCheck %s --check-prefix=CHECK-SCHEME
// CHECK-SCHEME: error: slim-fold-calibration: unknown scheme 'both'
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json storage=f8" 2>&1 | FileCheck %s --check-prefix=CHECK-STORAGE
// CHECK-STORAGE: error: slim-fold-calibration: unknown storage 'f8' (expected i<N> or u<N> with N from 2 to 32)
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json granularity=channel method=mse" 2>&1 | FileCheck %s --check-prefix=CHECK-GRAN
// CHECK-GRAN: error: slim-fold-calibration: per-channel ranges come from per-channel extremes: granularity=channel needs method=minmax
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json percentile=0" 2>&1 | FileCheck %s --check-prefix=CHECK-PCT
// CHECK-PCT: error: slim-fold-calibration: percentile must be in (0, 100]

func.func @unknown_id(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{observer 'zz' has no statistics in}}
  %a = slim.observe %x id "zz" : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

func.func @recorded_nothing(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{observer 'empty' recorded no finite values while calibrating}}
  %a = slim.observe %x id "empty" : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

func.func @saw_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-warning @+1 {{observer 'n' saw 3 NaN or infinite value(s); its range uses the finite ones}}
  %a = slim.observe %x id "n" : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

func.func @calibrated_other_use(%x: tensor<4xf32>) -> tensor<4x!quant.calibrated<f32<-2.0:2.0>>> {
  // expected-error @+1 {{a calibrated range can only be folded when every use is a quant.dcast}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.calibrated<f32<-2.0:2.0>>>
  return %q : tensor<4x!quant.calibrated<f32<-2.0:2.0>>>
}
