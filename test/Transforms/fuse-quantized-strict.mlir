// RUN: slim-opt %s -split-input-file "-slim-fuse-quantized=strict=true" -verify-diagnostics
// RUN: slim-opt %s -split-input-file "-slim-fuse-quantized=strict=true skip=main/linalg.matmul#1" | FileCheck %s
// RUN: not slim-opt %s -split-input-file "-slim-fuse-quantized=skip=nothing" 2>&1 | FileCheck %s --check-prefix=CHECK-SKIP

// strict: a layer that stays in float is an error naming it and saying
// why (the first matmul fuses; the second's epilogue has math.exp); the
// pass fails, so no module is written. With the second layer in skip=, it
// stays float on purpose: no error, the first still fuses.
// CHECK-LABEL: func @main
// CHECK: slim.qmatmul
// CHECK: linalg.matmul
// CHECK: math.exp
// CHECK-SKIP: error: slim-fuse-quantized: skip pattern 'nothing' matches no layer
func.func @main(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m0 = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %q0 = slim.quantize %m0 : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %d0 = slim.dequantize %q0 : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  // expected-error @+1 {{slim-fuse-quantized strict: layer 'main/linalg.matmul#1' stays in float: the epilogue has 'math.exp', which does not fuse}}
  %m1 = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ex = math.exp %m1 : tensor<2x2xf32>
  %q1 = slim.quantize %ex : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %d1 = slim.dequantize %q1 : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %d0, %d1 : tensor<2x2xf32>, tensor<2x2xf32>
}
