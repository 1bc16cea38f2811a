// The per-layer report of the pipelines: one entry per compute op, merging
// what fold-calibration (input and output activations), quantize-weights
// (SQNR) and the fusion (integer op, or why not) found. The input's range is
// calibrated on [-1, 3]: S = 4/255, Z = 64; the first layer's output (ReLU)
// is observed once and is the second layer's input too.
//
// RUN: %ref gen %t.x.npy --shape 4,3 --values=-1,3,0.5,2,-0.25,1,0,0.75,-0.5,2.5,1.5,0.125
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --stats-file %t.stats.json
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json report=%t.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-JSON < %t.json
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json method=percentile report=%t.md report-format=table" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-TABLE < %t.md
// RUN: slim-opt %s "--slim-ptq-dynamic=report=%t.dyn.md report-format=table" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-DYN < %t.dyn.md
// RUN: slim-opt %s "--slim-ptq-dynamic=activation-granularity=row report=%t.row.md report-format=table" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-ROW < %t.row.md
// RUN: slim-opt %s "--slim-weight-only=bits=4 granularity=channel report=%t.wo.md report-format=table" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-WO < %t.wo.md
// RUN: not slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json report=%t.bad report-format=yaml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-FORMAT
// RUN: rm -f %t.strict.mlir && not slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json strict=true" -o %t.strict.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-STRICT
// RUN: not ls %t.strict.mlir
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json strict=true skip=main/linalg.conv_2d_nhwc_hwcf#0" -o /dev/null 2>/dev/null
// RUN: not slim-opt %s "--slim-weight-only=granularity=channel report=%t.missing/dir/r.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-PATH

// The JSON report: {"layers": [...]}, the first layer in full. Its cost:
// 4 x 3 x 4 = 48 multiply-adds, a 3 x 4 f32 weight of 48 bytes, stored as
// 12 int8 values and 4 f32 scales (28 bytes).
// CHECK-JSON: "layers": [
// CHECK-JSON: "input": {
// CHECK-JSON: "id": "main/arg0",
// CHECK-JSON: "method": "minmax",
// CHECK-JSON: "observed": [
// CHECK-JSON-NEXT: -1,
// CHECK-JSON-NEXT: 3
// CHECK-JSON: "scale": 0.015686275
// CHECK-JSON: "zero_point": 64
// CHECK-JSON: "integer_op": "slim.qmatmul",
// CHECK-JSON: "layer": "main/linalg.matmul#0",
// CHECK-JSON-NEXT: "macs": 48,
// CHECK-JSON: "op": "linalg.matmul",
// CHECK-JSON: "output": {
// CHECK-JSON: "id": "main/linalg.matmul#0/out",
// CHECK-JSON: "weight": {
// CHECK-JSON: "bits": 8,
// CHECK-JSON-NEXT: "bytes": 28,
// CHECK-JSON: "granularity": "channel",
// CHECK-JSON: "sqnr_db": {{[0-9.]+}}
// CHECK-JSON: "weight_bytes": 48
// The second layer's input is the first one's output.
// CHECK-JSON: "input": {
// CHECK-JSON: "id": "main/linalg.matmul#0/out",
// CHECK-JSON: "layer": "main/linalg.matmul#1",
// The batch matmul of two activations fuses; the NHWC convolution, which
// accumulates into ones, does not: said, and left in float.
// CHECK-JSON: "integer_op": "slim.qmatmul",
// CHECK-JSON-NEXT: "layer": "main/linalg.batch_matmul#0",
// CHECK-JSON: "layer": "main/linalg.conv_2d_nhwc_hwcf#0",
// CHECK-JSON-NEXT: "macs": 32,
// CHECK-JSON: "unfused": "the convolution's init is neither zero nor a broadcast bias"

