// REQUIRES: chromium
// The HTML report, rendered by a real browser (headless chromium): its
// script draws one table row per layer, a bar per weight SQNR, a
// histogram per calibrated activation, and sorts by the column the address
// names. The page loads nothing from anywhere.
//
// RUN: %ref gen %t.x.npy --shape 4,3 --values=-1,3,0.5,2,-0.25,1,0,0.75,-0.5,2.5,1.5,0.125
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --stats-file %t.stats.json
// RUN: slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json report=%t.html report-format=html" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-FILE < %t.html
// RUN: %chromium-dom "file://%t.html" 2>/dev/null | FileCheck %s --check-prefix=CHECK-DOM
// RUN: %chromium-dom "file://%t.html#sort=-layer" 2>/dev/null | FileCheck %s --check-prefix=CHECK-BY-NAME
// RUN: %chromium-dom "file://%t.html#sort=sqnr" 2>/dev/null | FileCheck %s --check-prefix=CHECK-BY-SQNR

// Self-contained: the report inside, no external script, style or link.
// CHECK-FILE: <script type="application/json" id="report">
// CHECK-FILE-NOT: <script src
// CHECK-FILE-NOT: <link
// CHECK-FILE-NOT: @import
// CHECK-FILE: "layer":"main/linalg.matmul#0"
// CHECK-FILE-NOT: <script src

// The script ran to its end; the summary totals the four layers' weights
// (48 + 32 + 8 bytes of f32; 28 + 16 + 10 stored) and multiply-adds
// (48 + 32 + 32 + 32).
// CHECK-DOM: <body data-rendered="true">
// CHECK-DOM: <td>layers</td><td>4, 4 with integer weights or compute</td>
// CHECK-DOM: <td>weight bytes</td><td>88 B → 54 B</td>
// CHECK-DOM: <td>multiply-adds per run</td><td>144 → 144</td>
// One row per layer, in IR order; the convolution (it accumulates into
// ones) does not fuse.
// CHECK-DOM: <table id="layers" data-rows="4">
// CHECK-DOM: <tr class="layer" data-index="0"><td class="">main/linalg.matmul#0</td>
// CHECK-DOM-SAME: <td class="compute">slim.qmatmul</td>
// CHECK-DOM: <tr class="layer" data-index="1"><td class="">main/linalg.matmul#1</td>
// CHECK-DOM: <tr class="layer" data-index="2"><td class="">main/linalg.batch_matmul#0</td>
// CHECK-DOM: <tr class="layer float" data-index="3"><td class="">main/linalg.conv_2d_nhwc_hwcf#0</td>
// CHECK-DOM-SAME: float: the convolution's init is neither zero nor a broadcast bias
// CHECK-DOM-NOT: <tr class="layer
// Two SQNR bars (the convolution's 1x1x1x2 weight is exact: no bar).
// CHECK-DOM: <svg id="error-chart" {{.*}}data-bars="2">
// CHECK-DOM-COUNT-2: class="bar sqnr"
// CHECK-DOM-NOT: class="bar
// Histograms: the input, the ReLU output (also the second layer's input),
// the outputs and the batch matmul's second operand, each with bins drawn
// and its chosen range shaded.
// CHECK-DOM: <div id="histograms" class="histograms" data-histograms="{{[1-9][0-9]*}}">
// CHECK-DOM: <div>main/arg0</div><div>range [-1.000, 3.000] of [-1.000, 3.000], 0.000% clipped</div>
// CHECK-DOM-SAME: class="chosen-range"
// CHECK-DOM-SAME: data-drawn="{{[1-9][0-9]*}}"

// Sorted by name, descending: matmul#1, matmul#0, conv, batch_matmul.
// CHECK-BY-NAME: <th data-column="0" class="sorted-down">layer</th>
// CHECK-BY-NAME: data-index="1"
// CHECK-BY-NAME-SAME: data-index="0"
// CHECK-BY-NAME-SAME: data-index="3"
// CHECK-BY-NAME-SAME: data-index="2"

// Sorted by SQNR, worst first: matmul#1 (51.3 dB) before matmul#0 (53.5
// dB), then the rows without a number in their order (the exact weight,
// the layer without one).
// CHECK-BY-SQNR: <th data-column="5" class="sorted-up">weight SQNR (dB)</th>
// CHECK-BY-SQNR: data-index="1"
// CHECK-BY-SQNR-SAME: data-index="0"
// CHECK-BY-SQNR-SAME: data-index="2"
// CHECK-BY-SQNR-SAME: data-index="3"

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
