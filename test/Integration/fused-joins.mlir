// slim-fuse-quantized on what an inverted-residual network needs besides
// convolutions, written as torch-mlir writes it: a depthwise convolution
// followed by hard-sigmoid (a clamp of an affine function: x / 6 + 1/2 as
// a multiplication by the f32 constant 0.166666672 and an addition, then
// min(1, .) and max(0, .) with 0-d bounds, each its own generic), a
// residual add of two quantized activations followed by ReLU, and a
// concatenation of three quantized tensors with different parameters.
// Compiled and run: bit-exact against test/Integration/ref.py, and close to
// the float functions.
//
// RUN: slim-opt %s --slim-fuse-quantized="strict=true" --canonicalize -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @dw_hardsigmoid
// CHECK-IR-NOT: linalg.
// CHECK-IR: %[[ACC:.*]] = slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 1] dilations [1, 1] padding [1, 1, 1, 1] depthwise
// CHECK-IR: %[[RAW:.*]] = quant.scast %[[ACC]] : tensor<1x5x4x6x!quant.uniform<i32:f32:1, {{.*}}>> to tensor<1x5x4x6xi32>
// CHECK-IR: %[[SCALED:.*]] = quant.scast %[[RAW]] : tensor<1x5x4x6xi32> to tensor<1x5x4x6x!quant.uniform<i32:f32:1, {{.*}}>>
// CHECK-IR: slim.requantize %[[SCALED]] clamp [0, 200]
// CHECK-IR-NOT: linalg.
// CHECK-IR-LABEL: func.func @residual_relu
// CHECK-IR-NOT: linalg.
// CHECK-IR: slim.qadd %{{.*}}, %{{.*}} clamp [-5, 127] : tensor<1x5x4x3x!quant.uniform<u8:f32, 4.700000e-02:128>>, tensor<1x5x4x3x!quant.uniform<i8:f32, 2.110000e-02:-3>> -> tensor<1x5x4x3x!quant.uniform<i8:f32, 6.180000e-02:-5>>
// CHECK-IR-NOT: linalg.
// CHECK-IR-LABEL: func.func @concat
// CHECK-IR-DAG: %[[A:.*]] = slim.requantize %arg0 : tensor<1x3x2x5x!quant.uniform<u8:f32, 3.000000e-02:100>> to tensor<1x3x2x5x!quant.uniform<u8:f32, 5.000000e-02:120>>
// CHECK-IR-DAG: %[[B:.*]] = slim.requantize %arg1 : tensor<1x1x2x5x!quant.uniform<i8:f32, {{.*}}:-7>> to tensor<1x1x2x5x!quant.uniform<u8:f32, 5.000000e-02:120>>
// CHECK-IR: tensor.concat dim(1) %[[A]], %[[B]], %arg2 : {{.*}} -> tensor<1x6x2x5x!quant.uniform<u8:f32, 5.000000e-02:120>>
// CHECK-IR-NOT: slim.dequantize
//
// Depthwise 5 channels, stride (2, 1), hard-sigmoid into u8 with zero point
// 0 and scale 0.005 (1.0 is step 200).
// RUN: %ref gen %t.x0.npy --shape 1,5,7,6 --random 210 --range=-4,4 --seed 60
// RUN: %ref gen %t.w0.npy --dtype int8 --shape 5,3,3 --values=-121,20,-70,69,-94,82,-115,119,53,6,100,44,-101,56,32,-18,-7,-91,-4,99,-69,90,99,-96,33,52,-11,45,-7,55,110,118,125,123,12,-63,16,-25,44,-49,13,77,38,1,51
// RUN: %ref gen %t.b0.npy --shape 5 --values=0.1,-0.2,0.3,0.0,-0.05
// RUN: slim-run %t.fused.mlir -e dw_hardsigmoid --input %t.x0.npy --output %t.fused0.npy
// RUN: %ref fused-conv --x %t.x0.npy --w %t.w0.npy --w-scales 0.01,0.02,0.015,0.03,0.005 --bias %t.b0.npy --sx 0.03 --zx 128 --sy 0.005 --zy 0 --relu --hi 1 --affine 0.166666672,0.5 --strides 2,1 --padding 1,1,1,1 --depthwise --output %t.fused0.npy --label dw-hardsigmoid | FileCheck %s --check-prefix=CHECK-0
// CHECK-0: dw-hardsigmoid: 120 values, 0 mismatches
// RUN: slim-run %s -e dw_hardsigmoid --input %t.x0.npy --output %t.float0.npy
// RUN: %ref close %t.fused0.npy %t.float0.npy --atol 0.00501 --label dw-hardsigmoid-float | FileCheck %s --check-prefix=CHECK-CLOSE-0
// CHECK-CLOSE-0: dw-hardsigmoid-float: 120 values, 0 mismatches
//
// The residual add with ReLU: u8 (Z = 128) + i8 (Z = -3) into i8 with
// Z = -5, so that ReLU is clamp [-5, 127].
// RUN: %ref gen %t.a1.npy --dtype uint8 --shape 1,5,4,3 --values=0,255,128,127,129 --range=0,255 --seed 61
// RUN: %ref gen %t.b1.npy --dtype int8 --shape 1,5,4,3 --values=-128,127,-3,-4,-2 --range=-128,127 --seed 62
// RUN: slim-run %t.fused.mlir -e residual_relu --input %t.a1.npy --input %t.b1.npy --output %t.fused1.npy
// RUN: %ref qadd --mlir %t.fused.mlir --func residual_relu --input %t.a1.npy --rhs %t.b1.npy --output %t.fused1.npy --clamp=-5,127 --label residual | FileCheck %s --check-prefix=CHECK-1
// CHECK-1: residual: 60 values, 0 mismatches
//
// The concatenation: two pieces requantized, the third already of the
// result's type.
// RUN: %ref gen %t.a2.npy --dtype uint8 --shape 1,3,2,5 --values=0,255,100,99,101 --range=0,255 --seed 63
// RUN: %ref gen %t.b2.npy --dtype int8 --shape 1,1,2,5 --values=-128,127,-7 --range=-128,127 --seed 64
// RUN: %ref gen %t.c2.npy --dtype uint8 --shape 1,2,2,5 --values=0,255,120 --range=0,255 --seed 65
// RUN: slim-run %t.fused.mlir -e concat --input %t.a2.npy --input %t.b2.npy --input %t.c2.npy --output %t.fused2.npy
// RUN: %ref qconcat --mlir %t.fused.mlir --func concat --dim 1 --input %t.a2.npy,%t.b2.npy,%t.c2.npy --output %t.fused2.npy | FileCheck %s --check-prefix=CHECK-2
// CHECK-2: qconcat: 60 values, 0 mismatches

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar = affine_map<(d0, d1, d2, d3) -> ()>

