// RUN: slim-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(slim-pack-contractions{isa=avx512_vnni weight-only-activations=int8}))' | FileCheck %s
// RUN: not slim-opt %s --pass-pipeline='builtin.module(func.func(slim-pack-contractions{weight-only-activations=int4}))' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: unknown weight-only-activations 'int4' (expected f32 or int8)

// weight-only-activations=int8: a 4-bit weight in groups of 8 becomes
// slim.dequant_matmul with int8_activations, packed in the quad layout. The
// 12 x 2 weight (signed storage through slim.unpack, stored q + 8) holds q = k - 6 in column 0
// and 5 - k in column 1; K pads to 16, two 64-byte blocks of one panel.
// One group per column (group_size = K). Byte 4 j + i of block b holds
// k = 8 b + i (low nibble) and 8 b + 4 + i (high): column 0, block 0:
// (k=0: 2) | (k=4: 6) << 4 = 0x62, then 0x73, 0x84, 0x95; column 1:
// 13 | 9 << 4 = 0x9D, 0x8C, 0x7B, 0x6A; block 1 (k = 12.. padded with 0):
// column 0 0x0A..0x0D, column 1 0x05..0x02.
// CHECK-LABEL: func.func @int4_groups
// CHECK: %[[P:.*]] = arith.constant dense<"0x627384959D8C7B6A{{(00)+}}0A0B0C0D05040302{{(00)+}}"> : tensor<128xi8>
// CHECK: slim.dequant_matmul ins(%{{.*}}, %[[P]] : tensor<3x12xf32>, tensor<128xi8>) {{.*}} k = 12 n = 2 bits = 4 group_size = 12 int8_activations isa = <avx512_vnni>
// CHECK-NOT: linalg.matmul
func.func @int4_groups(%x: tensor<3x12xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<[[90], [75], [60], [45], [30], [15], [-16], [-31], [-46], [-61], [-76], [-91]]> : tensor<12x1xi8>
  %w = slim.unpack %b : tensor<12x1xi8> -> tensor<12x2xi4>
  %q = quant.scast %w : tensor<12x2xi4> to tensor<12x2x!quant.uniform<i4:f32:1, {0.5, 0.25}>>
  %d = slim.dequantize %q : tensor<12x2x!quant.uniform<i4:f32:1, {0.5, 0.25}>> to tensor<12x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %d : tensor<3x12xf32>, tensor<12x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Weights the int8 path cannot take stay f32, with a remark: 8 bits, and
// 4 bits in groups of 4 (not whole 8-k blocks).
// CHECK-LABEL: func.func @stays_f32
// CHECK: slim.dequant_matmul {{.*}} bits = 8 group_size = 8 isa
// CHECK: slim.dequant_matmul {{.*}} bits = 4 group_size = 4 isa
// CHECK-NOT: int8_activations
func.func @stays_f32(%x: tensor<5x8xf32>, %c: tensor<5x3xf32>) -> (tensor<5x3xf32>, tensor<5x3xf32>) {
  %w8 = arith.constant dense<1> : tensor<8x3xi8>
  %q8 = quant.scast %w8 : tensor<8x3xi8> to tensor<8x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
  %d8 = slim.dequantize %q8 : tensor<8x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> to tensor<8x3xf32>
  // expected-remark @+1 {{weight-only-activations=int8 does not apply (8-bit weights in groups of 8 along K = 8; it needs 4 bits and groups of a multiple of 8): the activation stays f32}}
  %y = linalg.matmul ins(%x, %d8 : tensor<5x8xf32>, tensor<8x3xf32>) outs(%c : tensor<5x3xf32>) -> tensor<5x3xf32>
  %b4 = arith.constant dense<17> : tensor<8x2xi8>
  %w4 = slim.unpack %b4 : tensor<8x2xi8> -> tensor<8x3xi4>
  %q4 = quant.scast %w4 : tensor<8x3xi4> to tensor<8x3x!quant.uniform<i4:f32:{0:4,1:1}, {{0.5, 0.25, 0.125}, {1.0, 2.0, 4.0}}>>
  %d4 = slim.dequantize %q4 : tensor<8x3x!quant.uniform<i4:f32:{0:4,1:1}, {{0.5, 0.25, 0.125}, {1.0, 2.0, 4.0}}>> to tensor<8x3xf32>
  // expected-remark @+1 {{weight-only-activations=int8 does not apply (4-bit weights in groups of 4 along K = 8}}
  %z = linalg.matmul ins(%x, %d4 : tensor<5x8xf32>, tensor<8x3xf32>) outs(%c : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %y, %z : tensor<5x3xf32>, tensor<5x3xf32>
}
