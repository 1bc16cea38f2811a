// RUN: slim-opt %s --split-input-file "--slim-ptq-static=stats=%S/../Transforms/Inputs/stats.json" | FileCheck %s --check-prefix=CHECK-STATIC
// RUN: slim-opt %s --split-input-file "--slim-weight-only=bits=4 group-size=2" 2>/dev/null | FileCheck %s --check-prefix=CHECK-WO

// An instrumented layer (observers "a" and "c" of
// test/Transforms/Inputs/stats.json around a matmul) becomes one integer
// layer: u8 activations from the statistics (a: [-1, 3], S = 4/255, Z = 64;
// c: [-1, 2], S = 3/255, Z = 85), int8 per-channel weights.
// CHECK-STATIC-LABEL: func @layer
// CHECK-STATIC: %[[XQ:.*]] = slim.quantize %arg0 : tensor<?x2xf32> to tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK-STATIC: %[[ACC:.*]] = slim.qmatmul %[[XQ]], %{{.*}} : tensor<?x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32:1,
// CHECK-STATIC: %[[Y:.*]] = slim.requantize %[[ACC]] : {{.*}} to tensor<?x2x!quant.uniform<u8:f32, 0.011764706112444401:85>>
// CHECK-STATIC: %[[D:.*]] = slim.dequantize %[[Y]]
// CHECK-STATIC-NOT: slim.observe
// CHECK-STATIC-NOT: linalg.matmul
// CHECK-STATIC: return %[[D]]
//
// Weight-only: int4 groups of 2 along the reduction, observers untouched,
// activations in float.
// CHECK-WO-LABEL: func @layer
// CHECK-WO: slim.observe %arg0 id "a"
// CHECK-WO: quant.scast %{{.*}} : tensor<2x2xi4> to tensor<2x2x!quant.uniform<i4<-7:7>:f32:{0:2, 1:1}
// CHECK-WO: linalg.matmul
func.func @layer(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %a = slim.observe %x id "a" : tensor<?x2xf32>
  %w = arith.constant dense<[[0.5, -0.25], [0.125, 1.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %c = slim.observe %mm id "c" : tensor<?x2xf32>
  return %c : tensor<?x2xf32>
}
