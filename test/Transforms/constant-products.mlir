// A product of constants (a rotary table: inverse frequencies, 32 x 1,
// times positions computed by linalg.index, 1 x 128, K = 1) is not a
// layer: no pass names, observes or quantizes it, and a weight-only
// group size it could not divide does not refuse the module.
// RUN: slim-opt %s --slim-name-layers | FileCheck %s --check-prefix=CHECK-NAMES
// RUN: slim-opt %s --slim-insert-observers | FileCheck %s --check-prefix=CHECK-OBSERVE
// RUN: slim-opt %s --slim-ptq-dynamic 2>/dev/null | FileCheck %s --check-prefix=CHECK-DYNAMIC
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=16" 2>/dev/null | FileCheck %s --check-prefix=CHECK-WEIGHTS
//
// CHECK-NAMES-LABEL: func.func @rotary
// CHECK-NAMES: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<1x128xf32>) outs(%{{.*}} : tensor<32x128xf32>) -> tensor<32x128xf32>
// CHECK-NAMES: linalg.matmul {slim.layer = "rotary/linalg.matmul#0"} ins(%{{.*}}, %{{.*}} : tensor<4x32xf32>, tensor<32x8xf32>)
// CHECK-OBSERVE-LABEL: func.func @rotary
// CHECK-OBSERVE: slim.observe %{{.*}} id "rotary/arg0"
// CHECK-OBSERVE-NOT: slim.observe
// CHECK-OBSERVE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<1x128xf32>)
// CHECK-OBSERVE-NOT: slim.observe
// CHECK-OBSERVE: linalg.matmul
// CHECK-OBSERVE-NEXT: slim.observe %{{.*}} id "rotary/linalg.matmul#0/out"
// CHECK-OBSERVE-NOT: slim.observe
// CHECK-DYNAMIC-LABEL: func.func @rotary
// CHECK-DYNAMIC: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<1x128xf32>)
// CHECK-DYNAMIC: slim.dynamic_qmatmul
// CHECK-WEIGHTS-LABEL: func.func @rotary
// CHECK-WEIGHTS: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<1x128xf32>)
// CHECK-WEIGHTS: slim.dequantize {{.*}} to tensor<32x8xf32>
// CHECK-WEIGHTS: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x32xf32>, tensor<32x8xf32>)
func.func @rotary(%x: tensor<4x32xf32>) -> (tensor<32x128xf32>, tensor<4x8xf32>) {
  %inv = arith.constant dense<0.5> : tensor<32x1xf32>
  %e1 = tensor.empty() : tensor<1x128xi64>
  %pos = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e1 : tensor<1x128xi64>) {
  ^bb0(%o: i64):
    %i = linalg.index 1 : index
    %c = arith.index_cast %i : index to i64
    linalg.yield %c : i64
  } -> tensor<1x128xi64>
  %e2 = tensor.empty() : tensor<1x128xf32>
  %posf = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<1x128xi64>) outs(%e2 : tensor<1x128xf32>) {
  ^bb0(%p: i64, %o: f32):
    %f = arith.sitofp %p : i64 to f32
    linalg.yield %f : f32
  } -> tensor<1x128xf32>
  %zero = arith.constant 0.0 : f32
  %e3 = tensor.empty() : tensor<32x128xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<32x128xf32>) -> tensor<32x128xf32>
  %freqs = linalg.matmul ins(%inv, %posf : tensor<32x1xf32>, tensor<1x128xf32>) outs(%f3 : tensor<32x128xf32>) -> tensor<32x128xf32>
  %w = arith.constant dense<0.25> : tensor<32x8xf32>
  %e4 = tensor.empty() : tensor<4x8xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x32xf32>, tensor<32x8xf32>) outs(%f4 : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %freqs, %y : tensor<32x128xf32>, tensor<4x8xf32>
}