func.func @dw_hardsigmoid(%x: tensor<1x5x7x6xf32>) -> tensor<1x5x4x6xf32> {
  %xq = slim.quantize %x : tensor<1x5x7x6xf32> to tensor<1x5x7x6x!quant.uniform<u8:f32, 0.03:128>>
  %xd = slim.dequantize %xq : tensor<1x5x7x6x!quant.uniform<u8:f32, 0.03:128>> to tensor<1x5x7x6xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x5x7x6xf32> to tensor<1x5x9x8xf32>
  %w = arith.constant dense<[[[-121, 20, -70], [69, -94, 82], [-115, 119, 53]], [[6, 100, 44], [-101, 56, 32], [-18, -7, -91]], [[-4, 99, -69], [90, 99, -96], [33, 52, -11]], [[45, -7, 55], [110, 118, 125], [123, 12, -63]], [[16, -25, 44], [-49, 13, 77], [38, 1, 51]]]> : tensor<5x3x3xi8>
  %wq = quant.scast %w : tensor<5x3x3xi8> to tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>>
  %wd = slim.dequantize %wq : tensor<5x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015, 0.03, 0.005}>> to tensor<5x3x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0, -0.05]> : tensor<5xf32>
  %e = tensor.empty() : tensor<1x5x4x6xf32>
  %init = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<1x5x4x6xf32>) dimensions = [0, 2, 3]
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x5x9x8xf32>, tensor<5x3x3xf32>) outs(%init : tensor<1x5x4x6xf32>) -> tensor<1x5x4x6xf32>
  %sixth = arith.constant 0.166666672 : f32
  %half = arith.constant 5.000000e-01 : f32
  %one = arith.constant dense<1.0> : tensor<f32>
  %zero_t = arith.constant dense<0.0> : tensor<f32>
  %m = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x5x4x6xf32>) outs(%e : tensor<1x5x4x6xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %sixth : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x6xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%m : tensor<1x5x4x6xf32>) outs(%e : tensor<1x5x4x6xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %half : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x6xf32>
  %lo = linalg.generic {indexing_maps = [#scalar, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%one, %a : tensor<f32>, tensor<1x5x4x6xf32>) outs(%e : tensor<1x5x4x6xf32>) {
  ^bb0(%k: f32, %v: f32, %o: f32):
    %p = arith.cmpf olt, %k, %v : f32
    %r = arith.select %p, %k, %v : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x6xf32>
  %h = linalg.generic {indexing_maps = [#scalar, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%zero_t, %lo : tensor<f32>, tensor<1x5x4x6xf32>) outs(%e : tensor<1x5x4x6xf32>) {
  ^bb0(%k: f32, %v: f32, %o: f32):
    %p = arith.cmpf ogt, %k, %v : f32
    %r = arith.select %p, %k, %v : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x6xf32>
  %yq = slim.quantize %h : tensor<1x5x4x6xf32> to tensor<1x5x4x6x!quant.uniform<u8:f32, 0.005>>
  %yd = slim.dequantize %yq : tensor<1x5x4x6x!quant.uniform<u8:f32, 0.005>> to tensor<1x5x4x6xf32>
  return %yd : tensor<1x5x4x6xf32>
}

func.func @residual_relu(%a: tensor<1x5x4x3x!quant.uniform<u8:f32, 0.047:128>>, %b: tensor<1x5x4x3x!quant.uniform<i8:f32, 0.0211:-3>>) -> tensor<1x5x4x3x!quant.uniform<i8:f32, 0.0618:-5>> {
  %ad = slim.dequantize %a : tensor<1x5x4x3x!quant.uniform<u8:f32, 0.047:128>> to tensor<1x5x4x3xf32>
  %bd = slim.dequantize %b : tensor<1x5x4x3x!quant.uniform<i8:f32, 0.0211:-3>> to tensor<1x5x4x3xf32>
  %e = tensor.empty() : tensor<1x5x4x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ad, %bd : tensor<1x5x4x3xf32>, tensor<1x5x4x3xf32>) outs(%e : tensor<1x5x4x3xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %r = arith.addf %u, %v : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x3xf32>
  %zero = arith.constant 0.0 : f32
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x5x4x3xf32>) outs(%e : tensor<1x5x4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ugt, %v, %zero : f32
    %r = arith.select %p, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x5x4x3xf32>
  %yq = slim.quantize %relu : tensor<1x5x4x3xf32> to tensor<1x5x4x3x!quant.uniform<i8:f32, 0.0618:-5>>
  return %yq : tensor<1x5x4x3x!quant.uniform<i8:f32, 0.0618:-5>>
}

func.func @concat(%a: tensor<1x3x2x5x!quant.uniform<u8:f32, 0.03:100>>, %b: tensor<1x1x2x5x!quant.uniform<i8:f32, 0.09:-7>>, %c: tensor<1x2x2x5x!quant.uniform<u8:f32, 0.05:120>>) -> tensor<1x6x2x5x!quant.uniform<u8:f32, 0.05:120>> {
  %ad = slim.dequantize %a : tensor<1x3x2x5x!quant.uniform<u8:f32, 0.03:100>> to tensor<1x3x2x5xf32>
  %bd = slim.dequantize %b : tensor<1x1x2x5x!quant.uniform<i8:f32, 0.09:-7>> to tensor<1x1x2x5xf32>
  %cd = slim.dequantize %c : tensor<1x2x2x5x!quant.uniform<u8:f32, 0.05:120>> to tensor<1x2x2x5xf32>
  %j = tensor.concat dim(1) %ad, %bd, %cd : (tensor<1x3x2x5xf32>, tensor<1x1x2x5xf32>, tensor<1x2x2x5xf32>) -> tensor<1x6x2x5xf32>
  %yq = slim.quantize %j : tensor<1x6x2x5xf32> to tensor<1x6x2x5x!quant.uniform<u8:f32, 0.05:120>>
  return %yq : tensor<1x6x2x5x!quant.uniform<u8:f32, 0.05:120>>
}
