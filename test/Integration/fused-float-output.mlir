// slim-fuse-quantized{float-outputs}: a layer whose output is not quantized
// (as slim-ptq-static outputs=float leaves a transformer's Linears) runs as
// slim.qmatmul with the bias that follows it, then slim.dequantize of the
// int32 accumulator; the ReLU after it stays in float. Bit-exact against
// test/Integration/ref.py (u8 activations with zero point 100, per-channel
// i8 weights, a bias that rounds to int32 at S_x * S_w[n]), and close to
// the float layer it replaces.
//
// RUN: slim-opt %s "--slim-fuse-quantized=float-outputs=true" -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @linear_relu
// CHECK-IR:         %[[ACC:.*]] = slim.qmatmul %{{.*}}, %{{.*}}, %{{.*}} : {{.*}} -> tensor<3x5x!quant.uniform<i32:f32:1, {5.000000e-04,1.000000e-03,2.500000e-04,1.500000e-03,7.500000e-04}>>
// CHECK-IR:         %[[Y:.*]] = slim.dequantize %[[ACC]] {{.*}} to tensor<3x5xf32>
// CHECK-IR:         linalg.generic {{.*}} ins(%[[Y]]
// CHECK-IR:           arith.maximumf
// CHECK-IR-NOT:     linalg.matmul
// CHECK-IR-NOT:     slim.requantize
//
// Without the option the layer stays float (no quantize follows it).
// RUN: slim-opt %s --slim-fuse-quantized | FileCheck %s --check-prefix=CHECK-OFF
// CHECK-OFF-LABEL: func.func @linear_relu
// CHECK-OFF:         linalg.matmul
// CHECK-OFF-NOT:     slim.qmatmul
//
// RUN: %ref gen %t.x.npy --shape 3,17 --random 51 --range=-4,8 --seed 51
// RUN: %ref gen %t.w.npy --dtype int8 --shape 17,5 --values=32,-62,62,-36,76,49,114,88,62,39,109,8,-120,88,-8,71,114,-64,39,-114,103,-87,-99,-32,-7,95,-64,-30,12,-101,19,-64,-124,60,-72,-23,-56,-81,107,95,69,-28,-87,68,77,-109,-92,31,31,-14,-95,-94,-127,121,96,-126,-74,71,-72,118,124,-85,96,-85,-53,-47,119,-77,11,97,46,33,-75,-81,113,120,49,-77,120,120,101,-29,-51,-122,-35
// RUN: %ref gen %t.b.npy --shape 5 --values=0.5,-0.25,1.5,0.0,-3.0
// RUN: slim-run %t.fused.mlir -e linear_relu --input %t.x.npy --output %t.fused.npy
// RUN: %ref fused-matmul --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --bias %t.b.npy --sx 0.05 --zx 100 --x-unsigned --sy 1 --zy 0 --float-output --lo 0 --output %t.fused.npy --label float-output | FileCheck %s --check-prefix=CHECK-EXACT
// CHECK-EXACT: float-output: 15 values, 0 mismatches
// The float (fake-quant) layer differs only by the bias's rounding to int32
// and float summation order.
// RUN: slim-run %s -e linear_relu --input %t.x.npy --output %t.float.npy
// RUN: %ref close %t.fused.npy %t.float.npy --atol 0.001 --label fakequant | FileCheck %s --check-prefix=CHECK-CLOSE
// CHECK-CLOSE: fakequant: 15 values, 0 mismatches

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @linear_relu(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %xq = slim.quantize %x : tensor<3x17xf32> to tensor<3x17x!quant.uniform<u8:f32, 0.05:100>>
  %xd = slim.dequantize %xq : tensor<3x17x!quant.uniform<u8:f32, 0.05:100>> to tensor<3x17xf32>
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>>
  %wd = slim.dequantize %wq : tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.005, 0.03, 0.015}>> to tensor<17x5xf32>
  %bias = arith.constant dense<[0.5, -0.25, 1.5, 0.0, -3.0]> : tensor<5xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<3x17xf32>, tensor<17x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  %b = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<3x5xf32>, tensor<5xf32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%in: f32, %bv: f32, %out: f32):
    %s = arith.addf %in, %bv : f32
    linalg.yield %s : f32
  } -> tensor<3x5xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<3x5xf32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}
