// RUN: slim-opt %s -split-input-file -slim-lower-quant | FileCheck %s

// Per-tensor quantize: divide in f32, round, NaN -> 0, clamp the float to
// +-2^30 so that fptosi is defined, add Z, saturate, truncate. The function
// boundary carries the storage type.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func @quantize_per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<5xf32>) -> tensor<5xi8>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<5xi8>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel"]} ins(%[[X]] : tensor<5xf32>) outs(%[[INIT]] : tensor<5xi8>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[Z:.*]] = arith.constant -3 : i32
// CHECK: %[[T:.*]] = arith.divf %[[IN]], %[[S]] : f32
// CHECK: %[[RD:.*]] = math.roundeven %[[T]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[NAN]], %{{.*}}, %[[RD]] : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[SEL]], %{{.*}} : f32
// CHECK: %[[HI:.*]] = arith.minimumf %[[LO]], %{{.*}} : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[HI]] : f32 to i32
// CHECK: %[[A:.*]] = arith.addi %[[I]], %[[Z]] : i32
// CHECK: %[[C1:.*]] = arith.maxsi %[[A]], %{{.*}} : i32
// CHECK: %[[C2:.*]] = arith.minsi %[[C1]], %{{.*}} : i32
// CHECK: %[[Q:.*]] = arith.trunci %[[C2]] : i32 to i8
// CHECK: linalg.yield %[[Q]] : i8
// CHECK: return %[[R]] : tensor<5xi8>
func.func @quantize_per_tensor(%x: tensor<5xf32>) -> tensor<5x!quant.uniform<i8:f32, 0.5:-3>> {
  %q = slim.quantize %x : tensor<5xf32> to tensor<5x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<5x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// CHECK-LABEL: func @quantize_away_u4
// CHECK: math.round %{{.*}} : f32
// CHECK: arith.constant 0 : i32
// CHECK: arith.constant 15 : i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
func.func @quantize_away_u4(%x: tensor<3xf32>) -> tensor<3x!quant.uniform<u4:f32, 0.5:8>> {
  %q = slim.quantize %x rounding<half_away_from_zero> : tensor<3xf32> to tensor<3x!quant.uniform<u4:f32, 0.5:8>>
  return %q : tensor<3x!quant.uniform<u4:f32, 0.5:8>>
}

// -----

// Per-axis parameters become constant tensors read through (d0, d1) -> (d1);
// f16 input is extended to f32 first.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @quantize_per_axis_f16
// CHECK-SAME: -> tensor<2x3xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]], {{.*}} ins(%arg0, %[[S]], %[[Z]] : tensor<2x3xf16>, tensor<3xf32>, tensor<3xi32>)
// CHECK: ^bb0(%[[IN:.*]]: f16, %[[SC:.*]]: f32, %[[ZP:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[E:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK: arith.divf %[[E]], %[[SC]] : f32
// CHECK: arith.addi %{{.*}}, %[[ZP]] : i32
func.func @quantize_per_axis_f16(%x: tensor<2x3xf16>) -> tensor<2x3x!quant.uniform<u8:f16:1, {0.1:1, 0.2:2, 0.3:3}>> {
  %q = slim.quantize %x : tensor<2x3xf16> to tensor<2x3x!quant.uniform<u8:f16:1, {0.1:1, 0.2:2, 0.3:3}>>
  return %q : tensor<2x3x!quant.uniform<u8:f16:1, {0.1:1, 0.2:2, 0.3:3}>>
}

// -----

// Sub-channel: element (i, j) reads block (i floordiv 2, j floordiv 3); a
// zero point shared by every block stays a scalar.
// CHECK-DAG: #[[BLK:.*]] = affine_map<(d0, d1) -> (d0 floordiv 2, d1 floordiv 3)>
// CHECK-LABEL: func @dequantize_blocks
// CHECK-SAME: (%[[Q:.*]]: tensor<4x6xi4>) -> tensor<4x6xf32>
// CHECK: %[[S:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLK]], #{{.*}}], {{.*}} ins(%[[Q]], %[[S]] : tensor<4x6xi4>, tensor<2x2xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i4, %[[SC:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[W:.*]] = arith.extsi %[[IN]] : i4 to i32
// CHECK: %[[D:.*]] = arith.subi %[[W]], %{{.*}} : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: %[[R:.*]] = arith.mulf %[[F]], %[[SC]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @dequantize_blocks(%q: tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0, 2.0}, {3.0, 4.0}}>>) -> tensor<4x6xf32> {
  %d = slim.dequantize %q : tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0, 2.0}, {3.0, 4.0}}>> to tensor<4x6xf32>
  return %d : tensor<4x6xf32>
}

