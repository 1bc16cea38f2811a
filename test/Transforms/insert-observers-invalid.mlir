// RUN: slim-opt %s -slim-insert-observers -verify-diagnostics -split-input-file
// RUN: not slim-opt %s -slim-insert-observers=granularity=block 2>&1 | FileCheck %s --check-prefix=CHECK-OPTION
// CHECK-OPTION: error: slim-insert-observers: unknown granularity 'block' (expected tensor or channel)

func.func @already_instrumented(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{the module already has observers; slim-insert-observers runs once}}
  %o = slim.observe %x id "x" : tensor<2x4xf32>
  return %o : tensor<2x4xf32>
}
