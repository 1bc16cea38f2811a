// RUN: slim-opt %s -split-input-file -canonicalize="test-convergence" | FileCheck %s

// CHECK-LABEL: func @quantize_of_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor
// CHECK-NOT: slim.
// CHECK: return %[[Q]]
func.func @quantize_of_dequantize(%q: tensor<8x!quant.uniform<i8:f32, 0.1:-3>>) -> tensor<8x!quant.uniform<i8:f32, 0.1:-3>> {
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f32, 0.1:-3>> to tensor<8xf32>
  %r = slim.quantize %d : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.1:-3>>
  return %r : tensor<8x!quant.uniform<i8:f32, 0.1:-3>>
}

// -----

// Per-axis i16 with f32 is exact too.
// CHECK-LABEL: func @quantize_of_dequantize_per_axis
// CHECK-NOT: slim.
// CHECK: return %arg0
func.func @quantize_of_dequantize_per_axis(%q: tensor<2x!quant.uniform<i16:f32:0, {0.1:5, 3.0e+3:-7}>>) -> tensor<2x!quant.uniform<i16:f32:0, {0.1:5, 3.0e+3:-7}>> {
  %d = slim.dequantize %q : tensor<2x!quant.uniform<i16:f32:0, {0.1:5, 3.0e+3:-7}>> to tensor<2xf32>
  %r = slim.quantize %d : tensor<2xf32> to tensor<2x!quant.uniform<i16:f32:0, {0.1:5, 3.0e+3:-7}>>
  return %r : tensor<2x!quant.uniform<i16:f32:0, {0.1:5, 3.0e+3:-7}>>
}

// -----

// Other parameters: a real requantization, not a no-op.
// CHECK-LABEL: func @quantize_of_dequantize_other_type
// CHECK: slim.dequantize
// CHECK: slim.quantize
func.func @quantize_of_dequantize_other_type(%q: tensor<8x!quant.uniform<i8:f32, 0.1:-3>>) -> tensor<8x!quant.uniform<i8:f32, 0.2:-3>> {
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f32, 0.1:-3>> to tensor<8xf32>
  %r = slim.quantize %d : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.2:-3>>
  return %r : tensor<8x!quant.uniform<i8:f32, 0.2:-3>>
}

// -----

// bf16 keeps 8 significant bits: 253 * S does not survive the round trip,
// so the pair must stay.
// CHECK-LABEL: func @quantize_of_dequantize_bf16_inexact
// CHECK: slim.dequantize
// CHECK: slim.quantize
func.func @quantize_of_dequantize_bf16_inexact(%q: tensor<8x!quant.uniform<u8:bf16, 0.1>>) -> tensor<8x!quant.uniform<u8:bf16, 0.1>> {
  %d = slim.dequantize %q : tensor<8x!quant.uniform<u8:bf16, 0.1>> to tensor<8xbf16>
  %r = slim.quantize %d : tensor<8xbf16> to tensor<8x!quant.uniform<u8:bf16, 0.1>>
  return %r : tensor<8x!quant.uniform<u8:bf16, 0.1>>
}

// -----

// f16 overflows: 127 * 1000 > 65504.
// CHECK-LABEL: func @quantize_of_dequantize_f16_overflow
// CHECK: slim.dequantize
// CHECK: slim.quantize
func.func @quantize_of_dequantize_f16_overflow(%q: tensor<8x!quant.uniform<i8:f16, 1000.0>>) -> tensor<8x!quant.uniform<i8:f16, 1000.0>> {
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f16, 1000.0>> to tensor<8xf16>
  %r = slim.quantize %d : tensor<8xf16> to tensor<8x!quant.uniform<i8:f16, 1000.0>>
  return %r : tensor<8x!quant.uniform<i8:f16, 1000.0>>
}

// -----

// dequantize(quantize(x)) loses information: never folded.
// CHECK-LABEL: func @dequantize_of_quantize_not_folded
// CHECK: %[[Q:.*]] = slim.quantize %arg0
// CHECK: %[[D:.*]] = slim.dequantize %[[Q]]
// CHECK: return %[[D]]
func.func @dequantize_of_quantize_not_folded(%x: tensor<8xf32>) -> tensor<8xf32> {
  %q = slim.quantize %x : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.1:-3>>
  %d = slim.dequantize %q : tensor<8x!quant.uniform<i8:f32, 0.1:-3>> to tensor<8xf32>
  return %d : tensor<8xf32>
}

