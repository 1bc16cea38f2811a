// RUN: slim-opt %s -split-input-file --slim-tile-and-vectorize --canonicalize | FileCheck %s

// A row of 384 is split into 16 lanes (lane j sums elements j, j + 16, ...
// in order: one vector add per step), then the lanes are reduced.
// CHECK-LABEL: func.func @long_row
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [3, 24, 16] : tensor<3x384xf32> into tensor<3x24x16xf32>
// CHECK: scf.for
// CHECK: vector.transfer_write %{{.*}} : vector<1x16xf32>, tensor<1x16xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<1x16xf32>
// CHECK: scf.for
// CHECK: vector.reduction <add>, %{{.*}}, %{{.*}} : vector<16xf32> into f32
// CHECK-NOT: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @long_row(%x: tensor<3x384xf32>, %z: tensor<3xf32>) -> tensor<3xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x384xf32>) outs(%z : tensor<3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// -----

// A short row is one vector.
// CHECK-LABEL: func.func @short_row
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<1x5xf32>, vector<1x5xf32>
// CHECK: vector.reduction <maximumf>, %{{.*}}, %{{.*}} : vector<5xf32> into f32
// CHECK-NOT: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @short_row(%x: tensor<3x5xf32>, %z: tensor<3xf32>) -> tensor<3xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x5xf32>) outs(%z : tensor<3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.maximumf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// -----

// 67 elements: no lane count from 4 to 16 divides it and the row is longer
// than 64: it stays a loop nest.
// CHECK-LABEL: func.func @prime_row
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @prime_row(%x: tensor<2x67xf32>, %z: tensor<2xf32>) -> tensor<2xf32> {
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x67xf32>) outs(%z : tensor<2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<2xf32>
  return %s : tensor<2xf32>
}

// -----

// A sum over the outer dimension: vectors along the inner (parallel) one,
// the reduction one step at a time (elementwise adds).
// CHECK-LABEL: func.func @middle
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<7xf32>
// CHECK-NOT: vector.reduction
// CHECK-NOT: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @middle(%x: tensor<9x35xf32>, %z: tensor<35xf32>) -> tensor<35xf32> {
  %s = linalg.generic {indexing_maps = [#id2, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<9x35xf32>) outs(%z : tensor<35xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<35xf32>
  return %s : tensor<35xf32>
}
