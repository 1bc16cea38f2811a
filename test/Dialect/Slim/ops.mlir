// RUN: slim-opt %s -split-input-file | slim-opt -split-input-file | FileCheck %s
// RUN: slim-opt %s -split-input-file --mlir-print-op-generic | slim-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func @quantize_per_tensor
func.func @quantize_per_tensor(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
  // CHECK: slim.quantize %{{.*}} : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %q = slim.quantize %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
}

// -----

// CHECK-LABEL: func @quantize_rounding
func.func @quantize_rounding(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:128>> {
  // CHECK: slim.quantize %{{.*}} rounding<half_away_from_zero> : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %q = slim.quantize %x rounding<half_away_from_zero> : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 0.25:128>>
  return %q : tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:128>>
}

// -----

// The default rounding is not printed.
// CHECK-LABEL: func @quantize_default_rounding
func.func @quantize_default_rounding(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.000000e+00>> {
  // CHECK: slim.quantize %{{.*}} : tensor
  // CHECK-NOT: rounding
  %q = slim.quantize %x rounding<half_to_even> : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.0>>
  return %q : tensor<4x!quant.uniform<i8:f32, 1.000000e+00>>
}

// -----

// Storage types i8, u8, i4, u4, i16, i32 and narrow range; expressed f32,
// f16, bf16.
// CHECK-LABEL: func @storage_and_expressed_types
func.func @storage_and_expressed_types(%a: tensor<3xf32>, %b: tensor<3xf16>, %c: tensor<3xbf16>) {
  // CHECK: to tensor<3x!quant.uniform<i4:f32, 1.000000e-01:-2>>
  %0 = slim.quantize %a : tensor<3xf32> to tensor<3x!quant.uniform<i4:f32, 0.1:-2>>
  // CHECK: to tensor<3x!quant.uniform<u4:f32, 1.000000e-01:8>>
  %1 = slim.quantize %a : tensor<3xf32> to tensor<3x!quant.uniform<u4:f32, 0.1:8>>
  // CHECK: to tensor<3x!quant.uniform<i16:f16, 1.000000e-01>>
  %2 = slim.quantize %b : tensor<3xf16> to tensor<3x!quant.uniform<i16:f16, 0.1>>
  // CHECK: to tensor<3x!quant.uniform<i32:bf16, 1.000000e-01>>
  %3 = slim.quantize %c : tensor<3xbf16> to tensor<3x!quant.uniform<i32:bf16, 0.1>>
  // CHECK: to tensor<3x!quant.uniform<i8<-127:127>:f32, 1.000000e-01>>
  %4 = slim.quantize %a : tensor<3xf32> to tensor<3x!quant.uniform<i8<-127:127>:f32, 0.1>>
  // CHECK: to tensor<3x!quant.uniform<u8:bf16, 1.000000e-01:255>>
  %5 = slim.quantize %c : tensor<3xbf16> to tensor<3x!quant.uniform<u8:bf16, 0.1:255>>
  return
}

// -----

// CHECK-LABEL: func @per_axis
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: slim.quantize %{{.*}} : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1}>>
  %q = slim.quantize %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1}>>
  // CHECK: slim.dequantize %{{.*}} : tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1}>> to tensor<2x3xf32>
  %d = slim.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1}>> to tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @sub_channel
