// RUN: slim-opt %s -split-input-file "-slim-fuse-quantized=strict=true" -verify-diagnostics | FileCheck %s

// strict: an add or a concatenation whose result is quantized but that
// stays in float is an error saying why; the pass fails.
func.func @add(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3xf32>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  // expected-error @+1 {{slim-fuse-quantized strict: this add of quantized tensors stays in float: addend 1 (an argument, tensor<4x3xf32>) is not dequantized}}
  %s = arith.addf %ad, %b : tensor<4x3xf32>
  %sq = slim.quantize %s : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @concat(%a: tensor<2x3x!quant.uniform<u8:f32, 0.03:100>>) -> tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>> {
  %ad = slim.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.03:100>> to tensor<2x3xf32>
  // expected-error @+1 {{slim-fuse-quantized strict: this concatenation of quantized tensors stays in float: the result is not quantized per tensor}}
  %j = tensor.concat dim(0) %ad, %ad : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %jq = slim.quantize %j : tensor<4x3xf32> to tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>>
  return %jq : tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>>
}

// -----

// An add whose sum is not quantized (a float op reads it) is not an error:
// strict asks for integer joins where the result is quantized.
// CHECK-LABEL: func @float_sum
// CHECK: arith.addf
func.func @float_sum(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3xf32> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  return %s : tensor<4x3xf32>
}
