// Bad-input catalogue: a splat weight of 2^20 rows quantized per channel and
// in int4 groups without expanding it.
//
// RUN: slim-opt %s --slim-quantize-weights 2>/dev/null | FileCheck %s --check-prefix=CHECK-CHANNEL
// RUN: slim-opt %s "--slim-weight-only=bits=4 granularity=group group-size=262144" 2>/dev/null | FileCheck %s --check-prefix=CHECK-INT4

// CHECK-CHANNEL-LABEL: func @splat_channels
// CHECK-CHANNEL: arith.constant dense<-127> : tensor<1048576x3xi8>
// CHECK-CHANNEL: quant.scast {{.*}} to tensor<1048576x3x!quant.uniform<i8<-127:127>:f32:1, {0.0019685{{[0-9]*}},0.0019685{{[0-9]*}},0.0019685{{[0-9]*}}}>>
// Odd rows of int4 end in a half-empty byte: 0x99 0x09 for -7 (nibble 9).
// CHECK-INT4-LABEL: func @splat_channels
// CHECK-INT4: arith.constant dense<"0x99099909{{.*}}"> : tensor<1048576x2xi8>
// CHECK-INT4: slim.unpack {{.*}} : tensor<1048576x2xi8> -> tensor<1048576x3xi4>
func.func @splat_channels(%x: tensor<1x1048576xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<-0.25> : tensor<1048576x3xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x1048576xf32>, tensor<1048576x3xf32>) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}
