// slim.qmatmul through slim-run, bit-exact against the integer formula
// recomputed in test/Integration/ref.py: odd sizes (3x17 times 17x5), u8
// activations with the zero point at the top of the range (255) and in the
// middle, i8 weights per output channel with zero points 0, 3, -5 and the
// range ends (127, -128; the row-sum path), a bias, and a constant weight
// whose column sums are folded at compile time.
//
// RUN: %ref gen %t.a.npy --dtype uint8 --shape 3,17 --values=0,255,128,1,254 --random 46 --range=0,255 --seed 41
// RUN: %ref gen %t.b.npy --dtype int8 --shape 17,5 --values=-128,127,0,-1,1 --random 80 --range=-128,127 --seed 42
// RUN: %ref gen %t.bias.npy --dtype int32 --shape 5 --values=0,-1000000,2147,-7,123456
// RUN: slim-run %s -e runtime --input %t.a.npy --input %t.b.npy --input %t.bias.npy --output %t.acc.npy
// RUN: %ref qmatmul --mlir %s --func runtime --lhs %t.a.npy --rhs %t.b.npy --bias %t.bias.npy --output %t.acc.npy --label runtime | FileCheck %s --check-prefix=CHECK-RUNTIME
// CHECK-RUNTIME: runtime: 15 values, 0 mismatches

func.func @runtime(%a: tensor<3x17x!quant.uniform<u8:f32, 0.5:255>>, %b: tensor<17x5x!quant.uniform<i8:f32:1, {0.25, 0.125:3, 0.5:-5, 1.0:127, 2.0:-128}>>, %bias: tensor<5x!quant.uniform<i32:f32:0, {0.125, 0.0625, 0.25, 0.5, 1.0}>>) -> tensor<3x5x!quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25, 0.5, 1.0}>> {
  %acc = slim.qmatmul %a, %b, %bias : tensor<3x17x!quant.uniform<u8:f32, 0.5:255>>, tensor<17x5x!quant.uniform<i8:f32:1, {0.25, 0.125:3, 0.5:-5, 1.0:127, 2.0:-128}>>, tensor<5x!quant.uniform<i32:f32:0, {0.125, 0.0625, 0.25, 0.5, 1.0}>> -> tensor<3x5x!quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25, 0.5, 1.0}>>
  return %acc : tensor<3x5x!quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25, 0.5, 1.0}>>
}

// A constant per-tensor weight (zero point 0) and Z_lhs = 128: the lowering
// folds 128 * column sums into a constant; no bias.
// RUN: %ref gen %t.w.npy --dtype int8 --shape 17,5 --values=1,-2,3,-4,5,-6,7,-8,9,-10,11,-12,13,-14,15,-16,17,-18,19,-20,21,-22,23,-24,25,-26,27,-28,29,-30,31,-32,33,-34,35,-36,37,-38,39,-40,41,-42,43,-44,45,-46,47,-48,49,-50,51,-52,53,-54,55,-56,57,-58,59,-60,61,-62,63,-64,65,-66,67,-68,69,-70,71,-72,73,-74,75,-76,77,-78,79,-80,81,-82,83,-84,85
// RUN: slim-run %s -e constant_rhs --input %t.a.npy --output %t.acc2.npy
// RUN: %ref qmatmul --mlir %s --func constant_rhs_types --lhs %t.a.npy --rhs %t.w.npy --output %t.acc2.npy --label constant | FileCheck %s --check-prefix=CHECK-CONSTANT
// CHECK-CONSTANT: constant: 15 values, 0 mismatches
// RUN: slim-opt %s --slim-lower-to-linalg-pipeline | FileCheck %s --check-prefix=CHECK-IR
// CHECK-IR-LABEL: func.func @constant_rhs
// CHECK-IR-NOT: iterator_types = ["parallel", "reduction"]
// CHECK-IR: iterator_types = ["parallel", "parallel", "reduction"]

// The declaration carries the weight's type for the checker.
func.func private @constant_rhs_types(tensor<3x17x!quant.uniform<u8:f32, 0.5:128>>, tensor<17x5x!quant.uniform<i8:f32, 0.25>>)

