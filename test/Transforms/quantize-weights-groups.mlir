// RUN: slim-opt %s "-slim-quantize-weights=granularity=group group-size=8 bits=4 report=%t.json" -verify-diagnostics | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// A group size that does not divide a weight's reduction dimension K
// refuses nothing: K = 12 gets groups of 6 (the largest divisor in [4, 8];
// none is a multiple of 8), K = 2 and K = 7 (at most 8) one group, that is
// per channel, and K = 11 (no divisor in [4, 8]) per channel; K = 16 keeps
// groups of 8. Each says so in a remark, and the report gives group_size.
// CHECK-LABEL: func.func @fallbacks
// CHECK: quant.scast %{{.*}} : tensor<12x3xi4> to tensor<12x3x!quant.uniform<i4<-7:7>:f32:{0:6, 1:1}
// CHECK: quant.scast %{{.*}} : tensor<2x3xi4> to tensor<2x3x!quant.uniform<i4<-7:7>:f32:1,
// CHECK: quant.scast %{{.*}} : tensor<7x3xi4> to tensor<7x3x!quant.uniform<i4<-7:7>:f32:1,
// CHECK: quant.scast %{{.*}} : tensor<11x3xi4> to tensor<11x3x!quant.uniform<i4<-7:7>:f32:1,
// CHECK: quant.scast %{{.*}} : tensor<16x3xi4> to tensor<16x3x!quant.uniform<i4<-7:7>:f32:{0:8, 1:1}
// REPORT: "granularity": "group",
// REPORT: "group_size": 6,
// REPORT: "granularity": "channel",
// REPORT-NOT: group_size
// REPORT: "granularity": "channel",
// REPORT-NOT: group_size
// REPORT: "granularity": "channel",
// REPORT-NOT: group_size
// REPORT: "granularity": "group",
// REPORT: "group_size": 8,
func.func @fallbacks(%a: tensor<2x12xf32>, %b: tensor<2x2xf32>, %c: tensor<2x7xf32>, %d: tensor<2x11xf32>, %g: tensor<2x16xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %w12 = arith.constant dense<0.5> : tensor<12x3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %w7 = arith.constant dense<0.25> : tensor<7x3xf32>
  %w11 = arith.constant dense<0.75> : tensor<11x3xf32>
  %w16 = arith.constant dense<-0.5> : tensor<16x3xf32>
  // expected-remark @+2 {{group-size 8 does not divide the reduction dimension (12): this weight is quantized in groups of 6}}
  // expected-remark @+1 {{weight SQNR exact (int4 group)}}
  %r1 = linalg.matmul ins(%a, %w12 : tensor<2x12xf32>, tensor<12x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+2 {{group-size 8 exceeds the reduction dimension (2): this weight is quantized per channel (one group)}}
  // expected-remark @+1 {{weight SQNR}}
  %r2 = linalg.matmul ins(%b, %w2 : tensor<2x2xf32>, tensor<2x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+2 {{group-size 8 exceeds the reduction dimension (7): this weight is quantized per channel (one group)}}
  // expected-remark @+1 {{weight SQNR}}
  %r3 = linalg.matmul ins(%c, %w7 : tensor<2x7xf32>, tensor<7x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+2 {{group-size 8 does not divide the reduction dimension (11) and no divisor of it lies in [4, 8]: this weight is quantized per channel (one group)}}
  // expected-remark @+1 {{weight SQNR}}
  %r4 = linalg.matmul ins(%d, %w11 : tensor<2x11xf32>, tensor<11x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @+1 {{weight SQNR}}
  %r5 = linalg.matmul ins(%g, %w16 : tensor<2x16xf32>, tensor<16x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r1, %r2, %r3, %r4, %r5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
