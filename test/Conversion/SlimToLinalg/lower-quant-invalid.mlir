// RUN: slim-opt %s -split-input-file -slim-lower-quant -verify-diagnostics | FileCheck %s

// An op the pass does not know carries quantized types: refused before
// anything changes (the slim.dequantize stays, unlowered).
func.func @unknown_op(%q: tensor<2x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<8xf32> {
  // expected-error @+1 {{'tensor.collapse_shape' op carries quantized types that slim-lower-quant cannot strip}}
  %c = tensor.collapse_shape %q [[0, 1]] : tensor<2x4x!quant.uniform<i8:f32, 0.5>> into tensor<8x!quant.uniform<i8:f32, 0.5>>
  %d = slim.dequantize %c : tensor<8x!quant.uniform<i8:f32, 0.5>> to tensor<8xf32>
  return %d : tensor<8xf32>
}

// -----

// Quantized block arguments of a region count too.
func.func @quantized_loop(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>, %n: index) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'scf.for' op carries quantized types}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %q) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
    scf.yield %a : tensor<4x!quant.uniform<i8:f32, 0.5>>
  }
  return %r : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A clean function in the same module is lowered normally.
// CHECK-LABEL: func @fine
// CHECK: linalg.generic
func.func @fine(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %q = slim.quantize %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

