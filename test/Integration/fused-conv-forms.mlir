// slim-fuse-quantized on the other three forms of slim.qconv2d, written as
// importers write them (tensor.pad with 0.0 of the dequantized input, the
// bias broadcast into the init, per-channel int8 filters): NHWC dense
// (stride 2, ReLU, the input's zero point 0 at the end of u8's range),
// depthwise NCHW (ReLU6 as max/min, odd channel count 5) and depthwise NHWC
// (stride 2, asymmetric padding, ONNX Clip(0, 6) with 0-d bounds, the input's
// zero point 255 at the other end); and NHWC dense and depthwise NCHW with
// different strides, dilations and paddings along H and W (2 and 1, 1 and 2,
// [1, 0, 2, 1]), which a swap of H and W would break. Compiled and run: bit-exact against the
// integer layers recomputed by test/Integration/ref.py, and within one
// output step of the float layers.
//
// RUN: slim-opt %s --slim-fuse-quantized --canonicalize -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @nhwc
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] dilations [1, 1] padding [1, 1, 1, 1] nhwc
// CHECK-IR: slim.requantize
// CHECK-IR-LABEL: func.func @depthwise_nchw
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [1, 1] dilations [1, 1] padding [1, 1, 1, 1] depthwise
// CHECK-IR: slim.requantize
// CHECK-IR-LABEL: func.func @depthwise_nhwc
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] dilations [1, 1] padding [0, 0, 1, 1] nhwc depthwise
// CHECK-IR: slim.requantize
// CHECK-IR-LABEL: func.func @nhwc_asym
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 1] dilations [1, 2] padding [1, 0, 2, 1] nhwc
// CHECK-IR: slim.requantize
// CHECK-IR-LABEL: func.func @depthwise_nchw_asym
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 1] dilations [1, 2] padding [1, 0, 2, 1] depthwise
// CHECK-IR: slim.requantize
//
// RUN: %ref gen %t.x0.npy --shape 1,5,6,3 --random 90 --range=-0.5,4 --seed 40
// RUN: %ref gen %t.w0.npy --dtype int8 --shape 3,3,3,4 --values=-97,-46,1,116,4,38,93,116,-101,99,-70,102,26,32,15,-20,73,19,13,88,60,71,69,-2,65,70,23,-15,-66,-127,30,-107,-99,-54,82,-102,-12,-125,81,101,48,-2,46,-47,-74,-26,-63,-38,123,110,-36,79,-31,63,4,36,-108,58,-40,-105,15,10,-53,-54,-10,-91,97,38,53,56,20,-48,-121,90,54,-33,-34,-9,-19,-104,-25,101,22,14,0,95,-98,-19,2,78,65,94,26,97,-2,-26,107,7,-61,89,-20,17,110,124,-5,4,5,79
// RUN: %ref gen %t.b0.npy --shape 4 --values=0.25,-0.5,0.1,0.0
// RUN: slim-run %t.fused.mlir -e nhwc --input %t.x0.npy --output %t.fused0.npy
// RUN: %ref fused-conv --x %t.x0.npy --w %t.w0.npy --w-scales 0.01,0.02,0.015,0.005 --bias %t.b0.npy --sx 0.02 --zx 0 --sy 0.05 --zy 3 --relu --strides 2,2 --padding 1,1,1,1 --nhwc --output %t.fused0.npy --label nhwc | FileCheck %s --check-prefix=CHECK-0
// CHECK-0: nhwc: 36 values, 0 mismatches
// RUN: slim-run %s -e nhwc --input %t.x0.npy --output %t.float0.npy
// RUN: %ref close %t.fused0.npy %t.float0.npy --atol 0.050100000000000006 --label nhwc-float | FileCheck %s --check-prefix=CHECK-CLOSE-0
// CHECK-CLOSE-0: nhwc-float: 36 values, 0 mismatches
// RUN: %ref gen %t.x1.npy --shape 1,5,6,7 --random 210 --range=-3,4 --seed 41
// RUN: %ref gen %t.w1.npy --dtype int8 --shape 5,3,3 --values=-121,20,-70,69,-94,82,-115,119,53,6,100,44,-101,56,32,-18,-7,-91,-4,99,-69,90,99,-96,33,52,-11,45,-7,55,110,118,125,123,12,-63,16,-25,44,-49,13,77,38,1,51
// RUN: %ref gen %t.b1.npy --shape 5 --values=0.1,-0.2,0.3,0.0,-0.05
// RUN: slim-run %t.fused.mlir -e depthwise_nchw --input %t.x1.npy --output %t.fused1.npy
// RUN: %ref fused-conv --x %t.x1.npy --w %t.w1.npy --w-scales 0.01,0.02,0.015,0.03,0.005 --bias %t.b1.npy --sx 0.03 --zx 128 --sy 0.03 --zy 0 --relu --hi 6 --strides 1,1 --padding 1,1,1,1 --depthwise --output %t.fused1.npy --label depthwise_nchw | FileCheck %s --check-prefix=CHECK-1
// CHECK-1: depthwise_nchw: 210 values, 0 mismatches
// RUN: slim-run %s -e depthwise_nchw --input %t.x1.npy --output %t.float1.npy
// RUN: %ref close %t.fused1.npy %t.float1.npy --atol 0.0301 --label depthwise_nchw-float | FileCheck %s --check-prefix=CHECK-CLOSE-1
// CHECK-CLOSE-1: depthwise_nchw-float: 210 values, 0 mismatches
// RUN: %ref gen %t.x2.npy --shape 1,7,6,5 --random 210 --range=-5,0 --seed 42
// RUN: %ref gen %t.w2.npy --dtype int8 --shape 3,3,5 --values=-5,79,99,-25,-17,-76,-52,85,-59,-125,-119,-89,40,98,25,118,-10,78,6,110,-2,-35,108,-76,-61,50,-3,-8,3,69,84,0,79,-16,15,42,105,-119,85,-53,-46,-10,107,80,-102
// RUN: %ref gen %t.b2.npy --shape 5 --values=0.2,0.0,-0.1,0.4,-0.3
// RUN: slim-run %t.fused.mlir -e depthwise_nhwc --input %t.x2.npy --output %t.fused2.npy
// RUN: %ref fused-conv --x %t.x2.npy --w %t.w2.npy --w-scales 0.02,0.01,0.03,0.015,0.025 --bias %t.b2.npy --sx 0.02 --zx 255 --sy 0.03 --zy 0 --relu --hi 6 --strides 2,2 --padding 0,0,1,1 --nhwc --depthwise --output %t.fused2.npy --label depthwise_nhwc | FileCheck %s --check-prefix=CHECK-2
// CHECK-2: depthwise_nhwc: 45 values, 0 mismatches
// RUN: slim-run %s -e depthwise_nhwc --input %t.x2.npy --output %t.float2.npy
// RUN: %ref close %t.fused2.npy %t.float2.npy --atol 0.0301 --label depthwise_nhwc-float | FileCheck %s --check-prefix=CHECK-CLOSE-2
// CHECK-CLOSE-2: depthwise_nhwc-float: 45 values, 0 mismatches
// RUN: %ref gen %t.x3.npy --shape 1,6,7,3 --random 126 --range=-1,4 --seed 53
// RUN: %ref gen %t.w3.npy --dtype int8 --shape 3,3,3,4 --values=77,-63,-44,-77,-66,-78,83,113,-98,-53,-6,116,15,29,-67,-90,15,34,42,1,-127,90,-56,-120,86,118,0,-83,75,81,-79,2,86,-28,-81,-43,-45,-97,-105,14,72,-61,9,-7,-75,-70,-78,-109,-107,89,-76,51,16,103,-15,25,53,10,-108,-102,87,78,124,54,62,-73,63,-43,90,-105,-103,20,-9,84,-107,107,73,73,10,122,-100,-58,-14,33,71,108,14,122,-96,-38,112,8,-113,85,88,70,122,-24,65,22,115,28,8,-64,-71,19,-7,-24
// RUN: %ref gen %t.b3.npy --shape 4 --values=0.25,-0.5,0.1,0.0
// RUN: slim-run %t.fused.mlir -e nhwc_asym --input %t.x3.npy --output %t.fused3.npy
// RUN: %ref fused-conv --x %t.x3.npy --w %t.w3.npy --w-scales 0.01,0.02,0.015,0.005 --bias %t.b3.npy --sx 0.02 --zx 60 --sy 0.05 --zy 3 --relu --strides 2,1 --dilations 1,2 --padding 1,0,2,1 --nhwc --output %t.fused3.npy --label nhwc_asym | FileCheck %s --check-prefix=CHECK-3
// CHECK-3: nhwc_asym: 64 values, 0 mismatches
// RUN: slim-run %s -e nhwc_asym --input %t.x3.npy --output %t.float3.npy
// RUN: %ref close %t.fused3.npy %t.float3.npy --atol 0.050100000000000006 --label nhwc_asym-float | FileCheck %s --check-prefix=CHECK-CLOSE-3
// CHECK-CLOSE-3: nhwc_asym-float: 64 values, 0 mismatches
// RUN: %ref gen %t.x4.npy --shape 1,5,6,7 --random 210 --range=-3,4 --seed 54
// RUN: %ref gen %t.w4.npy --dtype int8 --shape 5,3,3 --values=61,-92,69,78,-29,-124,115,125,-119,-114,-1,34,-117,63,-36,67,126,-17,-97,-62,125,2,104,17,49,-2,-113,39,-7,83,50,40,-103,-90,-51,8,-104,-123,88,-3,107,-37,109,81,65
// RUN: %ref gen %t.b4.npy --shape 5 --values=0.1,-0.2,0.3,0.0,-0.05
// RUN: slim-run %t.fused.mlir -e depthwise_nchw_asym --input %t.x4.npy --output %t.fused4.npy
// RUN: %ref fused-conv --x %t.x4.npy --w %t.w4.npy --w-scales 0.01,0.02,0.015,0.03,0.005 --bias %t.b4.npy --sx 0.03 --zx 128 --sy 0.03 --zy 0 --relu --strides 2,1 --dilations 1,2 --padding 1,0,2,1 --depthwise --output %t.fused4.npy --label depthwise_nchw_asym | FileCheck %s --check-prefix=CHECK-4
// CHECK-4: depthwise_nchw_asym: 80 values, 0 mismatches
// RUN: slim-run %s -e depthwise_nchw_asym --input %t.x4.npy --output %t.float4.npy
// RUN: %ref close %t.fused4.npy %t.float4.npy --atol 0.0301 --label depthwise_nchw_asym-float | FileCheck %s --check-prefix=CHECK-CLOSE-4
// CHECK-CLOSE-4: depthwise_nchw_asym-float: 80 values, 0 mismatches

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar = affine_map<(d0, d1, d2, d3) -> ()>