// CHECK-TABLE: | layer | input | weight | output | compute |
// CHECK-TABLE-NEXT: |---|---|---|---|---|
// CHECK-TABLE-NEXT: | main/linalg.matmul#0 | S=0.01569 Z=64, [-1, 3] of [-1, 3], 0.00% clipped (percentile) | int8 channel, {{[0-9.]+}} dB | S={{.*}} Z=0, [0, {{.*}}] of [0, {{.*}}], {{.*}}% clipped (percentile) | slim.qmatmul |
// CHECK-TABLE-NEXT: | main/linalg.matmul#1 | S={{.*}} Z=0, {{.*}} | int8 channel, {{[0-9.]+}} dB | {{.*}} | slim.qmatmul |
// CHECK-TABLE-NEXT: | main/linalg.batch_matmul#0 | S=0.01353 Z=0, {{.*}} | S=0.01233 Z=47, [-0.5787, 2.565] of [-0.5787, 2.565], 0.00% clipped (percentile) | {{.*}} | slim.qmatmul |
// CHECK-TABLE-NEXT: | main/linalg.conv_2d_nhwc_hwcf#0 | {{.*}} | int8 channel, exact | {{.*}} | float: the convolution's init is neither zero nor a broadcast bias |

// CHECK-DYN: | main/linalg.matmul#0 | dynamic u8 per row, from each row's range | int8 channel, {{.*}} dB | float | slim.dynamic_qmatmul | 48 B -> 28 B |
// CHECK-DYN: | main/linalg.batch_matmul#0 | float | float | float | float: no dynamic integer form for linalg.batch_matmul | |
// CHECK-DYN: | main/linalg.conv_2d_nhwc_hwcf#0 | float | int8 channel, exact | float | float: no dynamic integer form for linalg.conv_2d_nhwc_hwcf | 8 B -> 10 B |

// CHECK-ROW: | main/linalg.matmul#0 | dynamic u8 per row, from each row's range | int8 channel, {{.*}} dB | float | slim.dynamic_qmatmul |

// CHECK-WO: | main/linalg.matmul#0 | float | int4 channel, {{.*}} dB | float | float |

// strict=true: the NHWC convolution, which does not fuse, fails the
// pipeline (no module written), unless skip= leaves it float on purpose.
// CHECK-STRICT: error: slim-fuse-quantized strict: layer 'main/linalg.conv_2d_nhwc_hwcf#0' stays in float: the convolution's init is neither zero nor a broadcast bias
// CHECK-STRICT-NOT: stays in float

// CHECK-BAD-FORMAT: error: unknown report-format 'yaml' (expected json, table or html)
// CHECK-BAD-PATH: error: cannot write {{.*}}missing/dir/r.json: No such file or directory

func.func @main(%x: tensor<4x3xf32>) -> (tensor<1x4x2xf32>, tensor<1x4x4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<[[0.5, -0.25, 1.0, 0.3], [0.125, 1.0, -0.7, 0.2], [-0.6, 0.4, 0.9, -0.1]]> : tensor<3x4xf32>
  %w1 = arith.constant dense<[[0.2, -0.5], [0.7, 0.1], [-0.3, 0.8], [0.6, -0.9]]> : tensor<4x2xf32>
  %e0 = tensor.empty() : tensor<4x4xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<4x3xf32>, tensor<3x4xf32>) outs(%f0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r0 = arith.maximumf %m0, %f0 : tensor<4x4xf32>
  %e1 = tensor.empty() : tensor<4x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %m1 = linalg.matmul ins(%r0, %w1 : tensor<4x4xf32>, tensor<4x2xf32>) outs(%f1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %a = tensor.expand_shape %r0 [[0, 1], [2]] output_shape [1, 4, 4] : tensor<4x4xf32> into tensor<1x4x4xf32>
  %b = tensor.expand_shape %m1 [[0, 1], [2]] output_shape [1, 4, 2] : tensor<4x2xf32> into tensor<1x4x2xf32>
  %e2 = tensor.empty() : tensor<1x4x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
  %m2 = linalg.batch_matmul ins(%a, %b : tensor<1x4x4xf32>, tensor<1x4x2xf32>) outs(%f2 : tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
  %img = tensor.expand_shape %r0 [[0, 1], [2, 3]] output_shape [1, 4, 4, 1] : tensor<4x4xf32> into tensor<1x4x4x1xf32>
  %wc = arith.constant dense<[[[[0.5, -0.75]]]]> : tensor<1x1x1x2xf32>
  %e3 = tensor.empty() : tensor<1x4x4x2xf32>
  %one = arith.constant 1.0 : f32
  %f3 = linalg.fill ins(%one : f32) outs(%e3 : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %wc : tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) outs(%f3 : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %m2, %c3 : tensor<1x4x2xf32>, tensor<1x4x4x2xf32>
}
