// RUN: slim-opt %s -split-input-file --slim-name-layers | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-name-layers --slim-name-layers=clear=true | FileCheck %s --check-prefix=CHECK-CLEAR
// RUN: slim-opt %s -split-input-file --slim-name-layers --slim-low-rank=rank=1 | FileCheck %s --check-prefix=CHECK-FACTORS
// RUN: slim-opt %s --slim-name-layers --slim-low-rank=rank=1 "--slim-weight-only=granularity=channel skip=main/linalg.matmul#1/factor0 report=%t.md report-format=table" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.md

// Every layer gets the name it has now; each function counts its own.
// CHECK-LABEL: func @main
// CHECK: linalg.matmul {slim.layer = "main/linalg.matmul#0"}
// CHECK: linalg.matmul {slim.layer = "main/linalg.matmul#1"}
// CHECK-LABEL: func @other
// CHECK: linalg.matmul {slim.layer = "other/linalg.matmul#0"}
// CHECK-CLEAR-LABEL: func @main
// CHECK-CLEAR-NOT: slim.layer
// CHECK-CLEAR-LABEL: func @other
// CHECK-CLEAR-NOT: slim.layer

// A factorized layer's two matmuls inherit its name; names stay those of
// the input, though the factorization adds matmuls before the second layer.
// CHECK-FACTORS-LABEL: func @main
// CHECK-FACTORS: linalg.matmul {slim.layer = "main/linalg.matmul#0/factor0", slim.low_rank
// CHECK-FACTORS: linalg.matmul {slim.layer = "main/linalg.matmul#0/factor1", slim.low_rank
// CHECK-FACTORS: linalg.matmul {slim.layer = "main/linalg.matmul#1/factor0", slim.low_rank
// CHECK-FACTORS: linalg.matmul {slim.layer = "main/linalg.matmul#1/factor1", slim.low_rank

// A later pass's report and skip= patterns use those names.
// CHECK-REPORT: | main/linalg.matmul#0/factor0 | float | int8 channel, {{.*}} | float | float |
// CHECK-REPORT: | main/linalg.matmul#0/factor1 | float | int8 channel, {{.*}} | float | float |
// CHECK-REPORT: | main/linalg.matmul#1/factor0 | float | float | float | float: skipped (skip=main/linalg.matmul#1/factor0) |
// CHECK-REPORT: | main/linalg.matmul#1/factor1 | float | int8 channel, {{.*}} | float | float |
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [0.5, 1.0, 1.5, 2.0], [1.0, 0.0, 1.0, 0.0]]> : tensor<4x4xf32>
  %w1 = arith.constant dense<[[0.5, -1.0, 0.25, 2.0], [1.0, 1.0, 1.0, 1.0], [0.0, 3.0, -2.0, 1.0], [1.5, 0.5, 0.5, -0.5]]> : tensor<4x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %m1 = linalg.matmul ins(%m0, %w1 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %m1 : tensor<2x4xf32>
}

func.func @other(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %m : tensor<2x4xf32>
}

// -----

// A layer that has a name keeps it; a generated name never takes a fixed
// one (the unnamed second matmul would be #1: it gets a prime), and a fixed
// name two layers share stays with the first.
// CHECK-LABEL: func @fixed
// CHECK: linalg.matmul {slim.layer = "qkv"}
// CHECK: linalg.matmul {slim.layer = "fixed/linalg.matmul#1'"}
// CHECK: linalg.matmul {slim.layer = "fixed/linalg.matmul#1"}
// CHECK: linalg.matmul {slim.layer = "qkv'"}
func.func @fixed(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = linalg.matmul {slim.layer = "qkv"} ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = linalg.matmul ins(%a, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = linalg.matmul {slim.layer = "fixed/linalg.matmul#1"} ins(%b, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %d = linalg.matmul {slim.layer = "qkv"} ins(%c, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}
