// RUN: slim-opt %s -split-input-file -slim-quantize-dynamic | FileCheck %s
// RUN: slim-opt %s -split-input-file -slim-quantize-dynamic=granularity=row | FileCheck %s --check-prefix=CHECK-ROW
// RUN: not slim-opt %s -slim-quantize-dynamic=granularity=channel 2>&1 | FileCheck %s --check-prefix=CHECK-BAD
// CHECK-BAD: error: slim-quantize-dynamic: unknown granularity 'channel' (expected tensor or row)
// CHECK-ROW-LABEL: func @layer
// CHECK-ROW: slim.dynamic_qmatmul %{{.*}}, %{{.*}} per_row : tensor<?x4xf32>

// A float activation times a dequantized int8 weight becomes
// slim.dynamic_qmatmul on the quantized weight; the bias add stays float.
// CHECK-LABEL: func @layer
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[WQ:.*]] = quant.scast
// CHECK: %[[Y:.*]] = slim.dynamic_qmatmul %[[X]], %[[WQ]] : tensor<?x4xf32>, tensor<4x2x!quant.uniform<i8:f32:1, {2.500000e-01,5.000000e-01}>> -> tensor<?x2xf32>
// CHECK: arith.addf %[[Y]]
// CHECK-NOT: linalg.matmul
func.func @layer(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %mm = linalg.matmul ins(%x, %wd : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = arith.addf %mm, %f : tensor<?x2xf32>
  return %s : tensor<?x2xf32>
}

// -----

// Left alone: a float weight, an already quantized activation, a non-zero
// init.
// CHECK-LABEL: func @unchanged
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: slim.dynamic_qmatmul
func.func @unchanged(%x: tensor<2x4xf32>, %w: tensor<4x2xf32>, %xq: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %c = arith.constant dense<1> : tensor<4x2xi8>
  %cq = quant.scast %c : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %cd = slim.dequantize %cq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %g = linalg.fill ins(%one : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %0 = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = linalg.matmul ins(%xd, %cd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = linalg.matmul ins(%x, %cd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%g : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
