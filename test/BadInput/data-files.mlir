// Bad-input catalogue: the statistics file and the Hessian directory. Every
// malformed file is a diagnostic naming it, and a non-zero exit. (Cases of
// the same kinds also live next to the passes: Transforms/*-invalid.mlir,
// Integration/gptq.mlir.)
//
// RUN: rm -rf %t.d && mkdir -p %t.d/h
// A million '[': bounded before parsing (it overflowed the parser's stack).
// RUN: %python -c "print('[' * 1000000)" > %t.d/deep.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/deep.json" 2>&1 | FileCheck %s --check-prefix=CHECK-DEEP
// CHECK-DEEP: error: slim-fold-calibration: {{.*}}deep.json: not valid JSON: nested more than 64 levels deep
// Brackets inside strings do not count.
// RUN: %python -c "print('{\"format\": \"slim-calibration-stats\", \"version\": 1, \"observers\": [], \"note\": \"' + '[' * 100 + '\"}')" > %t.d/strings.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/strings.json" 2>&1 | FileCheck %s --check-prefix=CHECK-STRINGS
// CHECK-STRINGS: error: 'slim.observe' op observer 'x' has no statistics in {{.*}}strings.json
// RUN: printf '' > %t.d/empty.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/empty.json" 2>&1 | FileCheck %s --check-prefix=CHECK-EMPTY
// CHECK-EMPTY: error: slim-fold-calibration: {{.*}}empty.json: not valid JSON
// RUN: echo '[1, 2]' > %t.d/array.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/array.json" 2>&1 | FileCheck %s --check-prefix=CHECK-ARRAY
// CHECK-ARRAY: error: slim-fold-calibration: {{.*}}array.json: not a Slim calibration stats file
// Per-channel arrays of different lengths (the stats fuzzer's first
// finding: the longer one was read past the end of the shorter).
// RUN: echo '{"format": "slim-calibration-stats", "version": 1, "observers": [{"id": "x", "samples": 1, "count": 4, "nonfinite": 0, "min": 0.0, "max": 1.0, "ema_min": 0.0, "ema_max": 1.0, "axis": 1, "channel_min": [0.0, 0.0, 0.0], "channel_max": [1.0], "histogram": {"bins": 2048, "limit": 1.0, "zeros": 0, "negative": [], "positive": []}}]}' > %t.d/channels.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/channels.json" 2>&1 | FileCheck %s --check-prefix=CHECK-CHANNELS
// CHECK-CHANNELS: error: slim-fold-calibration: {{.*}}channels.json: {{.*}}per-channel observers need 'channel_min' and 'channel_max' arrays of equal length
// An EMA range without samples (the stats fuzzer's second finding: it did
// not read back the same after a write).
// RUN: echo '{"format": "slim-calibration-stats", "version": 1, "observers": [{"id": "x", "samples": 0, "count": 2, "nonfinite": 0, "min": -4.0, "max": 2.0, "ema_min": -4.0, "ema_max": 2.0, "histogram": {"bins": 2048, "limit": 4.0, "zeros": 0, "negative": [], "positive": []}}]}' > %t.d/ema.json
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d/ema.json" 2>&1 | FileCheck %s --check-prefix=CHECK-EMA
// CHECK-EMA: error: slim-fold-calibration: {{.*}}ema.json: {{.*}}'ema_min' and 'ema_max' must be null when 'samples' is 0
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%t.d" 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// CHECK-DIR: error: slim-fold-calibration: {{.*}}.d: cannot read
//
// The Hessian index.
// RUN: %python -c "print('{' * 100000)" > %t.d/h/index.json
// RUN: not slim-opt %s "--slim-weight-only=hessians=%t.d/h" 2>&1 | FileCheck %s --check-prefix=CHECK-HDEEP
// CHECK-HDEEP: error: slim-quantize-weights: {{.*}}index.json: not valid JSON: nested more than 64 levels deep
// RUN: echo '{"format": "slim-hessians", "version": 1, "observers": [{"id": "main/arg0", "file": "../h0.npy", "rows": 3}]}' > %t.d/h/index.json
// RUN: not slim-opt %s "--slim-weight-only=hessians=%t.d/h" 2>&1 | FileCheck %s --check-prefix=CHECK-HPATH
// CHECK-HPATH: error: slim-quantize-weights: {{.*}}index.json: every observer needs an 'id', a 'file' in the directory and a count of 'rows'
// RUN: echo '{"format": "slim-hessians", "version": 1, "observers": [{"id": "main/arg0", "file": "h0.npy", "rows": 3}]}' > %t.d/h/index.json
// RUN: %ref gen %t.d/h/h0.npy --dtype float64 --shape 2,2 --values=1,nan,0,1
// RUN: not slim-opt %s "--slim-weight-only=hessians=%t.d/h" 2>&1 | FileCheck %s --check-prefix=CHECK-HNAN
// CHECK-HNAN: error: slim-quantize-weights: {{.*}}h0.npy: holds NaN or Inf
// RUN: %ref gen %t.d/h/h0.npy --dtype float64 --shape 2,3 --values=1,0,0,0,1,0
// RUN: not slim-opt %s "--slim-weight-only=hessians=%t.d/h" 2>&1 | FileCheck %s --check-prefix=CHECK-HSHAPE
// CHECK-HSHAPE: error: slim-quantize-weights: {{.*}}h0.npy: expected a square float64 matrix

func.func @main(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %o = slim.observe %x id "x" : tensor<2x2xf32>
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %r = linalg.matmul ins(%o, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
