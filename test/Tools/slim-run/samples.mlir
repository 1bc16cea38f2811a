// slim-run --samples: a data set through one compiled module, each batch's
// results stacked along dimension 0 into the --output files; compared with
// the same rows run one at a time with --input.
//
// RUN: %ref gen %t.x.npy --shape 5,3 --random 15 --seed 4
// RUN: %ref gen %t.y.npy --shape 5,3 --random 15 --seed 5
// RUN: slim-run %s -e pinned --samples %t.x.npy --samples %t.y.npy --output %t.sum.npy --output %t.prod.npy | FileCheck %s --check-prefix=CHECK-RAN
// CHECK-RAN: ran 5 sample(s) in {{.*}} ms per sample)
// RUN: %python -c "import numpy as np; np.save('%t.x3.npy', np.load('%t.x.npy')[3:4]); np.save('%t.y3.npy', np.load('%t.y.npy')[3:4])"
// RUN: slim-run %s -e pinned --input %t.x3.npy --input %t.y3.npy --output %t.sum3.npy --output %t.prod3.npy
// RUN: %python -c "import numpy as np; a = np.load('%t.sum.npy'); print(a.shape, np.array_equal(a[3:4], np.load('%t.sum3.npy')), np.array_equal(np.load('%t.prod.npy')[3:4], np.load('%t.prod3.npy')), np.allclose(a, np.load('%t.x.npy') + np.load('%t.y.npy')))" | FileCheck %s --check-prefix=CHECK-STACK
// CHECK-STACK: (5, 3) True True True
//
// Refusals. Results must have static shapes (a dynamic batch has no one
// shape to compile for: pin the inputs, as slim-import does).
// RUN: not slim-run %s -e dynamic --samples %t.x.npy --samples %t.y.npy --output %t.dyn.npy 2>&1 | FileCheck %s --check-prefix=CHECK-DYN
// CHECK-DYN: error: result 0 has type 'tensor<?x3xf32>'; slim-run needs static result shapes
// RUN: not slim-run %s -e pinned --samples %t.x.npy --samples %t.y.npy --output %t.o.npy 2>&1 | FileCheck %s --check-prefix=CHECK-OUTPUTS
// CHECK-OUTPUTS: error: --samples writes its results to files: the entry function has 2 result(s) but 1 --output file(s) were given
// RUN: not slim-run %s -e pinned --samples %t.x.npy --samples %t.y.npy --input %t.x.npy --output %t.a.npy --output %t.b.npy 2>&1 | FileCheck %s --check-prefix=CHECK-MIX
// CHECK-MIX: error: --samples does not take --input or --repeat
// RUN: not slim-run %s -e pinned --samples %t.x.npy --output %t.a.npy --output %t.b.npy 2>&1 | FileCheck %s --check-prefix=CHECK-ARGS
// CHECK-ARGS: error: the entry function takes 2 argument(s) but data was given for 1
// RUN: not slim-run %s -e scalar --samples %t.x.npy --output %t.a.npy 2>&1 | FileCheck %s --check-prefix=CHECK-SCALAR
// CHECK-SCALAR: error: --samples needs results with a batch dimension and static shapes (pin the inputs' shapes), got tensor<f32>

func.func @pinned(%x: tensor<1x3xf32>, %y: tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  %s = arith.addf %x, %y : tensor<1x3xf32>
  %p = arith.mulf %x, %y : tensor<1x3xf32>
  return %s, %p : tensor<1x3xf32>, tensor<1x3xf32>
}

func.func @dynamic(%x: tensor<?x3xf32>, %y: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %s = arith.addf %x, %y : tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}

func.func @scalar(%x: tensor<1x3xf32>) -> tensor<f32> {
  %c = arith.constant dense<1.0> : tensor<f32>
  return %c : tensor<f32>
}