func.func @sub_channel(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // CHECK: slim.quantize %{{.*}} : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{[{][{]}}1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}}>>
  %q = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>
  // CHECK: slim.dequantize
  %d = slim.dequantize %q : tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>> to tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @dequantize_dynamic
func.func @dequantize_dynamic(%q: tensor<?x4x!quant.uniform<u8:f16, 0.5:128>>) -> tensor<?x4xf16> {
  // CHECK: slim.dequantize %{{.*}} : tensor<?x4x!quant.uniform<u8:f16, 5.000000e-01:128>> to tensor<?x4xf16>
  %d = slim.dequantize %q : tensor<?x4x!quant.uniform<u8:f16, 0.5:128>> to tensor<?x4xf16>
  return %d : tensor<?x4xf16>
}

// -----

// CHECK-LABEL: func @requantize_forms
func.func @requantize_forms(%acc: tensor<16x!quant.uniform<i32:f32, 5.0e-4>>, %a: tensor<16x!quant.uniform<i8:f32, 0.1:-3>>) {
  // CHECK: slim.requantize %{{.*}} : tensor<16x!quant.uniform<i32:f32, 5.000000e-04>> to tensor<16x!quant.uniform<i8:f32, 1.000000e-01:-3>>
  %0 = slim.requantize %acc : tensor<16x!quant.uniform<i32:f32, 5.0e-4>> to tensor<16x!quant.uniform<i8:f32, 0.1:-3>>
  // CHECK: slim.requantize %{{.*}} clamp [-3, 127] : tensor
  %1 = slim.requantize %acc clamp [-3, 127] : tensor<16x!quant.uniform<i32:f32, 5.0e-4>> to tensor<16x!quant.uniform<i8:f32, 0.1:-3>>
  // CHECK: slim.requantize %{{.*}} mode<float> : tensor
  %2 = slim.requantize %acc mode<float> : tensor<16x!quant.uniform<i32:f32, 5.0e-4>> to tensor<16x!quant.uniform<i8:f32, 0.1:-3>>
  // CHECK: slim.requantize %{{.*}} mode<float> rounding<half_away_from_zero> clamp [0, 60] : tensor
  %3 = slim.requantize %a mode<float> rounding<half_away_from_zero> clamp [0, 60] : tensor<16x!quant.uniform<i8:f32, 0.1:-3>> to tensor<16x!quant.uniform<u8:f32, 0.05:0>>
  return
}

// -----

// CHECK-LABEL: func @qadd_forms
func.func @qadd_forms(%a: tensor<2x?x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<2x?x!quant.uniform<i8:f32, 0.02:-3>>) {
  // CHECK: slim.qadd %{{.*}}, %{{.*}} : tensor<2x?x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x?x!quant.uniform<i8:f32, 2.000000e-02:-3>> -> tensor<2x?x!quant.uniform<i8:f32, 6.000000e-02:4>>
  %0 = slim.qadd %a, %b : tensor<2x?x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x?x!quant.uniform<i8:f32, 0.02:-3>> -> tensor<2x?x!quant.uniform<i8:f32, 0.06:4>>
  // CHECK: slim.qadd %{{.*}}, %{{.*}} clamp [0, 255] : {{.*}} -> tensor<2x?x!quant.uniform<u8:f32, 1.000000e-01>>
  %1 = slim.qadd %b, %a clamp [0, 255] : tensor<2x?x!quant.uniform<i8:f32, 0.02:-3>>, tensor<2x?x!quant.uniform<u8:f32, 0.05:128>> -> tensor<2x?x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// CHECK-LABEL: func @requantize_per_channel_accumulator
func.func @requantize_per_channel_accumulator(%acc: tensor<4x2x!quant.uniform<i32:f32:1, {1.0e-3, 2.0e-3}>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.1>> {
  // CHECK: slim.requantize %{{.*}} : tensor<4x2x!quant.uniform<i32:f32:1, {1.000000e-03,2.000000e-03}>> to tensor<4x2x!quant.uniform<i8:f32, 1.000000e-01>>
  %0 = slim.requantize %acc : tensor<4x2x!quant.uniform<i32:f32:1, {1.0e-3, 2.0e-3}>> to tensor<4x2x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.1>>
}

// -----

// CHECK-LABEL: func @fake_quant
func.func @fake_quant(%x: tensor<3xf32>, %y: tensor<2x2xbf16>) -> (tensor<3xf32>, tensor<2x2xbf16>) {
  // CHECK: slim.fake_quant %{{.*}} as !quant.uniform<i8:f32, 2.500000e-01> : tensor<3xf32>
  %0 = slim.fake_quant %x as !quant.uniform<i8:f32, 0.25> : tensor<3xf32>
  // CHECK: slim.fake_quant %{{.*}} as !quant.uniform<u4:bf16:0, {1.000000e+00:1,5.000000e-01:2}> rounding<half_away_from_zero> : tensor<2x2xbf16>
  %1 = slim.fake_quant %y as !quant.uniform<u4:bf16:0, {1.0:1, 0.5:2}> rounding<half_away_from_zero> : tensor<2x2xbf16>
  return %0, %1 : tensor<3xf32>, tensor<2x2xbf16>
}

// -----

// CHECK-LABEL: func @observe
func.func @observe(%x: tensor<?x256xf32>, %y: tensor<3xf16>) -> (tensor<?x256xf32>, tensor<3xf16>) {
  // CHECK: slim.observe %{{.*}} id "main/linalg.matmul#0/in0" axis 1 : tensor<?x256xf32>
  %0 = slim.observe %x id "main/linalg.matmul#0/in0" axis 1 : tensor<?x256xf32>
  // CHECK: slim.observe %{{.*}} id "v" : tensor<3xf16>
  %1 = slim.observe %y id "v" : tensor<3xf16>
  return %0, %1 : tensor<?x256xf32>, tensor<3xf16>
}

// -----

// CHECK-LABEL: func @observe_patches
func.func @observe_patches(%x: tensor<?x6x6x4xf32>) -> tensor<?x6x6x4xf32> {
  // CHECK: slim.observe %{{.*}} id "main/arg0" axis 3 {slim.patches = array<i64: 3, 3, 3, 2, 2, 1, 1>} : tensor<?x6x6x4xf32>
  %0 = slim.observe %x id "main/arg0" axis 3 {slim.patches = array<i64: 3, 3, 3, 2, 2, 1, 1>} : tensor<?x6x6x4xf32>
  return %0 : tensor<?x6x6x4xf32>
}

// -----

// CHECK-LABEL: func @qmatmul
func.func @qmatmul(%a: tensor<?x16x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<16x8x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.01, 0.02, 0.01, 0.02, 0.01, 0.02}>>, %b: tensor<8x!quant.uniform<i32:f32:0, {0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002}>>, %v: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // CHECK: slim.qmatmul %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x16x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<16x8x!quant.uniform<i8:f32:1,
  %0 = slim.qmatmul %a, %w, %b : tensor<?x16x!quant.uniform<u8:f32, 0.1:128>>, tensor<16x8x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.01, 0.02, 0.01, 0.02, 0.01, 0.02}>>, tensor<8x!quant.uniform<i32:f32:0, {0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002}>> -> tensor<?x8x!quant.uniform<i32:f32:1, {0.001, 0.002, 0.001, 0.002, 0.001, 0.002, 0.001, 0.002}>>
  // CHECK: slim.qmatmul %{{.*}}, %{{.*}} : tensor<?x16x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<16x8x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<?x8x!quant.uniform<i32:f32, 5.000000e-02>>
  %1 = slim.qmatmul %a, %v : tensor<?x16x!quant.uniform<u8:f32, 0.1:128>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<?x8x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

// CHECK-LABEL: func @dynamic_qmatmul
func.func @dynamic_qmatmul(%x: tensor<?x16xf32>, %w: tensor<16x8x!quant.uniform<u8:f32, 0.01:128>>) -> tensor<?x8xf32> {
  // CHECK: slim.dynamic_qmatmul %{{.*}}, %{{.*}} : tensor<?x16xf32>, tensor<16x8x!quant.uniform<u8:f32, 1.000000e-02:128>> -> tensor<?x8xf32>
  %y = slim.dynamic_qmatmul %x, %w : tensor<?x16xf32>, tensor<16x8x!quant.uniform<u8:f32, 0.01:128>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func @dynamic_qmatmul_per_row
func.func @dynamic_qmatmul_per_row(%x: tensor<?x16xf32>, %w: tensor<16x8x!quant.uniform<u8:f32, 0.01:128>>) -> tensor<?x8xf32> {
  // CHECK: slim.dynamic_qmatmul %{{.*}}, %{{.*}} per_row : tensor<?x16xf32>
  %y = slim.dynamic_qmatmul %x, %w per_row : tensor<?x16xf32>, tensor<16x8x!quant.uniform<u8:f32, 0.01:128>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func @qconv2d
func.func @qconv2d(%x: tensor<?x3x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>>) {
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] : tensor<?x3x8x8x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] : tensor<?x3x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>> -> tensor<?x4x8x8x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
  return
}

// -----

// The NHWC (HWCF filter, per channel on axis 3, result axis 3) and
// depthwise forms (CHW filter; HWC with nhwc, axis 2).
// CHECK-LABEL: func @qconv2d_forms
func.func @qconv2d_forms(%x: tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x3x3x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>>, %xc: tensor<1x3x8x8x!quant.uniform<i8:f32, 0.5>>, %dw: tensor<3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0}>>, %hw: tensor<3x3x3x!quant.uniform<i8:f32:2, {0.25, 0.5, 1.0}>>) {
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] nhwc : tensor<1x8x8x3x{{.*}}> -> tensor<1x8x8x2x!quant.uniform<i32:f32:3, {1.250000e-01,2.500000e-01}>>
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] nhwc : tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x3x3x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>> -> tensor<1x8x8x2x!quant.uniform<i32:f32:3, {0.125, 0.25}>>
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [2, 2] dilations [1, 1] padding [0, 0, 1, 1] depthwise : tensor<1x3x8x8x{{.*}}> -> tensor<1x3x4x4x!quant.uniform<i32:f32:1, {1.250000e-01,2.500000e-01,5.000000e-01}>>
  %1 = slim.qconv2d %xc, %dw strides [2, 2] dilations [1, 1] padding [0, 0, 1, 1] depthwise : tensor<1x3x8x8x!quant.uniform<i8:f32, 0.5>>, tensor<3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0}>> -> tensor<1x3x4x4x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5}>>
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [2, 2] padding [2, 2, 2, 2] nhwc depthwise : tensor<1x8x8x3x{{.*}}> -> tensor<1x8x8x3x!quant.uniform<i32:f32:3, {1.250000e-01,2.500000e-01,5.000000e-01}>>
  %2 = slim.qconv2d %x, %hw strides [1, 1] dilations [2, 2] padding [2, 2, 2, 2] nhwc depthwise : tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x3x3x!quant.uniform<i8:f32:2, {0.25, 0.5, 1.0}>> -> tensor<1x8x8x3x!quant.uniform<i32:f32:3, {0.125, 0.25, 0.5}>>
  return
}

