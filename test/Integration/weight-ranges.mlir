// Weight ranges beyond symmetric min/max, through slim-run: the matmul
// multiplies the identity by a 16x7 weight, so its output is exactly the
// dequantized weight, which test/Integration/ref.py recomputes from the
// float weight and the pass's description (its own MSE search, in exact
// arithmetic where the pass uses float32). Groups of 8 rows: one column
// with an outlier per group (4.0, -3.75, 2.5), a zero column (degenerate:
// scale 1), an all-positive and an all-negative group (asymmetric zero
// points at the ends of [-8, 7]).
//
// RUN: %ref gen %t.eye.npy --shape 16,16 --eye 16
// RUN: %ref gen %t.w.npy --shape 16,7 --values=-0.612,0.1888,0.4975,-0.2566,-0.6645,0.0,0.0,0.5491,0.6079,-0.6464,0.353,0.237,0.7669,0.0,-0.0509,0.1371,1.2853,-0.1444,-0.3925,-0.5692,0.0,4.0,0.1724,-0.0311,0.1365,0.3462,0.5484,0.0,-0.8949,0.3509,-0.7098,-0.0857,-0.7369,0.0011,0.0,0.1069,1.6502,-0.0243,0.4212,2.5,-0.144,0.0,-0.0463,0.1851,0.0517,-0.5031,0.2819,-0.406,0.0,-0.2526,0.343,0.0012,0.4762,-0.3011,0.4994,0.0,0.6317,0.3121,0.0706,-0.3901,0.3839,0.2341,0.0,-0.1885,0.2774,0.254,-0.1415,0.1042,0.0911,0.0,-0.5072,-0.1982,-3.75,-0.7556,0.4885,0.5266,0.0,0.3492,0.0917,0.3858,-0.8868,-0.1638,-0.3469,0.0,0.1223,0.4855,0.4369,-0.5679,1.2167,0.8879,0.0,0.3762,0.0635,-0.4421,-0.056,0.187,0.5579,0.0,0.0298,0.6774,-0.3804,-0.3964,0.5561,-0.146,0.0,-0.4531,0.1185,0.2639,-0.7741,-0.5021,0.001,0.0
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 scheme=asymmetric" -o %t.asym.mlir
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 narrow-range=false" -o %t.full.mlir
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 method=mse" -o %t.mse.mlir
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 method=mse scheme=asymmetric" -o %t.mse-asym.mlir
// RUN: slim-opt %s "--slim-quantize-weights=granularity=channel method=mse" -o %t.mse8.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-ASYM-IR < %t.asym.mlir
// CHECK-ASYM-IR: quant.scast %{{.*}} : tensor<16x7xi4> to tensor<16x7x!quant.uniform<i4:f32:{0:8, 1:1}
// RUN: slim-run %t.asym.mlir --input %t.eye.npy --output %t.out-asym.npy
// RUN: slim-run %t.full.mlir --input %t.eye.npy --output %t.out-full.npy
// RUN: slim-run %t.mse.mlir --input %t.eye.npy --output %t.out-mse.npy
// RUN: slim-run %t.mse-asym.mlir --input %t.eye.npy --output %t.out-mse-asym.npy
// RUN: slim-run %t.mse8.mlir --input %t.eye.npy --output %t.out-mse8.npy
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-asym.npy --granularity group --group-size 8 --bits 4 --scheme asymmetric --label asym | FileCheck %s --check-prefix=CHECK-ASYM
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-full.npy --granularity group --group-size 8 --bits 4 --full-range --label full | FileCheck %s --check-prefix=CHECK-FULL
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-mse.npy --granularity group --group-size 8 --bits 4 --method mse --label mse | FileCheck %s --check-prefix=CHECK-MSE
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-mse-asym.npy --granularity group --group-size 8 --bits 4 --method mse --scheme asymmetric --label mse-asym | FileCheck %s --check-prefix=CHECK-MSE-ASYM
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-mse8.npy --granularity channel --method mse --label mse8 | FileCheck %s --check-prefix=CHECK-MSE8
// CHECK-ASYM: asym: 112 values, 0 mismatches
// CHECK-FULL: full: 112 values, 0 mismatches
// CHECK-MSE: mse: 112 values, 0 mismatches
// CHECK-MSE-ASYM: mse-asym: 112 values, 0 mismatches
// CHECK-MSE8: mse8: 112 values, 0 mismatches
// The search clips: its weights differ from min/max's (so each check can
// fail), and its error is lower. The pass's SQNR remark is the reference's
// SQNR of the same weights: 20.81 dB with min/max, 21.06 dB searched,
// 24.64 dB searched with zero points.
// RUN: not %ref weight-quant --weights %t.w.npy --output %t.out-mse.npy --granularity group --group-size 8 --bits 4 --label minmax-vs-mse | FileCheck %s --check-prefix=CHECK-DIFFER
// CHECK-DIFFER: minmax-vs-mse: 112 values, {{[1-9][0-9]*}} mismatches
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8" -o /dev/null 2>%t.sqnr-minmax.txt
// RUN: not %ref weight-quant --weights %t.w.npy --output %t.out-mse.npy --granularity group --group-size 8 --bits 4 --label minmax >> %t.sqnr-minmax.txt
// RUN: FileCheck %s --check-prefix=CHECK-SQNR-MINMAX < %t.sqnr-minmax.txt
// CHECK-SQNR-MINMAX: remark: weight SQNR [[S:20\.[0-9]+]] dB (int4 group)
// CHECK-SQNR-MINMAX: minmax: SQNR [[S]] dB
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 method=mse" -o /dev/null 2>%t.sqnr-mse.txt
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-mse.npy --granularity group --group-size 8 --bits 4 --method mse --label mse >> %t.sqnr-mse.txt
// RUN: FileCheck %s --check-prefix=CHECK-SQNR-MSE < %t.sqnr-mse.txt
// CHECK-SQNR-MSE: remark: weight SQNR [[S:21\.[0-9]+]] dB (int4 group)
// CHECK-SQNR-MSE: mse: SQNR [[S]] dB
// RUN: slim-opt %s "--slim-weight-only=bits=4 group-size=8 method=mse scheme=asymmetric" -o /dev/null 2>%t.sqnr-mse-asym.txt
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-mse-asym.npy --granularity group --group-size 8 --bits 4 --method mse --scheme asymmetric --label mse-asym >> %t.sqnr-mse-asym.txt
// RUN: FileCheck %s --check-prefix=CHECK-SQNR-MSE-ASYM < %t.sqnr-mse-asym.txt
// CHECK-SQNR-MSE-ASYM: remark: weight SQNR [[S:24\.[0-9]+]] dB (int4 group)
// CHECK-SQNR-MSE-ASYM: mse-asym: SQNR [[S]] dB
// RUN: not slim-opt %s "--slim-quantize-weights=method=kl" 2>&1 | FileCheck %s --check-prefix=CHECK-BAD
// CHECK-BAD: error: slim-quantize-weights: unknown method 'kl' (expected minmax or mse)

