// slim-run's JIT calls the compiled model through a function of its own,
// `_slim_jit_entry`; a module that defines that name is refused instead
// of being called with the wrong arguments.
//
// RUN: %ref gen %t.x.npy --shape 2 --values=1,2
// RUN: not slim-run %s --input %t.x.npy 2>&1 | FileCheck %s
// CHECK: error: the module defines '_slim_jit_entry', a name slim-run's JIT reserves for itself

func.func @_slim_jit_entry(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = func.call @_slim_jit_entry(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
