// Bad-input catalogue: shapes too large to expand. Splat weights are
// quantized and lowered without expanding them (2^40 elements here); a
// non-splat tensor that would have to be materialized beyond 2^31 elements
// is refused with a diagnostic naming the op, never an out-of-memory abort.
//
// RUN: slim-opt %s -split-input-file --slim-quantize-weights=granularity=tensor 2>/dev/null | FileCheck %s --check-prefix=CHECK-TENSOR
// RUN: slim-opt %s -split-input-file --slim-lower-quant | FileCheck %s --check-prefix=CHECK-LOWER

// CHECK-TENSOR-LABEL: func @splat_2_40
// CHECK-TENSOR: arith.constant dense<127> : tensor<1048576x1048576xi8>
// CHECK-TENSOR: quant.scast {{.*}} to tensor<1048576x1048576x!quant.uniform<i8<-127:127>:f32, 0.0039370078{{[0-9]*}}>>
// (Per channel, the parameter list has 2^20 entries: fine, but long to
// print; huge-splat-channels.mlir has the per-channel case.)
func.func @splat_2_40(%x: tensor<1x1048576xf32>) -> tensor<1x1048576xf32> {
  %w = arith.constant dense<0.5> : tensor<1048576x1048576xf32>
  %e = tensor.empty() : tensor<1x1048576xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x1048576xf32>, tensor<1048576x1048576xf32>) outs(%e : tensor<1x1048576xf32>) -> tensor<1x1048576xf32>
  return %r : tensor<1x1048576xf32>
}

// -----

// 2^40 output columns of a per-tensor weight: the per-column correction is
// one splat (K*Za*Zb - Za*K*w = 4*3*1 - 3*4*5 = -48), not 2^40 values.
// CHECK-LOWER-LABEL: func @wide_qmatmul
// CHECK-LOWER-DAG: arith.constant dense<-48> : tensor<1099511627776xi32>
// CHECK-LOWER-DAG: arith.constant dense<1> : tensor<1099511627776xi32>
func.func @wide_qmatmul(%x: tensor<2x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x1099511627776x!quant.uniform<i32:f32, 0.125>> {
  %c = arith.constant dense<5> : tensor<4x1099511627776xi8>
  %w = quant.scast %c : tensor<4x1099511627776xi8> to tensor<4x1099511627776x!quant.uniform<i8:f32, 0.25:1>>
  %r = slim.qmatmul %x, %w : tensor<2x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x1099511627776x!quant.uniform<i8:f32, 0.25:1>> -> tensor<2x1099511627776x!quant.uniform<i32:f32, 0.125>>
  return %r : tensor<2x1099511627776x!quant.uniform<i32:f32, 0.125>>
}
