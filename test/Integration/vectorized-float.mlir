// The float path of slim-cpu-pipeline (slim-tile-and-vectorize: vector
// contractions with hoisted accumulators, vectorized elementwise ops) against
// float64 references from test/Integration/ref.py, on shapes whose tiles are
// full (12x64x48: 4x16 tiles), prime (7x13x5: 1x5 tiles, 13 reduction
// steps), a single element, a batch with a prime reduction (3x5x17x32), and
// an elementwise bias + ReLU 33 wide (tiles of 11).
//
// RUN: %ref gen %t.a1.npy --shape 12,64 --random 768 --range=-2,2 --seed 1
// RUN: %ref gen %t.b1.npy --shape 64,48 --random 3072 --range=-2,2 --seed 2
// RUN: slim-run %s -e full --input %t.a1.npy --input %t.b1.npy --output %t.o1.npy
// RUN: %ref matmul --lhs %t.a1.npy --rhs %t.b1.npy --output %t.o1.npy --label full | FileCheck %s --check-prefix=CHECK-FULL
// CHECK-FULL: full: 576 values, 0 mismatches
//
// RUN: %ref gen %t.a2.npy --shape 7,13 --random 91 --range=-3,3 --seed 3
// RUN: %ref gen %t.b2.npy --shape 13,5 --random 65 --range=-3,3 --seed 4
// RUN: slim-run %s -e prime --input %t.a2.npy --input %t.b2.npy --output %t.o2.npy
// RUN: %ref matmul --lhs %t.a2.npy --rhs %t.b2.npy --output %t.o2.npy --label prime | FileCheck %s --check-prefix=CHECK-PRIME
// CHECK-PRIME: prime: 35 values, 0 mismatches
//
// RUN: %ref gen %t.a3.npy --shape 1,1 --values=-1.5
// RUN: %ref gen %t.b3.npy --shape 1,1 --values=2.25
// RUN: slim-run %s -e single --input %t.a3.npy --input %t.b3.npy --output %t.o3.npy
// RUN: %ref matmul --lhs %t.a3.npy --rhs %t.b3.npy --output %t.o3.npy --rtol 0 --label single | FileCheck %s --check-prefix=CHECK-SINGLE
// CHECK-SINGLE: single: 1 values, 0 mismatches
//
// RUN: %ref gen %t.a4.npy --shape 3,5,17 --random 255 --range=-1,1 --seed 5
// RUN: %ref gen %t.b4.npy --shape 3,17,32 --random 1632 --range=-1,1 --seed 6
// RUN: slim-run %s -e batched --input %t.a4.npy --input %t.b4.npy --output %t.o4.npy
// RUN: %ref matmul --lhs %t.a4.npy --rhs %t.b4.npy --output %t.o4.npy --label batched | FileCheck %s --check-prefix=CHECK-BATCHED
// CHECK-BATCHED: batched: 480 values, 0 mismatches
//
// RUN: %ref gen %t.a5.npy --shape 6,33 --random 198 --range=-2,2 --seed 7
// RUN: %ref gen %t.i5.npy --shape 33,33 --eye 33
// RUN: %ref gen %t.c5.npy --shape 33 --random 33 --range=-1,1 --seed 8
// RUN: slim-run %s -e bias_relu --input %t.a5.npy --input %t.c5.npy --output %t.o5.npy
// RUN: %ref matmul --lhs %t.a5.npy --rhs %t.i5.npy --bias %t.c5.npy --relu --output %t.o5.npy --rtol 1.2e-7 --label bias-relu | FileCheck %s --check-prefix=CHECK-BIAS
// CHECK-BIAS: bias-relu: 198 values, 0 mismatches
//
// The same on threads: every op's outer tiles shared by 3 threads
// (--parallel-work=1: 7 rows, 3 m-tiles and 3 batches split unevenly),
// each result bit for bit the one-thread result (every output is still
// computed by one thread in the same order).
// RUN: slim-run %s -e prime --parallel-work=1 --threads=3 --input %t.a2.npy --input %t.b2.npy --output %t.p2.npy
// RUN: %ref matmul --lhs %t.a2.npy --rhs %t.b2.npy --output %t.p2.npy --label prime-threads | FileCheck %s --check-prefix=CHECK-PRIME-T
// CHECK-PRIME-T: prime-threads: 35 values, 0 mismatches
// RUN: %ref same %t.o2.npy %t.p2.npy --label prime-threads-same | FileCheck %s --check-prefix=CHECK-PRIME-ASONE
// CHECK-PRIME-ASONE: prime-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-run %s -e full --parallel-work=1 --threads=3 --input %t.a1.npy --input %t.b1.npy --output %t.p1.npy
// RUN: %ref matmul --lhs %t.a1.npy --rhs %t.b1.npy --output %t.p1.npy --label full-threads | FileCheck %s --check-prefix=CHECK-FULL-T
// CHECK-FULL-T: full-threads: 576 values, 0 mismatches
// RUN: %ref same %t.o1.npy %t.p1.npy --label full-threads-same | FileCheck %s --check-prefix=CHECK-FULL-ASONE
// CHECK-FULL-ASONE: full-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-run %s -e batched --parallel-work=1 --threads=3 --input %t.a4.npy --input %t.b4.npy --output %t.p4.npy
// RUN: %ref matmul --lhs %t.a4.npy --rhs %t.b4.npy --output %t.p4.npy --label batched-threads | FileCheck %s --check-prefix=CHECK-BATCHED-T
// CHECK-BATCHED-T: batched-threads: 480 values, 0 mismatches
// RUN: %ref same %t.o4.npy %t.p4.npy --label batched-threads-same | FileCheck %s --check-prefix=CHECK-BATCHED-ASONE
// CHECK-BATCHED-ASONE: batched-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-run %s -e bias_relu --parallel-work=1 --threads=3 --input %t.a5.npy --input %t.c5.npy --output %t.p5.npy
// RUN: %ref matmul --lhs %t.a5.npy --rhs %t.i5.npy --bias %t.c5.npy --relu --output %t.p5.npy --rtol 1.2e-7 --label bias-relu-threads | FileCheck %s --check-prefix=CHECK-BIAS-T
// CHECK-BIAS-T: bias-relu-threads: 198 values, 0 mismatches
// RUN: %ref same %t.o5.npy %t.p5.npy --label bias-relu-threads-same | FileCheck %s --check-prefix=CHECK-BIAS-RELU-ASONE
// CHECK-BIAS-RELU-ASONE: bias-relu-threads-same: {{[0-9]+}} values, 0 mismatches
// And they did run as OpenMP regions on the runtime's thread count:
// RUN: slim-opt %s --slim-cpu-pipeline=parallel-work=1 | FileCheck %s --check-prefix=CHECK-OMP
// CHECK-OMP-LABEL: llvm.func @full__nest1(
// CHECK-OMP: %[[N:.*]] = llvm.call @slim_rt_get_num_threads() : () -> i32
// CHECK-OMP: omp.parallel num_threads(%[[N]] : i32)
// CHECK-OMP: omp.wsloop
// CHECK-OMP: llvm.intr.fmuladd
// CHECK-OMP-LABEL: llvm.func @full(
// CHECK-OMP: llvm.call @_mlir_memref_to_llvm_alloc(
// CHECK-OMP: llvm.call @full__nest1(
//
// The pipeline did vectorize these (the check above would pass on loops too):
// RUN: slim-opt %s --slim-lower-to-linalg-pipeline --slim-tile-and-vectorize | FileCheck %s --check-prefix=CHECK-IR
// CHECK-IR-LABEL: func.func @full
// CHECK-IR:         vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK-IR-LABEL: func.func @prime
// CHECK-IR:         vector.contract {{.*}} : vector<1x1xf32>, vector<1x5xf32> into vector<1x5xf32>
// CHECK-IR-LABEL: func.func @batched
// CHECK-IR:         vector.contract {{.*}} : vector<1x1x1xf32>, vector<1x1x16xf32> into vector<1x1x16xf32>
// CHECK-IR-LABEL: func.func @bias_relu
// CHECK-IR:         arith.maximumf {{.*}} : vector<1x11xf32>

