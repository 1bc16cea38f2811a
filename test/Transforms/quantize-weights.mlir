// RUN: slim-opt %s -split-input-file -slim-quantize-weights -verify-diagnostics | FileCheck %s
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=granularity=tensor" | FileCheck %s --check-prefix=CHECK-TENSOR
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=granularity=group group-size=2 bits=4" | FileCheck %s --check-prefix=CHECK-GROUP
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=scheme=asymmetric" | FileCheck %s --check-prefix=CHECK-ASYM
// RUN: slim-opt %s "-slim-quantize-weights=report=%t.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.json

// Per output channel (the last dimension of the right operand), symmetric,
// narrow: column 0 has max |w| = 1, S = 1/127: 0.25 -> 31.75 -> 32,
// -0.5 -> -63.5 -> -64 (ties to even); column 1 S = 4/127; column 2 3/127.
// CHECK-LABEL: func @matmul
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[127, -64, 21], [32, 127, -42], [0, 32, 85], [-64, 3, 127]]> : tensor<4x3xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[C]] : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8<-127:127>:f32:1, {0.0078740157186985015,0.031496062874794006,0.023622047156095505}>>
// CHECK: %[[W:.*]] = slim.dequantize %[[Q]]
// CHECK: linalg.matmul ins(%{{.*}}, %[[W]] : tensor<2x4xf32>, tensor<4x3xf32>)
// One scale for the tensor: S = 4/127.
// CHECK-TENSOR-LABEL: func @matmul
// CHECK-TENSOR: arith.constant dense<{{\[}}[32, -64, 16], [8, 127, -32], [0, 32, 64], [-16, 3, 95]]> : tensor<4x3xi8>
// CHECK-TENSOR: to tensor<4x3x!quant.uniform<i8<-127:127>:f32, 0.031496062874794006>>
// int4 groups of 2 along the reduction (rows), per column: rows {0, 1} of
// column 0 have max |w| = 1, S = 1/7: 1 -> 7, 0.25 -> 1.75 -> 2. The values
// [[7, -3, 3], [2, 7, -7], [0, 7, 5], [-7, 1, 7]] are packed two per byte
// along rows, low nibble first, the odd third one alone in its byte:
// 7 | (-3 & 15) << 4 = 0xD7 = -41, then 3; 2 | 7 << 4 = 114, then -7 & 15 = 9.
// CHECK-GROUP-LABEL: func @matmul
// CHECK-GROUP: %[[P:.*]] = arith.constant dense<{{\[}}[-41, 3], [114, 9], [112, 5], [25, 7]]> : tensor<4x2xi8>
// CHECK-GROUP: %[[U:.*]] = slim.unpack %[[P]] : tensor<4x2xi8> -> tensor<4x3xi4>
// CHECK-GROUP: quant.scast %[[U]] : tensor<4x3xi4> to tensor<4x3x!quant.uniform<i4<-7:7>:f32:{0:2, 1:1}, {{\{\{}}0.142857149, 0.571428597, 0.142857149}, {0.0714285746, 0.142857149, 0.428571433}}>>
// Asymmetric: column 0 spans [-0.5, 1]: S = 1.5/255, Z = -43.
// CHECK-ASYM-LABEL: func @matmul
// CHECK-ASYM: to tensor<4x3x!quant.uniform<i8:f32:1, {0.0058823530562222004:-43,
// CHECK-REPORT: "pass": "slim-quantize-weights",
// CHECK-REPORT: "bits": 8,
// CHECK-REPORT: "granularity": "channel",
// CHECK-REPORT: "op": "linalg.matmul",
// CHECK-REPORT: "sqnr_db": 48.6
func.func @matmul(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -2.0, 0.5], [0.25, 4.0, -1.0], [0.0, 1.0, 2.0], [-0.5, 0.1, 3.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+1 {{weight SQNR 48.65 dB (int8 channel)}}
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm : tensor<2x3xf32>
}

// -----

// A PyTorch-layout weight [out, in] transposed for the matmul is read
// through the transpose: the integer constant is in the matmul's layout.
// CHECK-LABEL: func @transposed
// CHECK: arith.constant dense<{{\[}}[127, -127], [64, 32]]> : tensor<2x2xi8>
// CHECK: linalg.matmul
func.func @transposed(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[2.0, 1.0], [-4.0, 1.0]]> : tensor<2x2xf32>
  %et = tensor.empty() : tensor<2x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%et : tensor<2x2xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{weight SQNR}}
  %mm = linalg.matmul ins(%x, %wt : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %mm : tensor<1x2xf32>
}

// -----

