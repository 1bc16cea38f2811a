// Per-axis (axis 0 and the last axis) and sub-channel (block) quantization,
// through slim-run, against test/Integration/ref.py. Odd shapes (3x17,
// 17x3), zero points at both ends of the range per channel, u8 and i8.
//
// RUN: %ref gen %t.x.npy --shape 3,17 --specials --ties 10 --tie-step 0.25 --random 31 --range=-60,60 --seed 5
// RUN: %ref gen %t.y.npy --shape 17,3 --ties 20 --tie-step 0.0625 --random 11 --range=-9,9 --seed 6
// RUN: slim-run %s -e per_axis --input %t.x.npy --input %t.y.npy --output %t.a0.npy --output %t.a1.npy --output %t.d0.npy --output %t.d1.npy
// RUN: %ref quantize --mlir %s --func per_axis --q result:0 --input %t.x.npy --output %t.a0.npy --label axis0 | FileCheck %s --check-prefix=CHECK-AXIS0
// RUN: %ref quantize --mlir %s --func per_axis --q result:1 --rounding away --input %t.y.npy --output %t.a1.npy --label axis1 | FileCheck %s --check-prefix=CHECK-AXIS1
// RUN: %ref dequantize --mlir %s --func per_axis --q result:0 --input %t.a0.npy --output %t.d0.npy --label deq0 | FileCheck %s --check-prefix=CHECK-DEQ0
// RUN: %ref dequantize --mlir %s --func per_axis --q result:1 --input %t.a1.npy --output %t.d1.npy --label deq1 | FileCheck %s --check-prefix=CHECK-DEQ1
// CHECK-AXIS0: axis0: 51 values, 0 mismatches
// CHECK-AXIS1: axis1: 51 values, 0 mismatches
// CHECK-DEQ0: deq0: 51 values, 0 mismatches
// CHECK-DEQ1: deq1: 51 values, 0 mismatches

func.func @per_axis(%x: tensor<3x17xf32>, %y: tensor<17x3xf32>) -> (tensor<3x17x!quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.3:128}>>, tensor<17x3x!quant.uniform<i8:f32:1, {0.0625:-128, 0.125:127, 0.07:0}>>, tensor<3x17xf32>, tensor<17x3xf32>) {
  %a0 = slim.quantize %x : tensor<3x17xf32> to tensor<3x17x!quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.3:128}>>
  %a1 = slim.quantize %y rounding<half_away_from_zero> : tensor<17x3xf32> to tensor<17x3x!quant.uniform<i8:f32:1, {0.0625:-128, 0.125:127, 0.07:0}>>
  %d0 = slim.dequantize %a0 : tensor<3x17x!quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.3:128}>> to tensor<3x17xf32>
  %d1 = slim.dequantize %a1 : tensor<17x3x!quant.uniform<i8:f32:1, {0.0625:-128, 0.125:127, 0.07:0}>> to tensor<17x3xf32>
  return %a0, %a1, %d0, %d1 : tensor<3x17x!quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.3:128}>>, tensor<17x3x!quant.uniform<i8:f32:1, {0.0625:-128, 0.125:127, 0.07:0}>>, tensor<3x17xf32>, tensor<17x3xf32>
}

// The same values with the rounding the test does not use must differ (so
// the check above can fail).
// RUN: not %ref quantize --mlir %s --func per_axis --q result:1 --rounding even --input %t.y.npy --output %t.a1.npy --label wrong | FileCheck %s --check-prefix=CHECK-WRONG
// CHECK-WRONG: wrong: 51 values, {{[1-9][0-9]*}} mismatches

// Blocks: 4x6 in blocks of 2x3 (four scale/zero-point pairs), i4 storage,
// and a block size of 2 along the last axis only (axis 0 not listed: one
// block spanning it). i4 has no .npy form: the stored values are widened
// with arith.extsi after quant.scast.
// RUN: %ref gen %t.b.npy --shape 4,6 --random 24 --range=-20,20 --seed 8
// RUN: %ref gen %t.c.npy --shape 3,4 --values=0.5,1.5,-0.5,-2.5,7,8,-9,100,-100,0.25,0.75,3
// RUN: slim-run %s -e blocks --input %t.b.npy --input %t.c.npy --output %t.qb.npy --output %t.db.npy --output %t.qc.npy --output %t.dc.npy
// RUN: %ref quantize --mlir %s --func blocks_types --q result:0 --input %t.b.npy --output %t.qb.npy --label blocks2x3 | FileCheck %s --check-prefix=CHECK-B23
// RUN: %ref dequantize --mlir %s --func blocks_types --q result:0 --input %t.qb.npy --output %t.db.npy --label deqblocks | FileCheck %s --check-prefix=CHECK-DB23
// RUN: %ref quantize --mlir %s --func blocks_types --q result:1 --input %t.c.npy --output %t.qc.npy --label lastaxis | FileCheck %s --check-prefix=CHECK-BLAST
// RUN: %ref dequantize --mlir %s --func blocks_types --q result:1 --input %t.qc.npy --output %t.dc.npy --label deqlast | FileCheck %s --check-prefix=CHECK-DBLAST
// CHECK-B23: blocks2x3: 24 values, 0 mismatches
// CHECK-DB23: deqblocks: 24 values, 0 mismatches
// CHECK-BLAST: lastaxis: 12 values, 0 mismatches
// CHECK-DBLAST: deqlast: 12 values, 0 mismatches

// Declares the quantized types the checker reads.
func.func private @blocks_types() -> (tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0:-8, 2.0:7}, {0.5:0, 3.0:-1}}>>, tensor<3x4x!quant.uniform<u4:f32:{1:2}, {{0.5:8, 1.0:0}}>>)

func.func @blocks(%b: tensor<4x6xf32>, %c: tensor<3x4xf32>) -> (tensor<4x6xi8>, tensor<4x6xf32>, tensor<3x4xi8>, tensor<3x4xf32>) {
  %qb = slim.quantize %b : tensor<4x6xf32> to tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0:-8, 2.0:7}, {0.5:0, 3.0:-1}}>>
  %db = slim.dequantize %qb : tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0:-8, 2.0:7}, {0.5:0, 3.0:-1}}>> to tensor<4x6xf32>
  %sb = quant.scast %qb : tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:3}, {{1.0:-8, 2.0:7}, {0.5:0, 3.0:-1}}>> to tensor<4x6xi4>
  %wb = arith.extsi %sb : tensor<4x6xi4> to tensor<4x6xi8>
  %qc = slim.quantize %c : tensor<3x4xf32> to tensor<3x4x!quant.uniform<u4:f32:{1:2}, {{0.5:8, 1.0:0}}>>
  %dc = slim.dequantize %qc : tensor<3x4x!quant.uniform<u4:f32:{1:2}, {{0.5:8, 1.0:0}}>> to tensor<3x4xf32>
  %sc = quant.scast %qc : tensor<3x4x!quant.uniform<u4:f32:{1:2}, {{0.5:8, 1.0:0}}>> to tensor<3x4xi4>
  %wc = arith.extui %sc : tensor<3x4xi4> to tensor<3x4xi8>
  return %wb, %db, %wc, %dc : tensor<4x6xi8>, tensor<4x6xf32>, tensor<3x4xi8>, tensor<3x4xf32>
}