// -----

// Grouped forms: the filter holds C / groups input channels (FCHW, or HWCF
// with nhwc); groups 1 is the default and is not printed.
// CHECK-LABEL: func @qconv2d_grouped
func.func @qconv2d_grouped(%x: tensor<?x6x8x8x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0, 0.25, 0.5}>>, %xh: tensor<1x8x8x6x!quant.uniform<i8:f32, 0.5>>, %wh: tensor<1x1x3x4x!quant.uniform<i8:f32, 0.25>>, %wd: tensor<4x6x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>>) {
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] groups 3 : tensor<?x6x8x8x{{.*}}> -> tensor<?x6x8x8x!quant.uniform<i32:f32:1, {1.250000e-01,2.500000e-01,5.000000e-01,1.000000e+00,1.250000e-01,2.500000e-01}>>
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] groups 3 : tensor<?x6x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0, 0.25, 0.5}>> -> tensor<?x6x8x8x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0, 0.125, 0.25}>>
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [2, 2] dilations [1, 1] padding [0, 0, 0, 0] nhwc groups 2 : tensor<1x8x8x6x{{.*}}> -> tensor<1x4x4x4x!quant.uniform<i32:f32, 1.250000e-01>>
  %1 = slim.qconv2d %xh, %wh strides [2, 2] dilations [1, 1] padding [0, 0, 0, 0] nhwc groups 2 : tensor<1x8x8x6x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x3x4x!quant.uniform<i8:f32, 0.25>> -> tensor<1x4x4x4x!quant.uniform<i32:f32, 0.125>>
  // CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] : tensor<?x6x8x8x{{.*}}> -> tensor<?x4x8x8x
  %2 = slim.qconv2d %x, %wd strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] groups 1 : tensor<?x6x8x8x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x6x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>> -> tensor<?x4x8x8x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
  return
}

