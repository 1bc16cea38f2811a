// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=2" | FileCheck %s --check-prefix=CHECK-TUCKER
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=2 conv=spatial" | FileCheck %s --check-prefix=CHECK-SPATIAL
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=2 conv=depthwise" | FileCheck %s --check-prefix=CHECK-DEPTHWISE
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=2 conv=none" | FileCheck %s --check-prefix=CHECK-NONE
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=2 conv=spatial report=%t.json" -o /dev/null && FileCheck %s --check-prefix=CHECK-REPORT < %t.json
// RUN: slim-opt %s -split-input-file --slim-low-rank="energy=0.9" | FileCheck %s --check-prefix=CHECK-ENERGY
// RUN: not slim-opt %s -split-input-file --slim-low-rank="rank=2 conv=cp" 2>&1 | FileCheck %s --check-prefix=CHECK-UNKNOWN
// CHECK-UNKNOWN: slim-low-rank: unknown conv 'cp' (expected tucker2, spatial, depthwise or none)

// A 3 x 3 convolution of 8 channels into 16 filters (strides 2, dilation
// 1) on a dynamic batch. tucker2 (the default): 1 x 1 down to 2 channels
// at the input's size, the 3 x 3 core (2 -> 2) with the op's strides, 1 x
// 1 up into the op's init; spatial: 3 x 1 with the row stride, then 1 x 3
// with the column stride; depthwise: depthwise 3 x 3 with the strides,
// then pointwise. The batch of the intermediate tensors is x's.
// CHECK-TUCKER-LABEL: func.func @nchw
// CHECK-TUCKER: %[[D:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x8x9x9xf32>
// CHECK-TUCKER: %[[T1:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 0, form = tucker2>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x8x9x9xf32>, tensor<2x8x1x1xf32>) outs(%{{.*}} : tensor<?x2x9x9xf32>)
// CHECK-TUCKER: %[[T2:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 1, form = tucker2>, strides = dense<2> : tensor<2xi64>} ins(%[[T1]], %{{.*}} : tensor<?x2x9x9xf32>, tensor<2x2x3x3xf32>) outs(%{{.*}} : tensor<?x2x4x4xf32>)
// CHECK-TUCKER: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 2, form = tucker2>, strides = dense<1> : tensor<2xi64>} ins(%[[T2]], %{{.*}} : tensor<?x2x4x4xf32>, tensor<16x2x1x1xf32>) outs(%[[INIT:.*]] : tensor<?x16x4x4xf32>)
// CHECK-TUCKER-NOT: tensor<16x8x3x3xf32>
// CHECK-TUCKER: return %[[Y]]
// CHECK-SPATIAL-LABEL: func.func @nchw
// CHECK-SPATIAL: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 0, form = spatial>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x8x9x9xf32>, tensor<2x8x3x1xf32>) outs(%{{.*}} : tensor<?x2x4x9xf32>)
// CHECK-SPATIAL: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 1, form = spatial>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x2x4x9xf32>, tensor<16x2x1x3xf32>) outs(%{{.*}} : tensor<?x16x4x4xf32>)
// CHECK-DEPTHWISE-LABEL: func.func @nchw
// CHECK-DEPTHWISE: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 8, factor = 0, form = depthwise>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x8x9x9xf32>, tensor<8x3x3xf32>) outs(%{{.*}} : tensor<?x8x4x4xf32>)
// CHECK-DEPTHWISE: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 8, factor = 1, form = depthwise>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x8x4x4xf32>, tensor<16x8x1x1xf32>) outs(%{{.*}} : tensor<?x16x4x4xf32>)
// CHECK-NONE-LABEL: func.func @nchw
// CHECK-NONE-NOT: slim.low_rank
// A splat filter has rank 1 in every mode: energy=0.9 keeps rank 1.
// CHECK-ENERGY-LABEL: func.func @nchw
// CHECK-ENERGY-COUNT-3: #slim.low_rank<svd, rank = 1
func.func @nchw(%x: tensor<?x8x9x9xf32>) -> tensor<?x16x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %z = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x9x9xf32>
  %e = tensor.empty(%n) : tensor<?x16x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x16x4x4xf32>) -> tensor<?x16x4x4xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<?x8x9x9xf32>, tensor<16x8x3x3xf32>) outs(%f : tensor<?x16x4x4xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

// NHWC: the filters in HWCF, the intermediate tensors channels-last.
// CHECK-TUCKER-LABEL: func.func @nhwc
// CHECK-TUCKER: linalg.conv_2d_nhwc_hwcf {{.*}}form = tucker2>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x8xf32>, tensor<1x1x8x2xf32>) outs(%{{.*}} : tensor<1x6x6x2xf32>)
// CHECK-TUCKER: linalg.conv_2d_nhwc_hwcf {{.*}}form = tucker2>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x2xf32>, tensor<3x3x2x2xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>)
// CHECK-TUCKER: linalg.conv_2d_nhwc_hwcf {{.*}}form = tucker2>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x2xf32>, tensor<1x1x2x16xf32>) outs(%{{.*}} : tensor<1x4x4x16xf32>)
// CHECK-SPATIAL-LABEL: func.func @nhwc
// CHECK-SPATIAL: ins(%{{.*}}, %{{.*}} : tensor<1x6x6x8xf32>, tensor<3x1x8x2xf32>) outs(%{{.*}} : tensor<1x4x6x2xf32>)
// CHECK-SPATIAL: ins(%{{.*}}, %{{.*}} : tensor<1x4x6x2xf32>, tensor<1x3x2x16xf32>) outs(%{{.*}} : tensor<1x4x4x16xf32>)
// CHECK-DEPTHWISE-LABEL: func.func @nhwc
// CHECK-DEPTHWISE: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x8xf32>, tensor<3x3x8xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK-DEPTHWISE: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x8xf32>, tensor<1x1x8x16xf32>) outs(%{{.*}} : tensor<1x4x4x16xf32>)
func.func @nhwc(%x: tensor<1x6x6x8xf32>) -> tensor<1x4x4x16xf32> {
  %w = arith.constant dense<0.25> : tensor<3x3x8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x8xf32>, tensor<3x3x8x16xf32>) outs(%f : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// The report holds the last split's layer (@defaults: 7 x 7 outputs).
// CHECK-REPORT: "filter": [
// CHECK-REPORT-NEXT: 16,
// CHECK-REPORT-NEXT: 8,
// CHECK-REPORT-NEXT: 3,
// CHECK-REPORT-NEXT: 3
// CHECK-REPORT: "form": "spatial"
// CHECK-REPORT: "macs_per_image_after": {{[0-9.e+]+}},
// CHECK-REPORT-NEXT: "macs_per_image_before": 56448,
// CHECK-REPORT: "params_after": 144,
// CHECK-REPORT-NEXT: "params_before": 1152,
// CHECK-REPORT-NEXT: "rank": 2,
// CHECK-REPORT-NEXT: "ranks": [

// -----

// A convolution written without strides or dilations has the defaults (1,
// 1), and so have its factors.
// CHECK-TUCKER-LABEL: func.func @defaults
// CHECK-TUCKER: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 1, form = tucker2>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x2x9x9xf32>, tensor<2x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x7x7xf32>)
func.func @defaults(%x: tensor<1x8x9x9xf32>) -> tensor<1x16x7x7xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) outs(%f : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}
