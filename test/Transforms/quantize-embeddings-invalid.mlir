// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4" -verify-diagnostics
// RUN: not slim-opt %s "-slim-quantize-weights=embedding-bits=5" 2>&1 | FileCheck %s --check-prefix=CHECK-BITS
// CHECK-BITS: error: slim-quantize-weights: embedding-bits must be 8, 4 or 0, got 5
// RUN: not slim-opt %s "-slim-quantize-weights=embedding-min-rows=0" 2>&1 | FileCheck %s --check-prefix=CHECK-ROWS
// CHECK-ROWS: error: slim-quantize-weights: embedding-min-rows must be positive, got 0
// RUN: not slim-opt %s "-slim-weight-only=embedding-bits=2" 2>&1 | FileCheck %s --check-prefix=CHECK-PIPELINE
// CHECK-PIPELINE: error: slim-quantize-weights: embedding-bits must be 8, 4 or 0, got 2
// RUN: not slim-opt %s "-slim-quantize-weights=int8-layers=.*" 2>&1 | FileCheck %s --check-prefix=CHECK-INT8-NEEDS-4
// CHECK-INT8-NEEDS-4: error: slim-quantize-weights: int8-layers keeps layers at 8 bits among 4-bit ones: it needs bits=4 or embedding-bits=4
// RUN: not slim-opt %s "-slim-quantize-weights=bits=4 size-budget=nan" 2>&1 | FileCheck %s --check-prefix=CHECK-NAN
// CHECK-NAN: error: slim-quantize-weights: size-budget must be a fraction of the float bytes (0 for none), got nan
// RUN: not slim-opt %s -split-input-file "-slim-quantize-weights=bits=4 embedding-min-rows=4 int8-layers=(" 2>&1 | FileCheck %s --check-prefix=CHECK-REGEX
// CHECK-REGEX: error: slim-quantize-weights: int8-layers pattern '(' is not a regular expression
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4" -verify-diagnostics | FileCheck %s --check-prefix=CHECK-ELIDED
// CHECK-ELIDED-LABEL: func.func @elided_table
// CHECK-ELIDED: tensor.extract %{{.*}} : tensor<4x3xf32>

// A NaN in an embedding table refuses the module (the pass plans every
// weight and table before it changes any).
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

// -----

// A table the pass cannot read (its data elided) stays float, with a
// remark; the module is not refused.
func.func @elided_table(%ids: tensor<5xi64>) -> tensor<5x3xf32> {
  %table = arith.constant dense_resource<__elided__> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  // expected-remark @+1 {{embedding table left in float: it is not a constant this pass can read}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}
