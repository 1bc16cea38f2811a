// RUN: slim-opt %s "--slim-weight-only=granularity=channel report=%t.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s < %t.json

// Each layer's cost in the report: multiply-adds (the product of its loop
// bounds) when every bound is static, and its float weight's bytes. The
// dynamic batch of @dynamic leaves "macs" out (the bound is not a number to
// multiply: the sanitized build caught a product with it).
// CHECK: "layer": "dynamic/linalg.matmul#0",
// CHECK-NOT: "macs"
// CHECK: "weight_bytes": 96
// CHECK: "layer": "static/linalg.matmul#0",
// CHECK-NEXT: "macs": 120,
// CHECK: "weight_bytes": 96
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x6xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %w = arith.constant dense<0.5> : tensor<4x6xf32>
  %e = tensor.empty(%n) : tensor<?x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x6xf32>) -> tensor<?x6xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x6xf32>) outs(%f : tensor<?x6xf32>) -> tensor<?x6xf32>
  return %m : tensor<?x6xf32>
}

func.func @static(%x: tensor<5x4xf32>) -> tensor<5x6xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<4x6xf32>
  %e = tensor.empty() : tensor<5x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<5x6xf32>) -> tensor<5x6xf32>
  %m = linalg.matmul ins(%x, %w : tensor<5x4xf32>, tensor<4x6xf32>) outs(%f : tensor<5x6xf32>) -> tensor<5x6xf32>
  return %m : tensor<5x6xf32>
}
