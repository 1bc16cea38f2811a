// A splat weight is quantized without expanding it, to exactly what the
// same values give through the expanded path (here a dense_resource blob of
// twelve 0.3f, which is never a splat attribute): same integers, same
// parameters, for every scheme, granularity, bit width and range method.
//
// RUN: for o in "" "scheme=asymmetric" "bits=4 granularity=group group-size=2 scheme=asymmetric method=mse" "bits=4 method=mse" "granularity=tensor scheme=asymmetric narrow-range=false"; do \
// RUN:   slim-opt %s "--slim-quantize-weights=$o" --canonicalize 2>/dev/null > %t.out && \
// RUN:   sed -n '/func.func @splat/,/return/p' %t.out | sed 's/@splat/@f/' > %t.splat && \
// RUN:   sed -n '/func.func @expanded/,/return/p' %t.out | sed 's/@expanded/@f/' > %t.expanded && \
// RUN:   diff %t.splat %t.expanded && cat %t.splat; done | FileCheck %s
//
// CHECK: arith.constant dense<127> : tensor<4x3xi8>
// CHECK: tensor<4x3x!quant.uniform<i8<-127:127>:f32:1, {0.0023622{{[0-9]*}},0.0023622{{[0-9]*}},0.0023622{{[0-9]*}}}>>
// CHECK: arith.constant dense<127> : tensor<4x3xi8>
// CHECK: tensor<4x3x!quant.uniform<i8:f32:1, {0.0011764{{[0-9]*}}:-128,0.0011764{{[0-9]*}}:-128,0.0011764{{[0-9]*}}:-128}>>
// Odd rows of int4: 7 then 7 | 7 << 4 = 119, and a half-empty last byte.
// CHECK: arith.constant dense<{{\[}}[119, 7], [119, 7], [119, 7], [119, 7]]> : tensor<4x2xi8>
// CHECK: !quant.uniform<i4:f32:{0:2, 1:1}, {{\{}}{0.0200000014:-8, 0.0200000014:-8, 0.0200000014:-8}, {0.0200000014:-8, 0.0200000014:-8, 0.0200000014:-8}}>
// CHECK: arith.constant dense<{{\[}}[119, 7], [119, 7], [119, 7], [119, 7]]> : tensor<4x2xi8>
// CHECK: !quant.uniform<i4<-7:7>:f32:1, {0.042857{{[0-9]*}},0.042857{{[0-9]*}},0.042857{{[0-9]*}}}>
// CHECK: arith.constant dense<127> : tensor<4x3xi8>
// CHECK: tensor<4x3x!quant.uniform<i8:f32, 0.0011764{{[0-9]*}}:-128>>

func.func @splat(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<0.3> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x3xf32>) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

func.func @expanded(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense_resource<w> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x3xf32>) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000009A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E9A99993E"
    }
  }
#-}