// -----

// Unsigned storage widens with extui; bf16 results are narrowed with truncf.
// CHECK-LABEL: func @dequantize_u8_bf16
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @dequantize_u8_bf16(%q: tensor<7x!quant.uniform<u8:bf16, 0.5:128>>) -> tensor<7xbf16> {
  %d = slim.dequantize %q : tensor<7x!quant.uniform<u8:bf16, 0.5:128>> to tensor<7xbf16>
  return %d : tensor<7xbf16>
}

// -----

// i32 storage computes in i64 so that q - Z cannot overflow.
// CHECK-LABEL: func @dequantize_i32
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.sitofp %{{.*}} : i64 to f32
func.func @dequantize_i32(%q: tensor<3x!quant.uniform<i32:f32, 0.5:7>>) -> tensor<3xf32> {
  %d = slim.dequantize %q : tensor<3x!quant.uniform<i32:f32, 0.5:7>> to tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

// Fixed-point requantize of a per-channel accumulator with a dynamic batch:
// M = 1e-3/0.1 and 2e-3/0.1 share M0 = 1374389535 and differ in their right
// shift (6 and 5), which becomes a tensor input; the input saturates to
// int32 (i32 storage), the result is clamped to [-3, 127].
// CHECK-DAG: #[[AX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @requantize_fixed_point
// CHECK-SAME: (%[[A:.*]]: tensor<?x2xi32>) -> tensor<?x2xi8>
// CHECK: %[[SH:.*]] = arith.constant dense<[6, 5]> : tensor<2xi64>
// CHECK: %[[DIM:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x2xi32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<?x2xi8>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[AX]], #{{.*}}], {{.*}} ins(%[[A]], %[[SH]] : tensor<?x2xi32>, tensor<2xi64>) outs(%[[INIT]] : tensor<?x2xi8>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %[[RSH:.*]]: i64, %{{.*}}: i8):
// CHECK: arith.extsi %[[IN]] : i32 to i64
// CHECK: arith.constant -2147483648 : i64
// CHECK: arith.constant 2147483647 : i64
// CHECK: %[[M0:.*]] = arith.constant 1374389535 : i64
// CHECK: %[[AB:.*]] = arith.muli %{{.*}}, %[[M0]] : i64
// CHECK: arith.cmpi sge, %[[AB]]
// CHECK: arith.constant 1073741824 : i64
// CHECK: arith.constant -1073741823 : i64
// CHECK: %[[HIGH:.*]] = arith.divsi %{{.*}}, %{{.*}} : i64
// CHECK: arith.shli %{{.*}}, %[[RSH]] : i64
// CHECK: arith.shrsi %[[HIGH]], %[[RSH]] : i64
// CHECK: arith.constant -3 : i64
// CHECK: arith.constant 127 : i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @requantize_fixed_point(%a: tensor<?x2x!quant.uniform<i32:f32:1, {1.0e-3, 2.0e-3}>>) -> tensor<?x2x!quant.uniform<i8:f32, 0.1:-3>> {
  %0 = slim.requantize %a clamp [-3, 127] : tensor<?x2x!quant.uniform<i32:f32:1, {1.0e-3, 2.0e-3}>> to tensor<?x2x!quant.uniform<i8:f32, 0.1:-3>>
  return %0 : tensor<?x2x!quant.uniform<i8:f32, 0.1:-3>>
}

// -----

