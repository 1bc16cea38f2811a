// Gram matrices without the padding: slim-run --hessian-mask N takes
// argument N (a [batch, tokens] attention mask) as a mask over the rows of
// the activations, so a padded token's row does not enter its Gram matrix.
// Two runs of a 2 x 3-token batch; the mask keeps 7 of the 12 tokens,
// among them whole sequences and none of one; the collapsed 6 x 4 input of
// the matmul has one row per mask element. The Gram matrix is checked
// against the exact sum over the kept rows, and the index counts the
// masked rows.
//
// RUN: %ref gen %t.x.npy --shape 4,3,4 --random 48 --range=-3,3 --seed 7
// RUN: %ref gen %t.mask.npy --dtype int64 --shape 4,3 --values=1,1,0,1,0,0,0,0,0,1,1,1
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: rm -rf %t.h %t.all
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --calibrate %t.mask.npy --stats-file %t.stats.json --hessians %t.h --hessian-mask 1
// RUN: FileCheck %s --check-prefix=CHECK-INDEX < %t.h/index.json
// CHECK-INDEX: "id": "main/linalg.matmul#0/in0"
// CHECK-INDEX-NEXT: "masked_rows": 6
// CHECK-INDEX-NEXT: "rows": 6
// RUN: %ref gram --x %t.x.npy --mask %t.mask.npy --h %t.h/h0.npy | FileCheck %s --check-prefix=CHECK-GRAM
// CHECK-GRAM: gram: 4 x 4 from 6 rows
// CHECK-GRAM: gram: 16 values, 0 mismatches
// Without the mask every row counts.
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --calibrate %t.mask.npy --stats-file %t.stats.json --hessians %t.all
// RUN: %ref gram --x %t.x.npy --h %t.all/h0.npy | FileCheck %s --check-prefix=CHECK-ALL
// CHECK-ALL: gram: 4 x 4 from 12 rows
// CHECK-ALL: gram: 16 values, 0 mismatches
//
// Refusals.
// RUN: not slim-run %t.observed.mlir --calibrate %t.x.npy --calibrate %t.mask.npy --stats-file %t.stats.json --hessian-mask 1 2>&1 | FileCheck %s --check-prefix=CHECK-NOHESS
// CHECK-NOHESS: error: --hessian-mask goes with --hessians
// RUN: not slim-run %t.observed.mlir --calibrate %t.x.npy --calibrate %t.mask.npy --stats-file %t.stats.json --hessians %t.h2 --hessian-mask 2 2>&1 | FileCheck %s --check-prefix=CHECK-RANGE
// CHECK-RANGE: error: the row mask is argument 2 but the entry function takes 2
// RUN: not slim-run %t.observed.mlir --calibrate %t.x.npy --calibrate %t.mask.npy --stats-file %t.stats.json --hessians %t.h2 --hessian-mask=-3 2>&1 | FileCheck %s --check-prefix=CHECK-NEG
// CHECK-NEG: error: --hessian-mask takes an argument number (0 or more)

func.func @main(%x: tensor<2x3x4xf32>, %mask: tensor<2x3xi64>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5], [1.0, -2.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %rows = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %e = tensor.empty() : tensor<6x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<6x2xf32>) -> tensor<6x2xf32>
  %y = linalg.matmul ins(%rows, %w : tensor<6x4xf32>, tensor<4x2xf32>) outs(%f : tensor<6x2xf32>) -> tensor<6x2xf32>
  %r = tensor.expand_shape %y [[0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xf32> into tensor<2x3x2xf32>
  return %r : tensor<2x3x2xf32>
}
