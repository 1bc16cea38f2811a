// slim-fuse-quantized on a hand-written fake-quant linear layer (u8
// activations with zero point 100, i8 weights per output channel, a bias,
// ReLU6 as max/min in a generic, u8 output with zero point 7), compiled and
// run: bit-exact against the integer layer recomputed by
// test/Integration/ref.py, and within one output step of the float
// (fake-quant) layer it replaces. The same with arith ops on tensors (bias
// via linalg.broadcast, ReLU via arith.maximumf) and a per-tensor weight.
//
// RUN: slim-opt %s --slim-fuse-quantized -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @relu6
// CHECK-IR: slim.quantize %arg0
// CHECK-IR: slim.qmatmul
// CHECK-IR: slim.requantize %{{.*}} clamp [7, 207]
// CHECK-IR-NOT: linalg.matmul
// CHECK-IR-LABEL: func.func @arith_relu
// CHECK-IR: slim.qmatmul
// CHECK-IR: slim.requantize %{{.*}} clamp [0, 127]
// CHECK-IR-NOT: linalg.matmul
// Clip(-1, 2.5) as the ONNX importer writes it (0-d tensor bounds, cmpf ult
// + select, cmpf ugt + select) after the bias: the clamp in u8 steps of 0.03
// from 7 is [7 - 33, 7 + 83], the lower end cut to the storage's 0.
// CHECK-IR-LABEL: func.func @importer_clip
// CHECK-IR: slim.qmatmul
// CHECK-IR: slim.requantize %{{.*}} clamp [0, 90]
// CHECK-IR-NOT: linalg.generic
//
// RUN: %ref gen %t.x.npy --shape 3,17 --random 51 --range=-4,8 --seed 51
// RUN: %ref gen %t.w.npy --dtype int8 --shape 17,5 --values=32,-62,62,-36,76,49,114,88,62,39,109,8,-120,88,-8,71,114,-64,39,-114,103,-87,-99,-32,-7,95,-64,-30,12,-101,19,-64,-124,60,-72,-23,-56,-81,107,95,69,-28,-87,68,77,-109,-92,31,31,-14,-95,-94,-127,121,96,-126,-74,71,-72,118,124,-85,96,-85,-53,-47,119,-77,11,97,46,33,-75,-81,113,120,49,-77,120,120,101,-29,-51,-122,-35
// RUN: %ref gen %t.b.npy --shape 5 --values=0.5,-0.25,1.5,0.0,-3.0
// RUN: slim-run %t.fused.mlir -e relu6 --input %t.x.npy --output %t.fused6.npy
// RUN: %ref fused-matmul --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --bias %t.b.npy --sx 0.05 --zx 100 --x-unsigned --sy 0.03 --zy 7 --y-unsigned --lo 0 --hi 6 --output %t.fused6.npy --label relu6 | FileCheck %s --check-prefix=CHECK-RELU6
// CHECK-RELU6: relu6: 15 values, 0 mismatches
// RUN: slim-run %s -e relu6 --input %t.x.npy --output %t.float6.npy
// RUN: %ref close %t.fused6.npy %t.float6.npy --atol 0.0301 --label fakequant6 | FileCheck %s --check-prefix=CHECK-CLOSE6
// CHECK-CLOSE6: fakequant6: 15 values, 0 mismatches
//
// RUN: slim-run %t.fused.mlir -e arith_relu --input %t.x.npy --output %t.fusedr.npy
// RUN: %ref fused-matmul --x %t.x.npy --w %t.w.npy --w-scales 0.02 --bias %t.b.npy --sx 0.05 --zx -20 --sy 0.1 --zy 0 --lo 0 --output %t.fusedr.npy --label relu | FileCheck %s --check-prefix=CHECK-RELU
// CHECK-RELU: relu: 15 values, 0 mismatches
//
// RUN: slim-run %t.fused.mlir -e importer_clip --input %t.x.npy --output %t.fusedc.npy
// RUN: %ref fused-matmul --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --bias %t.b.npy --sx 0.05 --zx 100 --x-unsigned --sy 0.03 --zy 7 --y-unsigned --lo -1 --hi 2.5 --output %t.fusedc.npy --label clip | FileCheck %s --check-prefix=CHECK-CLIP
// CHECK-CLIP: clip: 15 values, 0 mismatches
// RUN: slim-run %s -e importer_clip --input %t.x.npy --output %t.floatc.npy
// RUN: %ref close %t.fusedc.npy %t.floatc.npy --atol 0.0301 --label fakequantc | FileCheck %s --check-prefix=CHECK-CLOSEC
// CHECK-CLOSEC: fakequantc: 15 values, 0 mismatches

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @relu6(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %xq = slim.quantize %x : tensor<3x17xf32> to tensor<3x17x!quant.uniform<u8:f32, 0.05:100>>
  %xd = slim.dequantize %xq : tensor<3x17x!quant.uniform<u8:f32, 0.05:100>> to tensor<3x17xf32>
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>>
  %wd = slim.dequantize %wq : tensor<17x5x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>> to tensor<17x5xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<3x17xf32>, tensor<17x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  %b = arith.constant dense<[0.5, -0.25, 1.5, 0.0, -3.0]> : tensor<5xf32>
  %h = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<3x5xf32>, tensor<5xf32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %s = arith.addf %v, %bv : f32
    %r = arith.maximumf %s, %zero : f32
    %c = arith.minimumf %r, %six : f32
    linalg.yield %c : f32
  } -> tensor<3x5xf32>
  %yq = slim.quantize %h : tensor<3x5xf32> to tensor<3x5x!quant.uniform<u8:f32, 0.03:7>>
  %yd = slim.dequantize %yq : tensor<3x5x!quant.uniform<u8:f32, 0.03:7>> to tensor<3x5xf32>
  return %yd : tensor<3x5xf32>
}