// A multiplier >= 1 shifts left and saturates to int32 before the high
// multiply; i8 input needs no input saturation.
// CHECK-LABEL: func @requantize_fixed_point_left_shift
// CHECK-NOT: arith.constant -2147483648
// CHECK: arith.extsi %{{.*}} : i8 to i64
// CHECK: %[[L:.*]] = arith.shli
// CHECK: arith.maxsi %[[L]]
func.func @requantize_fixed_point_left_shift(%a: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i16:f32, 0.25>> {
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i8:f32, 1.0>> to tensor<4x!quant.uniform<i16:f32, 0.25>>
  return %0 : tensor<4x!quant.uniform<i16:f32, 0.25>>
}

// -----

// The float path multiplies in f64 and rounds once.
// CHECK-LABEL: func @requantize_float
// CHECK: %[[W:.*]] = arith.extui %{{.*}} : i8 to i64
// CHECK: %[[D:.*]] = arith.subi %[[W]], %{{.*}} : i64
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i64 to f64
// CHECK: %[[M:.*]] = arith.constant 2.000000e+00 : f64
// CHECK: %[[P:.*]] = arith.mulf %[[F]], %[[M]] : f64
// CHECK: math.round %[[P]] : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @requantize_float(%a: tensor<4x!quant.uniform<u8:f32, 0.2:128>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  %0 = slim.requantize %a mode<float> rounding<half_away_from_zero> : tensor<4x!quant.uniform<u8:f32, 0.2:128>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

// fake_quant is quantize then dequantize in one generic, float in and out.
// CHECK-LABEL: func @fake_quant
// CHECK-SAME: (%{{.*}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: %[[Q:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[W:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: arith.sitofp
// CHECK: %[[R:.*]] = arith.mulf
// CHECK: linalg.yield %[[R]] : f32
// CHECK-NOT: linalg.generic
func.func @fake_quant(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = slim.fake_quant %x as !quant.uniform<i8:f32, 0.25> : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// quant.scast disappears, calls and signatures carry storage types.
// CHECK-LABEL: func @callee
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK: return %[[A]] : tensor<4xi8>
// CHECK-LABEL: func @caller
// CHECK-SAME: (%[[B:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK-NOT: quant.scast
// CHECK: %[[C:.*]] = call @callee(%[[B]]) : (tensor<4xi8>) -> tensor<4xi8>
// CHECK: return %[[C]] : tensor<4xi8>
func.func @callee(%a: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  return %a : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}
func.func @caller(%b: tensor<4xi8>) -> tensor<4xi8> {
  %q = quant.scast %b : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %c = call @callee(%q) : (tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %s = quant.scast %c : tensor<4x!quant.uniform<u8:f32, 0.5:128>> to tensor<4xi8>
  return %s : tensor<4xi8>
}

// -----

// Functions without quantized types are left alone.
// CHECK-LABEL: func @untouched
// CHECK-NEXT: arith.addf
// CHECK-NEXT: return
func.func @untouched(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.addf %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// slim.unpack: one generic over the result reading byte j floordiv 2 of the
// row; the nibble is j mod 2, shifted down by 0 or 4 and truncated. Leading
// dynamic dimensions come from the packed operand.
// CHECK-DAG: #[[BYTE:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @unpack
// CHECK-SAME: (%[[P:.*]]: tensor<?x4xi8>)
// CHECK: %[[D:.*]] = tensor.dim %[[P]], %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x7xi4>
// CHECK: linalg.generic {indexing_maps = [#[[BYTE]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[P]] : tensor<?x4xi8>) outs(%[[E]] : tensor<?x7xi4>)
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: %[[ODD:.*]] = arith.remui %[[J]], %c2
// CHECK: %[[ODD8:.*]] = arith.index_castui %[[ODD]] : index to i8
// CHECK: %[[SH:.*]] = arith.muli %[[ODD8]], %c4_i8
// CHECK: %[[N:.*]] = arith.shrui %{{.*}}, %[[SH]] : i8
// CHECK: %[[T:.*]] = arith.trunci %[[N]] : i8 to i4
// CHECK: linalg.yield %[[T]] : i4
func.func @unpack(%p: tensor<?x4xi8>) -> tensor<?x7xi4> {
  %0 = slim.unpack %p : tensor<?x4xi8> -> tensor<?x7xi4>
  return %0 : tensor<?x7xi4>
}

// -----

// Batched slim.qmatmul: loops (b, m, n, k); the right operand is an
// activation, so its column sums are per batch (b, n) at run time, the row
// sums per (b, m); K * Za * Zb = 7 * 3 * -128 = -2688 is a constant.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BM:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[N:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @qmatmul_batched
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[BN]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: %[[ROW:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[BM]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[C:.*]] = arith.constant dense<-2688> : tensor<3xi32>
// CHECK: %[[ZB:.*]] = arith.constant dense<-128> : tensor<3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[N]], #[[BN]], #[[BM]], #[[N]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[P]], %[[C]], %[[COL]], %[[ROW]], %[[ZB]] :
func.func @qmatmul_batched(%a: tensor<?x2x7x!quant.uniform<u8:f32, 0.5:3>>, %b: tensor<?x7x3x!quant.uniform<i8:f32, 0.25:-128>>) -> tensor<?x2x3x!quant.uniform<i32:f32, 0.125>> {
  %acc = slim.qmatmul %a, %b : tensor<?x2x7x!quant.uniform<u8:f32, 0.5:3>>, tensor<?x7x3x!quant.uniform<i8:f32, 0.25:-128>> -> tensor<?x2x3x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<?x2x3x!quant.uniform<i32:f32, 0.125>>
}

// -----

// tensor.cast of quantized tensors casts the storage tensors.
// CHECK-LABEL: func @cast
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xi8>) -> tensor<?x2xi8>
// CHECK: %[[C:.*]] = tensor.cast %[[A]] : tensor<3x2xi8> to tensor<?x2xi8>
// CHECK: return %[[C]]
func.func @cast(%a: tensor<3x2x!quant.uniform<u8:f32, 0.5:1>>) -> tensor<?x2x!quant.uniform<u8:f32, 0.5:1>> {
  %c = tensor.cast %a : tensor<3x2x!quant.uniform<u8:f32, 0.5:1>> to tensor<?x2x!quant.uniform<u8:f32, 0.5:1>>
  return %c : tensor<?x2x!quant.uniform<u8:f32, 0.5:1>>
}

// -----

// tensor.concat of quantized tensors of one type concatenates the storage
// tensors.
// CHECK-LABEL: func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xi8>, %[[B:.*]]: tensor<1x2xi8>) -> tensor<4x2xi8>
// CHECK: %[[C:.*]] = tensor.concat dim(0) %[[A]], %[[B]] : (tensor<3x2xi8>, tensor<1x2xi8>) -> tensor<4x2xi8>
// CHECK: return %[[C]]
func.func @concat(%a: tensor<3x2x!quant.uniform<u8:f32, 0.5:1>>, %b: tensor<1x2x!quant.uniform<u8:f32, 0.5:1>>) -> tensor<4x2x!quant.uniform<u8:f32, 0.5:1>> {
  %c = tensor.concat dim(0) %a, %b : (tensor<3x2x!quant.uniform<u8:f32, 0.5:1>>, tensor<1x2x!quant.uniform<u8:f32, 0.5:1>>) -> tensor<4x2x!quant.uniform<u8:f32, 0.5:1>>
  return %c : tensor<4x2x!quant.uniform<u8:f32, 0.5:1>>
}

// -----

// slim.dynamic_qmatmul: the activation is quantized to u8 storage (i8), the
// contraction is the raw widening sum (what slim-pack-contractions packs),
// and the zero points come off in the float epilogue: Z * colsum(w) with
// the column sums of the constant weight folded (2 + 3 = 5, -4 + 1 = -3),
// then Zw[n] * rowsum(q) + K * Z * Zw[n] (Zw = 0, 1).
// CHECK-LABEL: func.func @dynamic_constant_weight
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x2xi8>)
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[RAW:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[Q]], %{{.*}} : tensor<?x2xi8>, tensor<2x2xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK-DAG: arith.constant dense<[5, -3]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: %[[ROWSUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[Q]] : tensor<?x2xi8>)
// CHECK: linalg.generic {{.*}} ins(%[[RAW]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ROWSUM]], %{{.*}} : tensor<?x2xi32>, tensor<f32>, tensor<2xf32>, tensor<i32>, tensor<2xi32>, tensor<?xi32>, tensor<2xi32>) outs(%{{.*}} : tensor<?x2xf32>)
// CHECK: arith.sitofp
func.func @dynamic_constant_weight(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[2, -4], [3, 1]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25:1}>>
  %y = slim.dynamic_qmatmul %x, %wq : tensor<?x2xf32>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25:1}>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A grouped slim.qconv2d (2 groups of 3 channels, 2 filters each): the
// padded input's channels, the filters and their zero points, and the
// accumulator split into (group, channel in group); one contraction whose
// input channel is (g, c) and filter (g, fg, c, kh, kw), as linalg's
// conv_2d_ngchw_gfchw; the result collapsed back to N x F x OH x OW.
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[ZMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2)>
// CHECK-DAG: #[[OMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @qconv2d_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<?x6x5x5xi8>, %[[W:.*]]: tensor<4x3x3x3xi8>) -> tensor<?x4x3x3xi32>
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3], [4]] {{.*}} into tensor<?x2x3x7x7xi8>
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] {{.*}} into tensor<2x2x3x3x3xi8>
// CHECK: %[[ZG:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] {{.*}} into tensor<2x2xi32>
// CHECK: %[[AG:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] {{.*}} into tensor<?x2x2x3x3xi32>
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#[[XMAP]], #[[WMAP]], #[[ZMAP]], #[[OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XG]], %[[WG]], %[[ZG]] : {{.*}}) outs(%[[AG]] : tensor<?x2x2x3x3xi32>)
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x2x3x3xi32> into tensor<?x4x3x3xi32>
// CHECK: return %[[R]]
func.func @qconv2d_grouped(%x: tensor<?x6x5x5x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>>) -> tensor<?x4x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>> {
  %0 = slim.qconv2d %x, %w strides [2, 2] dilations [1, 1] padding [1, 1, 1, 1] groups 2 : tensor<?x6x5x5x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.25, 0.5, 1.0, 2.0}>> -> tensor<?x4x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
  return %0 : tensor<?x4x3x3x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
}
