// slim-fuse-quantized on grouped convolutions as torch-mlir imports them
// (aten.convolution with 1 < groups < C): linalg.conv_2d_ngchw_gfchw between
// a tensor.expand_shape of the padded input (N x C x H x W into
// N x G x C/G x H x W) and a tensor.collapse_shape of its result, the filter
// an expand_shape of the per-channel int8 F x C/G x KH x KW filter that
// slim-quantize-weights writes. @grouped: 3 groups of 2 channels and 3
// filters, stride 2, the bias broadcast into the init through an
// expand_shape, ReLU6 as ONNX Clip with 0-d bounds after the collapse.
// @grouped_zero_init: 2 groups of 3 channels and 2 filters, a 3 x 2
// filter, dilation 2 along H, stride 2 along W, the padding [1, 0, 2, 1],
// the input's zero point 255 at the end of u8's range, a zero init and the
// bias added after the collapse with ReLU. Compiled and run: bit-exact
// against the integer layers recomputed by test/Integration/ref.py
// (fused-conv --groups), and within one output step of the float layers.
//
// RUN: slim-opt %s --slim-fuse-quantized --canonicalize -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @grouped
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR-NOT: tensor.pad
// CHECK-IR-NOT: tensor.expand_shape
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] dilations [1, 1] padding [1, 1, 1, 1] groups 3 : {{.*}}, tensor<9x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {{.*}}>>, tensor<9x!quant.uniform<i32:f32:0, {{.*}}>> -> tensor<1x9x4x3x!quant.uniform<i32:f32:1,
// CHECK-IR-NOT: tensor.collapse_shape
// CHECK-IR: slim.requantize {{.*}} clamp [0, 240]
// CHECK-IR-LABEL: func.func @grouped_zero_init
// CHECK-IR-NOT: linalg.{{.*}}conv
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [1, 2] dilations [2, 1] padding [1, 0, 2, 1] groups 2 :
// CHECK-IR-NOT: tensor.collapse_shape
// CHECK-IR: slim.requantize
//
// RUN: %ref gen %t.x0.npy --shape 1,6,7,5 --random 210 --range=-3,4 --seed 50
// RUN: %ref gen %t.w0.npy --dtype int8 --shape 9,2,3,3 --values=-45,115,-89,-26,39,-115,-109,83,10,-103,-34,22,-113,105,2,-73,-118,-105,-16,-20,-110,-66,-104,14,-19,-112,84,17,-96,115,-70,34,33,22,115,-112,20,22,-26,-115,122,-71,-116,15,92,-93,-53,-20,-91,11,-97,19,-49,16,81,47,-81,-101,21,19,36,-79,-32,-103,13,55,-111,17,-112,31,-75,0,47,9,-18,71,-47,-8,22,109,-11,-35,-51,-64,76,-81,51,72,-65,-107,20,-51,7,-1,97,-40,59,-13,-54,28,123,-109,-97,4,-20,-85,66,-40,-89,111,-2,-20,-117,119,44,-108,68,15,19,75,97,82,-47,-40,50,-38,25,0,21,77,-11,-110,88,-104,114,-58,-6,51,43,-111,-112,60,52,-48,38,20,127,47,83,-13,-55,56,-29,100,44,-39,-122,113,-9,-37,-84,29
// RUN: %ref gen %t.b0.npy --shape 9 --values=0.1,-0.2,0.3,0.0,-0.05,0.25,-0.3,0.02,0.4
// RUN: slim-run %t.fused.mlir -e grouped --input %t.x0.npy --output %t.fused0.npy
// RUN: %ref fused-conv --x %t.x0.npy --w %t.w0.npy --w-scales 0.01,0.02,0.015,0.03,0.005,0.012,0.02,0.008,0.025 --bias %t.b0.npy --sx 0.03 --zx 128 --sy 0.025 --zy 0 --relu --hi 6 --strides 2,2 --padding 1,1,1,1 --groups 3 --output %t.fused0.npy --label grouped | FileCheck %s --check-prefix=CHECK-0
// CHECK-0: grouped: 108 values, 0 mismatches
// RUN: slim-run %s -e grouped --input %t.x0.npy --output %t.float0.npy
// RUN: %ref close %t.fused0.npy %t.float0.npy --atol 0.0251 --label grouped-float | FileCheck %s --check-prefix=CHECK-CLOSE-0
// CHECK-CLOSE-0: grouped-float: 108 values, 0 mismatches
//
// RUN: %ref gen %t.x1.npy --shape 1,6,8,9 --random 432 --range=-5,0.2 --seed 51
// RUN: %ref gen %t.w1.npy --dtype int8 --shape 4,3,3,2 --values=-98,-1,-112,-72,69,-54,-94,62,-64,-26,-27,107,96,0,-107,-85,-13,-25,13,-56,99,-92,82,-17,94,13,-56,53,-21,125,-36,47,99,-30,118,-68,-89,-106,-82,-89,-68,41,-68,-124,-3,85,23,-81,-60,-55,-126,-90,-20,9,-33,29,17,-46,116,-95,49,92,4,116,31,40,46,62,-114,-11,103,95
// RUN: %ref gen %t.b1.npy --shape 4 --values=0.5,-0.25,0.125,1.0
// RUN: slim-run %t.fused.mlir -e grouped_zero_init --input %t.x1.npy --output %t.fused1.npy
// RUN: %ref fused-conv --x %t.x1.npy --w %t.w1.npy --w-scales 0.02,0.01,0.015,0.025 --bias %t.b1.npy --sx 0.02 --zx 255 --sy 0.05 --zy 0 --relu --strides 1,2 --dilations 2,1 --padding 1,0,2,1 --groups 2 --output %t.fused1.npy --label grouped_zero_init | FileCheck %s --check-prefix=CHECK-1
// CHECK-1: grouped_zero_init: 140 values, 0 mismatches
// RUN: slim-run %s -e grouped_zero_init --input %t.x1.npy --output %t.float1.npy
// RUN: %ref close %t.fused1.npy %t.float1.npy --atol 0.0501 --label grouped_zero_init-float | FileCheck %s --check-prefix=CHECK-CLOSE-1
// CHECK-CLOSE-1: grouped_zero_init-float: 140 values, 0 mismatches

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
#scalar = affine_map<(d0, d1, d2, d3) -> ()>