func.func @full(%a: tensor<12x64xf32>, %b: tensor<64x48xf32>) -> tensor<12x48xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<12x48xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<12x48xf32>) -> tensor<12x48xf32>
  %m = linalg.matmul ins(%a, %b : tensor<12x64xf32>, tensor<64x48xf32>) outs(%f : tensor<12x48xf32>) -> tensor<12x48xf32>
  return %m : tensor<12x48xf32>
}

func.func @prime(%a: tensor<7x13xf32>, %b: tensor<13x5xf32>) -> tensor<7x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<7x5xf32>) -> tensor<7x5xf32>
  %m = linalg.matmul ins(%a, %b : tensor<7x13xf32>, tensor<13x5xf32>) outs(%f : tensor<7x5xf32>) -> tensor<7x5xf32>
  return %m : tensor<7x5xf32>
}

func.func @single(%a: tensor<1x1xf32>, %b: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  %m = linalg.matmul ins(%a, %b : tensor<1x1xf32>, tensor<1x1xf32>) outs(%f : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %m : tensor<1x1xf32>
}

func.func @batched(%a: tensor<3x5x17xf32>, %b: tensor<3x17x32xf32>) -> tensor<3x5x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x5x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x5x32xf32>) -> tensor<3x5x32xf32>
  %m = linalg.batch_matmul ins(%a, %b : tensor<3x5x17xf32>, tensor<3x17x32xf32>) outs(%f : tensor<3x5x32xf32>) -> tensor<3x5x32xf32>
  return %m : tensor<3x5x32xf32>
}

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @bias_relu(%x: tensor<6x33xf32>, %bias: tensor<33xf32>) -> tensor<6x33xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x33xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %bias : tensor<6x33xf32>, tensor<33xf32>) outs(%e : tensor<6x33xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  } -> tensor<6x33xf32>
  return %y : tensor<6x33xf32>
}