func.func @nhwc(%x: tensor<1x5x6x3xf32>) -> tensor<1x3x3x4xf32> {
  %xq = slim.quantize %x : tensor<1x5x6x3xf32> to tensor<1x5x6x3x!quant.uniform<u8:f32, 0.02:0>>
  %xd = slim.dequantize %xq : tensor<1x5x6x3x!quant.uniform<u8:f32, 0.02:0>> to tensor<1x5x6x3xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x5x6x3xf32> to tensor<1x7x8x3xf32>
  %w = arith.constant dense<[[[[-97, -46, 1, 116], [4, 38, 93, 116], [-101, 99, -70, 102]], [[26, 32, 15, -20], [73, 19, 13, 88], [60, 71, 69, -2]], [[65, 70, 23, -15], [-66, -127, 30, -107], [-99, -54, 82, -102]]], [[[-12, -125, 81, 101], [48, -2, 46, -47], [-74, -26, -63, -38]], [[123, 110, -36, 79], [-31, 63, 4, 36], [-108, 58, -40, -105]], [[15, 10, -53, -54], [-10, -91, 97, 38], [53, 56, 20, -48]]], [[[-121, 90, 54, -33], [-34, -9, -19, -104], [-25, 101, 22, 14]], [[0, 95, -98, -19], [2, 78, 65, 94], [26, 97, -2, -26]], [[107, 7, -61, 89], [-20, 17, 110, 124], [-5, 4, 5, 79]]]]> : tensor<3x3x3x4xi8>
  %wq = quant.scast %w : tensor<3x3x3x4xi8> to tensor<3x3x3x4x!quant.uniform<i8<-127:127>:f32:3, {0.01, 0.02, 0.015, 0.005}>>
  %wd = slim.dequantize %wq : tensor<3x3x3x4x!quant.uniform<i8<-127:127>:f32:3, {0.01, 0.02, 0.015, 0.005}>> to tensor<3x3x3x4xf32>
  %b = arith.constant dense<[0.25, -0.5, 0.1, 0.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<1x3x3x4xf32>
  %init = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x3x3x4xf32>) dimensions = [0, 1, 2]
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x7x8x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x3x3x4xf32>) outs(%e : tensor<1x3x3x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ugt, %v, %zero : f32
    %r = arith.select %p, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x3x3x4xf32>
  %yq = slim.quantize %h : tensor<1x3x3x4xf32> to tensor<1x3x3x4x!quant.uniform<u8:f32, 0.05:3>>
  %yd = slim.dequantize %yq : tensor<1x3x3x4x!quant.uniform<u8:f32, 0.05:3>> to tensor<1x3x3x4xf32>
  return %yd : tensor<1x3x3x4xf32>
}

