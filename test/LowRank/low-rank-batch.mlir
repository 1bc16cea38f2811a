// RUN: slim-opt %s --slim-low-rank="rank=1" | FileCheck %s
// RUN: slim-opt %s --slim-low-rank="energy=0.9 report=%t.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-REMARK
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.json
// RUN: slim-opt %s --slim-low-rank="method=onebit" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-ONEBIT

// A batch matmul whose constant weight holds two 4 x 3 matrices of rank 1
// (rows 1, 2, 0.5, 1 times [1, 2, 3]; rows 1, -1, 2, 0 times [3, 1, 1]):
// each batch's matrix factorized at rank 1, the layer two batch matmuls
// by 2 x 4 x 1 and 2 x 1 x 3 constants, the first into a zero-filled
// batch x rows x 1 tensor (both sizes from x), the second into the
// layer's init. energy=0.9 takes the largest rank any batch needs (1).
// CHECK-LABEL: func.func @batched
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4xf32>, %[[C:.*]]: tensor<2x?x3xf32>)
// CHECK-DAG: %[[A:.*]] = arith.constant dense<{{.*}}> : tensor<2x4x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<2x1x3xf32>
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x1xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<2x?x1xf32>)
// CHECK: %[[T:.*]] = linalg.batch_matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>} ins(%[[X]], %[[A]] : tensor<2x?x4xf32>, tensor<2x4x1xf32>) outs(%[[Z]] : tensor<2x?x1xf32>)
// CHECK: %[[Y:.*]] = linalg.batch_matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 1>} ins(%[[T]], %[[B]] : tensor<2x?x1xf32>, tensor<2x1x3xf32>) outs(%[[C]] : tensor<2x?x3xf32>)
// CHECK-NOT: tensor<2x4x3xf32>
// CHECK: return %[[Y]]
// CHECK-REMARK: remark: factorized at rank 1 (svd): 0.583 of the parameters, energy kept 1.0000
// CHECK-REPORT: "batch": 2,
// CHECK-REPORT: "macs_per_row_after": 7,
// CHECK-REPORT-NEXT: "macs_per_row_before": 12,
// CHECK-REPORT: "params_after": 14,
// CHECK-REPORT-NEXT: "params_before": 24,
// CHECK-ONEBIT: remark: left dense: a batch matmul's input pools its batches (no Gram matrix of each batch's own): method=svd with rank= or energy= factorizes it
func.func @batched(%x: tensor<2x?x4xf32>, %c: tensor<2x?x3xf32>) -> tensor<2x?x3xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 1.5], [1.0, 2.0, 3.0]],
                             [[3.0, 1.0, 1.0], [-3.0, -1.0, -1.0], [6.0, 2.0, 2.0], [0.0, 0.0, 0.0]]]> : tensor<2x4x3xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x?x4xf32>, tensor<2x4x3xf32>) outs(%c : tensor<2x?x3xf32>) -> tensor<2x?x3xf32>
  return %y : tensor<2x?x3xf32>
}
