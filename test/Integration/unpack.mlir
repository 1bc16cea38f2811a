// slim.unpack run through slim-run and compared with test/Integration/ref.py
// (written from the op's description): every byte value 0..255 appears,
// rows of an odd length (7 values in 4 bytes: the last byte's high nibble is
// padding) and of an even length, read as signed (i4) and unsigned (u4), a
// dynamic leading dimension.
//
// RUN: %ref gen %t.p7.npy --dtype int8 --shape 64,4 --ints=-128,127
// RUN: %ref gen %t.p6.npy --dtype int8 --shape 5,3 --random 15 --range=-128,127 --seed 7
// RUN: slim-run %s -e odd --input %t.p7.npy --output %t.s7.npy --output %t.u7.npy
// RUN: slim-run %s -e even --input %t.p6.npy --output %t.s6.npy
// RUN: %ref unpack --input %t.p7.npy --output %t.s7.npy --n 7 --signed --label odd-signed | FileCheck %s --check-prefix=CHECK-S7
// RUN: %ref unpack --input %t.p7.npy --output %t.u7.npy --n 7 --label odd-unsigned | FileCheck %s --check-prefix=CHECK-U7
// RUN: %ref unpack --input %t.p6.npy --output %t.s6.npy --n 6 --signed --label even-signed | FileCheck %s --check-prefix=CHECK-S6
// CHECK-S7: odd-signed: 448 values, 0 mismatches
// CHECK-U7: odd-unsigned: 448 values, 0 mismatches
// CHECK-S6: even-signed: 30 values, 0 mismatches
// The signed and unsigned readings differ, so each check can fail.
// RUN: not %ref same %t.s7.npy %t.u7.npy --label differ | FileCheck %s --check-prefix=CHECK-DIFFER
// CHECK-DIFFER: differ: 448 values, {{[1-9][0-9]*}} mismatches

func.func @odd(%p: tensor<?x4xi8>) -> (tensor<?x7xf32>, tensor<?x7xf32>) {
  %v = slim.unpack %p : tensor<?x4xi8> -> tensor<?x7xi4>
  %s = quant.scast %v : tensor<?x7xi4> to tensor<?x7x!quant.uniform<i4:f32, 1.0>>
  %u = quant.scast %v : tensor<?x7xi4> to tensor<?x7x!quant.uniform<u4:f32, 1.0>>
  %ds = slim.dequantize %s : tensor<?x7x!quant.uniform<i4:f32, 1.0>> to tensor<?x7xf32>
  %du = slim.dequantize %u : tensor<?x7x!quant.uniform<u4:f32, 1.0>> to tensor<?x7xf32>
  return %ds, %du : tensor<?x7xf32>, tensor<?x7xf32>
}

func.func @even(%p: tensor<5x3xi8>) -> tensor<5x6xf32> {
  %v = slim.unpack %p : tensor<5x3xi8> -> tensor<5x6xi4>
  %s = quant.scast %v : tensor<5x6xi4> to tensor<5x6x!quant.uniform<i4:f32, 1.0>>
  %d = slim.dequantize %s : tensor<5x6x!quant.uniform<i4:f32, 1.0>> to tensor<5x6xf32>
  return %d : tensor<5x6xf32>
}