// NCHW convolution: per filter (dimension 0); groups apply to matmuls only,
// so granularity=group quantizes it per channel too.
// int4 packs each filter's C*H*W values (here 1: 7 and -7 & 15 = 9, the
// high nibble padding) and expands the unpacked rows back to FCHW.
// CHECK-GROUP-LABEL: func @conv
// CHECK-GROUP: %[[P:.*]] = arith.constant dense<{{\[}}[7], [9]]> : tensor<2x1xi8>
// CHECK-GROUP: %[[U:.*]] = slim.unpack %[[P]] : tensor<2x1xi8> -> tensor<2x1xi4>
// CHECK-GROUP: %[[E:.*]] = tensor.expand_shape %[[U]] {{\[}}[0], [1, 2, 3]] output_shape [2, 1, 1, 1] : tensor<2x1xi4> into tensor<2x1x1x1xi4>
// CHECK-GROUP: quant.scast %[[E]] : tensor<2x1x1x1xi4> to tensor<2x1x1x1x!quant.uniform<i4<-7:7>:f32:0, {
// CHECK-LABEL: func @conv
// CHECK: quant.scast %{{.*}} : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0039370078593492508,0.023622047156095505}>>
func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[0.5]]], [[[-3.0]]]]> : tensor<2x1x1x1xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  // expected-remark @+1 {{weight SQNR}}
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %c : tensor<1x2x3x3xf32>
}

// -----

// A weight computed at run time is not a constant: left alone.
// CHECK-LABEL: func @activation_weight
// CHECK-NOT: slim.dequantize
func.func @activation_weight(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm : tensor<2x3xf32>
}

// -----

// A weight quantized already (by an earlier pass: a dequantized constant)
// is left as it is, without a remark.
// CHECK-LABEL: func @quantized_weight
// CHECK: %[[I:.*]] = arith.constant dense<{{\[}}[1], [-2]]> : tensor<2x1xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[I]]
// CHECK: %[[W:.*]] = slim.dequantize %[[Q]]
// CHECK: linalg.matmul ins(%{{.*}}, %[[W]] :
func.func @quantized_weight(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %i = arith.constant dense<[[1], [-2]]> : tensor<2x1xi8>
  %q = quant.scast %i : tensor<2x1xi8> to tensor<2x1x!quant.uniform<i8:f32, 5.000000e-01>>
  %w = slim.dequantize %q : tensor<2x1x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %mm : tensor<1x1xf32>
}

// -----

// A grouped convolution's G x F/G x C/G x KH x KW filter (as torch-mlir
// imports aten.convolution with groups 2) is quantized as the F x C/G x KH
// x KW filter it is a view of, one scale per (group, filter): max |w| of
// 2, 0.5, 4 and 0.125 give S = 2/127 ... (1 -> 63.5 -> 64, ties to even),
// and an expand_shape makes it the conv's operand again.
// CHECK-LABEL: func @grouped_conv
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[\[\[64\]\], \[\[-127\]\]\], \[\[\[127\]\], \[\[64\]\]\], \[\[\[127\]\], \[\[32\]\]\], \[\[\[-127\]\], \[\[64\]\]\]\]}}> : tensor<4x2x1x1xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[C]] : tensor<4x2x1x1xi8> to tensor<4x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.015748031437397003,0.0039370078593492508,0.031496062874794006,9.842519648373127E-4}>>
// CHECK: %[[D:.*]] = slim.dequantize %[[Q]] : {{.*}} to tensor<4x2x1x1xf32>
// CHECK: %[[W:.*]] = tensor.expand_shape %[[D]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 1, 1] : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} ins(%{{.*}}, %[[W]] :
// CHECK-TENSOR-LABEL: func @grouped_conv
// CHECK-TENSOR: quant.scast %{{.*}} : tensor<4x2x1x1xi8> to tensor<4x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.031496062874794006>>
// CHECK-TENSOR: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]]
// CHECK-GROUP-LABEL: func @grouped_conv
// CHECK-GROUP: quant.scast %{{.*}} : tensor<4x2x1x1xi4> to tensor<4x2x1x1x!quant.uniform<i4<-7:7>:f32:0,
// CHECK-GROUP: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] {{.*}} : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
func.func @grouped_conv(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<[[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]]], [[[[4.0]], [[1.0]]], [[[-0.125]], [[0.0625]]]]]> : tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  // expected-remark @+1 {{weight SQNR 52.41 dB (int8 channel)}}
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

// A grouped filter written as the expand_shape of its F x C/G x KH x KW
// constant (before canonicalization folds it) is read through it.
// CHECK-LABEL: func @grouped_conv_expanded_filter
// CHECK: arith.constant dense<{{\[\[\[\[64\]\], \[\[-127\]\]\], \[\[\[127\]\], \[\[64\]\]\], \[\[\[127\]\], \[\[32\]\]\], \[\[\[-127\]\], \[\[64\]\]\]\]}}> : tensor<4x2x1x1xi8>
// CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] {{.*}} : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} ins(%{{.*}}, %[[W]] :
func.func @grouped_conv_expanded_filter(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w4 = arith.constant dense<[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]], [[[4.0]], [[1.0]]], [[[-0.125]], [[0.0625]]]]> : tensor<4x2x1x1xf32>
  %w = tensor.expand_shape %w4 [[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 1, 1] : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  // expected-remark @+1 {{weight SQNR 52.41 dB (int8 channel)}}
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

// A dense_resource weight (2x1: 0.5, -1.0) is read from its blob.
// CHECK-LABEL: func @resource_weight
// CHECK: arith.constant dense<{{\[}}[64], [-127]]> : tensor<2x1xi8>
func.func @resource_weight(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense_resource<weight_blob> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  // expected-remark @+1 {{weight SQNR}}
  %mm = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %mm : tensor<1x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight_blob: "0x040000000000003F000080BF"
    }
  }
#-}