func.func @grouped(%x: tensor<1x6x7x5xf32>) -> tensor<1x9x4x3xf32> {
  %xq = slim.quantize %x : tensor<1x6x7x5xf32> to tensor<1x6x7x5x!quant.uniform<u8:f32, 0.03:128>>
  %xd = slim.dequantize %xq : tensor<1x6x7x5x!quant.uniform<u8:f32, 0.03:128>> to tensor<1x6x7x5xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x6x7x5xf32> to tensor<1x6x9x7xf32>
  %xg = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 3, 2, 9, 7] : tensor<1x6x9x7xf32> into tensor<1x3x2x9x7xf32>
  %w = arith.constant dense<[[[[-45, 115, -89], [-26, 39, -115], [-109, 83, 10]], [[-103, -34, 22], [-113, 105, 2], [-73, -118, -105]]], [[[-16, -20, -110], [-66, -104, 14], [-19, -112, 84]], [[17, -96, 115], [-70, 34, 33], [22, 115, -112]]], [[[20, 22, -26], [-115, 122, -71], [-116, 15, 92]], [[-93, -53, -20], [-91, 11, -97], [19, -49, 16]]], [[[81, 47, -81], [-101, 21, 19], [36, -79, -32]], [[-103, 13, 55], [-111, 17, -112], [31, -75, 0]]], [[[47, 9, -18], [71, -47, -8], [22, 109, -11]], [[-35, -51, -64], [76, -81, 51], [72, -65, -107]]], [[[20, -51, 7], [-1, 97, -40], [59, -13, -54]], [[28, 123, -109], [-97, 4, -20], [-85, 66, -40]]], [[[-89, 111, -2], [-20, -117, 119], [44, -108, 68]], [[15, 19, 75], [97, 82, -47], [-40, 50, -38]]], [[[25, 0, 21], [77, -11, -110], [88, -104, 114]], [[-58, -6, 51], [43, -111, -112], [60, 52, -48]]], [[[38, 20, 127], [47, 83, -13], [-55, 56, -29]], [[100, 44, -39], [-122, 113, -9], [-37, -84, 29]]]]> : tensor<9x2x3x3xi8>
  %wq = quant.scast %w : tensor<9x2x3x3xi8> to tensor<9x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005, 0.012, 0.02, 0.008, 0.025}>>
  %wd = slim.dequantize %wq : tensor<9x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005, 0.012, 0.02, 0.008, 0.025}>> to tensor<9x2x3x3xf32>
  %wg = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [3, 3, 2, 3, 3] : tensor<9x2x3x3xf32> into tensor<3x3x2x3x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0, -0.05, 0.25, -0.3, 0.02, 0.4]> : tensor<9xf32>
  %e = tensor.empty() : tensor<1x9x4x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<9xf32>) outs(%e : tensor<1x9x4x3xf32>) dimensions = [0, 2, 3]
  %init = tensor.expand_shape %bb [[0], [1, 2], [3], [4]] output_shape [1, 3, 3, 4, 3] : tensor<1x9x4x3xf32> into tensor<1x3x3x4x3xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%xg, %wg : tensor<1x3x2x9x7xf32>, tensor<3x3x2x3x3xf32>) outs(%init : tensor<1x3x3x4x3xf32>) -> tensor<1x3x3x4x3xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x3x3x4x3xf32> into tensor<1x9x4x3xf32>
  %lo = arith.constant dense<0.0> : tensor<f32>
  %hi = arith.constant dense<6.0> : tensor<f32>
  %h = linalg.generic {indexing_maps = [#id, #scalar, #scalar, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y, %lo, %hi : tensor<1x9x4x3xf32>, tensor<f32>, tensor<f32>) outs(%e : tensor<1x9x4x3xf32>) {
  ^bb0(%v: f32, %l: f32, %u: f32, %o: f32):
    %lt = arith.cmpf ult, %v, %l : f32
    %a = arith.select %lt, %l, %v : f32
    %gt = arith.cmpf ugt, %a, %u : f32
    %r = arith.select %gt, %u, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x9x4x3xf32>
  %yq = slim.quantize %h : tensor<1x9x4x3xf32> to tensor<1x9x4x3x!quant.uniform<u8:f32, 0.025:0>>
  %yd = slim.dequantize %yq : tensor<1x9x4x3x!quant.uniform<u8:f32, 0.025:0>> to tensor<1x9x4x3xf32>
  return %yd : tensor<1x9x4x3xf32>
}

func.func @grouped_zero_init(%x: tensor<1x6x8x9xf32>) -> tensor<1x4x7x5xf32> {
  %xq = slim.quantize %x : tensor<1x6x8x9xf32> to tensor<1x6x8x9x!quant.uniform<u8:f32, 0.02:255>>
  %xd = slim.dequantize %xq : tensor<1x6x8x9x!quant.uniform<u8:f32, 0.02:255>> to tensor<1x6x8x9xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 0] high[0, 0, 2, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x6x8x9xf32> to tensor<1x6x11x10xf32>
  %xg = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 11, 10] : tensor<1x6x11x10xf32> into tensor<1x2x3x11x10xf32>
  %w = arith.constant dense<[[[[-98, -1], [-112, -72], [69, -54]], [[-94, 62], [-64, -26], [-27, 107]], [[96, 0], [-107, -85], [-13, -25]]], [[[13, -56], [99, -92], [82, -17]], [[94, 13], [-56, 53], [-21, 125]], [[-36, 47], [99, -30], [118, -68]]], [[[-89, -106], [-82, -89], [-68, 41]], [[-68, -124], [-3, 85], [23, -81]], [[-60, -55], [-126, -90], [-20, 9]]], [[[-33, 29], [17, -46], [116, -95]], [[49, 92], [4, 116], [31, 40]], [[46, 62], [-114, -11], [103, 95]]]]> : tensor<4x3x3x2xi8>
  %wq = quant.scast %w : tensor<4x3x3x2xi8> to tensor<4x3x3x2x!quant.uniform<i8<-127:127>:f32:0, {0.02, 0.01, 0.015, 0.025}>>
  %wd = slim.dequantize %wq : tensor<4x3x3x2x!quant.uniform<i8<-127:127>:f32:0, {0.02, 0.01, 0.015, 0.025}>> to tensor<4x3x3x2xf32>
  %wg = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 2] : tensor<4x3x3x2xf32> into tensor<2x2x3x3x2xf32>
  %e5 = tensor.empty() : tensor<1x2x2x7x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e5 : tensor<1x2x2x7x5xf32>) -> tensor<1x2x2x7x5xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<[2, 1]> : vector<2xi64>, strides = dense<[1, 2]> : vector<2xi64>} ins(%xg, %wg : tensor<1x2x3x11x10xf32>, tensor<2x2x3x3x2xf32>) outs(%init : tensor<1x2x2x7x5xf32>) -> tensor<1x2x2x7x5xf32>
  %y = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x7x5xf32> into tensor<1x4x7x5xf32>
  %b = arith.constant dense<[0.5, -0.25, 0.125, 1.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<1x4x7x5xf32>
  %h = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y, %b : tensor<1x4x7x5xf32>, tensor<4xf32>) outs(%e : tensor<1x4x7x5xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %s = arith.addf %v, %bv : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x7x5xf32>
  %yq = slim.quantize %h : tensor<1x4x7x5xf32> to tensor<1x4x7x5x!quant.uniform<u8:f32, 0.05:0>>
  %yd = slim.dequantize %yq : tensor<1x4x7x5x!quant.uniform<u8:f32, 0.05:0>> to tensor<1x4x7x5xf32>
  return %yd : tensor<1x4x7x5xf32>
}
