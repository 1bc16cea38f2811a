// RUN: slim-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni}))' | FileCheck %s

// slim.qconv2d by a constant filter becomes an int8 slim.packed_conv2d of
// the stored input, its padding and zero point (u8 200) as attributes (the
// runtime pads), the filter packed as the K x F right-hand side (K = 2
// taps (kh, kw, c)), and -Z_in * sum(W[f]) as the bias: filter 0 sums
// 1 + 3 = 4 (-800), filter 1 sums -2 + 5 = 3 (-600). The quantized result
// is the kernel's i32 result, cast back.
// CHECK-LABEL: func.func @nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3x!quant.uniform<u8:f32, 5.000000e-01:200>>)
// CHECK: %[[S:.*]] = quant.scast %[[X]] : {{.*}} to tensor<1x2x3x3xi8>
// CHECK-NOT: tensor.pad
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1x2x4x4xi32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-800, -600]> : tensor<2xi32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<"0x01030000FE050000{{(00)+}}0400000003000000{{(00)+}}"> : tensor<1088xi8>
// CHECK: %[[C:.*]] = slim.packed_conv2d ins(%[[S]], %[[W]] : tensor<1x2x3x3xi8>, tensor<1088xi8>) outs(%[[E]] : tensor<1x2x4x4xi32>) bias(%[[B]] : tensor<2xi32>) kernel = [1, 1] strides = [1, 1] dilations = [1, 1] padding = [1, 0, 0, 1] pad_value = 200 isa = <avx512_vnni> {input_unsigned}
// CHECK: %[[R:.*]] = quant.scast %[[C]] : tensor<1x2x4x4xi32> to tensor<1x2x4x4x!quant.uniform<i32:f32:1, {1.250000e-01,2.500000e-01}>>
// CHECK: return %[[R]]
// CHECK-NOT: slim.qconv2d
func.func @nchw(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>) -> tensor<1x2x4x4x!quant.uniform<i32:f32:1, {0.125, 0.25}>> {
  %c = arith.constant dense<[[[[1]], [[3]]], [[[-2]], [[5]]]]> : tensor<2x2x1x1xi8>
  %w = quant.scast %c : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %y = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [1, 0, 0, 1] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<1x2x4x4x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
  return %y : tensor<1x2x4x4x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
}

// -----

// NHWC depthwise, a signed input of zero point 0 and no bias: no
// correction, no bias operand; the 1 x 2 filter of 2 channels taps-major,
// each tap's channels padded to 16. A dynamic batch stays dynamic.
// CHECK-LABEL: func.func @depthwise_nhwc
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[7, 9{{(, 0)+}}, -8, 127{{(, 0)+}}]> : tensor<32xi8>
// CHECK-DAG: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x3x2x2xi32>
// CHECK: slim.packed_conv2d ins(%{{.*}}, %[[W]] : tensor<?x3x3x2xi8>, tensor<32xi8>) outs(%[[E]] : tensor<?x3x2x2xi32>) kernel = [1, 2] strides = [1, 1] dilations = [1, 1] isa = <avx512_vnni> {depthwise, nhwc}
// CHECK-NOT: bias
// CHECK-NOT: slim.qconv2d
func.func @depthwise_nhwc(%x: tensor<?x3x3x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<?x3x2x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>> {
  %c = arith.constant dense<[[[7, 9], [-8, 127]]]> : tensor<1x2x2xi8>
  %w = quant.scast %c : tensor<1x2x2xi8> to tensor<1x2x2x!quant.uniform<i8:f32:2, {0.25, 0.5}>>
  %y = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc depthwise : tensor<?x3x3x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x2x2x!quant.uniform<i8:f32:2, {0.25, 0.5}>> -> tensor<?x3x2x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>>
  return %y : tensor<?x3x2x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>>
}

// -----

// A bias operand and an input zero point: the correction is added to the
// bias once, over the F elements.
// CHECK-LABEL: func.func @bias_and_zero_point
// CHECK-SAME: %[[BQ:[^:]*]]: tensor<2x!quant.uniform
// CHECK: %[[BS:.*]] = quant.scast %[[BQ]] : {{.*}} to tensor<2xi32>
// CHECK: %[[CORR:.*]] = arith.constant dense<[-4, -3]> : tensor<2xi32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[BS]], %[[CORR]] : tensor<2xi32>, tensor<2xi32>)
// CHECK: arith.addi
// CHECK: slim.packed_conv2d {{.*}} bias(%[[SUM]] : tensor<2xi32>) kernel = [1, 1] {{.*}} {input_unsigned, nhwc}
func.func @bias_and_zero_point(%x: tensor<1x3x3x2x!quant.uniform<u8:f32, 0.5:1>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.25}>>) -> tensor<1x3x3x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>> {
  %c = arith.constant dense<[[[[1, -2], [3, 5]]]]> : tensor<1x1x2x2xi8>
  %w = quant.scast %c : tensor<1x1x2x2xi8> to tensor<1x1x2x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>>
  %y = slim.qconv2d %x, %w, %b strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc : tensor<1x3x3x2x!quant.uniform<u8:f32, 0.5:1>>, tensor<1x1x2x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>>, tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.25}>> -> tensor<1x3x3x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>>
  return %y : tensor<1x3x3x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>>
}