// -----

// A grouped int8 packed convolution: groups = 2, two packed right-hand
// sides of 1088 bytes.
// CHECK-LABEL: func @packed_conv2d_grouped
// CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%{{.*}} : tensor<1x4x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 2 isa = <avx2> -> tensor<1x4x7x7xi32>
func.func @packed_conv2d_grouped(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %y: tensor<1x4x7x7xi32>) -> tensor<1x4x7x7xi32> {
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%y : tensor<1x4x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 2 isa = <avx2> -> tensor<1x4x7x7xi32>
  return %r : tensor<1x4x7x7xi32>
}

// -----

// CHECK-LABEL: func @unpack
func.func @unpack(%p: tensor<16x3xi8>, %d: tensor<?x2x4xi8>) -> (tensor<16x5xi4>, tensor<?x2x8xi4>) {
  // CHECK: slim.unpack %{{.*}} : tensor<16x3xi8> -> tensor<16x5xi4>
  %0 = slim.unpack %p : tensor<16x3xi8> -> tensor<16x5xi4>
  // CHECK: slim.unpack %{{.*}} : tensor<?x2x4xi8> -> tensor<?x2x8xi4>
  %1 = slim.unpack %d : tensor<?x2x4xi8> -> tensor<?x2x8xi4>
  return %0, %1 : tensor<16x5xi4>, tensor<?x2x8xi4>
}

// -----

// CHECK-LABEL: func @qmatmul_batched
func.func @qmatmul_batched(%x: tensor<?x4x16x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<?x16x8x!quant.uniform<i8:f32, 0.01:3>>) -> tensor<?x4x8x!quant.uniform<i32:f32, 0.001>> {
  // CHECK: slim.qmatmul %{{.*}}, %{{.*}} : tensor<?x4x16x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<?x16x8x!quant.uniform<i8:f32, 1.000000e-02:3>> -> tensor<?x4x8x!quant.uniform<i32:f32, 1.000000e-03>>
  %0 = slim.qmatmul %x, %w : tensor<?x4x16x!quant.uniform<u8:f32, 0.1:128>>, tensor<?x16x8x!quant.uniform<i8:f32, 0.01:3>> -> tensor<?x4x8x!quant.uniform<i32:f32, 0.001>>
  return %0 : tensor<?x4x8x!quant.uniform<i32:f32, 0.001>>
}

// -----

