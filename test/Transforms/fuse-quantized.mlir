// RUN: slim-opt %s -split-input-file -slim-fuse-quantized=report-unfused -verify-diagnostics | FileCheck %s

// dequantize -> matmul -> bias + ReLU (one generic) -> quantize becomes
// qmatmul with an int32 bias (0.5 / (0.1 * 0.25) = 20, -1 / 0.025 = -40) and
// a requantize whose clamp starts at the output zero point (ReLU).
// CHECK-LABEL: func @bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[XQ:.*]] = slim.quantize %[[X]]
// CHECK: %[[WQ:.*]] = quant.scast %{{.*}} : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: %[[B:.*]] = arith.constant dense<[20, -40]> : tensor<2xi32>
// CHECK: %[[BQ:.*]] = quant.scast %[[B]] : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32, 2.500000e-02>>
// CHECK: %[[ACC:.*]] = slim.qmatmul %[[XQ]], %[[WQ]], %[[BQ]] : {{.*}} -> tensor<?x2x!quant.uniform<i32:f32, 2.500000e-02>>
// CHECK: %[[Y:.*]] = slim.requantize %[[ACC]] clamp [-10, 127] : tensor<?x2x!quant.uniform<i32:f32, 2.500000e-02>> to tensor<?x2x!quant.uniform<i8:f32, 5.000000e-02:-10>>
// CHECK: %[[D:.*]] = slim.dequantize %[[Y]]
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[D]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @bias_relu(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %xq = slim.quantize %x : tensor<?x4xf32> to tensor<?x4x!quant.uniform<u8:f32, 0.1:128>>
  %xd = slim.dequantize %xq : tensor<?x4x!quant.uniform<u8:f32, 0.1:128>> to tensor<?x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<?x4xf32>, tensor<4x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %h = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<?x2xf32>, tensor<2xf32>) outs(%e : tensor<?x2xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %s = arith.addf %v, %bv : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x2xf32>
  %yq = slim.quantize %h : tensor<?x2xf32> to tensor<?x2x!quant.uniform<i8:f32, 0.05:-10>>
  %yd = slim.dequantize %yq : tensor<?x2x!quant.uniform<i8:f32, 0.05:-10>> to tensor<?x2xf32>
  return %yd : tensor<?x2xf32>
}

// -----

// ReLU written as the ONNX importer writes it (cmpf ugt + select); a
// per-channel weight gives per-axis accumulator and bias types; no bias.
// CHECK-LABEL: func @importer_relu_per_channel
// CHECK: slim.qmatmul %{{.*}}, %{{.*}} : {{.*}} -> tensor<2x2x!quant.uniform<i32:f32:1, {2.500000e-02,5.000000e-02}>>
// CHECK: slim.requantize %{{.*}} clamp [0, 127]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @importer_relu_per_channel(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ugt, %v, %zero : f32
    %r = arith.select %p, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// What does not fuse stays in float, with a remark saying why.
// CHECK-LABEL: func @not_fused
// CHECK: linalg.matmul
// CHECK: linalg.matmul
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @not_fused(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %g = linalg.fill ins(%one : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an operand is not dequantized}}
  %m0 = linalg.matmul ins(%y, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: the matmul's init is not zero}}
  %m1 = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%g : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: the epilogue has 'math.exp', which does not fuse}}
  %m2 = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ex = math.exp %m2 : tensor<2x2xf32>
  %q = slim.quantize %ex : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %d = slim.dequantize %q : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %m0, %m1, %d : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Biases stored as dense_resource blobs (how large models are written)
