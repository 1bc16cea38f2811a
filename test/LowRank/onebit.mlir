// RUN: slim-opt %s -split-input-file --slim-low-rank="method=onebit" | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-low-rank="method=onebit" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-REMARK
// RUN: slim-opt %s -split-input-file --slim-low-rank="method=onebit min-saving=0.5" 2>&1 | FileCheck %s --check-prefix=CHECK-SAVING
// RUN: slim-opt %s -split-input-file --slim-low-rank="method=onebit skip=(f|bias)/linalg.matmul#0" | FileCheck %s --check-prefix=CHECK-SKIP
// RUN: slim-opt %s -split-input-file --slim-low-rank="method=onebit report=%t2.json" -o /dev/null 2>/dev/null && FileCheck %s --check-prefix=CHECK-REPORT < %t2.json

// |W| is rank 1 (rows 1, 2, 0.5, 1 times [1, 2, 3]), so OneBit is exact:
// a = sqrt(sigma) u = 3.0585 [0.4, 0.8, 0.2, 0.4], b = sqrt(sigma) v =
// 3.0585 [1, 2, 3] / sqrt(14). x is scaled by a in a generic (factor 0);
// the signs, one panel of 4 words (row 0: + - + = 0b101; row 1: - + - =
// 0b010; row 2: + + - = 0b011; row 3: + + + = 0b111), go to
// slim.sign_matmul with b (factor 1) into the zero fill, which it
// overwrites (no accumulate). No ISA yet: slim-pack-contractions sets it.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[Z:.*]] = linalg.fill
// CHECK-DAG: %[[A:.*]] = arith.constant dense<[1.22{{[0-9]*}}, 2.44{{[0-9]*}}, 0.611{{[0-9]*}}, 1.22{{[0-9]*}}]> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[0.817{{[0-9]*}}, 1.63{{[0-9]*}}, 2.45{{[0-9]*}}]> : tensor<3xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[5, 0, 2, 0, 3, 0, 7, 0]> : tensor<8xi8>
// CHECK: %[[XA:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[A]] : tensor<?x4xf32>, tensor<4xf32>) {{.*}} attrs = {slim.low_rank = #slim.low_rank<onebit, rank = 1, factor = 0>}
// CHECK: arith.mulf
// CHECK: %[[Y:.*]] = slim.sign_matmul ins(%[[XA]], %[[S]] : tensor<?x4xf32>, tensor<8xi8>) outs(%[[Z]] : tensor<?x3xf32>) scales(%[[B]] : tensor<3xf32>) k = 4 n = 3 {slim.low_rank = #slim.low_rank<onebit, rank = 1, factor = 1>} -> tensor<?x3xf32>
// CHECK-NOT: tensor<4x3xf32>
// CHECK: return %[[Y]]
// 8 bytes of signs + 4 (4 + 3) of scales = 36 of the weight's 48.
// CHECK-REMARK: remark: sign x rank-1 (onebit): 0.7500 of the bytes
// CHECK-SAVING: remark: left dense: signs and scales would hold 0.750 of the bytes
// CHECK-SAVING-LABEL: func.func @f
// CHECK-SAVING-NOT: slim.sign_matmul
// CHECK-SKIP-LABEL: func.func @f
// CHECK-SKIP-NOT: slim.sign_matmul
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, -2.0, 3.0], [-2.0, 4.0, -6.0], [0.5, 1.0, -1.5], [1.0, 2.0, 3.0]]> : tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%m) : tensor<?x3xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x3xf32>) outs(%z : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// An init that is not a fill of +0 (a bias, broadcast) is accumulated
// onto. 20 columns: two panels (4 words each: 16 bytes). A convolution
// stays dense: OneBit applies to matmuls.
// CHECK-LABEL: func.func @bias
// CHECK: %[[BIAS:.*]] = linalg.broadcast
// CHECK: slim.sign_matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<16xi8>) outs(%[[BIAS]] : tensor<2x20xf32>) scales(%{{.*}} : tensor<20xf32>) k = 4 n = 20 accumulate {slim.low_rank = #slim.low_rank<onebit, rank = 1, factor = 1>}
// CHECK: linalg.conv_2d_nchw_fchw
// 16 + 4 (4 + 20) = 112 of 320 bytes: within min-saving=0.5.
// CHECK-SAVING-LABEL: func.func @bias
// CHECK-SAVING: slim.sign_matmul
// CHECK-SKIP-LABEL: func.func @bias
// CHECK-SKIP-NOT: slim.sign_matmul
// CHECK-REMARK: remark: sign x rank-1 (onebit): 0.3500 of the bytes
// The report (of this split, the last written): bytes, one multiply-add
// per weight and x * a's K multiplications, the f32-equivalent parameters
// (bytes / 4).
// CHECK-REPORT: "bytes_after": 112,
// CHECK-REPORT-NEXT: "bytes_before": 320,
// CHECK-REPORT-NEXT: "decision": "factorized",
// CHECK-REPORT: "layer": "bias/linalg.matmul#0",
// CHECK-REPORT-NEXT: "macs_per_row_after": 84,
// CHECK-REPORT-NEXT: "macs_per_row_before": 80,
// CHECK-REPORT-NEXT: "method": "onebit",
// CHECK-REPORT: "params_after": 28,
// CHECK-REPORT-NEXT: "params_before": 80,
// CHECK-REPORT: "decision": "dense",
// CHECK-REPORT: "reason": "convolution factors are fitted to the filter (method=svd); method=onebit applies to matmuls",
// CHECK-REMARK: remark: left dense: convolution factors are fitted to the filter (method=svd); method=onebit applies to matmuls
func.func @bias(%x: tensor<2x4xf32>, %img: tensor<1x2x5x5xf32>) -> (tensor<2x20xf32>, tensor<1x3x3x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x20xf32>
  %b = arith.constant dense<1.0> : tensor<20xf32>
  %e = tensor.empty() : tensor<2x20xf32>
  %bias = linalg.broadcast ins(%b : tensor<20xf32>) outs(%e : tensor<2x20xf32>) dimensions = [0]
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x20xf32>) outs(%bias : tensor<2x20xf32>) -> tensor<2x20xf32>
  %f = arith.constant dense<0.25> : tensor<3x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %ce = tensor.empty() : tensor<1x3x3x3xf32>
  %cz = linalg.fill ins(%zero : f32) outs(%ce : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c = linalg.conv_2d_nchw_fchw ins(%img, %f : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%cz : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %y, %c : tensor<2x20xf32>, tensor<1x3x3x3xf32>
}