// An empty dimension the type does not list is one block (the fuzzer's
// division by zero in the layout check).
// CHECK-LABEL: func @blocked_empty_dim
func.func @blocked_empty_dim(%x: tensor<0x4xf32>) -> tensor<0x4xf32> {
  // CHECK: slim.quantize %{{.*}} : tensor<0x4xf32> to tensor<0x4x!quant.uniform<u4:f32:{1:2}, {{\{}}{5.000000e-01:7, 1.000000e+00}}>>
  %0 = slim.quantize %x : tensor<0x4xf32> to tensor<0x4x!quant.uniform<u4:f32:{1:2},{{0.5:7,1.0:0}}>>
  %1 = slim.dequantize %0 : tensor<0x4x!quant.uniform<u4:f32:{1:2},{{0.5:7,1.0:0}}>> to tensor<0x4xf32>
  return %1 : tensor<0x4xf32>
}

// -----

// slim.packed_matmul on tensors (one result) and on memrefs (none).
// CHECK-LABEL: func @packed_matmul
func.func @packed_matmul(%a: tensor<?x17xi8>, %p: tensor<1088xi8>, %c: tensor<?x5xi32>, %ba: memref<2x3x17xi8>, %bp: memref<1088xi8>, %bc: memref<2x3x5xi32>) -> tensor<?x5xi32> {
  // CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<?x17xi8>, tensor<1088xi8>) outs(%{{.*}} : tensor<?x5xi32>) k = 17 n = 5 isa = <amx> {lhs_unsigned} -> tensor<?x5xi32>
  %r = slim.packed_matmul ins(%a, %p : tensor<?x17xi8>, tensor<1088xi8>) outs(%c : tensor<?x5xi32>) k = 17 n = 5 isa = <amx> {lhs_unsigned} -> tensor<?x5xi32>
  // CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : memref<2x3x17xi8>, memref<1088xi8>) outs(%{{.*}} : memref<2x3x5xi32>) k = 17 n = 5 isa = <avx_vnni> {accumulate}
  slim.packed_matmul ins(%ba, %bp : memref<2x3x17xi8>, memref<1088xi8>) outs(%bc : memref<2x3x5xi32>) k = 17 n = 5 isa = <avx_vnni> {accumulate}
  return %r : tensor<?x5xi32>
}

// -----

// The f32 kind: K * Np floats; a fused bias.
// CHECK-LABEL: func @packed_matmul_f32
func.func @packed_matmul_f32(%a: tensor<?x3xf32>, %p: tensor<48xf32>, %c: tensor<?x5xf32>) -> tensor<?x5xf32> {
  // CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3xf32>, tensor<48xf32>) outs(%{{.*}} : tensor<?x5xf32>) k = 3 n = 5 isa = <generic> {accumulate} -> tensor<?x5xf32>
  %r = slim.packed_matmul ins(%a, %p : tensor<?x3xf32>, tensor<48xf32>) outs(%c : tensor<?x5xf32>) k = 3 n = 5 isa = <generic> {accumulate} -> tensor<?x5xf32>
  %b = arith.constant dense<1.5> : tensor<5xf32>
  // CHECK: slim.packed_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3xf32>, tensor<48xf32>) outs(%{{.*}} : tensor<?x5xf32>) bias(%{{.*}} : tensor<5xf32>) k = 3 n = 5 isa = <avx2> -> tensor<?x5xf32>
  %s = slim.packed_matmul ins(%a, %p : tensor<?x3xf32>, tensor<48xf32>) outs(%r : tensor<?x5xf32>) bias(%b : tensor<5xf32>) k = 3 n = 5 isa = <avx2> -> tensor<?x5xf32>
  return %s : tensor<?x5xf32>
}

// -----

// slim.activation_matmul: batched with a per-batch or a shared rhs, dynamic
// sizes, strided memrefs.
// CHECK-LABEL: func @activation_matmul
func.func @activation_matmul(%a: tensor<?x3x17xi8>, %b: tensor<?x17x5xi8>, %w: tensor<17x5xi8>, %c: tensor<?x3x5xi32>, %ma: memref<4x17xi8>, %mb: memref<17x5xi8, strided<[1, 17]>>, %mc: memref<4x5xi32>) -> tensor<?x3x5xi32> {
  // CHECK: slim.activation_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x17xi8>, tensor<?x17x5xi8>) outs(%{{.*}} : tensor<?x3x5xi32>) isa = <amx> {lhs_unsigned, rhs_unsigned} -> tensor<?x3x5xi32>
  %r = slim.activation_matmul ins(%a, %b : tensor<?x3x17xi8>, tensor<?x17x5xi8>) outs(%c : tensor<?x3x5xi32>) isa = <amx> {lhs_unsigned, rhs_unsigned} -> tensor<?x3x5xi32>
  // CHECK: slim.activation_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x17xi8>, tensor<17x5xi8>) outs(%{{.*}} : tensor<?x3x5xi32>) isa = <generic> {accumulate} -> tensor<?x3x5xi32>
  %s = slim.activation_matmul ins(%a, %w : tensor<?x3x17xi8>, tensor<17x5xi8>) outs(%r : tensor<?x3x5xi32>) isa = <generic> {accumulate} -> tensor<?x3x5xi32>
  // CHECK: slim.activation_matmul ins(%{{.*}}, %{{.*}} : memref<4x17xi8>, memref<17x5xi8, strided<[1, 17]>>) outs(%{{.*}} : memref<4x5xi32>) isa = <avx2>
  slim.activation_matmul ins(%ma, %mb : memref<4x17xi8>, memref<17x5xi8, strided<[1, 17]>>) outs(%mc : memref<4x5xi32>) isa = <avx2>
  return %s : tensor<?x3x5xi32>
}

