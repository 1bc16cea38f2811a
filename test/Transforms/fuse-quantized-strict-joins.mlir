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

// -----

// strict: a grouped convolution that stays in float (its filter is not
// dequantized) is an error naming the layer.
func.func @grouped(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>> {
  %xq = slim.quantize %x : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>>
  %xd = slim.dequantize %xq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>> to tensor<1x4x5x5xf32>
  %xg = tensor.expand_shape %xd [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<0.5> : tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  // expected-error @+1 {{slim-fuse-quantized strict: layer 'grouped/linalg.conv_2d_ngchw_gfchw#0' stays in float: an operand is not dequantized}}
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %yq = slim.quantize %y : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>>
  return %yq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>>
}
