// Empty tensors compute empty results (and a reduction over nothing gives
// its init) through the passes and the runner: a zero extent must not
// divide by zero in the tiling, and a function with one must not break the
// other entries of its module (slim-run compiles the whole module).
//
// RUN: %ref gen %t.e16x0.npy --shape 16,0
// RUN: %ref gen %t.e3x0.npy --shape 3,0
// RUN: %ref gen %t.e0x4.npy --shape 0,4
// RUN: %ref gen %t.e0x3.npy --shape 0,3
// RUN: %ref gen %t.x2x3.npy --shape 2,3 --values=1,2,3,4,5,6
// RUN: slim-run %s -e add --input %t.e16x0.npy | FileCheck %s --check-prefix=CHECK-ADD
// CHECK-ADD: result 0: tensor<16x0xf32>
// CHECK-ADD-NEXT: []
// A matmul over an empty reduction is its init (zeros), vectorized or not.
// RUN: slim-run %s -e matmul --input %t.e3x0.npy --input %t.e0x4.npy | FileCheck %s --check-prefix=CHECK-K0
// CHECK-K0: result 0: tensor<3x4xf32>
// CHECK-K0-NEXT: {{\[}}[0, 0, 0, 0],
// CHECK-K0-NEXT: [0, 0, 0, 0],
// CHECK-K0-NEXT: [0, 0, 0, 0]]
// RUN: %ref gen %t.e3x4.npy --shape 3,4 --values=1,2,3,4,5,6,7,8,9,10,11,12
// RUN: slim-run %s -e matmul --input %t.e0x3.npy --input %t.e3x4.npy | FileCheck %s --check-prefix=CHECK-M0
// CHECK-M0: result 0: tensor<0x4xf32>
// CHECK-M0-NEXT: []
// Static empty shapes in another function of the module: the other entry
// still compiles and runs.
// RUN: slim-run %s -e add --input %t.x2x3.npy | FileCheck %s --check-prefix=CHECK-OTHER
// CHECK-OTHER: result 0: tensor<2x3xf32>
// CHECK-OTHER-NEXT: {{\[}}[2, 4, 6],
// CHECK-OTHER-NEXT: [8, 10, 12]]
// RUN: slim-run %s -e static_empty | FileCheck %s --check-prefix=CHECK-STATIC
// CHECK-STATIC: result 0: tensor<0x5xf32>
// CHECK-STATIC-NEXT: []
// CHECK-STATIC: result 1: tensor<5xf32>
// CHECK-STATIC-NEXT: [-1, -1, -1, -1, -1]
// Quantized: static PTQ-style quantize/dequantize and dynamic int8 on zero
// rows.
// RUN: slim-run %s -e quant_roundtrip --input %t.e0x3.npy | FileCheck %s --check-prefix=CHECK-Q
// CHECK-Q: result 0: tensor<0x3xf32>
// CHECK-Q-NEXT: []
// RUN: slim-opt %s --slim-ptq-dynamic -o %t.dyn.mlir
// RUN: FileCheck %s --check-prefix=CHECK-DYN-IR < %t.dyn.mlir
// CHECK-DYN-IR: slim.dynamic_qmatmul
// RUN: slim-run %t.dyn.mlir -e weight_matmul --input %t.e0x3.npy | FileCheck %s --check-prefix=CHECK-DYN
// CHECK-DYN: result 0: tensor<0x4xf32>
// CHECK-DYN-NEXT: []
// RUN: slim-run %t.dyn.mlir -e weight_matmul --input %t.x2x3.npy | FileCheck %s --check-prefix=CHECK-DYN2
// CHECK-DYN2: result 0: tensor<2x4xf32>

func.func @add(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %n = tensor.dim %x, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %r = linalg.add ins(%x, %x : tensor<?x?xf32>, tensor<?x?xf32>) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @matmul(%x: tensor<?x?xf32>, %w: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %e = tensor.empty(%m) : tensor<?x4xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

func.func @static_empty() -> (tensor<0x5xf32>, tensor<5xf32>) {
  %x = arith.constant dense<1.0> : tensor<0x5xf32>
  %e = tensor.empty() : tensor<0x5xf32>
  %a = linalg.add ins(%x, %x : tensor<0x5xf32>, tensor<0x5xf32>) outs(%e : tensor<0x5xf32>) -> tensor<0x5xf32>
  // A sum over an empty dimension: the init.
  %init = arith.constant dense<-1.0> : tensor<5xf32>
  %s = linalg.reduce ins(%x : tensor<0x5xf32>) outs(%init : tensor<5xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %t = arith.addf %in, %acc : f32
      linalg.yield %t : f32
    }
  return %a, %s : tensor<0x5xf32>, tensor<5xf32>
}

func.func @quant_roundtrip(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %q = slim.quantize %x : tensor<?x3xf32> to tensor<?x3x!quant.uniform<u8:f32, 0.5:128>>
  %d = slim.dequantize %q : tensor<?x3x!quant.uniform<u8:f32, 0.5:128>> to tensor<?x3xf32>
  return %d : tensor<?x3xf32>
}

func.func @weight_matmul(%x: tensor<?x3xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<[[1.0, -2.0, 0.5, 0.25], [3.0, 1.0, -1.0, 2.0], [0.5, 0.5, 4.0, -3.0]]> : tensor<3x4xf32>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%m) : tensor<?x4xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<?x3xf32>, tensor<3x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}
