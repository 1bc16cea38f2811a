// RUN: slim-opt %s -split-input-file --slim-lower-to-linalg-pipeline | FileCheck %s --check-prefix=CHECK-LINALG
// RUN: slim-opt %s -split-input-file --slim-cpu-pipeline | FileCheck %s --check-prefix=CHECK-LLVM
// RUN: slim-opt %s -split-input-file --slim-lower-to-linalg-pipeline --slim-codegen-pipeline | FileCheck %s --check-prefix=CHECK-LLVM

// The front half leaves integer linalg on tensors; the whole pipeline ends
// in the LLVM dialect with nothing else left. The folded constant quantize
// is an integer global by then.
// CHECK-LINALG-LABEL: func @quantize_then_dequantize
// CHECK-LINALG-SAME: (%{{.*}}: tensor<8xf32>) -> (tensor<8xi8>, tensor<8xf32>)
// CHECK-LINALG: linalg.generic
// CHECK-LINALG: math.roundeven
// CHECK-LINALG: linalg.generic
// CHECK-LINALG-NOT: slim.
// CHECK-LINALG-NOT: quant.
// CHECK-LLVM-LABEL: llvm.func @quantize_then_dequantize
// CHECK-LLVM-NOT: linalg.
// CHECK-LLVM-NOT: tensor.
// CHECK-LLVM-NOT: memref.
// CHECK-LLVM-NOT: slim.
// CHECK-LLVM-NOT: builtin.unrealized_conversion_cast
// CHECK-LLVM: llvm.return
func.func @quantize_then_dequantize(%x: tensor<8xf32>) -> (tensor<8x!quant.uniform<i8:f32, 0.5:-3>>, tensor<8xf32>) {
  %q = slim.quantize %x : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.5:-3>>
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f32, 0.5:-3>> to tensor<8xf32>
  return %q, %d : tensor<8x!quant.uniform<i8:f32, 0.5:-3>>, tensor<8xf32>
}

// -----

// CHECK-LINALG-LABEL: func @constant_weights
// CHECK-LINALG: arith.constant dense<[2, -2, 127]> : tensor<3xi8>
// CHECK-LINALG-NOT: slim.quantize
// CHECK-LLVM-LABEL: llvm.func @constant_weights
// CHECK-LLVM-NOT: slim.
func.func @constant_weights() -> tensor<3x!quant.uniform<i8:f32, 0.25>> {
  %w = arith.constant dense<[0.5, -0.5, 100.0]> : tensor<3xf32>
  %q = slim.quantize %w : tensor<3xf32> to tensor<3x!quant.uniform<i8:f32, 0.25>>
  return %q : tensor<3x!quant.uniform<i8:f32, 0.25>>
}
