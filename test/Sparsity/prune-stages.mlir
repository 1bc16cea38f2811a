// slim-prune's stages, for sequential calibration: a layer's stage is 0
// when no prunable layer computes its input, else one more than the latest
// stage among the prunable layers its input depends on. Here @a and @b
// read the argument (stage 0), @c reads @a through a ReLU (stage 1) and
// @d reads @b and @c (stage 2); stage=k prunes only stage k's layers and
// the report names each layer's stage and the number of stages.
// RUN: slim-opt %s "--slim-prune=stage=0 report=%t.report.json" 2>&1 | FileCheck %s --check-prefix=CHECK-STAGE0
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.report.json
// RUN: slim-opt %s "--slim-prune=stage=1" 2>&1 | FileCheck %s --check-prefix=CHECK-STAGE1
// RUN: slim-opt %s "--slim-prune=stage=2" 2>&1 | FileCheck %s --check-prefix=CHECK-STAGE2
// RUN: slim-opt %s --slim-prune 2>&1 | FileCheck %s --check-prefix=CHECK-ALL
// A stage past the last prunes nothing and says so.
// RUN: slim-opt %s "--slim-prune=stage=3" -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=CHECK-PAST

// CHECK-STAGE0-COUNT-2: remark: pruned to 50.0% zeros (2:4, magnitude)
// CHECK-STAGE0-NOT: remark: pruned
// CHECK-STAGE0-LABEL: func.func @chain
// CHECK-STAGE0: linalg.matmul {slim.sparsity = {{.*}}} ins(%arg0
// CHECK-STAGE0: linalg.matmul {slim.sparsity = {{.*}}} ins(%arg0
// CHECK-STAGE0: linalg.matmul ins(
// CHECK-STAGE0: linalg.matmul ins(
// CHECK-REPORT: "layer": "chain/linalg.matmul#0"
// CHECK-REPORT: "stage": 0
// CHECK-REPORT-NEXT: "stages": 3
// CHECK-REPORT: "layer": "chain/linalg.matmul#1"
// CHECK-REPORT: "stage": 0
// CHECK-STAGE1-COUNT-1: remark: pruned to 50.0% zeros (2:4, magnitude)
// CHECK-STAGE1-NOT: remark: pruned
// CHECK-STAGE1-LABEL: func.func @chain
// CHECK-STAGE1: linalg.matmul ins(%arg0
// CHECK-STAGE1: linalg.matmul ins(%arg0
// CHECK-STAGE1: linalg.matmul {slim.sparsity = {{.*}}} ins(
// CHECK-STAGE1: linalg.matmul ins(
// CHECK-STAGE2-COUNT-1: remark: pruned to 50.0% zeros (2:4, magnitude)
// CHECK-STAGE2-NOT: remark: pruned
// CHECK-STAGE2-LABEL: func.func @chain
// CHECK-STAGE2: linalg.matmul ins(%arg0
// CHECK-STAGE2: linalg.matmul ins(%arg0
// CHECK-STAGE2: linalg.matmul ins(
// CHECK-STAGE2: linalg.matmul {slim.sparsity = {{.*}}} ins(
// CHECK-ALL-COUNT-4: remark: pruned to 50.0% zeros (2:4, magnitude)
// CHECK-PAST: remark: slim-prune: no layer in stage 3 (the module's prunable layers form 3 stage(s))
// CHECK-PAST-NOT: slim.sparsity
func.func @chain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<[[1.0, -2.0, 3.0, 0.5], [0.25, 4.0, -1.0, 2.0], [-3.0, 0.5, 2.0, 1.0], [2.0, 1.0, -0.5, -4.0]]> : tensor<4x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %b = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<2x4xf32>
  %c = linalg.matmul ins(%r, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = arith.addf %b, %c : tensor<2x4xf32>
  %d = linalg.matmul ins(%s, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}