// -----

// What the int8 kernels do not take stays slim.qconv2d (slim-lower-quant
// lowers it to linalg): a filter zero point other than 0, a filter that is
// not a constant, unsigned filter storage.
// CHECK-LABEL: func.func @stays
// CHECK-COUNT-3: slim.qconv2d
// CHECK-NOT: slim.packed_conv2d
func.func @stays(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>, %arg: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> (tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>, tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>, tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>) {
  %c = arith.constant dense<1> : tensor<2x2x1x1xi8>
  %zp = quant.scast %c : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25:3>>
  %u = quant.scast %c : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<u8:f32, 0.25>>
  %a = slim.qconv2d %x, %zp strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25:3>> -> tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>
  %b = slim.qconv2d %x, %arg strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>> -> tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>
  %d = slim.qconv2d %x, %u strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:200>>, tensor<2x2x1x1x!quant.uniform<u8:f32, 0.25>> -> tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>
  return %a, %b, %d : tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>, tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>, tensor<1x2x3x3x!quant.uniform<i32:f32, 0.125>>
}

// -----

// A fixed-point slim.requantize of the accumulator, its only use, runs in
// the kernel: M = 0.125 / 0.5 = 0.25 (M0 = 2^30, shift -1) for filter 0 and
// 0.25 / 0.5 = 0.5 (2^30, 0) for filter 1; output_range is [zero point,
// clamp low, clamp high] (the clamp narrows the u8 range's top).
// The kernel writes i8 bytes, cast to the requantize's type.
// CHECK-LABEL: func.func @requantize_fused
// CHECK-DAG: %[[M:.*]] = arith.constant dense<1073741824> : tensor<2xi32>
// CHECK-DAG: %[[SH:.*]] = arith.constant dense<[-1, 0]> : tensor<2xi32>
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1x2x3x3xi8>
// CHECK: %[[C:.*]] = slim.packed_conv2d ins({{.*}}) outs(%[[E]] : tensor<1x2x3x3xi8>) bias({{.*}}) requantize(%[[M]], %[[SH]] : tensor<2xi32>, tensor<2xi32>) kernel = [1, 1] {{.*}} pad_value = 7 output_range = [5, 0, 200] isa = <avx512_vnni> {input_unsigned}
// CHECK: %[[R:.*]] = quant.scast %[[C]] : tensor<1x2x3x3xi8> to tensor<1x2x3x3x!quant.uniform<u8:f32, 5.000000e-01:5>>
// CHECK: return %[[R]]
// CHECK-NOT: slim.requantize
func.func @requantize_fused(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:7>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>> {
  %c = arith.constant dense<[[[[1]], [[3]]], [[[-2]], [[5]]]]> : tensor<2x2x1x1xi8>
  %w = quant.scast %c : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %y = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:7>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
  %r = slim.requantize %y clamp [0, 200] : tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>
  return %r : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>
}

// -----

// Not fused: a float-mode requantize (its own rounding), an accumulator
// with a second use. The convolutions still run on the kernel with their
// int32 result; the requantizes stay.
// CHECK-LABEL: func.func @requantize_not_fused
// CHECK-NOT: requantize(
// CHECK: slim.packed_conv2d {{.*}} outs(%{{.*}} : tensor<1x2x3x3xi32>)
// CHECK: slim.requantize {{.*}} mode<float>
// CHECK: slim.packed_conv2d {{.*}} outs(%{{.*}} : tensor<1x2x3x3xi32>)
// CHECK: slim.requantize
func.func @requantize_not_fused(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:7>>) -> (tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>, tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>, tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>>) {
  %c = arith.constant dense<[[[[1]], [[3]]], [[[-2]], [[5]]]]> : tensor<2x2x1x1xi8>
  %w = quant.scast %c : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %y = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:7>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
  %r = slim.requantize %y mode <float> : tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>
  %z = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:7>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
  %s = slim.requantize %z : tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>
  return %r, %s, %z : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>, tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:5>>, tensor<1x2x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25}>>
}

// -----

// A grouped convolution (2 groups of 2 channels, 2 filters each) is one
// kernel with groups = 2: the packed filter holds each group's K x F/G
// right-hand side (1088 bytes each) one after the other, and its constant
// bias is folded with the zero-point correction now (group 0 filter sums
// 1 + 3 = 4 and -2 + 5 = 3 give 10 - 28 and 20 - 21; group 1 sums 3 and 2
// give 30 - 21 and 40 - 14); the requantize runs in the kernel.
// CHECK-LABEL: func.func @grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x3x3x!quant.uniform<u8:f32, 5.000000e-01:7>>)
// CHECK: %[[S:.*]] = quant.scast %[[X]] : {{.*}} to tensor<1x4x3x3xi8>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-18, -1, 9, 26]> : tensor<4xi32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<"0x01030000FE050000{{(00)+}}0400000003000000{{(00)+}}04FF000000020000{{(00)+}}0300000002000000{{(00)+}}"> : tensor<2176xi8>
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1x4x3x3xi8>
// CHECK: %[[C:.*]] = slim.packed_conv2d ins(%[[S]], %[[W]] : tensor<1x4x3x3xi8>, tensor<2176xi8>) outs(%[[E]] : tensor<1x4x3x3xi8>) bias(%[[B]] : tensor<4xi32>) requantize({{.*}}) kernel = [1, 1] {{.*}} pad_value = 7 output_range = [5, 0, 255] groups = 2 isa = <avx512_vnni>
// CHECK: %[[R:.*]] = quant.scast %[[C]] : tensor<1x4x3x3xi8> to tensor<1x4x3x3x!quant.uniform<u8:f32, 5.000000e-01:5>>
// CHECK: return %[[R]]
// CHECK-NOT: slim.qconv2d
// CHECK-NOT: slim.requantize
func.func @grouped(%x: tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:7>>) -> tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:5>> {
  %c = arith.constant dense<[[[[1]], [[3]]], [[[-2]], [[5]]], [[[4]], [[-1]]], [[[0]], [[2]]]]> : tensor<4x2x1x1xi8>
  %w = quant.scast %c : tensor<4x2x1x1xi8> to tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5, 0.25, 0.5}>>
  %bc = arith.constant dense<[10, 20, 30, 40]> : tensor<4xi32>
  %b = quant.scast %bc : tensor<4xi32> to tensor<4x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.125, 0.25}>>
  %y = slim.qconv2d %x, %w, %b strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 2 : tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:7>>, tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5, 0.25, 0.5}>>, tensor<4x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.125, 0.25}>> -> tensor<1x4x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.125, 0.25}>>
  %r = slim.requantize %y : tensor<1x4x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.125, 0.25}>> to tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:5>>
  return %r : tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:5>>
}