// fuse too: 0.5 / 0.025 = 20 and -1 / 0.025 = -40.
// CHECK-LABEL: func @resource_bias
// CHECK: arith.constant dense<[20, -40]> : tensor<2xi32>
// CHECK: slim.qmatmul
#id3 = affine_map<(d0, d1) -> (d0, d1)>
#col3 = affine_map<(d0, d1) -> (d1)>
func.func @resource_bias(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.1:128>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<u8:f32, 0.1:128>> to tensor<2x4xf32>
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = arith.constant dense_resource<bias_blob> : tensor<2xf32>
  %h = linalg.generic {indexing_maps = [#id3, #col3, #id3], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<2x2xf32>, tensor<2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %s = arith.addf %v, %bv : f32
    linalg.yield %s : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bias_blob: "0x040000000000003F000080BF"
    }
  }
#-}

// -----

// A batch matmul of two activations (attention's Q K^T) fuses into the
// batched qmatmul; so does a Linear layer written as a batch matmul with a
// per-channel weight (axis 2) and a bias on the last dimension
// (0.5 / (0.1 * 0.25) = 20, -1 / (0.1 * 0.5) = -20).
// CHECK-LABEL: func @batched
// CHECK: %[[QK:.*]] = slim.qmatmul %{{.*}}, %{{.*}} : tensor<2x3x4x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<2x4x3x!quant.uniform<i8:f32, 2.000000e-01:-5>> -> tensor<2x3x3x!quant.uniform<i32:f32, 0.0200{{[0-9]*}}>>
// CHECK: slim.requantize %[[QK]] : {{.*}} to tensor<2x3x3x!quant.uniform<i8:f32, 5.000000e-02>>
// CHECK: %[[B:.*]] = arith.constant dense<[20, -20]> : tensor<2xi32>
// CHECK: %[[BQ:.*]] = quant.scast %[[B]] : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {2.500000e-02,5.000000e-02}>>
// CHECK: %[[L:.*]] = slim.qmatmul %{{.*}}, %{{.*}}, %[[BQ]] : {{.*}} -> tensor<2x3x2x!quant.uniform<i32:f32:2, {2.500000e-02,5.000000e-02}>>
// CHECK: slim.requantize %[[L]]
// CHECK-NOT: linalg.batch_matmul
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#last = affine_map<(d0, d1, d2) -> (d2)>
func.func @batched(%q: tensor<2x3x4xf32>, %k: tensor<2x4x3xf32>) -> (tensor<2x3x3xf32>, tensor<2x3x2xf32>) {
  %qq = slim.quantize %q : tensor<2x3x4xf32> to tensor<2x3x4x!quant.uniform<u8:f32, 0.1:128>>
  %qd = slim.dequantize %qq : tensor<2x3x4x!quant.uniform<u8:f32, 0.1:128>> to tensor<2x3x4xf32>
  %kq = slim.quantize %k : tensor<2x4x3xf32> to tensor<2x4x3x!quant.uniform<i8:f32, 0.2:-5>>
  %kd = slim.dequantize %kq : tensor<2x4x3x!quant.uniform<i8:f32, 0.2:-5>> to tensor<2x4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s = linalg.batch_matmul ins(%qd, %kd : tensor<2x3x4xf32>, tensor<2x4x3xf32>) outs(%f : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %sq = slim.quantize %s : tensor<2x3x3xf32> to tensor<2x3x3x!quant.uniform<i8:f32, 0.05>>
  %sd = slim.dequantize %sq : tensor<2x3x3x!quant.uniform<i8:f32, 0.05>> to tensor<2x3x3xf32>
  %w = arith.constant dense<1> : tensor<2x4x2xi8>
  %wq = quant.scast %w : tensor<2x4x2xi8> to tensor<2x4x2x!quant.uniform<i8:f32:2, {0.25, 0.5}>>
  %wd = slim.dequantize %wq : tensor<2x4x2x!quant.uniform<i8:f32:2, {0.25, 0.5}>> to tensor<2x4x2xf32>
  %e2 = tensor.empty() : tensor<2x3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %l = linalg.batch_matmul ins(%qd, %wd : tensor<2x3x4xf32>, tensor<2x4x2xf32>) outs(%f2 : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %h = linalg.generic {indexing_maps = [#id3, #last, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%l, %b : tensor<2x3x2xf32>, tensor<2xf32>) outs(%e2 : tensor<2x3x2xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %a = arith.addf %v, %bv : f32
    linalg.yield %a : f32
  } -> tensor<2x3x2xf32>
  %lq = slim.quantize %h : tensor<2x3x2xf32> to tensor<2x3x2x!quant.uniform<u8:f32, 0.1:3>>
  %ld = slim.dequantize %lq : tensor<2x3x2x!quant.uniform<u8:f32, 0.1:3>> to tensor<2x3x2xf32>
  return %sd, %ld : tensor<2x3x3xf32>, tensor<2x3x2xf32>
}

// -----

// A padded input observed after the padding, under the parameters of what
// it pads (slim-fold-calibration ties them): quantize(pad(dequantize(x)))
// is x padded with its zero point, so the convolution reads x and pads in
// integers.
// CHECK-LABEL: func @requantized_padding
// CHECK: slim.qconv2d %arg0, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] depthwise : tensor<1x2x3x3x!quant.uniform<u8:f32, 5.000000e-02:64>>
// CHECK-NOT: tensor.pad
func.func @requantized_padding(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.05:64>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>> {
  %xd = slim.dequantize %x : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.05:64>> to tensor<1x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x3x3xf32> to tensor<1x2x5x5xf32>
  %pq = slim.quantize %p : tensor<1x2x5x5xf32> to tensor<1x2x5x5x!quant.uniform<u8:f32, 0.05:64>>
  %pd = slim.dequantize %pq : tensor<1x2x5x5x!quant.uniform<u8:f32, 0.05:64>> to tensor<1x2x5x5xf32>
  %w = arith.constant dense<1> : tensor<2x3x3xi8>
  %wq = quant.scast %w : tensor<2x3x3xi8> to tensor<2x3x3x!quant.uniform<i8:f32, 0.01>>
  %wd = slim.dequantize %wq : tensor<2x3x3x!quant.uniform<i8:f32, 0.01>> to tensor<2x3x3xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%pd, %wd : tensor<1x2x5x5xf32>, tensor<2x3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %yq = slim.quantize %c : tensor<1x2x3x3xf32> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>>
  return %yq : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// Under other parameters than the padded value's, the padding is not a
// zero-point padding of its stored integers: the convolution reads the
// requantized padded tensor.
// CHECK-LABEL: func @padding_other_parameters
// CHECK: %[[P:.*]] = slim.quantize %{{.*}} : tensor<1x2x5x5xf32> to tensor<1x2x5x5x!quant.uniform<u8:f32, 4.000000e-02:64>>
// CHECK: slim.qconv2d %[[P]], %{{.*}} padding [0, 0, 0, 0] depthwise
func.func @padding_other_parameters(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.05:64>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>> {
  %xd = slim.dequantize %x : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.05:64>> to tensor<1x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x3x3xf32> to tensor<1x2x5x5xf32>
  %pq = slim.quantize %p : tensor<1x2x5x5xf32> to tensor<1x2x5x5x!quant.uniform<u8:f32, 0.04:64>>
  %pd = slim.dequantize %pq : tensor<1x2x5x5x!quant.uniform<u8:f32, 0.04:64>> to tensor<1x2x5x5xf32>
  %w = arith.constant dense<1> : tensor<2x3x3xi8>
  %wq = quant.scast %w : tensor<2x3x3xi8> to tensor<2x3x3x!quant.uniform<i8:f32, 0.01>>
  %wd = slim.dequantize %wq : tensor<2x3x3x!quant.uniform<i8:f32, 0.01>> to tensor<2x3x3xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%pd, %wd : tensor<1x2x5x5xf32>, tensor<2x3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %yq = slim.quantize %c : tensor<1x2x3x3xf32> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>>
  return %yq : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// A padding with 1.0 is no zero-point padding even under the same
// parameters: the convolution reads the requantized padded tensor.
// CHECK-LABEL: func @padding_one
// CHECK: %[[P:.*]] = slim.quantize %{{.*}} : tensor<1x2x6x6xf32>
// CHECK: slim.qconv2d %[[P]], %{{.*}} padding [0, 0, 0, 0]
func.func @padding_one(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xq = slim.quantize %x : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!quant.uniform<i8:f32, 0.05>>
  %xd = slim.dequantize %xq : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.05>> to tensor<1x2x4x4xf32>
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %one : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %pq = slim.quantize %p : tensor<1x2x6x6xf32> to tensor<1x2x6x6x!quant.uniform<i8:f32, 0.05>>
  %pd = slim.dequantize %pq : tensor<1x2x6x6x!quant.uniform<i8:f32, 0.05>> to tensor<1x2x6x6xf32>
  %w = arith.constant dense<1> : tensor<2x2x3x3xi8>
  %wq = quant.scast %w : tensor<2x2x3x3xi8> to tensor<2x2x3x3x!quant.uniform<i8:f32, 0.01>>
  %wd = slim.dequantize %wq : tensor<2x2x3x3x!quant.uniform<i8:f32, 0.01>> to tensor<2x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%pd, %wd : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) outs(%f : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %yq = slim.quantize %c : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!quant.uniform<i8:f32, 0.1>>
  %yd = slim.dequantize %yq : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.1>> to tensor<1x2x4x4xf32>
  return %yd : tensor<1x2x4x4xf32>
}

// -----

// A grouped convolution as torch-mlir imports it (conv_2d_ngchw_gfchw
// between expand_shapes of the padded input, the filter and the bias init,
// and a collapse_shape of its result) becomes slim.qconv2d with groups 2
// on the 4-D tensors: the padding joins it, the filter is the dequantized
// 4 x 2 x 1 x 1 one, the bias in accumulator steps (0.1 / (0.5 * 0.25) =
// 0.8 -> 1, -0.2 / 0.0625 = -3.2 -> -3, 0.3 / 0.0625 = 4.8 -> 5, 0); the
// expand_shapes and the collapse_shape are erased with the convolution.
// CHECK-LABEL: func @grouped_conv
// CHECK-NOT: tensor.expand_shape
// CHECK: %[[B:.*]] = arith.constant dense<[1, -3, 5, 0]> : tensor<4xi32>
// CHECK: %[[BQ:.*]] = quant.scast %[[B]] : tensor<4xi32> to tensor<4x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02,6.250000e-02,1.250000e-01}>>
// CHECK: %[[C:.*]] = slim.qconv2d %{{.*}}, %{{.*}}, %[[BQ]] strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] groups 2 : tensor<1x4x5x5x!quant.uniform<u8:f32, 5.000000e-01:10>>, tensor<4x2x1x1x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01,1.250000e-01,2.500000e-01}>>, {{.*}} -> tensor<1x4x7x7x!quant.uniform<i32:f32:1, {1.250000e-01,6.250000e-02,6.250000e-02,1.250000e-01}>>
// CHECK: %[[R:.*]] = slim.requantize %[[C]] clamp [3, 255]
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: tensor.collapse_shape
func.func @grouped_conv(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x7x7xf32> {
  %xq = slim.quantize %x : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>>
  %xd = slim.dequantize %xq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>> to tensor<1x4x5x5xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x4x5x5xf32> to tensor<1x4x7x7xf32>
  %xg = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 7, 7] : tensor<1x4x7x7xf32> into tensor<1x2x2x7x7xf32>
  %w = arith.constant dense<1> : tensor<4x2x1x1xi8>
  %wq = quant.scast %w : tensor<4x2x1x1xi8> to tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.125, 0.125, 0.25}>>
  %wd = slim.dequantize %wq : tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.25, 0.125, 0.125, 0.25}>> to tensor<4x2x1x1xf32>
  %wg = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 1, 1] : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<1x4x7x7xf32>
  %bb = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x7x7xf32>) dimensions = [0, 2, 3]
  %init = tensor.expand_shape %bb [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 7, 7] : tensor<1x4x7x7xf32> into tensor<1x2x2x7x7xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %wg : tensor<1x2x2x7x7xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x7x7xf32>) -> tensor<1x2x2x7x7xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x7x7xf32> into tensor<1x4x7x7xf32>
  %zt = arith.constant dense<0.0> : tensor<1x4x7x7xf32>
  %r = arith.maximumf %y, %zt : tensor<1x4x7x7xf32>
  %yq = slim.quantize %r : tensor<1x4x7x7xf32> to tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:3>>
  %yd = slim.dequantize %yq : tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:3>> to tensor<1x4x7x7xf32>
  return %yd : tensor<1x4x7x7xf32>
}

// -----

// A grouped convolution whose filter is not dequantized stays in float,
// with the reason.
// CHECK-LABEL: func @grouped_conv_float_filter
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: slim.qconv2d
func.func @grouped_conv_float_filter(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xq = slim.quantize %x : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>>
  %xd = slim.dequantize %xq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>> to tensor<1x4x5x5xf32>
  %xg = tensor.expand_shape %xd [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<0.5> : tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  // expected-remark @+1 {{left in float: an operand is not dequantized}}
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %yq = slim.quantize %y : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>>
  %yd = slim.dequantize %yq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>> to tensor<1x4x5x5xf32>
  return %yd : tensor<1x4x5x5xf32>
}

// -----

// A zero init written as the expand_shape of a 4-D zero fill (torch-mlir
// without a bias, before canonicalization) is read through it: no bias.
// CHECK-LABEL: func @grouped_conv_expanded_zero_init
// CHECK: slim.qconv2d %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 2 :
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
func.func @grouped_conv_expanded_zero_init(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xq = slim.quantize %x : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>>
  %xd = slim.dequantize %xq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>> to tensor<1x4x5x5xf32>
  %xg = tensor.expand_shape %xd [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<1> : tensor<4x2x1x1xi8>
  %wq = quant.scast %w : tensor<4x2x1x1xi8> to tensor<4x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x1x1x!quant.uniform<i8:f32, 0.25>> to tensor<4x2x1x1xf32>
  %wg = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 1, 1] : tensor<4x2x1x1xf32> into tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x5x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %init = tensor.expand_shape %f [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %wg : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %yq = slim.quantize %y : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>>
  %yd = slim.dequantize %yq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>> to tensor<1x4x5x5xf32>
  return %yd : tensor<1x4x5x5xf32>
}

// -----

// A grouped filter dequantized as 5-D (not the expand_shape of the
// F x C/G x KH x KW filter slim-quantize-weights writes) is declined with
// the reason, not built into an invalid slim.qconv2d.
// CHECK-LABEL: func @grouped_conv_5d_filter
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: slim.qconv2d
func.func @grouped_conv_5d_filter(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xq = slim.quantize %x : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>>
  %xd = slim.dequantize %xq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:10>> to tensor<1x4x5x5xf32>
  %xg = tensor.expand_shape %xd [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<1> : tensor<2x2x2x1x1xi8>
  %wq = quant.scast %w : tensor<2x2x2x1x1xi8> to tensor<2x2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<2x2x2x1x1x!quant.uniform<i8:f32, 0.25>> to tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  // expected-remark @+1 {{left in float: the grouped filter is not the expand_shape of a dequantized F x C/G x KH x KW filter}}
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %wd : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %yq = slim.quantize %y : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>>
  %yd = slim.dequantize %yq : tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:3>> to tensor<1x4x5x5xf32>
  return %yd : tensor<1x4x5x5xf32>
}
