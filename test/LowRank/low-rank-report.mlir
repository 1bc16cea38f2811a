// RUN: slim-opt %s --slim-low-rank="rank=1 skip=f/linalg.matmul#0 report=%t.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// The per-layer report, in IR order: the skipped layer (dense, the pattern
// that matched), the factorized one (rank, energy, parameters, bytes and
// multiply-adds per row before and after), the one left dense (its
// factors would not be smaller: 1 x (2 + 2) = 4 = 2 x 2).

// CHECK-LABEL: func.func @f
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32>)
// CHECK: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>}
// CHECK: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 1>}
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x2xf32>, tensor<2x2xf32>)
func.func @f(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 1.5], [1.0, 0.0, 3.0]]> : tensor<4x3xf32>
  %v = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y0 = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y1 = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %x2 = tensor.extract_slice %x[0, 0] [2, 2] [1, 1] : tensor<2x4xf32> to tensor<2x2xf32>
  %y2 = linalg.matmul ins(%x2, %v : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y0, %y1, %y2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>
}

// REPORT: "layers": [
// REPORT: "decision": "dense"
// REPORT: "layer": "f/linalg.matmul#0"
// REPORT: "reason": "skip=f/linalg.matmul#0"
// REPORT: "bytes_after": 28
// REPORT-NEXT: "bytes_before": 48
// REPORT-NEXT: "decision": "factorized"
// REPORT-NEXT: "energy": 0.9{{[0-9]*}}
// REPORT-NEXT: "k": 4
// REPORT-NEXT: "layer": "f/linalg.matmul#1"
// REPORT-NEXT: "macs_per_row_after": 7
// REPORT-NEXT: "macs_per_row_before": 12
// REPORT-NEXT: "method": "svd"
// REPORT-NEXT: "n": 3
// REPORT-NEXT: "params_after": 7
// REPORT-NEXT: "params_before": 12
// REPORT-NEXT: "rank": 1
// REPORT: "decision": "dense"
// REPORT: "layer": "f/linalg.matmul#2"
// REPORT: "reason": "factors of rank 1 would hold 1.000 of the parameters (4 against the weight's 4): no saving"
// REPORT: "pass": "slim-low-rank"
