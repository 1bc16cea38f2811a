// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1" | FileCheck %s
// RUN: slim-opt %s -split-input-file --slim-low-rank="energy=0.5" | FileCheck %s --check-prefix=ENERGY
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1 min-saving=0.5" 2>&1 | FileCheck %s --check-prefix=SAVING
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1 stage=1" | FileCheck %s --check-prefix=STAGE1
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1 stage=2" 2>&1 >/dev/null | FileCheck %s --check-prefix=STAGE2
// RUN: slim-opt %s -split-input-file --slim-low-rank="rank=1 stage=0" | slim-opt -split-input-file --slim-low-rank="rank=1 stage=1" | FileCheck %s --check-prefix=STAGE01

// A 4 x 3 weight of rank 1 (rows 1, 2, 0.5 and 1 times [1, 2, 3]) at rank
// 1: x A into a zero-filled ? x 1 tensor (the dynamic rows from x), then
// by B into the layer's own init (here the bias, broadcast: the product
// accumulates onto it); the weight constant is gone.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[BIAS:.*]] = linalg.broadcast
// CHECK-DAG: %[[A:.*]] = arith.constant dense<{{.*}}> : tensor<4x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<1x3xf32>
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x1xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<?x1xf32>)
// CHECK: %[[T:.*]] = linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>} ins(%[[X]], %[[A]] : tensor<?x4xf32>, tensor<4x1xf32>) outs(%[[Z]] : tensor<?x1xf32>)
// CHECK: %[[Y:.*]] = linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 1>} ins(%[[T]], %[[B]] : tensor<?x1xf32>, tensor<1x3xf32>) outs(%[[BIAS]] : tensor<?x3xf32>)
// CHECK-NOT: tensor<4x3xf32>
// CHECK: return %[[Y]]
// A rank-1 weight keeps all of its energy at rank 1.
// ENERGY-LABEL: func.func @f
// ENERGY: #slim.low_rank<svd, rank = 1, factor = 0>
// 1 x (4 + 3) = 7 of 12 parameters: 0.583, more than min-saving=0.5 allows.
// SAVING: remark: left dense: factors of rank 1 would hold 0.583 of the parameters (7 against the weight's 12); min-saving=0.5 allows at most 0.500
// SAVING-LABEL: func.func @f
// SAVING-NOT: slim.low_rank
// REMARK: remark: factorized at rank 1 (svd): 0.583 of the parameters, energy kept 1.0000
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 1.5], [1.0, 2.0, 3.0]]> : tensor<4x3xf32>
  %b = arith.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%m) : tensor<?x3xf32>
  %bias = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<?x3xf32>) dimensions = [0]
  %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x3xf32>) outs(%bias : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// A weight read through linalg.transpose (an importer's x W^T) is
// factorized in the layout the matmul reads (K x N = 4 x 2); the
// transposed constant and the transpose go. A product of two activations
// (attention's Q K^T) and an integer matmul are not layers with a weight:
// left alone, without a remark.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>} ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x1xf32>)
// CHECK: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 1>} ins(%{{.*}}, %{{.*}} : tensor<2x1xf32>, tensor<1x2xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x2xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xi8>, tensor<4x2xi8>)
// REMARK: remark: factorized at rank 1 (svd): 0.750 of the parameters
// REMARK-NOT: remark
// SAVING-LABEL: func.func @transposed
func.func @transposed(%x: tensor<2x4xf32>, %k: tensor<4x2xf32>, %q: tensor<2x4xi8>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xi32>) {
  %wt = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, 1.0]]> : tensor<2x4xf32>
  %e0 = tensor.empty() : tensor<4x2xf32>
  %w = linalg.transpose ins(%wt : tensor<2x4xf32>) outs(%e0 : tensor<4x2xf32>) permutation = [1, 0]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = linalg.matmul ins(%x, %k : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %wq = arith.constant dense<1> : tensor<4x2xi8>
  %zi = arith.constant 0 : i32
  %ei = tensor.empty() : tensor<2x2xi32>
  %fi = linalg.fill ins(%zi : i32) outs(%ei : tensor<2x2xi32>) -> tensor<2x2xi32>
  %i = linalg.matmul ins(%q, %wq : tensor<2x4xi8>, tensor<4x2xi8>) outs(%fi : tensor<2x2xi32>) -> tensor<2x2xi32>
  return %y, %s, %i : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xi32>
}

// -----

// Stages: two chained layers, the second reading the first's output
// (through a ReLU). stage=1 factorizes only the second; stage=2 has no
// layer (a remark, no change). A factorized layer counts as the layer it
// replaced, so on the result of stage 0 the second is still stage 1.
// STAGE1-LABEL: func.func @chain
// STAGE1: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>)
// STAGE1: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>}
// STAGE1: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 1>}
// STAGE2: remark: slim-low-rank: no layer in stage 2 (the module's candidate layers form 2 stage(s))
// REMARK-COUNT-2: remark: factorized at rank 1 (svd): 0.500 of the parameters
// STAGE01-LABEL: func.func @chain
// STAGE01-COUNT-4: slim.low_rank = #slim.low_rank<svd, rank = 1
func.func @chain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [0.5, 1.0, 1.5, 2.0], [1.0, 0.0, 3.0, 1.0]]> : tensor<4x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %h = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%h : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<2x4xf32>
  %y = linalg.matmul ins(%r, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A weight made of one constant transposed twice: the constant is reached
// twice when the dead producers are erased, and erased once.
// CHECK-LABEL: func.func @twice
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul {slim.low_rank = #slim.low_rank<svd, rank = 1, factor = 0>}
func.func @twice(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %a = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [0.5, 1.0, 1.5, 2.0], [1.0, 0.0, 3.0, 1.0]]> : tensor<4x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %b = linalg.transpose ins(%a : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) permutation = [1, 0]
  %w = linalg.transpose ins(%a : tensor<4x4xf32>) outs(%b : tensor<4x4xf32>) permutation = [1, 0]
  %z = arith.constant 0.0 : f32
  %o = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
