// RUN: slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json report=%t.report.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.report.json

// An observer of a zero padding of an observed activation (a convolution's
// padded input) quantizes like what it pads: "c" alone would get [-1, 2]
// (scale 3/255), it takes "a"'s [-1, 3] (scale 4/255, zero point 64), so
// that slim-fuse-quantized can pad the stored integers.
// CHECK-LABEL: func @tied
// CHECK: %[[A:.*]] = slim.quantize %arg0 : tensor<1x2x3x3xf32> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK: tensor.pad
// CHECK: slim.quantize %{{.*}} : tensor<1x2x5x5xf32> to tensor<1x2x5x5x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK-REPORT: "id": "c",
// CHECK-REPORT: "range": [
// CHECK-REPORT-NEXT: -1,
// CHECK-REPORT-NEXT: 3
// CHECK-REPORT: "tied_to": "a",
// CHECK-REPORT-NEXT: "zero_point": 64
// (the second function's "c", padded with 1, is not tied)
func.func @tied(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %a = slim.observe %x id "a" : tensor<1x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %a low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x3x3xf32> to tensor<1x2x5x5xf32>
  %c = slim.observe %p id "c" : tensor<1x2x5x5xf32>
  return %c : tensor<1x2x5x5xf32>
}


// A padding with another value than 0 keeps its own range.
// CHECK-LABEL: func @not_zero
// CHECK: slim.quantize %arg0 : tensor<1x2x3x3xf32> to tensor<1x2x3x3x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// CHECK: slim.quantize %{{.*}} : tensor<1x2x5x5xf32> to tensor<1x2x5x5x!quant.uniform<u8:f32, 0.011764706112444401:85>>
func.func @not_zero(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %a = slim.observe %x id "a" : tensor<1x2x3x3xf32>
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %a low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %one : f32
  } : tensor<1x2x3x3xf32> to tensor<1x2x5x5xf32>
  %c = slim.observe %p id "c" : tensor<1x2x5x5xf32>
  return %c : tensor<1x2x5x5xf32>
}
// CHECK-REPORT-NOT: "tied_to"
