// Slim's own verifier runs inside upstream's mlir-opt: a bad op loaded
// through the dialect plugin gets Slim's diagnostic (the expressed type
// rule of slim.quantize), and mlir-opt fails.
// UNSUPPORTED: !uninstrumented
// RUN: mlir-opt --load-dialect-plugin=%slim_plugin %s -verify-diagnostics
// RUN: not mlir-opt --load-dialect-plugin=%slim_plugin %s 2>&1 | FileCheck %s
// CHECK: error: 'slim.quantize' op expressed type 'f32' of the quantized type does not match the float element type 'f16'

func.func @bad(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @below {{expressed type 'f32' of the quantized type does not match the float element type 'f16'}}
  %q = slim.quantize %x : tensor<4xf16> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.5>>
}