func.func @depthwise_nchw(%x: tensor<1x5x6x7xf32>) -> tensor<1x5x6x7xf32> {
  %xq = slim.quantize %x : tensor<1x5x6x7xf32> to tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:128>>
  %xd = slim.dequantize %xq : tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:128>> to tensor<1x5x6x7xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x5x6x7xf32> to tensor<1x5x8x9xf32>
  %w = arith.constant dense<[[[-121, 20, -70], [69, -94, 82], [-115, 119, 53]], [[6, 100, 44], [-101, 56, 32], [-18, -7, -91]], [[-4, 99, -69], [90, 99, -96], [33, 52, -11]], [[45, -7, 55], [110, 118, 125], [123, 12, -63]], [[16, -25, 44], [-49, 13, 77], [38, 1, 51]]]> : tensor<5x3x3xi8>
  %wq = quant.scast %w : tensor<5x3x3xi8> to tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>>
  %wd = slim.dequantize %wq : tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>> to tensor<5x3x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0, -0.05]> : tensor<5xf32>
  %e = tensor.empty() : tensor<1x5x6x7xf32>
  %init = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<1x5x6x7xf32>) dimensions = [0, 2, 3]
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x5x8x9xf32>, tensor<5x3x3xf32>) outs(%init : tensor<1x5x6x7xf32>) -> tensor<1x5x6x7xf32>
  %six = arith.constant 6.0 : f32
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x5x6x7xf32>) outs(%e : tensor<1x5x6x7xf32>) {
  ^bb0(%v: f32, %o: f32):
    %a = arith.maximumf %v, %zero : f32
    %r = arith.minimumf %a, %six : f32
    linalg.yield %r : f32
  } -> tensor<1x5x6x7xf32>
  %yq = slim.quantize %h : tensor<1x5x6x7xf32> to tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:0>>
  %yd = slim.dequantize %yq : tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:0>> to tensor<1x5x6x7xf32>
  return %yd : tensor<1x5x6x7xf32>
}

