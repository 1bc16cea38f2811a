// RUN: slim-opt %s -split-input-file -slim-insert-observers | FileCheck %s
// RUN: slim-opt %s -split-input-file -slim-insert-observers=granularity=channel | FileCheck %s --check-prefix=CHECK-CHANNEL

// An MLP layer pair: the argument and the end of each epilogue (bias add and
// ReLU as linalg.generic, or as arith ops on tensors) are observed; constant
// weights, even transposed, are not; the hidden activation, which is both
// layer 0's output and layer 1's input, is observed once.
// CHECK-LABEL: func @mlp
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>)
// CHECK: %[[OX:.*]] = slim.observe %[[X]] id "mlp/arg0" : tensor<?x16xf32>
// CHECK: %[[WT:.*]] = linalg.transpose
// CHECK: %[[MM0:.*]] = linalg.matmul ins(%[[OX]], %[[WT]] :
// CHECK: %[[B0:.*]] = linalg.generic {{.*}} ins(%[[MM0]]
// CHECK: %[[R0:.*]] = arith.maximumf %[[B0]]
// CHECK: %[[OH:.*]] = slim.observe %[[R0]] id "mlp/linalg.matmul#0/out" : tensor<?x8xf32>
// CHECK-NOT: slim.observe %[[OH]]
// CHECK: %[[MM1:.*]] = linalg.matmul ins(%[[OH]], %{{.*}} :
// CHECK: %[[A1:.*]] = arith.addf %[[MM1]]
// CHECK: %[[O1:.*]] = slim.observe %[[A1]] id "mlp/linalg.matmul#1/out" : tensor<?x4xf32>
// CHECK: return %[[O1]]
// CHECK-CHANNEL-LABEL: func @mlp
// CHECK-CHANNEL: slim.observe %{{.*}} id "mlp/arg0" axis 1 : tensor<?x16xf32>
// CHECK-CHANNEL: slim.observe %{{.*}} id "mlp/linalg.matmul#0/out" axis 1 : tensor<?x8xf32>
#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @mlp(%x: tensor<?x16xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x16xf32>
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<0.5> : tensor<8x16xf32>
  %et = tensor.empty() : tensor<16x8xf32>
  %w0t = linalg.transpose ins(%w0 : tensor<8x16xf32>) outs(%et : tensor<16x8xf32>) permutation = [1, 0]
  %e0 = tensor.empty(%n) : tensor<?x8xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<?x8xf32>) -> tensor<?x8xf32>
  %mm0 = linalg.matmul ins(%x, %w0t : tensor<?x16xf32>, tensor<16x8xf32>) outs(%f0 : tensor<?x8xf32>) -> tensor<?x8xf32>
  %b0 = arith.constant dense<0.1> : tensor<8xf32>
  %add0 = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%mm0, %b0 : tensor<?x8xf32>, tensor<8xf32>) outs(%e0 : tensor<?x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x8xf32>
  %relu0 = arith.maximumf %add0, %f0 : tensor<?x8xf32>
  %w1 = arith.constant dense<0.25> : tensor<8x4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %mm1 = linalg.matmul ins(%relu0, %w1 : tensor<?x8xf32>, tensor<8x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %bias1 = arith.constant dense<0.5> : tensor<4xf32>
  %bb1 = linalg.broadcast ins(%bias1 : tensor<4xf32>) outs(%e1 : tensor<?x4xf32>) dimensions = [0]
  %add1 = arith.addf %mm1, %bb1 : tensor<?x4xf32>
  return %add1 : tensor<?x4xf32>
}

// -----

// A residual add of two activations ends the epilogue: the matmul's own
// result is observed, and so is the add's result when it feeds a matmul.
// CHECK-LABEL: func @residual
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: %[[OM:.*]] = slim.observe %[[MM]] id "residual/linalg.matmul#0/out"
// CHECK: %[[ADD:.*]] = arith.addf %[[OM]], %{{.*}}
// CHECK: %[[OA:.*]] = slim.observe %[[ADD]] id "residual/linalg.matmul#1/in0"
// CHECK: linalg.matmul ins(%[[OA]]
func.func @residual(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<4x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %add = arith.addf %mm, %x : tensor<2x4xf32>
  %mm2 = linalg.matmul ins(%add, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %mm2 : tensor<2x4xf32>
}

// -----

// NCHW convolution: per-channel statistics along dimension 1; its input
// carries the filter's window, strides and dilations, for the Gram matrix
// of its patches.
// CHECK-LABEL: func @conv
// CHECK: slim.observe %arg0 id "conv/arg0" {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<1x3x8x8xf32>
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: slim.observe %{{.*}} id "conv/linalg.conv_2d_nchw_fchw#0/out" : tensor<1x4x6x6xf32>
// CHECK-CHANNEL-LABEL: func @conv
// CHECK-CHANNEL: slim.observe %arg0 id "conv/arg0" axis 1 {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<1x3x8x8xf32>
// CHECK-CHANNEL: id "conv/linalg.conv_2d_nchw_fchw#0/out" axis 1 : tensor<1x4x6x6xf32>
func.func @conv(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.1> : tensor<4x3x3x3xf32>
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%f : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %c : tensor<1x4x6x6xf32>
}

// -----

// Nothing to quantize: nothing observed.
// CHECK-LABEL: func @no_compute
// CHECK-NOT: slim.observe
func.func @no_compute(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = arith.addf %x, %x : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A layer's output observer is the next convolution's input observer: it
// takes that convolution's patches (a 1 x 1 filter, strides 2).
// CHECK-LABEL: func @conv_chain
// CHECK: slim.observe %arg0 id "conv_chain/arg0" {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<1x2x8x8xf32>
// CHECK: %[[C1:.*]] = linalg.conv_2d_nchw_fchw
// CHECK: slim.observe %[[C1]] id "conv_chain/linalg.conv_2d_nchw_fchw#0/out" {slim.patches = array<i64: 1, 1, 1, 2, 2, 1, 1>} : tensor<1x4x6x6xf32>
// CHECK-CHANNEL-LABEL: func @conv_chain
// CHECK-CHANNEL: id "conv_chain/linalg.conv_2d_nchw_fchw#0/out" axis 1 {slim.patches = array<i64: 1, 1, 1, 2, 2, 1, 1>}
func.func @conv_chain(%x: tensor<1x2x8x8xf32>) -> tensor<1x3x3x3xf32> {
  %k1 = arith.constant dense<1.0> : tensor<4x2x3x3xf32>
  %k2 = arith.constant dense<1.0> : tensor<3x4x1x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k1 : tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) outs(%f : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %e2 = tensor.empty() : tensor<1x3x3x3xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%c1, %k2 : tensor<1x4x6x6xf32>, tensor<3x4x1x1xf32>) outs(%f2 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %c2 : tensor<1x3x3x3xf32>
}

// -----

// A grouped convolution (torch-mlir's conv_2d_ngchw_gfchw between an
// expand_shape and a collapse_shape) is one layer: its activation is the
// 4-D tensor the expand_shape splits (observed per channel on axis 1, the
// N x C x H x W channels), its output the end of the epilogue after the
// collapse_shape.
// CHECK-LABEL: func @grouped_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x5x5xf32>)
// CHECK: %[[OX:.*]] = slim.observe %[[X]] id "grouped_conv/arg0" : tensor<1x4x5x5xf32>
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[OX]] {{\[}}[0], [1, 2], [3], [4]]
// CHECK: %[[C:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[XG]], %{{.*}} :
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[C]]
// CHECK: %[[R:.*]] = arith.maximumf %[[Y]]
// CHECK: %[[OY:.*]] = slim.observe %[[R]] id "grouped_conv/linalg.conv_2d_ngchw_gfchw#0/out" : tensor<1x4x5x5xf32>
// CHECK: return %[[OY]]
// CHECK-CHANNEL-LABEL: func @grouped_conv
// CHECK-CHANNEL: slim.observe %{{.*}} id "grouped_conv/arg0" axis 1 : tensor<1x4x5x5xf32>
// CHECK-CHANNEL: slim.observe %{{.*}} id "grouped_conv/linalg.conv_2d_ngchw_gfchw#0/out" axis 1 : tensor<1x4x5x5xf32>
func.func @grouped_conv(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %w = arith.constant dense<0.5> : tensor<2x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x2x5x5xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %zt = arith.constant dense<0.0> : tensor<1x4x5x5xf32>
  %r = arith.maximumf %y, %zt : tensor<1x4x5x5xf32>
  return %r : tensor<1x4x5x5xf32>
}