// -----

// CHECK-LABEL: func @requantize_same_type
// CHECK-NOT: slim.requantize
// CHECK: return %arg0
func.func @requantize_same_type(%a: tensor<4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<u8:f32, 0.1:128>> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// A clamp changes values: not a no-op.
// CHECK-LABEL: func @requantize_same_type_clamped
// CHECK: slim.requantize %arg0 clamp [128, 255]
func.func @requantize_same_type_clamped(%a: tensor<4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = slim.requantize %a clamp [128, 255] : tensor<4x!quant.uniform<u8:f32, 0.1:128>> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// On the fixed-point path M = 1 doubles the input first, which saturates
// for i32 storage: only the float path is the identity there.
// CHECK-LABEL: func @requantize_same_type_i32
// CHECK: %[[R:.*]] = slim.requantize %arg0 :
// CHECK: return %[[R]], %arg0
func.func @requantize_same_type_i32(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) -> (tensor<4x!quant.uniform<i32:f32, 1.0e-3>>, tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i32:f32, 1.0e-3>>
  %1 = slim.requantize %a mode<float> : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i32:f32, 1.0e-3>>
  return %0, %1 : tensor<4x!quant.uniform<i32:f32, 1.0e-3>>, tensor<4x!quant.uniform<i32:f32, 1.0e-3>>
}

// -----

// The first requantize only widens (same scale): the second sees exactly
// q - Z of the original.
// CHECK-LABEL: func @requantize_chain_lossless_first
// CHECK: %[[R:.*]] = slim.requantize %arg0 mode<float> clamp [0, 50] : tensor<4x!quant.uniform<i8:f32, 1.000000e-01:-3>> to tensor<4x!quant.uniform<u8:f32, 2.000000e-01:10>>
// CHECK-NOT: slim.requantize
// CHECK: return %[[R]]
func.func @requantize_chain_lossless_first(%a: tensor<4x!quant.uniform<i8:f32, 0.1:-3>>) -> tensor<4x!quant.uniform<u8:f32, 0.2:10>> {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i8:f32, 0.1:-3>> to tensor<4x!quant.uniform<i16:f32, 0.1:100>>
  %1 = slim.requantize %0 mode<float> clamp [0, 50] : tensor<4x!quant.uniform<i16:f32, 0.1:100>> to tensor<4x!quant.uniform<u8:f32, 0.2:10>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.2:10>>
}

// -----

// The second only moves the zero point (i8 Z=0 -> u8 Z=128): the first's
// bounds are carried over, shifted by 128.
// CHECK-LABEL: func @requantize_chain_lossless_second
// CHECK: %[[R:.*]] = slim.requantize %arg0 clamp [128, 228] : tensor<4x!quant.uniform<i32:f32, 1.000000e-03>> to tensor<4x!quant.uniform<u8:f32, 1.000000e-01:128>>
// CHECK-NOT: slim.requantize
// CHECK: return %[[R]]
func.func @requantize_chain_lossless_second(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = slim.requantize %a clamp [0, 100] : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  %1 = slim.requantize %0 : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// Without a clamp on the first, the shifted storage range is the whole u8
// range, so no clamp is needed.
// CHECK-LABEL: func @requantize_chain_full_range
// CHECK: slim.requantize %arg0 : tensor<4x!quant.uniform<i32:f32, 1.000000e-03>> to tensor<4x!quant.uniform<u8:f32, 1.000000e-01:128>>
// CHECK-NOT: slim.requantize
func.func @requantize_chain_full_range(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  %1 = slim.requantize %0 : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// Two lossy steps round twice: combining them would change results.
// CHECK-LABEL: func @requantize_chain_lossy
// CHECK: %[[A:.*]] = slim.requantize %arg0
// CHECK: %[[B:.*]] = slim.requantize %[[A]]
// CHECK: return %[[B]]
func.func @requantize_chain_lossy(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.3>> {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  %1 = slim.requantize %0 : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4x!quant.uniform<i8:f32, 0.3>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 0.3>>
}

// -----

// Constant quantize becomes an integer constant: ties under half_to_even
// (0.25 / 0.5 = 0.5 -> 0; 0.75 / 0.5 = 1.5 -> 2; -0.5 -> 0), zero point
// added after rounding, saturation at both ends, NaN -> Z.
// CHECK-LABEL: func @quantize_constant
// CHECK: %[[C:.*]] = arith.constant dense<[-3, -1, -3, 127, -128, -3]> : tensor<6xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[C]] : tensor<6xi8> to tensor<6x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: return %[[Q]]
func.func @quantize_constant() -> tensor<6x!quant.uniform<i8:f32, 0.5:-3>> {
  %c = arith.constant dense<[0.25, 0.75, -0.25, 1000.0, -1000.0, 0x7FC00000]> : tensor<6xf32>
  %q = slim.quantize %c : tensor<6xf32> to tensor<6x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<6x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// The same under half_away_from_zero: 0.5 -> 1, 1.5 -> 2, -0.5 -> -1.
// CHECK-LABEL: func @quantize_constant_away
// CHECK: arith.constant dense<[-2, -1, -4, 127, -128, -3]> : tensor<6xi8>
func.func @quantize_constant_away() -> tensor<6x!quant.uniform<i8:f32, 0.5:-3>> {
  %c = arith.constant dense<[0.25, 0.75, -0.25, 1000.0, -1000.0, 0x7FC00000]> : tensor<6xf32>
  %q = slim.quantize %c rounding<half_away_from_zero> : tensor<6xf32> to tensor<6x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<6x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// Per-axis u8 weights (axis 0): row 0 has S=1, Z=0; row 1 S=0.5, Z=255.
// u8 values print as their signless i8 bits (200 -> -56, 255 -> -1).
// CHECK-LABEL: func @quantize_constant_per_axis
// CHECK: arith.constant dense<{{\[}}[1, -56, 0], [-1, -3, -1]]> : tensor<2x3xi8>
// CHECK: quant.scast {{.*}} : tensor<2x3xi8> to tensor<2x3x!quant.uniform<u8:f32:0, {1.000000e+00,5.000000e-01:255}>>
func.func @quantize_constant_per_axis() -> tensor<2x3x!quant.uniform<u8:f32:0, {1.0, 0.5:255}>> {
  %c = arith.constant dense<[[1.0, 200.0, -4.0], [0.0, -1.0, 3.0]]> : tensor<2x3xf32>
  %q = slim.quantize %c : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32:0, {1.0, 0.5:255}>>
  return %q : tensor<2x3x!quant.uniform<u8:f32:0, {1.0, 0.5:255}>>
}

// -----

// Blocks of 2 along the last axis: scales 1, 4 for columns {0,1}, {2,3}.
// CHECK-LABEL: func @quantize_constant_blocks
// CHECK: arith.constant dense<{{\[}}[3, -3, 1, -1]]> : tensor<1x4xi4>
func.func @quantize_constant_blocks() -> tensor<1x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 4.0}}>> {
  %c = arith.constant dense<[[3.0, -3.0, 3.0, -3.0]]> : tensor<1x4xf32>
  %q = slim.quantize %c : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 4.0}}>>
  return %q : tensor<1x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 4.0}}>>
}

// -----

// Splat constants stay splats.
// CHECK-LABEL: func @quantize_constant_splat
// CHECK: arith.constant dense<5> : tensor<64x64xi8>
func.func @quantize_constant_splat() -> tensor<64x64x!quant.uniform<i8:f32, 0.2>> {
  %c = arith.constant dense<1.0> : tensor<64x64xf32>
  %q = slim.quantize %c : tensor<64x64xf32> to tensor<64x64x!quant.uniform<i8:f32, 0.2>>
  return %q : tensor<64x64x!quant.uniform<i8:f32, 0.2>>
}

// -----

// fake_quant of a constant is a float constant: 0.3 -> 1 * 0.25,
// 0.375 / 0.25 = 1.5 -> 2 -> 0.5, 100 -> 127 * 0.25.
// CHECK-LABEL: func @fake_quant_constant
// CHECK: %[[C:.*]] = arith.constant dense<[2.500000e-01, 5.000000e-01, 3.175000e+01]> : tensor<3xf32>
// CHECK-NOT: slim.fake_quant
// CHECK: return %[[C]]
func.func @fake_quant_constant() -> tensor<3xf32> {
  %c = arith.constant dense<[0.3, 0.375, 100.0]> : tensor<3xf32>
  %0 = slim.fake_quant %c as !quant.uniform<i8:f32, 0.25> : tensor<3xf32>
  return %0 : tensor<3xf32>
}
