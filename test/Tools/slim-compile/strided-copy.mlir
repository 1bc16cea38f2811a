// A copy between strided buffers (tensor.insert_slice of a column block
// into a larger tensor: memref.copy into a subview) calls MLIR's
// memrefCopy, which the JIT binds to MLIR's runner utilities; slim-compile
// renames it to the runtime's slim_rt_memref_copy, so the object links
// with the runtime alone and agrees with slim-run bit for bit.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: slim-compile %s -o %t/copy.o
// RUN: nm %t/copy.o | FileCheck %s --check-prefix=CHECK-NM
// CHECK-NM-NOT: memrefCopy
// CHECK-NM: U slim_rt_memref_copy
// RUN: %cc -DMODEL=copy -DMODEL_HEADER='"copy.h"' -I%t %slim_src_root/examples/aot/npy-driver.c %t/copy.o %cc-model-libs -o %t/run-copy
// RUN: %ref gen %t/a.npy --shape 3,5 --random 15 --seed 1
// RUN: %ref gen %t/b.npy --shape 3,2 --random 6 --seed 2
// RUN: %t/run-copy %t/a.npy %t/b.npy %t/o.npy
// RUN: slim-run %s --input %t/a.npy --input %t/b.npy --output %t/r.npy
// RUN: %ref same %t/o.npy %t/r.npy --label copy | FileCheck %s
// CHECK: copy: 24 values, 0 mismatches

func.func @main(%a: tensor<3x5xf32>, %b: tensor<3x2xf32>) -> tensor<3x8xf32> {
  %z = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<3x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x8xf32>) -> tensor<3x8xf32>
  %0 = tensor.insert_slice %a into %f[0, 0] [3, 5] [1, 1] : tensor<3x5xf32> into tensor<3x8xf32>
  %1 = tensor.insert_slice %b into %0[0, 6] [3, 2] [1, 1] : tensor<3x2xf32> into tensor<3x8xf32>
  return %1 : tensor<3x8xf32>
}