func.func @constant_rhs(%a: tensor<3x17x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<3x5x!quant.uniform<i32:f32, 0.125>> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5], [-6, 7, -8, 9, -10], [11, -12, 13, -14, 15], [-16, 17, -18, 19, -20], [21, -22, 23, -24, 25], [-26, 27, -28, 29, -30], [31, -32, 33, -34, 35], [-36, 37, -38, 39, -40], [41, -42, 43, -44, 45], [-46, 47, -48, 49, -50], [51, -52, 53, -54, 55], [-56, 57, -58, 59, -60], [61, -62, 63, -64, 65], [-66, 67, -68, 69, -70], [71, -72, 73, -74, 75], [-76, 77, -78, 79, -80], [81, -82, 83, -84, 85]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8:f32, 0.25>>
  %acc = slim.qmatmul %a, %wq : tensor<3x17x!quant.uniform<u8:f32, 0.5:128>>, tensor<17x5x!quant.uniform<i8:f32, 0.25>> -> tensor<3x5x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<3x5x!quant.uniform<i32:f32, 0.125>>
}

// Batched (linalg.batch_matmul's form): 3 batches of 2x7 times 7x3, both
// operands activations with zero points (u8 at 0 and i8 at -128: the range
// ends; the column sums of the right operand are per batch, at run time),
// and a dynamic batch. The second case has a per-column right operand and a
// bias.
// RUN: %ref gen %t.ba.npy --dtype uint8 --shape 3,2,7 --values=0,255,1,254 --random 38 --range=0,255 --seed 51
// RUN: %ref gen %t.bb.npy --dtype int8 --shape 3,7,3 --values=-128,127,0 --random 60 --range=-128,127 --seed 52
// RUN: %ref gen %t.bbias.npy --dtype int32 --shape 3 --values=5,-70000,2147483000
// RUN: slim-run %s -e batched --input %t.ba.npy --input %t.bb.npy --output %t.bacc.npy
// RUN: %ref qmatmul --mlir %s --func batched --lhs %t.ba.npy --rhs %t.bb.npy --output %t.bacc.npy --label batched | FileCheck %s --check-prefix=CHECK-BATCHED
// CHECK-BATCHED: batched: 18 values, 0 mismatches
// RUN: slim-run %s -e batched_per_column --input %t.ba.npy --input %t.bb.npy --input %t.bbias.npy --output %t.bacc2.npy
// RUN: %ref qmatmul --mlir %s --func batched_per_column --lhs %t.ba.npy --rhs %t.bb.npy --bias %t.bbias.npy --output %t.bacc2.npy --label per-column | FileCheck %s --check-prefix=CHECK-BATCHED-COL
// CHECK-BATCHED-COL: per-column: 18 values, 0 mismatches
// The zero points matter: without them the results differ.
// RUN: not %ref same %t.bacc.npy %t.bacc2.npy --label differ | FileCheck %s --check-prefix=CHECK-BATCHED-DIFFER
// CHECK-BATCHED-DIFFER: differ: 18 values, {{[1-9][0-9]*}} mismatches

func.func @batched(%a: tensor<?x2x7x!quant.uniform<u8:f32, 0.5:0>>, %b: tensor<?x7x3x!quant.uniform<i8:f32, 0.25:-128>>) -> tensor<?x2x3x!quant.uniform<i32:f32, 0.125>> {
  %acc = slim.qmatmul %a, %b : tensor<?x2x7x!quant.uniform<u8:f32, 0.5:0>>, tensor<?x7x3x!quant.uniform<i8:f32, 0.25:-128>> -> tensor<?x2x3x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<?x2x3x!quant.uniform<i32:f32, 0.125>>
}

func.func @batched_per_column(%a: tensor<3x2x7x!quant.uniform<u8:f32, 0.5:200>>, %b: tensor<3x7x3x!quant.uniform<i8:f32:2, {0.25:5, 0.5, 1.0:-7}>>, %bias: tensor<3x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.5}>>) -> tensor<3x2x3x!quant.uniform<i32:f32:2, {0.125, 0.25, 0.5}>> {
  %acc = slim.qmatmul %a, %b, %bias : tensor<3x2x7x!quant.uniform<u8:f32, 0.5:200>>, tensor<3x7x3x!quant.uniform<i8:f32:2, {0.25:5, 0.5, 1.0:-7}>>, tensor<3x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.5}>> -> tensor<3x2x3x!quant.uniform<i32:f32:2, {0.125, 0.25, 0.5}>>
  return %acc : tensor<3x2x3x!quant.uniform<i32:f32:2, {0.125, 0.25, 0.5}>>
}