func.func @main(%x: tensor<16x16xf32>) -> tensor<16x7xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[-0.612, 0.1888, 0.4975, -0.2566, -0.6645, 0.0, 0.0], [0.5491, 0.6079, -0.6464, 0.353, 0.237, 0.7669, 0.0], [-0.0509, 0.1371, 1.2853, -0.1444, -0.3925, -0.5692, 0.0], [4.0, 0.1724, -0.0311, 0.1365, 0.3462, 0.5484, 0.0], [-0.8949, 0.3509, -0.7098, -0.0857, -0.7369, 0.0011, 0.0], [0.1069, 1.6502, -0.0243, 0.4212, 2.5, -0.144, 0.0], [-0.0463, 0.1851, 0.0517, -0.5031, 0.2819, -0.406, 0.0], [-0.2526, 0.343, 0.0012, 0.4762, -0.3011, 0.4994, 0.0], [0.6317, 0.3121, 0.0706, -0.3901, 0.3839, 0.2341, 0.0], [-0.1885, 0.2774, 0.254, -0.1415, 0.1042, 0.0911, 0.0], [-0.5072, -0.1982, -3.75, -0.7556, 0.4885, 0.5266, 0.0], [0.3492, 0.0917, 0.3858, -0.8868, -0.1638, -0.3469, 0.0], [0.1223, 0.4855, 0.4369, -0.5679, 1.2167, 0.8879, 0.0], [0.3762, 0.0635, -0.4421, -0.056, 0.187, 0.5579, 0.0], [0.0298, 0.6774, -0.3804, -0.3964, 0.5561, -0.146, 0.0], [-0.4531, 0.1185, 0.2639, -0.7741, -0.5021, 0.001, 0.0]]> : tensor<16x7xf32>
  %e = tensor.empty() : tensor<16x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x7xf32>) -> tensor<16x7xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x7xf32>) outs(%f : tensor<16x7xf32>) -> tensor<16x7xf32>
  return %mm : tensor<16x7xf32>
}
