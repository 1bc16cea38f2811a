// RUN: slim-opt %s -split-input-file -slim-fuse-quantized=report-unfused -verify-diagnostics | FileCheck %s

// Residual adds and concatenations of quantized tensors become integer:
// slim.qadd, and tensor.concat of pieces requantized to the result's type.

// The three add forms: a generic adding its two inputs, linalg.add,
// arith.addf on tensors.
// CHECK-LABEL: func @add_forms
// CHECK: %[[G:.*]] = slim.qadd %arg0, %arg1 : tensor<4x3x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<4x3x!quant.uniform<i8:f32, 2.000000e-02>> -> tensor<4x3x!quant.uniform<i8:f32, 1.000000e-01:-2>>
// CHECK: %[[L:.*]] = slim.qadd %arg1, %arg0 : {{.*}} -> tensor<4x3x!quant.uniform<u8:f32, 1.000000e-01:10>>
// CHECK: %[[A:.*]] = slim.qadd %arg0, %arg0 : {{.*}} -> tensor<4x3x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK-NOT: linalg
// CHECK-NOT: arith.addf
// CHECK: return %[[G]], %[[L]], %[[A]]
func.func @add_forms(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> (tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>>, tensor<4x3x!quant.uniform<u8:f32, 0.1:10>>, tensor<4x3x!quant.uniform<i8:f32, 0.1>>) {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ad, %bd : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %r = arith.addf %v, %u : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %gq = slim.quantize %g : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>>
  %l = linalg.add ins(%bd, %ad : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %lq = slim.quantize %l : tensor<4x3xf32> to tensor<4x3x!quant.uniform<u8:f32, 0.1:10>>
  %s = arith.addf %ad, %ad : tensor<4x3xf32>
  %sq = slim.quantize %s : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %gq, %lq, %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>>, tensor<4x3x!quant.uniform<u8:f32, 0.1:10>>, tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

// A ReLU6 after the add, in the importer's form: clamp [Z, Z + 6 / S] =
// [-2, 58] of the i8 result (scale 0.1, zero point -2).
// CHECK-LABEL: func @add_relu6
// CHECK: slim.qadd %arg0, %arg1 clamp [-2, 58]
// CHECK-NOT: linalg.generic
func.func @add_relu6(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %six = arith.constant dense<6.0> : tensor<f32>
  %c = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s, %zero, %six : tensor<4x3xf32>, tensor<f32>, tensor<f32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %lo: f32, %hi: f32, %o: f32):
    %p = arith.cmpf ult, %v, %lo : f32
    %x = arith.select %p, %lo, %v : f32
    %q = arith.cmpf ugt, %x, %hi : f32
    %y = arith.select %q, %hi, %x : f32
    linalg.yield %y : f32
  } -> tensor<4x3xf32>
  %cq = slim.quantize %c : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>>
  return %cq : tensor<4x3x!quant.uniform<i8:f32, 0.1:-2>>
}

// -----

// Left in float, with the reason: an addend that is not dequantized,
// CHECK-LABEL: func @float_addend
// CHECK: arith.addf
// CHECK-NOT: slim.qadd
func.func @float_addend(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3xf32>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  // expected-remark @+1 {{left in float: addend 1 (an argument, tensor<4x3xf32>) is not dequantized}}
  %s = arith.addf %ad, %b : tensor<4x3xf32>
  %sq = slim.quantize %s : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

// an addend quantized per channel,
// CHECK-LABEL: func @per_channel_addend
// CHECK-NOT: slim.qadd
func.func @per_channel_addend(%a: tensor<4x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  // expected-remark @+1 {{left in float: an addend is not quantized per tensor in at most 8 bits}}
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  %sq = slim.quantize %s : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

// a sum scaled before it is quantized,
// CHECK-LABEL: func @scaled_sum
// CHECK-NOT: slim.qadd
func.func @scaled_sum(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  // expected-remark @+1 {{left in float: the sum is scaled, offset or biased before it is quantized}}
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %r = arith.mulf %v, %half : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %sq = slim.quantize %h : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

// a sum that is not quantized (a transformer's residual before its
// LayerNorm: the add stays in float, as the float op after it reads it).
// CHECK-LABEL: func @float_sum
// CHECK: arith.addf
func.func @float_sum(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3xf32> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  // expected-remark @+1 {{left in float: the epilogue has 'func.return', which does not fuse}}
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  return %s : tensor<4x3xf32>
}

// -----

// A concatenation: pieces of another type requantized, a piece of the
// result's type taken as it is.
// CHECK-LABEL: func @concat
// CHECK: %[[A:.*]] = slim.requantize %arg0 : tensor<2x3x!quant.uniform<u8:f32, 3.000000e-02:100>> to tensor<2x3x!quant.uniform<i8:f32, 5.000000e-02:-1>>
// CHECK: %[[J:.*]] = tensor.concat dim(1) %[[A]], %arg1 : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-02:-1>>, tensor<2x2x!quant.uniform<i8:f32, 5.000000e-02:-1>>) -> tensor<2x5x!quant.uniform<i8:f32, 5.000000e-02:-1>>
// CHECK: return %[[J]]
func.func @concat(%a: tensor<2x3x!quant.uniform<u8:f32, 0.03:100>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.05:-1>>) -> tensor<2x5x!quant.uniform<i8:f32, 0.05:-1>> {
  %ad = slim.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.03:100>> to tensor<2x3xf32>
  %bd = slim.dequantize %b : tensor<2x2x!quant.uniform<i8:f32, 0.05:-1>> to tensor<2x2xf32>
  %j = tensor.concat dim(1) %ad, %bd : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x5xf32>
  %jq = slim.quantize %j : tensor<2x5xf32> to tensor<2x5x!quant.uniform<i8:f32, 0.05:-1>>
  return %jq : tensor<2x5x!quant.uniform<i8:f32, 0.05:-1>>
}

// -----

// Left in float: a piece that is not dequantized,
// CHECK-LABEL: func @concat_float_piece
// CHECK: tensor.concat dim(0) %{{.*}}, %arg1 : (tensor<2x3xf32>, tensor<1x3xf32>)
func.func @concat_float_piece(%a: tensor<2x3x!quant.uniform<u8:f32, 0.03:100>>, %b: tensor<1x3xf32>) -> tensor<3x3x!quant.uniform<u8:f32, 0.05>> {
  %ad = slim.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.03:100>> to tensor<2x3xf32>
  // expected-remark @+1 {{left in float: input 1 (an argument, tensor<1x3xf32>) is not dequantized}}
  %j = tensor.concat dim(0) %ad, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<3x3xf32>
  %jq = slim.quantize %j : tensor<3x3xf32> to tensor<3x3x!quant.uniform<u8:f32, 0.05>>
  return %jq : tensor<3x3x!quant.uniform<u8:f32, 0.05>>
}

// -----

// a result that is not quantized,
// CHECK-LABEL: func @concat_float_result
// CHECK: tensor.concat dim(0) %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>)
func.func @concat_float_result(%a: tensor<2x3x!quant.uniform<u8:f32, 0.03:100>>) -> tensor<4x3xf32> {
  %ad = slim.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.03:100>> to tensor<2x3xf32>
  // expected-remark @+1 {{left in float: the result is not quantized (and only that)}}
  %j = tensor.concat dim(0) %ad, %ad : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %j : tensor<4x3xf32>
}

// -----

// a result quantized per channel.
// CHECK-LABEL: func @concat_per_channel_result
// CHECK: tensor.concat dim(0) %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>)
func.func @concat_per_channel_result(%a: tensor<2x3x!quant.uniform<u8:f32, 0.03:100>>) -> tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>> {
  %ad = slim.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.03:100>> to tensor<2x3xf32>
  // expected-remark @+1 {{left in float: the result is not quantized per tensor}}
  %j = tensor.concat dim(0) %ad, %ad : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %jq = slim.quantize %j : tensor<4x3xf32> to tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>>
  return %jq : tensor<4x3x!quant.uniform<u8:f32:1, {0.1, 0.2, 0.3}>>
}

// -----

// An add of a zero constant after the sum is an affine step of the first
// add's epilogue (adding 0): one slim.qadd, and the second add, erased by
// the first fusion, is not visited again.
// CHECK-LABEL: func @add_then_zero
// CHECK: %[[S:.*]] = slim.qadd %arg0, %arg1
// CHECK-NEXT: return %[[S]]
func.func @add_then_zero(%a: tensor<4x3x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.1>> {
  %ad = slim.dequantize %a : tensor<4x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<4x3xf32>
  %bd = slim.dequantize %b : tensor<4x3x!quant.uniform<i8:f32, 0.02>> to tensor<4x3xf32>
  %s = arith.addf %ad, %bd : tensor<4x3xf32>
  %z = arith.constant dense<0.0> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s, %z : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %r = arith.addf %u, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %sq = slim.quantize %g : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  return %sq : tensor<4x3x!quant.uniform<i8:f32, 0.1>>
}
