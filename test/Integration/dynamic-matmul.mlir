// slim.dynamic_qmatmul through slim-run, bit-exact against its description
// recomputed in test/Integration/ref.py: the activation's u8 parameters
// from its own range (ONNX DynamicQuantizeLinear in float32), including an
// all-positive activation (zero point 0), an all-negative one (zero point
// 255), an all-zero one (scale 1) and a NaN (ignored by the range,
// quantized to the zero point); per-channel i8 weights with zero points.
//
// RUN: %ref gen %t.mixed.npy --shape 3,17 --random 51 --range=-3,5 --seed 61
// RUN: %ref gen %t.pos.npy --shape 3,17 --random 51 --range=0.5,9 --seed 62
// RUN: %ref gen %t.neg.npy --shape 3,17 --random 51 --range=-9,-0.5 --seed 63
// RUN: %ref gen %t.zero.npy --shape 3,17 --fill 0
// RUN: %ref gen %t.nan.npy --shape 3,17 --values=nan,1.5,-2.25 --random 48 --range=-1,1 --seed 64
// RUN: %ref gen %t.w.npy --dtype int8 --shape 17,5 --values=32,-62,62,-36,76,49,114,88,62,39,109,8,-120,88,-8,71,114,-64,39,-114,103,-87,-99,-32,-7,95,-64,-30,12,-101,19,-64,-124,60,-72,-23,-56,-81,107,95,69,-28,-87,68,77,-109,-92,31,31,-14,-95,-94,-127,121,96,-126,-74,71,-72,118,124,-85,96,-85,-53,-47,119,-77,11,97,46,33,-75,-81,113,120,49,-77,120,120,101,-29,-51,-122,-35
// RUN: slim-run %s --input %t.mixed.npy --output %t.y-mixed.npy
// RUN: slim-run %s --input %t.pos.npy --output %t.y-pos.npy
// RUN: slim-run %s --input %t.neg.npy --output %t.y-neg.npy
// RUN: slim-run %s --input %t.zero.npy --output %t.y-zero.npy
// RUN: slim-run %s --input %t.nan.npy --output %t.y-nan.npy
// RUN: %ref dynamic-matmul --x %t.mixed.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-mixed.npy --label mixed | FileCheck %s --check-prefix=CHECK-MIXED
// RUN: %ref dynamic-matmul --x %t.pos.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-pos.npy --label pos | FileCheck %s --check-prefix=CHECK-POS
// RUN: %ref dynamic-matmul --x %t.neg.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-neg.npy --label neg | FileCheck %s --check-prefix=CHECK-NEG
// RUN: %ref dynamic-matmul --x %t.zero.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-zero.npy --label zero | FileCheck %s --check-prefix=CHECK-ZERO
// RUN: %ref dynamic-matmul --x %t.nan.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-nan.npy --label nan | FileCheck %s --check-prefix=CHECK-NAN
// CHECK-MIXED: mixed: 15 values, 0 mismatches
// CHECK-POS: pos: activation scale {{.*}}, zero point 0
// CHECK-POS: pos: 15 values, 0 mismatches
// CHECK-NEG: neg: activation scale {{.*}}, zero point 255
// CHECK-NEG: neg: 15 values, 0 mismatches
// CHECK-ZERO: zero: activation scale 1.0, zero point 0
// CHECK-ZERO: zero: 15 values, 0 mismatches
// CHECK-NAN: nan: 15 values, 0 mismatches
//
// The same weight as an argument (its column sums computed at run time,
// the integer sums on the kernels with the weight packed at run time,
// slim.activation_matmul); with a constant weight the whole op is one call
// (slim.dynamic_packed_matmul: range, quantization, kernel and scaling).
// RUN: slim-run %s -e runtime_weight --input %t.mixed.npy --input %t.w.npy --output %t.y-rt.npy
// RUN: %ref dynamic-matmul --x %t.mixed.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-rt.npy --label runtime-weight | FileCheck %s --check-prefix=CHECK-RT
// CHECK-RT: runtime-weight: 15 values, 0 mismatches
// A dynamic K (both operands), for the K * Z * Zw term.
// RUN: slim-run %s -e dynamic_k --input %t.mixed.npy --input %t.w.npy --output %t.y-dk.npy
// RUN: %ref dynamic-matmul --x %t.mixed.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y-dk.npy --label dynamic-k | FileCheck %s --check-prefix=CHECK-DK
// CHECK-DK: dynamic-k: 15 values, 0 mismatches
// RUN: slim-opt %s --slim-cpu-pipeline | FileCheck %s --check-prefix=CHECK-KERNEL
// CHECK-KERNEL-LABEL: llvm.func @main(
// CHECK-KERNEL: llvm.call @slim_uk_dqgemm_
// CHECK-KERNEL-NOT: llvm.call @slim_uk_
// CHECK-KERNEL: llvm.return
// CHECK-KERNEL-LABEL: llvm.func @runtime_weight(
// CHECK-KERNEL-NOT: llvm.call @slim_uk_dqgemm_
// CHECK-KERNEL: llvm.call @slim_uk_qgemm_act_s8_
// CHECK-KERNEL: llvm.return
//
// slim-quantize-dynamic forms the op from a float matmul by a dequantized
// weight (what slim-ptq-dynamic does after quantizing the weights).
// RUN: slim-opt %s --slim-ptq-dynamic -o %t.dynamic.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.dynamic.mlir
// CHECK-IR-LABEL: func.func @float_layer
// CHECK-IR: slim.dynamic_qmatmul %arg0, %{{.*}} : tensor<3x17xf32>, tensor<17x5x!quant.uniform<i8<-127:127>:f32:1,
// CHECK-IR-NOT: linalg.matmul
// RUN: slim-run %t.dynamic.mlir -e float_layer --input %t.mixed.npy --output %t.y-float-dyn.npy
// RUN: slim-run %s -e float_layer --input %t.mixed.npy --output %t.y-float.npy
// RUN: %ref close %t.y-float.npy %t.y-float-dyn.npy --atol 0.3 --label dynamic-vs-float | FileCheck %s --check-prefix=CHECK-CLOSE
// CHECK-CLOSE: dynamic-vs-float: 15 values, 0 mismatches

func.func @main(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>>
  %y = slim.dynamic_qmatmul %x, %wq : tensor<3x17xf32>, tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

func.func @runtime_weight(%x: tensor<3x17xf32>, %w: tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>>) -> tensor<3x5xf32> {
  %y = slim.dynamic_qmatmul %x, %w : tensor<3x17xf32>, tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

func.func @dynamic_k(%x: tensor<3x?xf32>, %w: tensor<?x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>>) -> tensor<3x5xf32> {
  %y = slim.dynamic_qmatmul %x, %w : tensor<3x?xf32>, tensor<?x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

func.func @float_layer(%x: tensor<3x17xf32>) -> tensor<3x5xf32> {
  %w = arith.constant dense<0.0625> : tensor<17x5xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<3x17xf32>, tensor<17x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %mm : tensor<3x5xf32>
}
