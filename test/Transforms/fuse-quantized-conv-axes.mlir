// RUN: slim-opt %s -split-input-file "--slim-quantize-weights=granularity=channel" --slim-fuse-quantized | FileCheck %s

// slim-quantize-weights gives each convolution's filter its scales on the
// axis slim.qconv2d reads as the output channel: the two agree end to end
// for the NHWC dense (HWCF: axis 3) and depthwise (HWC: axis 2; CHW: axis 0)
// forms, so the per-channel filters fuse.
// CHECK-LABEL: func @nhwc
// CHECK: slim.qconv2d {{.*}} nhwc : {{.*}}, tensor<1x1x2x3x!quant.uniform<i8<-127:127>:f32:3, {{.*}}>>
func.func @nhwc(%x: tensor<1x3x3x2xf32>) -> tensor<1x3x3x3xf32> {
  %xq = slim.quantize %x : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!quant.uniform<u8:f32, 0.02:100>>
  %xd = slim.dequantize %xq : tensor<1x3x3x2x!quant.uniform<u8:f32, 0.02:100>> to tensor<1x3x3x2xf32>
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[0.5, -0.25, 1.0], [0.125, 2.0, -1.5]]]]> : tensor<1x1x2x3xf32>
  %e = tensor.empty() : tensor<1x3x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %w : tensor<1x3x3x2xf32>, tensor<1x1x2x3xf32>) outs(%f : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %yq = slim.quantize %c : tensor<1x3x3x3xf32> to tensor<1x3x3x3x!quant.uniform<u8:f32, 0.05:128>>
  %yd = slim.dequantize %yq : tensor<1x3x3x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<1x3x3x3xf32>
  return %yd : tensor<1x3x3x3xf32>
}

// -----

// CHECK-LABEL: func @depthwise_nhwc
// CHECK: slim.qconv2d {{.*}} nhwc depthwise : {{.*}}, tensor<2x2x3x!quant.uniform<i8<-127:127>:f32:2, {{.*}}>>
func.func @depthwise_nhwc(%x: tensor<1x3x3x3xf32>) -> tensor<1x2x2x3xf32> {
  %xq = slim.quantize %x : tensor<1x3x3x3xf32> to tensor<1x3x3x3x!quant.uniform<u8:f32, 0.02:100>>
  %xd = slim.dequantize %xq : tensor<1x3x3x3x!quant.uniform<u8:f32, 0.02:100>> to tensor<1x3x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[0.5, -0.25, 1.0], [0.125, 2.0, -1.5]], [[1.0, 0.5, -0.5], [0.25, -2.0, 0.75]]]> : tensor<2x2x3xf32>
  %e = tensor.empty() : tensor<1x2x2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %w : tensor<1x3x3x3xf32>, tensor<2x2x3xf32>) outs(%f : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %yq = slim.quantize %c : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<u8:f32, 0.05:128>>
  %yd = slim.dequantize %yq : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<1x2x2x3xf32>
  return %yd : tensor<1x2x2x3xf32>
}

// -----

// CHECK-LABEL: func @depthwise_nchw
// CHECK: slim.qconv2d {{.*}} depthwise : {{.*}}, tensor<3x2x2x!quant.uniform<i8<-127:127>:f32:0, {{.*}}>>
func.func @depthwise_nchw(%x: tensor<1x3x3x3xf32>) -> tensor<1x3x2x2xf32> {
  %xq = slim.quantize %x : tensor<1x3x3x3xf32> to tensor<1x3x3x3x!quant.uniform<u8:f32, 0.02:100>>
  %xd = slim.dequantize %xq : tensor<1x3x3x3x!quant.uniform<u8:f32, 0.02:100>> to tensor<1x3x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[0.5, -0.25], [1.0, 0.125]], [[2.0, -1.5], [1.0, 0.5]], [[-0.5, 0.25], [-2.0, 0.75]]]> : tensor<3x2x2xf32>
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %w : tensor<1x3x3x3xf32>, tensor<3x2x2xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %yq = slim.quantize %c : tensor<1x3x2x2xf32> to tensor<1x3x2x2x!quant.uniform<u8:f32, 0.05:128>>
  %yd = slim.dequantize %yq : tensor<1x3x2x2x!quant.uniform<u8:f32, 0.05:128>> to tensor<1x3x2x2xf32>
  return %yd : tensor<1x3x2x2xf32>
}