func.func @arith_relu(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %xq = slim.quantize %x : tensor<3x17xf32> to tensor<3x17x!quant.uniform<i8:f32, 0.05:-20>>
  %xd = slim.dequantize %xq : tensor<3x17x!quant.uniform<i8:f32, 0.05:-20>> to tensor<3x17xf32>
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8<-127:127>:f32, 0.02>>
  %wd = slim.dequantize %wq : tensor<17x5x!quant.uniform<i8<-127:127>:f32, 0.02>> to tensor<17x5xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<3x17xf32>, tensor<17x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  %b = arith.constant dense<[0.5, -0.25, 1.5, 0.0, -3.0]> : tensor<5xf32>
  %bb = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<3x5xf32>) dimensions = [0]
  %s = arith.addf %mm, %bb : tensor<3x5xf32>
  %r = arith.maximumf %s, %f : tensor<3x5xf32>
  %yq = slim.quantize %r : tensor<3x5xf32> to tensor<3x5x!quant.uniform<i8:f32, 0.1>>
  %yd = slim.dequantize %yq : tensor<3x5x!quant.uniform<i8:f32, 0.1>> to tensor<3x5xf32>
  return %yd : tensor<3x5xf32>
}

func.func @importer_clip(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %xq = slim.quantize %x : tensor<3x17xf32> to tensor<3x17x!quant.uniform<u8:f32, 0.05:100>>
  %xd = slim.dequantize %xq : tensor<3x17x!quant.uniform<u8:f32, 0.05:100>> to tensor<3x17xf32>
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>>
  %wd = slim.dequantize %wq : tensor<17x5x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>> to tensor<17x5xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<3x17xf32>, tensor<17x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  %b = arith.constant dense<[0.5, -0.25, 1.5, 0.0, -3.0]> : tensor<5xf32>
  %lo = arith.constant dense<-1.0> : tensor<f32>
  %hi = arith.constant dense<2.5> : tensor<f32>
  %s = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<3x5xf32>, tensor<5xf32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %a = arith.addf %v, %bv : f32
    linalg.yield %a : f32
  } -> tensor<3x5xf32>
  %h = linalg.generic {indexing_maps = [#id, #scalar, #scalar, #id], iterator_types = ["parallel", "parallel"]} ins(%s, %lo, %hi : tensor<3x5xf32>, tensor<f32>, tensor<f32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%v: f32, %l: f32, %u: f32, %o: f32):
    %p = arith.cmpf ult, %v, %l : f32
    %a = arith.select %p, %l, %v : f32
    %q = arith.cmpf ugt, %a, %u : f32
    %c = arith.select %q, %u, %a : f32
    linalg.yield %c : f32
  } -> tensor<3x5xf32>
  %yq = slim.quantize %h : tensor<3x5xf32> to tensor<3x5x!quant.uniform<u8:f32, 0.03:7>>
  %yd = slim.dequantize %yq : tensor<3x5x!quant.uniform<u8:f32, 0.03:7>> to tensor<3x5xf32>
  return %yd : tensor<3x5xf32>
}