// -----

// slim.dynamic_packed_matmul: per row with zero points on tensors; with a
// bias on memrefs.
// CHECK-LABEL: func @dynamic_packed_matmul
func.func @dynamic_packed_matmul(%x: tensor<?x17xf32>, %p: tensor<1088xi8>, %c: tensor<?x5xf32>, %s: tensor<5xf32>, %z: tensor<5xi32>, %mx: memref<3x17xf32>, %mp: memref<1088xi8>, %mc: memref<3x5xf32>, %ms: memref<5xf32>) -> tensor<?x5xf32> {
  // CHECK: slim.dynamic_packed_matmul ins(%{{.*}}, %{{.*}} : tensor<?x17xf32>, tensor<1088xi8>) outs(%{{.*}} : tensor<?x5xf32>) scales(%{{.*}} : tensor<5xf32>) zero_points(%{{.*}} : tensor<5xi32>) k = 17 n = 5 isa = <amx> {per_row} -> tensor<?x5xf32>
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<?x17xf32>, tensor<1088xi8>) outs(%c : tensor<?x5xf32>) scales(%s : tensor<5xf32>) zero_points(%z : tensor<5xi32>) k = 17 n = 5 isa = <amx> {per_row} -> tensor<?x5xf32>
  // CHECK: slim.dynamic_packed_matmul ins(%{{.*}}, %{{.*}} : memref<3x17xf32>, memref<1088xi8>) outs(%{{.*}} : memref<3x5xf32>) scales(%{{.*}} : memref<5xf32>) bias(%{{.*}} : memref<5xf32>) k = 17 n = 5 isa = <generic>
  slim.dynamic_packed_matmul ins(%mx, %mp : memref<3x17xf32>, memref<1088xi8>) outs(%mc : memref<3x5xf32>) scales(%ms : memref<5xf32>) bias(%ms : memref<5xf32>) k = 17 n = 5 isa = <generic>
  return %r : tensor<?x5xf32>
}

// -----

