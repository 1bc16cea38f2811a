// RUN: slim-opt %s -split-input-file --slim-lower-to-linalg-pipeline | FileCheck %s --check-prefix=LINALG
// RUN: slim-opt %s -split-input-file --slim-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: slim-opt %s -split-input-file --slim-lower-to-linalg-pipeline --slim-codegen-pipeline | FileCheck %s --check-prefix=LLVM

// The front half leaves integer linalg on tensors; the whole pipeline ends
// in the LLVM dialect with nothing else left. The folded constant quantize
// is an integer global by then.
// LINALG-LABEL: func @quantize_then_dequantize
// LINALG-SAME: (%{{.*}}: tensor<8xf32>) -> (tensor<8xi8>, tensor<8xf32>)
// LINALG: linalg.generic
// LINALG: math.roundeven
// LINALG: linalg.generic
// LINALG-NOT: slim.
// LINALG-NOT: quant.
// LLVM-LABEL: llvm.func @quantize_then_dequantize
// LLVM-NOT: linalg.
// LLVM-NOT: tensor.
// LLVM-NOT: memref.
// LLVM-NOT: slim.
// LLVM-NOT: builtin.unrealized_conversion_cast
// LLVM: llvm.return
func.func @quantize_then_dequantize(%x: tensor<8xf32>) -> (tensor<8x!quant.uniform<i8:f32, 0.5:-3>>, tensor<8xf32>) {
  %q = slim.quantize %x : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.5:-3>>
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f32, 0.5:-3>> to tensor<8xf32>
  return %q, %d : tensor<8x!quant.uniform<i8:f32, 0.5:-3>>, tensor<8xf32>
}

// -----

// LINALG-LABEL: func @constant_weights
// LINALG: arith.constant dense<[2, -2, 127]> : tensor<3xi8>
// LINALG-NOT: slim.quantize
// LLVM-LABEL: llvm.func @constant_weights
// LLVM-NOT: slim.
func.func @constant_weights() -> tensor<3x!quant.uniform<i8:f32, 0.25>> {
  %w = arith.constant dense<[0.5, -0.5, 100.0]> : tensor<3xf32>
  %q = slim.quantize %w : tensor<3xf32> to tensor<3x!quant.uniform<i8:f32, 0.25>>
  return %q : tensor<3x!quant.uniform<i8:f32, 0.25>>
}