func.func @depthwise_nhwc(%x: tensor<1x7x6x5xf32>) -> tensor<1x3x3x5xf32> {
  %xq = slim.quantize %x : tensor<1x7x6x5xf32> to tensor<1x7x6x5x!quant.uniform<u8:f32, 0.02:255>>
  %xd = slim.dequantize %xq : tensor<1x7x6x5x!quant.uniform<u8:f32, 0.02:255>> to tensor<1x7x6x5xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x7x6x5xf32> to tensor<1x8x7x5xf32>
  %w = arith.constant dense<[[[-5, 79, 99, -25, -17], [-76, -52, 85, -59, -125], [-119, -89, 40, 98, 25]], [[118, -10, 78, 6, 110], [-2, -35, 108, -76, -61], [50, -3, -8, 3, 69]], [[84, 0, 79, -16, 15], [42, 105, -119, 85, -53], [-46, -10, 107, 80, -102]]]> : tensor<3x3x5xi8>
  %wq = quant.scast %w : tensor<3x3x5xi8> to tensor<3x3x5x!quant.uniform<i8<-127:127>:f32:2, {0.02, 0.01, 0.03, 0.015, 0.025}>>
  %wd = slim.dequantize %wq : tensor<3x3x5x!quant.uniform<i8<-127:127>:f32:2, {0.02, 0.01, 0.03, 0.015, 0.025}>> to tensor<3x3x5xf32>
  %b = arith.constant dense<[0.2, 0.0, -0.1, 0.4, -0.3]> : tensor<5xf32>
  %e = tensor.empty() : tensor<1x3x3x5xf32>
  %init = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<1x3x3x5xf32>) dimensions = [0, 1, 2]
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x8x7x5xf32>, tensor<3x3x5xf32>) outs(%init : tensor<1x3x3x5xf32>) -> tensor<1x3x3x5xf32>
  %lo = arith.constant dense<0.0> : tensor<f32>
  %hi = arith.constant dense<6.0> : tensor<f32>
  %h = linalg.generic {indexing_maps = [#id, #scalar, #scalar, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %lo, %hi : tensor<1x3x3x5xf32>, tensor<f32>, tensor<f32>) outs(%e : tensor<1x3x3x5xf32>) {
  ^bb0(%v: f32, %l: f32, %u: f32, %o: f32):
    %p = arith.cmpf ult, %v, %l : f32
    %a = arith.select %p, %l, %v : f32
    %q = arith.cmpf ugt, %a, %u : f32
    %r = arith.select %q, %u, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x3x3x5xf32>
  %yq = slim.quantize %h : tensor<1x3x3x5xf32> to tensor<1x3x3x5x!quant.uniform<u8:f32, 0.03:0>>
  %yd = slim.dequantize %yq : tensor<1x3x3x5x!quant.uniform<u8:f32, 0.03:0>> to tensor<1x3x3x5xf32>
  return %yd : tensor<1x3x3x5xf32>
}

func.func @nhwc_asym(%x: tensor<1x6x7x3xf32>) -> tensor<1x4x4x4xf32> {
  %xq = slim.quantize %x : tensor<1x6x7x3xf32> to tensor<1x6x7x3x!quant.uniform<u8:f32, 0.02:60>>
  %xd = slim.dequantize %xq : tensor<1x6x7x3x!quant.uniform<u8:f32, 0.02:60>> to tensor<1x6x7x3xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 1, 0, 0] high[0, 2, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x6x7x3xf32> to tensor<1x9x8x3xf32>
  %w = arith.constant dense<[[[[77, -63, -44, -77], [-66, -78, 83, 113], [-98, -53, -6, 116]], [[15, 29, -67, -90], [15, 34, 42, 1], [-127, 90, -56, -120]], [[86, 118, 0, -83], [75, 81, -79, 2], [86, -28, -81, -43]]], [[[-45, -97, -105, 14], [72, -61, 9, -7], [-75, -70, -78, -109]], [[-107, 89, -76, 51], [16, 103, -15, 25], [53, 10, -108, -102]], [[87, 78, 124, 54], [62, -73, 63, -43], [90, -105, -103, 20]]], [[[-9, 84, -107, 107], [73, 73, 10, 122], [-100, -58, -14, 33]], [[71, 108, 14, 122], [-96, -38, 112, 8], [-113, 85, 88, 70]], [[122, -24, 65, 22], [115, 28, 8, -64], [-71, 19, -7, -24]]]]> : tensor<3x3x3x4xi8>
  %wq = quant.scast %w : tensor<3x3x3x4xi8> to tensor<3x3x3x4x!quant.uniform<i8<-127:127>:f32:3, {0.01, 0.02, 0.015, 0.005}>>
  %wd = slim.dequantize %wq : tensor<3x3x3x4x!quant.uniform<i8<-127:127>:f32:3, {0.01, 0.02, 0.015, 0.005}>> to tensor<3x3x3x4xf32>
  %b = arith.constant dense<[0.25, -0.5, 0.1, 0.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x4x4xf32>) dimensions = [0, 1, 2]
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x9x8x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %zt = arith.constant dense<0.0> : tensor<1x4x4x4xf32>
  %h = arith.maximumf %c, %zt : tensor<1x4x4x4xf32>
  %yq = slim.quantize %h : tensor<1x4x4x4xf32> to tensor<1x4x4x4x!quant.uniform<u8:f32, 0.05:3>>
  %yd = slim.dequantize %yq : tensor<1x4x4x4x!quant.uniform<u8:f32, 0.05:3>> to tensor<1x4x4x4xf32>
  return %yd : tensor<1x4x4x4xf32>
}

func.func @depthwise_nchw_asym(%x: tensor<1x5x6x7xf32>) -> tensor<1x5x4x4xf32> {
  %xq = slim.quantize %x : tensor<1x5x6x7xf32> to tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:128>>
  %xd = slim.dequantize %xq : tensor<1x5x6x7x!quant.uniform<u8:f32, 0.03:128>> to tensor<1x5x6x7xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 0] high[0, 0, 2, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x5x6x7xf32> to tensor<1x5x9x8xf32>
  %w = arith.constant dense<[[[61, -92, 69], [78, -29, -124], [115, 125, -119]], [[-114, -1, 34], [-117, 63, -36], [67, 126, -17]], [[-97, -62, 125], [2, 104, 17], [49, -2, -113]], [[39, -7, 83], [50, 40, -103], [-90, -51, 8]], [[-104, -123, 88], [-3, 107, -37], [109, 81, 65]]]> : tensor<5x3x3xi8>
  %wq = quant.scast %w : tensor<5x3x3xi8> to tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>>
  %wd = slim.dequantize %wq : tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>> to tensor<5x3x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0, -0.05]> : tensor<5xf32>
  %e = tensor.empty() : tensor<1x5x4x4xf32>
  %init = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<1x5x4x4xf32>) dimensions = [0, 2, 3]
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x5x9x8xf32>, tensor<5x3x3xf32>) outs(%init : tensor<1x5x4x4xf32>) -> tensor<1x5x4x4xf32>
  %zt = arith.constant dense<0.0> : tensor<1x5x4x4xf32>
  %h = arith.maximumf %c, %zt : tensor<1x5x4x4xf32>
  %yq = slim.quantize %h : tensor<1x5x4x4xf32> to tensor<1x5x4x4x!quant.uniform<u8:f32, 0.03:0>>
  %yd = slim.dequantize %yq : tensor<1x5x4x4x!quant.uniform<u8:f32, 0.03:0>> to tensor<1x5x4x4xf32>
  return %yd : tensor<1x5x4x4xf32>
}
