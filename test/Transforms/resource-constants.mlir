// RUN: slim-opt %s -split-input-file --slim-resource-constants=min-bytes=16 | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-resource-constants=min-bytes=16 --emit-bytecode | slim-opt --slim-normalize-imported | FileCheck %s --check-prefix=CHECK-ROUNDTRIP
// RUN: not slim-opt %s --slim-resource-constants=min-bytes=-1 2>&1 | FileCheck %s --check-prefix=CHECK-NEGATIVE

// Constants of 16 bytes or more become blobs, numbered per function; a
// 12-byte constant, a splat and an index constant stay inline.
// CHECK-LABEL: func.func @weights
// CHECK-DAG:     arith.constant dense_resource<weights_w0> : tensor<2x2xf32>
// CHECK-DAG:     arith.constant dense_resource<weights_w1> : tensor<16xi8>
// CHECK-DAG:     arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     arith.constant dense<5.000000e-01> : tensor<8x8xf32>
// CHECK:       dialect_resources
// CHECK:         weights_w0: "0x080000000000803F0000004000004040000080C0"
// CHECK:         weights_w1: "0x08000000000102030405060708090A0B0C0D0E0F"
// CHECK-ROUNDTRIP-LABEL: func.func @weights
// CHECK-ROUNDTRIP:         dense_resource<weights_w0> : tensor<2x2xf32>
// CHECK-NEGATIVE: error: slim-resource-constants: min-bytes must not be negative, got -1
func.func @weights() -> (tensor<2x2xf32>, tensor<16xi8>, tensor<3xf32>, tensor<8x8xf32>) {
  %a = arith.constant dense<[[1.0, 2.0], [3.0, -4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi8>
  %c = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %d = arith.constant dense<0.5> : tensor<8x8xf32>
  return %a, %b, %c, %d : tensor<2x2xf32>, tensor<16xi8>, tensor<3xf32>, tensor<8x8xf32>
}
