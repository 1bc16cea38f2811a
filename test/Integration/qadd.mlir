// slim.qadd through slim-run against test/Integration/ref.py's
// reimplementation of TFLite's reference 8-bit ADD (Python integers), and
// within one output step of the exact real sum wherever nothing saturates.
//
// u8 (Z = 128) + i8 (Z = -3) -> i8 (Z = 5) with three unrelated scales, on
// an odd 3x37 shape; each input holds its storage extremes, its zero point
// and its neighbours, the rest random.
// RUN: %ref gen %t.a.npy --dtype uint8 --shape 3,37 --values=0,1,127,128,129,254,255,0,255 --range=0,255 --seed 11
// RUN: %ref gen %t.b.npy --dtype int8 --shape 3,37 --values=-128,-127,-4,-3,-2,126,127,127,-128 --range=-128,127 --seed 12
// RUN: slim-run %s -e mixed --input %t.a.npy --input %t.b.npy --output %t.mixed.npy
// RUN: %ref qadd --mlir %s --func mixed --input %t.a.npy --rhs %t.b.npy --output %t.mixed.npy | FileCheck %s --check-prefix=CHECK-MIXED
// CHECK-MIXED: qadd: 111 values, 0 mismatches
// CHECK-MIXED: qadd: {{[1-9][0-9]*}} unsaturated values, 0 more than one step from the real sum

func.func @mixed(%a: tensor<3x37x!quant.uniform<u8:f32, 0.0473:128>>, %b: tensor<3x37x!quant.uniform<i8:f32, 0.0211:-3>>) -> tensor<3x37x!quant.uniform<i8:f32, 0.0618:5>> {
  %0 = slim.qadd %a, %b : tensor<3x37x!quant.uniform<u8:f32, 0.0473:128>>, tensor<3x37x!quant.uniform<i8:f32, 0.0211:-3>> -> tensor<3x37x!quant.uniform<i8:f32, 0.0618:5>>
  return %0 : tensor<3x37x!quant.uniform<i8:f32, 0.0618:5>>
}

// Ties: equal input scales 0.5 and output scale 1.0 make the result
// (x + y) / 2, a tie whenever x + y is odd; the fixed-point arithmetic
// rounds it away from zero (round-half-even would differ on half of them).
// Zero points 0 and 255, the ends of u8.
// RUN: %ref gen %t.c.npy --dtype uint8 --shape 5,41 --values=0,1,2,3,254,255 --range=0,255 --seed 13
// RUN: %ref gen %t.d.npy --dtype uint8 --shape 5,41 --values=255,254,253,0,1,2 --range=0,255 --seed 14
// RUN: slim-run %s -e ties --input %t.c.npy --input %t.d.npy --output %t.ties.npy
// RUN: %ref qadd --mlir %s --func ties --input %t.c.npy --rhs %t.d.npy --output %t.ties.npy | FileCheck %s --check-prefix=CHECK-TIES
// CHECK-TIES: qadd: 205 values, 0 mismatches
// CHECK-TIES: qadd: 205 unsaturated values, 0 more than one step from the real sum

func.func @ties(%a: tensor<5x41x!quant.uniform<u8:f32, 0.5>>, %b: tensor<5x41x!quant.uniform<u8:f32, 0.5:255>>) -> tensor<5x41x!quant.uniform<i16:f32, 1.0>> {
  %0 = slim.qadd %a, %b : tensor<5x41x!quant.uniform<u8:f32, 0.5>>, tensor<5x41x!quant.uniform<u8:f32, 0.5:255>> -> tensor<5x41x!quant.uniform<i16:f32, 1.0>>
  return %0 : tensor<5x41x!quant.uniform<i16:f32, 1.0>>
}

