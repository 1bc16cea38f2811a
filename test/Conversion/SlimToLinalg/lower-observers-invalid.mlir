// RUN: slim-opt %s -split-input-file -slim-lower-observers -verify-diagnostics
// RUN: not slim-opt %s -split-input-file -slim-lower-observers=mode=bogus 2>&1 | FileCheck %s --check-prefix=CHECK-MODE
// CHECK-MODE: error: slim-lower-observers: unknown mode 'bogus' (expected erase or runtime)

func.func @duplicate(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = slim.observe %x id "same" : tensor<4xf32>
  // expected-error @+1 {{duplicate observer id 'same'}}
  %b = slim.observe %a id "same" : tensor<4xf32>
  return %b : tensor<4xf32>
}
