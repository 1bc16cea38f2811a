// slim-run never runs a micro-kernel the CPU lacks. SLIM_DISABLE_ISA hides
// ISAs from the host query (as if the CPU lacked them), so every refusal
// runs on every CPU.
//
// --isa naming an ISA the host (now) lacks, or no ISA at all.
// RUN: env SLIM_DISABLE_ISA=avx2 not slim-run %s --isa avx2 2>&1 | FileCheck %s --check-prefix=CHECK-LACKS
// CHECK-LACKS: error: this CPU cannot run the avx2 micro-kernels (it runs: generic{{[a-z0-9_, ]*}})
// CHECK-LACKS-NOT: avx2,
// RUN: not slim-run %s --isa sse2 2>&1 | FileCheck %s --check-prefix=CHECK-UNKNOWN
// CHECK-UNKNOWN: error: unknown micro-kernel isa 'sse2' (expected host, generic, avx2, avx_vnni, avx512_vnni or amx)
//
// A module packed for an ISA ahead of time (slim-opt) is checked too.
// RUN: slim-opt %s --pass-pipeline='builtin.module(slim-lower-to-linalg-pipeline,func.func(slim-pack-contractions{isa=avx2}))' -o %t.avx2.mlir
// RUN: FileCheck %s --check-prefix=CHECK-PACKED < %t.avx2.mlir
// CHECK-PACKED: slim.packed_matmul {{.*}} isa = <avx2>
// RUN: %ref gen %t.x.npy --dtype int8 --shape 2,6 --values=-128,127,0,1,-1,5,-7,100,-100,64,-64,3
// RUN: env SLIM_DISABLE_ISA=avx2 not slim-run %t.avx2.mlir --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=CHECK-PACKED-LACKS
// CHECK-PACKED-LACKS: error: the code calls the avx2 micro-kernels, which this CPU cannot run (it runs: generic{{.*}})
//
// With every other ISA hidden, the host's choice is the generic kernel, and
// the result is the same as on the strongest kernel of this CPU.
// RUN: env SLIM_DISABLE_ISA=amx,avx512_vnni,avx_vnni,avx2 slim-run %s --show-host --input %t.x.npy --output %t.generic.npy | FileCheck %s --check-prefix=CHECK-HOST
// CHECK-HOST: micro-kernels: generic{{$}}
// RUN: slim-run %s --input %t.x.npy --output %t.best.npy
// RUN: %ref same %t.generic.npy %t.best.npy --label same | FileCheck %s --check-prefix=CHECK-SAME
// CHECK-SAME: same: 10 values, 0 mismatches
// RUN: env SLIM_DISABLE_ISA=amx,avx512_vnni,avx_vnni,avx2 slim-opt %s --slim-cpu-pipeline | FileCheck %s --check-prefix=CHECK-GENERIC-CALL
// CHECK-GENERIC-CALL: llvm.call @slim_uk_qgemm_s8_generic(

func.func @main(%x: tensor<2x6x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<2x5x!quant.uniform<i32:f32, 0.125>> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5], [-6, 7, -8, 9, -10], [11, -12, 13, -14, 15], [-16, 17, -18, 19, -20], [127, -128, 23, -24, 25], [-26, 27, -28, 29, -30]]> : tensor<6x5xi8>
  %wq = quant.scast %w : tensor<6x5xi8> to tensor<6x5x!quant.uniform<i8:f32, 0.25>>
  %acc = slim.qmatmul %x, %wq : tensor<2x6x!quant.uniform<i8:f32, 0.5:-3>>, tensor<6x5x!quant.uniform<i8:f32, 0.25>> -> tensor<2x5x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<2x5x!quant.uniform<i32:f32, 0.125>>
}