// slim.dequant_matmul: int4 in groups of 32 on tensors (batched); int8 per
// column with a bias on memrefs.
// CHECK-LABEL: func @dequant_matmul
func.func @dequant_matmul(%x: tensor<?x3x64xf32>, %p: tensor<512xi8>, %c: tensor<?x3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>, %mx: memref<3x64xf32>, %mp: memref<1024xi8>, %mc: memref<3x5xf32>, %ms: memref<16xf32>, %mo: memref<16xi8>, %mb: memref<5xf32>, %x63: tensor<?x3x63xf32>, %ms2: tensor<16xf32>, %mo2: tensor<16xi8>, %p384: tensor<384xi8>) -> tensor<?x3x5xf32> {
  // CHECK: slim.dequant_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x64xf32>, tensor<512xi8>) outs(%{{.*}} : tensor<?x3x5xf32>) scales(%{{.*}} : tensor<32xf32>) offsets(%{{.*}} : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <amx> -> tensor<?x3x5xf32>
  %r = slim.dequant_matmul ins(%x, %p : tensor<?x3x64xf32>, tensor<512xi8>) outs(%c : tensor<?x3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <amx> -> tensor<?x3x5xf32>
  // CHECK: slim.dequant_matmul ins(%{{.*}}, %{{.*}} : memref<3x64xf32>, memref<1024xi8>) outs(%{{.*}} : memref<3x5xf32>) scales(%{{.*}} : memref<16xf32>) offsets(%{{.*}} : memref<16xi8>) bias(%{{.*}} : memref<5xf32>) k = 64 n = 5 bits = 8 group_size = 64 isa = <generic> {accumulate}
  slim.dequant_matmul ins(%mx, %mp : memref<3x64xf32>, memref<1024xi8>) outs(%mc : memref<3x5xf32>) scales(%ms : memref<16xf32>) offsets(%mo : memref<16xi8>) bias(%mb : memref<5xf32>) k = 64 n = 5 bits = 8 group_size = 64 isa = <generic> {accumulate}
  // int8 activations: 4 bits in the quad layout, K = 63 padded to 64.
  // CHECK: slim.dequant_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x63xf32>, tensor<512xi8>) outs(%{{.*}} : tensor<?x3x5xf32>) scales(%{{.*}} : tensor<16xf32>) offsets(%{{.*}} : tensor<16xi8>) k = 63 n = 5 bits = 4 group_size = 63 int8_activations isa = <avx512_vnni> -> tensor<?x3x5xf32>
  %i = slim.dequant_matmul ins(%x63, %p : tensor<?x3x63xf32>, tensor<512xi8>) outs(%c : tensor<?x3x5xf32>) scales(%ms2 : tensor<16xf32>) offsets(%mo2 : tensor<16xi8>) k = 63 n = 5 bits = 4 group_size = 63 int8_activations isa = <avx512_vnni> -> tensor<?x3x5xf32>
  // The 2:4 form: 64 k x 5 columns, one panel of 16 quartets of 24 bytes.
  // CHECK: slim.dequant_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x64xf32>, tensor<384xi8>) outs(%{{.*}} : tensor<?x3x5xf32>) scales(%{{.*}} : tensor<32xf32>) offsets(%{{.*}} : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 sparse isa = <avx2> -> tensor<?x3x5xf32>
  %sp = slim.dequant_matmul ins(%x, %p384 : tensor<?x3x64xf32>, tensor<384xi8>) outs(%c : tensor<?x3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 sparse isa = <avx2> -> tensor<?x3x5xf32>
  return %r : tensor<?x3x5xf32>
}

// -----

// slim.packed_conv2d: NCHW on tensors (dynamic batch), NHWC with a bias on
// strided memrefs.
// CHECK-LABEL: func @packed_conv2d
func.func @packed_conv2d(%x: tensor<?x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<?x17x7x7xf32>, %mx: memref<1x9x9x4xf32>, %mp: memref<1152xf32>, %mc: memref<1x4x4x17xf32, strided<[340, 68, 17, 1]>>, %mb: memref<17xf32>, %dp: tensor<144xf32>, %dc: tensor<?x4x7x7xf32>) -> tensor<?x17x7x7xf32> {
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<?x4x9x9xf32>, tensor<612xf32>) outs(%{{.*}} : tensor<?x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <amx> -> tensor<?x17x7x7xf32>
  %r = slim.packed_conv2d ins(%x, %p : tensor<?x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<?x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <amx> -> tensor<?x17x7x7xf32>
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : memref<1x9x9x4xf32>, memref<1152xf32>) outs(%{{.*}} : memref<1x4x4x17xf32, strided<[340, 68, 17, 1]>>) bias(%{{.*}} : memref<17xf32>) kernel = [3, 3] strides = [2, 2] dilations = [1, 1] isa = <generic> {accumulate, nhwc}
  slim.packed_conv2d ins(%mx, %mp : memref<1x9x9x4xf32>, memref<1152xf32>) outs(%mc : memref<1x4x4x17xf32, strided<[340, 68, 17, 1]>>) bias(%mb : memref<17xf32>) kernel = [3, 3] strides = [2, 2] dilations = [1, 1] isa = <generic> {nhwc, accumulate}
  // Depthwise: 4 channels, 3 x 3 taps of 16 (padded) floats.
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<?x4x9x9xf32>, tensor<144xf32>) outs(%{{.*}} : tensor<?x4x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {depthwise} -> tensor<?x4x7x7xf32>
  %d = slim.packed_conv2d ins(%x, %dp : tensor<?x4x9x9xf32>, tensor<144xf32>) outs(%dc : tensor<?x4x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {depthwise} -> tensor<?x4x7x7xf32>
  return %r : tensor<?x17x7x7xf32>
}

// -----

// The int8 kind: i8 input (u8 with input_unsigned), the int8 packed layout
// (K = 36, F = 17: 64 x 32 bytes and 32 column sums), i32 init and bias.
// CHECK-LABEL: func @packed_conv2d_int8
func.func @packed_conv2d_int8(%x: tensor<?x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<?x17x7x7xi32>, %b: tensor<17xi32>, %n: index) -> tensor<?x17x7x7xi32> {
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%{{.*}} : tensor<?x17x7x7xi32>) bias(%{{.*}} : tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <amx> {input_unsigned} -> tensor<?x17x7x7xi32>
  %r = slim.packed_conv2d ins(%x, %p : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<?x17x7x7xi32>) bias(%b : tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <amx> {input_unsigned} -> tensor<?x17x7x7xi32>
  // Padding (here 2 rows on top, 1 column on the right) with a pad value.
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%{{.*}} : tensor<?x17x9x8xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [2, 0, 0, 1] pad_value = 255 isa = <amx> {input_unsigned} -> tensor<?x17x9x8xi32>
  %e = tensor.empty(%n) : tensor<?x17x9x8xi32>
  %q = slim.packed_conv2d ins(%x, %p : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%e : tensor<?x17x9x8xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [2, 0, 0, 1] pad_value = 255 isa = <amx> {input_unsigned} -> tensor<?x17x9x8xi32>
  // A requantize epilogue: bytes out.
  // CHECK: slim.packed_conv2d ins(%{{.*}}, %{{.*}} : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%{{.*}} : tensor<?x17x7x7xi8>) bias(%{{.*}} : tensor<17xi32>) requantize(%{{.*}}, %{{.*}} : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [3, 0, 255] isa = <amx> {input_unsigned} -> tensor<?x17x7x7xi8>
  %eq = tensor.empty(%n) : tensor<?x17x7x7xi8>
  %rq = slim.packed_conv2d ins(%x, %p : tensor<?x4x9x9xi8>, tensor<2176xi8>) outs(%eq : tensor<?x17x7x7xi8>) bias(%b : tensor<17xi32>) requantize(%b, %b : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [3, 0, 255] isa = <amx> {input_unsigned} -> tensor<?x17x7x7xi8>
  return %r : tensor<?x17x7x7xi32>
}

// -----

// slim.sign_matmul on tensors (batched, no ISA yet: what slim-low-rank
// writes) and on memrefs (a bias, accumulating, with its kernel's ISA).
// CHECK-LABEL: func @sign_matmul
func.func @sign_matmul(%x: tensor<?x3x37xf32>, %s: tensor<148xi8>, %c: tensor<?x3x21xf32>, %b: tensor<21xf32>, %mx: memref<3x37xf32>, %ms: memref<148xi8>, %mc: memref<3x21xf32>, %mb: memref<21xf32>, %mbias: memref<21xf32>) -> tensor<?x3x21xf32> {
  // CHECK: slim.sign_matmul ins(%{{.*}}, %{{.*}} : tensor<?x3x37xf32>, tensor<148xi8>) outs(%{{.*}} : tensor<?x3x21xf32>) scales(%{{.*}} : tensor<21xf32>) k = 37 n = 21 -> tensor<?x3x21xf32>
  %r = slim.sign_matmul ins(%x, %s : tensor<?x3x37xf32>, tensor<148xi8>) outs(%c : tensor<?x3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<?x3x21xf32>
  // CHECK: slim.sign_matmul ins(%{{.*}}, %{{.*}} : memref<3x37xf32>, memref<148xi8>) outs(%{{.*}} : memref<3x21xf32>) scales(%{{.*}} : memref<21xf32>) bias(%{{.*}} : memref<21xf32>) k = 37 n = 21 accumulate isa = <avx2>
  slim.sign_matmul ins(%mx, %ms : memref<3x37xf32>, memref<148xi8>) outs(%mc : memref<3x21xf32>) scales(%mb : memref<21xf32>) bias(%mbias : memref<21xf32>) k = 37 n = 21 accumulate isa = <avx2>
  return %r : tensor<?x3x21xf32>
}

// -----

// CHECK-LABEL: func @attention
func.func @attention(%q: tensor<1x12x?x32xf32>, %k: tensor<1x12x128x32xf32>, %v: tensor<1x12x128x16xf32>, %m: tensor<1x1x1x128xf32>, %o: tensor<1x12x?x16xf32>, %mq: memref<2x3x4x5xf32, strided<[60, 5, 15, 1]>>, %mk: memref<2x3x6x5xf32>, %mv: memref<2x3x6x7xf32>, %mo: memref<2x3x4x7xf32>) -> tensor<1x12x?x16xf32> {
  // CHECK: slim.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x12x?x32xf32>, tensor<1x12x128x32xf32>, tensor<1x12x128x16xf32>) outs(%{{.*}} : tensor<1x12x?x16xf32>) mask(%{{.*}} : tensor<1x1x1x128xf32>) scale = 5.65685415 divides isa = <avx512_vnni> -> tensor<1x12x?x16xf32>
  %r = slim.attention ins(%q, %k, %v : tensor<1x12x?x32xf32>, tensor<1x12x128x32xf32>, tensor<1x12x128x16xf32>) outs(%o : tensor<1x12x?x16xf32>) mask(%m : tensor<1x1x1x128xf32>) scale = 5.65685415 divides isa = <avx512_vnni> -> tensor<1x12x?x16xf32>
  // CHECK: slim.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<2x3x4x5xf32, strided<[60, 5, 15, 1]>>, memref<2x3x6x5xf32>, memref<2x3x6x7xf32>) outs(%{{.*}} : memref<2x3x4x7xf32>) scale = 1.250000e-01 isa = <generic>
  slim.attention ins(%mq, %mk, %mv : memref<2x3x4x5xf32, strided<[60, 5, 15, 1]>>, memref<2x3x6x5xf32>, memref<2x3x6x7xf32>) outs(%mo : memref<2x3x4x7xf32>) scale = 0.125 isa = <generic>
  return %r : tensor<1x12x?x16xf32>
}
