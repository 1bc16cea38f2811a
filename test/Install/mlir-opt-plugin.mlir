// Debian's own mlir-opt runs Slim through SlimPlugin.so: the dialect plugin
// parses, verifies and prints Slim IR, and the pass plugin's passes and
// pipelines run by name in --pass-pipeline (pass plugins register after the
// command line is parsed: --help lists their flags, but as flags they are
// unknown arguments).
// UNSUPPORTED: !uninstrumented
//
// RUN: mlir-opt --load-dialect-plugin=%slim_plugin %s -split-input-file | FileCheck %s --check-prefix=CHECK-ROUNDTRIP
// RUN: mlir-opt --load-dialect-plugin=%slim_plugin --load-pass-plugin=%slim_plugin %s -split-input-file --pass-pipeline='builtin.module(slim-lower-to-linalg-pipeline)' | FileCheck %s --check-prefix=CHECK-LOWERED
// RUN: mlir-opt --load-dialect-plugin=%slim_plugin --load-pass-plugin=%slim_plugin %s -split-input-file --pass-pipeline='builtin.module(slim-insert-observers)' | FileCheck %s --check-prefix=CHECK-OBSERVED
// RUN: not mlir-opt %s -split-input-file 2>&1 | FileCheck %s --check-prefix=CHECK-NO-PLUGIN

// CHECK-ROUNDTRIP-LABEL: func.func @quantize
// CHECK-ROUNDTRIP: slim.quantize %{{.*}} : tensor<5xf32> to tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK-LOWERED-LABEL: func.func @quantize
// CHECK-LOWERED-SAME: -> tensor<5xi8>
// CHECK-LOWERED: linalg.generic
// CHECK-LOWERED: math.roundeven
// CHECK-LOWERED-NOT: slim.
// CHECK-NO-PLUGIN: Dialect `slim' not found for custom op 'slim.quantize'
func.func @quantize(%x: tensor<5xf32>) -> tensor<5x!quant.uniform<i8:f32, 0.5:-3>> {
  %q = slim.quantize %x : tensor<5xf32> to tensor<5x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<5x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// A pass of Slim's on a float model: observers on a matmul's activation.
// CHECK-OBSERVED-LABEL: func.func @observe
// CHECK-OBSERVED: slim.observe
// CHECK-OBSERVED: linalg.matmul
func.func @observe(%a: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %m = linalg.matmul ins(%a, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %m : tensor<2x4xf32>
}
