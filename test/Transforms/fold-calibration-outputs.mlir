// RUN: slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json outputs=float" | FileCheck %s
// RUN: slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json" | FileCheck %s --check-prefix=CHECK-ALL
// RUN: not slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json outputs=int4" 2>&1 | FileCheck %s --check-prefix=CHECK-BAD
// CHECK-BAD: error: slim-fold-calibration: unknown outputs 'int4' (expected quantize or float)

// outputs=float: the matmul's input ("a") becomes a quantize/dequantize
// pair; its output ("c") feeds no matmul or convolution, so its observer
// goes away and the value stays float. The default quantizes both.
// CHECK-LABEL: func.func @linear
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2xf32>)
// CHECK:         %[[Q:.*]] = slim.quantize %[[X]]
// CHECK:         %[[D:.*]] = slim.dequantize %[[Q]]
// CHECK:         %[[Y:.*]] = linalg.matmul ins(%[[D]], %{{.*}} : tensor<2x2xf32>, tensor<2x2xf32>)
// CHECK-NOT:     slim.quantize
// CHECK-NOT:     slim.observe
// CHECK:         return %[[Y]]
// CHECK-ALL-LABEL: func.func @linear
// CHECK-ALL-COUNT-2: slim.quantize
func.func @linear(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %a = slim.observe %x id "a" : tensor<2x2xf32>
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%a, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = slim.observe %y id "c" : tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}

// outputs=float with two grouped convolutions reading one expand_shape of
// the observed activation (as CSE leaves them): the activation feeds both
// layers through it, so its observer becomes a quantize/dequantize pair.
// CHECK-LABEL: func.func @shared_grouped_input
// CHECK:         %[[Q:.*]] = slim.quantize %{{.*}} : tensor<1x2x2x2xf32>
// CHECK:         %[[D:.*]] = slim.dequantize %[[Q]]
// CHECK:         tensor.expand_shape %[[D]]
// CHECK-COUNT-2: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT:     slim.observe
func.func @shared_grouped_input(%x: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %a = slim.observe %x id "a" : tensor<1x2x2x2xf32>
  %xg = tensor.expand_shape %a [[0], [1, 2], [3], [4]] output_shape [1, 2, 1, 2, 2] : tensor<1x2x2x2xf32> into tensor<1x2x1x2x2xf32>
  %w = arith.constant dense<0.5> : tensor<2x1x1x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x1x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x1x2x2xf32>) -> tensor<1x2x1x2x2xf32>
  %c0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x1x2x2xf32>, tensor<2x1x1x1x1xf32>) outs(%f : tensor<1x2x1x2x2xf32>) -> tensor<1x2x1x2x2xf32>
  %y0 = tensor.collapse_shape %c0 [[0], [1, 2], [3], [4]] : tensor<1x2x1x2x2xf32> into tensor<1x2x2x2xf32>
  %c1 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xg, %w : tensor<1x2x1x2x2xf32>, tensor<2x1x1x1x1xf32>) outs(%f : tensor<1x2x1x2x2xf32>) -> tensor<1x2x1x2x2xf32>
  %y1 = tensor.collapse_shape %c1 [[0], [1, 2], [3], [4]] : tensor<1x2x1x2x2xf32> into tensor<1x2x2x2xf32>
  return %y0, %y1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
