// RUN: slim-opt %s -split-input-file --slim-fuse-attention=isa=avx2 | FileCheck %s

// Chains slim-fuse-attention must leave alone.
// The exponentials are read outside the chain: nothing changes.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
// CHECK-LABEL: func.func @exp_escapes
// CHECK-NOT: slim.attention
// CHECK-COUNT-2: linalg.batch_matmul
func.func @exp_escapes(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> (tensor<2x3x4xf32>, tensor<1x2x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : i64
  %two = arith.constant dense<2.0> : tensor<f32>
  %e4 = tensor.empty() : tensor<1x2x3x4xf32>
  %qt = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %vt = linalg.transpose ins(%v : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %ekt = tensor.empty() : tensor<1x2x4x3xf32>
  %kt = linalg.transpose ins(%k : tensor<1x3x2x4xf32>) outs(%ekt : tensor<1x2x4x3xf32>) permutation = [0, 2, 3, 1]
  %q3 = tensor.collapse_shape %qt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %k3 = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x4x3xf32> into tensor<2x4x3xf32>
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s3 = linalg.batch_matmul ins(%q3, %k3 : tensor<2x3x4xf32>, tensor<2x4x3xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s4 = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 3, 3] : tensor<2x3x3xf32> into tensor<1x2x3x3xf32>
  %e44 = tensor.empty() : tensor<1x2x3x3xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #scalar4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s4, %two : tensor<1x2x3x3xf32>, tensor<f32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %x = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled, %mask : tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %ei = tensor.empty() : tensor<1x2x3xi64>
  %fi = linalg.fill ins(%c0 : i64) outs(%ei : tensor<1x2x3xi64>) -> tensor<1x2x3xi64>
  %em = tensor.empty() : tensor<1x2x3xf32>
  %fm = linalg.fill ins(%lowest : f32) outs(%em : tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %max:2 = linalg.generic {indexing_maps = [#id4, #row3, #row3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x2x3x3xf32>) outs(%fm, %fi : tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  ^bb0(%in: f32, %out: f32, %idx: i64):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %out : f32
    %gt = arith.cmpf ogt, %in, %out : f32
    %sel = arith.select %gt, %ii, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  %max4 = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [1, 2, 3, 1] : tensor<1x2x3xf32> into tensor<1x2x3x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max4 : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<1x2x3x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %e41 = tensor.empty() : tensor<1x2x3x1xf32>
  %f41 = linalg.fill ins(%zero : f32) outs(%e41 : tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<1x2x3x3xf32>) outs(%f41 : tensor<1x2x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %p3 = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x3x3xf32> into tensor<2x3x3xf32>
  %v3 = tensor.collapse_shape %vt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %eo = tensor.empty() : tensor<2x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %o = linalg.batch_matmul ins(%p3, %v3 : tensor<2x3x3xf32>, tensor<2x3x4xf32>) outs(%fo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o, %exp : tensor<2x3x4xf32>, tensor<1x2x3x3xf32>
}

// -----

// A maximum that starts at 0 is not softmax's: nothing changes.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
// CHECK-LABEL: func.func @max_from_zero
// CHECK-NOT: slim.attention
// CHECK-COUNT-2: linalg.batch_matmul
func.func @max_from_zero(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : i64
  %two = arith.constant dense<2.0> : tensor<f32>
  %e4 = tensor.empty() : tensor<1x2x3x4xf32>
  %qt = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %vt = linalg.transpose ins(%v : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %ekt = tensor.empty() : tensor<1x2x4x3xf32>
  %kt = linalg.transpose ins(%k : tensor<1x3x2x4xf32>) outs(%ekt : tensor<1x2x4x3xf32>) permutation = [0, 2, 3, 1]
  %q3 = tensor.collapse_shape %qt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %k3 = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x4x3xf32> into tensor<2x4x3xf32>
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s3 = linalg.batch_matmul ins(%q3, %k3 : tensor<2x3x4xf32>, tensor<2x4x3xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s4 = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 3, 3] : tensor<2x3x3xf32> into tensor<1x2x3x3xf32>
  %e44 = tensor.empty() : tensor<1x2x3x3xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #scalar4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s4, %two : tensor<1x2x3x3xf32>, tensor<f32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %x = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled, %mask : tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %ei = tensor.empty() : tensor<1x2x3xi64>
  %fi = linalg.fill ins(%c0 : i64) outs(%ei : tensor<1x2x3xi64>) -> tensor<1x2x3xi64>
  %em = tensor.empty() : tensor<1x2x3xf32>
  %fm = linalg.fill ins(%zero : f32) outs(%em : tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %max:2 = linalg.generic {indexing_maps = [#id4, #row3, #row3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x2x3x3xf32>) outs(%fm, %fi : tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  ^bb0(%in: f32, %out: f32, %idx: i64):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %out : f32
    %gt = arith.cmpf ogt, %in, %out : f32
    %sel = arith.select %gt, %ii, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  %max4 = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [1, 2, 3, 1] : tensor<1x2x3xf32> into tensor<1x2x3x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max4 : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<1x2x3x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %e41 = tensor.empty() : tensor<1x2x3x1xf32>
  %f41 = linalg.fill ins(%zero : f32) outs(%e41 : tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<1x2x3x3xf32>) outs(%f41 : tensor<1x2x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %p3 = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x3x3xf32> into tensor<2x3x3xf32>
  %v3 = tensor.collapse_shape %vt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %eo = tensor.empty() : tensor<2x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %o = linalg.batch_matmul ins(%p3, %v3 : tensor<2x3x3xf32>, tensor<2x3x4xf32>) outs(%fo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// The mask added before the division ((S + mask) / c) is divided too,
// which slim.attention does not do: nothing changes.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
// CHECK-LABEL: func.func @mask_before_scale
// CHECK-NOT: slim.attention
// CHECK-COUNT-2: linalg.batch_matmul
func.func @mask_before_scale(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : i64
  %two = arith.constant dense<2.0> : tensor<f32>
  %e4 = tensor.empty() : tensor<1x2x3x4xf32>
  %qt = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %vt = linalg.transpose ins(%v : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %ekt = tensor.empty() : tensor<1x2x4x3xf32>
  %kt = linalg.transpose ins(%k : tensor<1x3x2x4xf32>) outs(%ekt : tensor<1x2x4x3xf32>) permutation = [0, 2, 3, 1]
  %q3 = tensor.collapse_shape %qt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %k3 = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x4x3xf32> into tensor<2x4x3xf32>
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s3 = linalg.batch_matmul ins(%q3, %k3 : tensor<2x3x4xf32>, tensor<2x4x3xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s4 = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 3, 3] : tensor<2x3x3xf32> into tensor<1x2x3x3xf32>
  %e44 = tensor.empty() : tensor<1x2x3x3xf32>
  %masked = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s4, %mask : tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %x = linalg.generic {indexing_maps = [#id4, #scalar4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%masked, %two : tensor<1x2x3x3xf32>, tensor<f32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %ei = tensor.empty() : tensor<1x2x3xi64>
  %fi = linalg.fill ins(%c0 : i64) outs(%ei : tensor<1x2x3xi64>) -> tensor<1x2x3xi64>
  %em = tensor.empty() : tensor<1x2x3xf32>
  %fm = linalg.fill ins(%lowest : f32) outs(%em : tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %max:2 = linalg.generic {indexing_maps = [#id4, #row3, #row3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x2x3x3xf32>) outs(%fm, %fi : tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  ^bb0(%in: f32, %out: f32, %idx: i64):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %out : f32
    %gt = arith.cmpf ogt, %in, %out : f32
    %sel = arith.select %gt, %ii, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  %max4 = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [1, 2, 3, 1] : tensor<1x2x3xf32> into tensor<1x2x3x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max4 : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<1x2x3x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %e41 = tensor.empty() : tensor<1x2x3x1xf32>
  %f41 = linalg.fill ins(%zero : f32) outs(%e41 : tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<1x2x3x3xf32>) outs(%f41 : tensor<1x2x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %p3 = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x3x3xf32> into tensor<2x3x3xf32>
  %v3 = tensor.collapse_shape %vt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %eo = tensor.empty() : tensor<2x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %o = linalg.batch_matmul ins(%p3, %v3 : tensor<2x3x3xf32>, tensor<2x3x4xf32>) outs(%fo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// sum / exp is not softmax: nothing changes.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
// CHECK-LABEL: func.func @sum_over_exp
// CHECK-NOT: slim.attention
// CHECK-COUNT-2: linalg.batch_matmul
func.func @sum_over_exp(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : i64
  %two = arith.constant dense<2.0> : tensor<f32>
  %e4 = tensor.empty() : tensor<1x2x3x4xf32>
  %qt = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %vt = linalg.transpose ins(%v : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %ekt = tensor.empty() : tensor<1x2x4x3xf32>
  %kt = linalg.transpose ins(%k : tensor<1x3x2x4xf32>) outs(%ekt : tensor<1x2x4x3xf32>) permutation = [0, 2, 3, 1]
  %q3 = tensor.collapse_shape %qt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %k3 = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x4x3xf32> into tensor<2x4x3xf32>
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s3 = linalg.batch_matmul ins(%q3, %k3 : tensor<2x3x4xf32>, tensor<2x4x3xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s4 = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 3, 3] : tensor<2x3x3xf32> into tensor<1x2x3x3xf32>
  %e44 = tensor.empty() : tensor<1x2x3x3xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #scalar4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s4, %two : tensor<1x2x3x3xf32>, tensor<f32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %x = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled, %mask : tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %ei = tensor.empty() : tensor<1x2x3xi64>
  %fi = linalg.fill ins(%c0 : i64) outs(%ei : tensor<1x2x3xi64>) -> tensor<1x2x3xi64>
  %em = tensor.empty() : tensor<1x2x3xf32>
  %fm = linalg.fill ins(%lowest : f32) outs(%em : tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %max:2 = linalg.generic {indexing_maps = [#id4, #row3, #row3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x2x3x3xf32>) outs(%fm, %fi : tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  ^bb0(%in: f32, %out: f32, %idx: i64):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %out : f32
    %gt = arith.cmpf ogt, %in, %out : f32
    %sel = arith.select %gt, %ii, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  %max4 = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [1, 2, 3, 1] : tensor<1x2x3xf32> into tensor<1x2x3x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max4 : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<1x2x3x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %e41 = tensor.empty() : tensor<1x2x3x1xf32>
  %f41 = linalg.fill ins(%zero : f32) outs(%e41 : tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<1x2x3x3xf32>) outs(%f41 : tensor<1x2x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %b, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %p3 = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x3x3xf32> into tensor<2x3x3xf32>
  %v3 = tensor.collapse_shape %vt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %eo = tensor.empty() : tensor<2x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %o = linalg.batch_matmul ins(%p3, %v3 : tensor<2x3x3xf32>, tensor<2x3x4xf32>) outs(%fo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// A batch_matmul with its own indexing maps (here K read as B x N x D) is
// not taken: its operands' roles are the maps' to say.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
// CHECK-LABEL: func.func @qk_with_maps
// CHECK-NOT: slim.attention
// CHECK-COUNT-2: linalg.batch_matmul
func.func @qk_with_maps(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : i64
  %two = arith.constant dense<2.0> : tensor<f32>
  %e4 = tensor.empty() : tensor<1x2x3x4xf32>
  %qt = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %vt = linalg.transpose ins(%v : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %kt = linalg.transpose ins(%k : tensor<1x3x2x4xf32>) outs(%e4 : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  %q3 = tensor.collapse_shape %qt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %k3 = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s3 = linalg.batch_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>] ins(%q3, %k3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s4 = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 3, 3] : tensor<2x3x3xf32> into tensor<1x2x3x3xf32>
  %e44 = tensor.empty() : tensor<1x2x3x3xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #scalar4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s4, %two : tensor<1x2x3x3xf32>, tensor<f32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %x = linalg.generic {indexing_maps = [#id4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled, %mask : tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %ei = tensor.empty() : tensor<1x2x3xi64>
  %fi = linalg.fill ins(%c0 : i64) outs(%ei : tensor<1x2x3xi64>) -> tensor<1x2x3xi64>
  %em = tensor.empty() : tensor<1x2x3xf32>
  %fm = linalg.fill ins(%lowest : f32) outs(%em : tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %max:2 = linalg.generic {indexing_maps = [#id4, #row3, #row3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x2x3x3xf32>) outs(%fm, %fi : tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  ^bb0(%in: f32, %out: f32, %idx: i64):
    %i = linalg.index 3 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %out : f32
    %gt = arith.cmpf ogt, %in, %out : f32
    %sel = arith.select %gt, %ii, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  %max4 = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [1, 2, 3, 1] : tensor<1x2x3xf32> into tensor<1x2x3x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max4 : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<1x2x3x3xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %e41 = tensor.empty() : tensor<1x2x3x1xf32>
  %f41 = linalg.fill ins(%zero : f32) outs(%e41 : tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<1x2x3x3xf32>) outs(%f41 : tensor<1x2x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<1x2x3x3xf32>, tensor<1x2x3x1xf32>) outs(%e44 : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x2x3x3xf32>
  %p3 = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x3x3xf32> into tensor<2x3x3xf32>
  %v3 = tensor.collapse_shape %vt [[0, 1], [2], [3]] : tensor<1x2x3x4xf32> into tensor<2x3x4xf32>
  %eo = tensor.empty() : tensor<2x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %o = linalg.batch_matmul ins(%p3, %v3 : tensor<2x3x3xf32>, tensor<2x3x4xf32>) outs(%fo : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}
