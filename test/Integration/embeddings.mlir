// Embedding tables quantized by slim-quantize-weights, compiled and run by
// slim-run: each function looks up every row of its table, in order, and
// returns the rows transposed, so its output is the dequantized table in
// the [K, N] layout test/Integration/ref.py's weight-quant recomputes from
// the float table (--transposed: one channel per table row). int8 with a
// scale per row and int4 with a scale per row on 5 x 7 (odd: a padding
// nibble per row), int4 in groups of 3 on 5 x 6. Ties of x / scale (scales
// of 2^-6 and 0.5 make them exact) in both directions, an all-zero row
// (scale 1), a row of large values, values at +-max (saturating the range
// ends +-127 and +-7).
//
// RUN: %ref gen %t.ids.npy --ints 0,4 --dtype int64
// RUN: %ref gen %t.a.npy --shape 5,7 --values=1.984375,0.0078125,0.0234375,-0.0390625,-1.984375,0.5,0.0,3.5,0.25,0.75,-1.25,2.75,-3.5,0.1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,-0.3,0.7,1.1,-2.2,0.05,0.9,-0.6,100.0,-0.01,50.0,25.0,-75.0,0.001,12.5
// RUN: %ref gen %t.b.npy --shape 5,6 --values=3.5,0.25,-0.75,0.007,0.0,-0.014,0.0,0.0,0.0,1.0,2.0,3.0,-1.25,2.75,0.5,-3.5,1.75,0.875,0.1,0.2,0.3,0.4,0.5,0.6,7.0,-7.0,1.0,0.0,0.0,0.0
// RUN: slim-opt %s "--slim-quantize-weights=embedding-min-rows=4" -o %t.int8.mlir 2>/dev/null
// RUN: slim-opt %s "--slim-quantize-weights=embedding-min-rows=4 embedding-bits=4 group-size=8" -o %t.int4.mlir 2>/dev/null
// RUN: slim-opt %s "--slim-quantize-weights=embedding-min-rows=4 embedding-bits=4 group-size=3" -o %t.int4g.mlir 2>/dev/null
// RUN: slim-run %t.int8.mlir -e table_a --input %t.ids.npy --output %t.out-int8.npy
// RUN: slim-run %t.int4.mlir -e table_a --input %t.ids.npy --output %t.out-int4.npy
// RUN: slim-run %t.int4g.mlir -e table_b --input %t.ids.npy --output %t.out-int4g.npy
// RUN: %ref weight-quant --weights %t.a.npy --transposed --output %t.out-int8.npy --granularity channel --bits 8 --label int8 | FileCheck %s --check-prefix=CHECK-INT8
// RUN: %ref weight-quant --weights %t.a.npy --transposed --output %t.out-int4.npy --granularity channel --bits 4 --label int4 | FileCheck %s --check-prefix=CHECK-INT4
// RUN: %ref weight-quant --weights %t.b.npy --transposed --output %t.out-int4g.npy --granularity group --group-size 3 --bits 4 --label int4g | FileCheck %s --check-prefix=CHECK-INT4G
// The same lookups in float differ from every reference, so each check can
// fail:
// RUN: slim-run %s -e table_a --input %t.ids.npy --output %t.out-float.npy
// RUN: not %ref weight-quant --weights %t.a.npy --transposed --output %t.out-float.npy --granularity channel --bits 4 --label float | FileCheck %s --check-prefix=CHECK-FLOAT
// CHECK-INT8: int8: 35 values, 0 mismatches
// CHECK-INT4: int4: 35 values, 0 mismatches
// CHECK-INT4G: int4g: 30 values, 0 mismatches
// CHECK-FLOAT: float: 35 values, {{[1-9][0-9]*}} mismatches

func.func @table_a(%ids: tensor<5xi64>) -> tensor<7x5xf32> {
  %table = arith.constant dense<[[1.984375, 0.0078125, 0.0234375, -0.0390625, -1.984375, 0.5, 0.0], [3.5, 0.25, 0.75, -1.25, 2.75, -3.5, 0.1], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [-0.3, 0.7, 1.1, -2.2, 0.05, 0.9, -0.6], [100.0, -0.01, 50.0, 25.0, -75.0, 0.001, 12.5]]> : tensor<5x7xf32>
  %e = tensor.empty() : tensor<5x7xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x7xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<5x7xf32>
    linalg.yield %v : f32
  } -> tensor<5x7xf32>
  %te = tensor.empty() : tensor<7x5xf32>
  %t = linalg.transpose ins(%g : tensor<5x7xf32>) outs(%te : tensor<7x5xf32>) permutation = [1, 0]
  return %t : tensor<7x5xf32>
}

func.func @table_b(%ids: tensor<5xi64>) -> tensor<6x5xf32> {
  %table = arith.constant dense<[[3.5, 0.25, -0.75, 0.007, 0.0, -0.014], [0.0, 0.0, 0.0, 1.0, 2.0, 3.0], [-1.25, 2.75, 0.5, -3.5, 1.75, 0.875], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [7.0, -7.0, 1.0, 0.0, 0.0, 0.0]]> : tensor<5x6xf32>
  %e = tensor.empty() : tensor<5x6xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x6xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<5x6xf32>
    linalg.yield %v : f32
  } -> tensor<5x6xf32>
  %te = tensor.empty() : tensor<6x5xf32>
  %t = linalg.transpose ins(%g : tensor<5x6xf32>) outs(%te : tensor<6x5xf32>) permutation = [1, 0]
  return %t : tensor<6x5xf32>
}