// Saturation and a fused ReLU: a fine output scale that most sums leave
// (they saturate at 255), the output zero point at the bottom of u8 so that
// clamp [0, 255] is ReLU and negative sums become 0; input scales a factor
// 1000 apart (the finer input still counts).
// RUN: %ref gen %t.e.npy --dtype int8 --shape 7,13 --values=-128,127,0,1,-1 --range=-128,127 --seed 15
// RUN: %ref gen %t.f.npy --dtype int8 --shape 7,13 --values=127,-128,0,-1,1 --range=-128,127 --seed 16
// RUN: slim-run %s -e saturate --input %t.e.npy --input %t.f.npy --output %t.sat.npy --output %t.relu.npy
// RUN: %ref qadd --mlir %s --func saturate --input %t.e.npy --rhs %t.f.npy --output %t.sat.npy --label sat | FileCheck %s --check-prefix=CHECK-SAT
// RUN: %ref qadd --mlir %s --func saturate --input %t.e.npy --rhs %t.f.npy --output %t.relu.npy --qout result:1 --label relu --clamp=-100,20 | FileCheck %s --check-prefix=CHECK-RELU
// CHECK-SAT: sat: 91 values, 0 mismatches
// CHECK-SAT: sat: {{[1-9][0-9]*}} unsaturated values, 0 more than one step from the real sum
// CHECK-RELU: relu: 91 values, 0 mismatches

func.func @saturate(%a: tensor<7x13x!quant.uniform<i8:f32, 2.0>>, %b: tensor<7x13x!quant.uniform<i8:f32, 0.002:-1>>) -> (tensor<7x13x!quant.uniform<u8:f32, 0.5>>, tensor<7x13x!quant.uniform<i8:f32, 0.5:-100>>) {
  %0 = slim.qadd %a, %b : tensor<7x13x!quant.uniform<i8:f32, 2.0>>, tensor<7x13x!quant.uniform<i8:f32, 0.002:-1>> -> tensor<7x13x!quant.uniform<u8:f32, 0.5>>
  %1 = slim.qadd %a, %b clamp [-100, 20] : tensor<7x13x!quant.uniform<i8:f32, 2.0>>, tensor<7x13x!quant.uniform<i8:f32, 0.002:-1>> -> tensor<7x13x!quant.uniform<i8:f32, 0.5:-100>>
  return %0, %1 : tensor<7x13x!quant.uniform<u8:f32, 0.5>>, tensor<7x13x!quant.uniform<i8:f32, 0.5:-100>>
}

// An output multiplier above 1 (the result's scale below 2^-19 of the
// inputs'): the saturating left shift of the sum, into i16; unequal input
// scales (1.0 and 0.75) and inputs, so that neither input multiplier is an
// exact 1/2. No bound on the error is claimed there (M_out > 1/4).
// RUN: %ref gen %t.g.npy --dtype int8 --shape 1,9 --values=0,1,-1,2,-2,3,127,-128,5 --range=-128,127 --seed 17
// RUN: %ref gen %t.h.npy --dtype int8 --shape 1,9 --values=0,-1,1,-3,2,-2,-128,127,-6 --range=-128,127 --seed 18
// RUN: slim-run %s -e left_shift --input %t.g.npy --input %t.h.npy --output %t.left.npy
// RUN: %ref qadd --mlir %s --func left_shift --input %t.g.npy --rhs %t.h.npy --output %t.left.npy | FileCheck %s --check-prefix=CHECK-LEFT
// CHECK-LEFT: qadd: 9 values, 0 mismatches
// CHECK-LEFT: qadd: 0 unsaturated values

func.func @left_shift(%a: tensor<1x9x!quant.uniform<i8:f32, 1.0>>, %b: tensor<1x9x!quant.uniform<i8:f32, 0.75>>) -> tensor<1x9x!quant.uniform<i16:f32, 1.0e-7>> {
  %0 = slim.qadd %a, %b : tensor<1x9x!quant.uniform<i8:f32, 1.0>>, tensor<1x9x!quant.uniform<i8:f32, 0.75>> -> tensor<1x9x!quant.uniform<i16:f32, 1.0e-7>>
  return %0 : tensor<1x9x!quant.uniform<i16:f32, 1.0e-7>>
}

// The lowering: one generic over the two stored operands, i64 fixed point.
// RUN: slim-opt %s --slim-lower-quant | FileCheck %s --check-prefix=CHECK-IR
// CHECK-IR-LABEL: func.func @mixed(%{{.*}}: tensor<3x37xi8>, %{{.*}}: tensor<3x37xi8>) -> tensor<3x37xi8>
// CHECK-IR: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x37xi8>, tensor<3x37xi8>) outs(%{{.*}} : tensor<3x37xi8>)
// CHECK-IR: arith.extui
// CHECK-IR: arith.extsi
// CHECK-IR: arith.divsi %{{.*}}, %{{.*}} : i64
// CHECK-IR: arith.trunci %{{.*}} : i64 to i8
// CHECK-IR-NOT: slim.qadd
