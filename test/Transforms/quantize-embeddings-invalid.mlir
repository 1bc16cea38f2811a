// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4" -verify-diagnostics
// RUN: not slim-opt %s "-slim-quantize-weights=embedding-bits=5" 2>&1 | FileCheck %s --check-prefix=CHECK-BITS
// CHECK-BITS: error: slim-quantize-weights: embedding-bits must be 8, 4 or 0, got 5
// RUN: not slim-opt %s "-slim-quantize-weights=embedding-min-rows=0" 2>&1 | FileCheck %s --check-prefix=CHECK-ROWS
// CHECK-ROWS: error: slim-quantize-weights: embedding-min-rows must be positive, got 0
// RUN: not slim-opt %s "-slim-weight-only=embedding-bits=2" 2>&1 | FileCheck %s --check-prefix=CHECK-PIPELINE
// CHECK-PIPELINE: error: slim-quantize-weights: embedding-bits must be 8, 4 or 0, got 2

// A NaN in an embedding table refuses the module, before any weight of it
// changes.
func.func @nan_table(%ids: tensor<5xi64>) -> tensor<5x3xf32> {
  %table = arith.constant dense<[[1.0, -0.5, 0.0], [0.0, 0x7FC00000, 0.0], [-2.0, 2.0, 0.5], [2.0, 4.0, -4.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  // expected-error @+1 {{embedding table holds NaN or Inf (element 4); refusing to quantize it}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}

// -----

// An infinity too.
func.func @inf_table(%ids: tensor<5xi64>) -> tensor<5x3xf32> {
  %table = arith.constant dense<[[1.0, -0.5, 0.0], [0.0, 0.0, 0.0], [-2.0, 2.0, 0.5], [2.0, 4.0, 0xFF800000]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  // expected-error @+1 {{embedding table holds NaN or Inf (element 11); refusing to quantize it}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}
