// slim.attention through slim-run (bufferized in place of its init,
// lowered to the runtime's kernel) against ref.py's float64 two-pass
// softmax: odd sizes (2 batches, 3 heads, 5 query rows, 7 keys, 9 and 11
// features), a mask broadcast over heads and rows, the scale divided, on
// the generic and the AVX2 kernels (every machine of this project has
// AVX2); 300 keys (past one 256-key tile, the running maximum) with the
// scale multiplied and no mask; and a query read through a transpose of
// a (batch, seq, head, feature) tensor, with a mask per row that masks
// one row entirely with the lowest float (uniform weights).
//
// RUN: %ref gen %t.q.npy --shape 2,3,5,9 --random 270 --range=-2,2 --seed 1
// RUN: %ref gen %t.k.npy --shape 2,3,7,9 --random 378 --range=-2,2 --seed 2
// RUN: %ref gen %t.v.npy --shape 2,3,7,11 --random 462 --range=-1,1 --seed 3
// RUN: %ref gen %t.m.npy --shape 2,1,1,7 --values=0,0,-10000,0,0,-10000,0,-10000,0,0,0,0,0,0
// RUN: slim-run %s -e generic --input %t.q.npy --input %t.k.npy --input %t.v.npy --input %t.m.npy --output %t.o1.npy
// RUN: %ref attention --q %t.q.npy --k %t.k.npy --v %t.v.npy --mask %t.m.npy --scale 4 --divides --output %t.o1.npy --label generic | FileCheck %s --check-prefix=CHECK-GENERIC
// CHECK-GENERIC: generic: 330 values, 0 mismatches
// RUN: slim-run %s -e avx2 --input %t.q.npy --input %t.k.npy --input %t.v.npy --input %t.m.npy --output %t.o2.npy
// RUN: %ref attention --q %t.q.npy --k %t.k.npy --v %t.v.npy --mask %t.m.npy --scale 4 --divides --output %t.o2.npy --label avx2 | FileCheck %s --check-prefix=CHECK-AVX2
// CHECK-AVX2: avx2: 330 values, 0 mismatches
//
// RUN: %ref gen %t.lq.npy --shape 1,2,4,5 --random 40 --range=-3,3 --seed 4
// RUN: %ref gen %t.lk.npy --shape 1,2,300,5 --random 3000 --range=-3,3 --seed 5
// RUN: %ref gen %t.lv.npy --shape 1,2,300,3 --random 1800 --range=-1,1 --seed 6
// RUN: slim-run %s -e long --input %t.lq.npy --input %t.lk.npy --input %t.lv.npy --output %t.lo.npy
// RUN: %ref attention --q %t.lq.npy --k %t.lk.npy --v %t.lv.npy --scale 0.5 --output %t.lo.npy --label long | FileCheck %s --check-prefix=CHECK-LONG
// CHECK-LONG: long: 24 values, 0 mismatches
//
// RUN: %ref gen %t.tq.npy --shape 1,3,2,4 --random 24 --range=-2,2 --seed 7
// RUN: %ref gen %t.tk.npy --shape 1,2,6,4 --random 48 --range=-2,2 --seed 8
// RUN: %ref gen %t.tv.npy --shape 1,2,6,5 --random 60 --range=-1,1 --seed 9
// RUN: %ref gen %t.tm.npy --shape 1,1,3,6 --values=0,-1,0,-2,0,0,-3.4e38,-3.4e38,-3.4e38,-3.4e38,-3.4e38,-3.4e38,0,0,0,0,0,-5
// RUN: slim-run %s -e transposed --input %t.tq.npy --input %t.tk.npy --input %t.tv.npy --input %t.tm.npy --output %t.to.npy
// RUN: slim-run %s -e bshd_to_bhsd --input %t.tq.npy --output %t.tqh.npy
// RUN: %ref attention --q %t.tqh.npy --k %t.tk.npy --v %t.tv.npy --mask %t.tm.npy --output %t.to.npy --label transposed | FileCheck %s --check-prefix=CHECK-TRANSPOSED
// CHECK-TRANSPOSED: transposed: 30 values, 0 mismatches
//
// The chain in importer form (test/Codegen/fuse-attention.mlir's), run as
// it is (the vectorized loops) and after slim-fuse-attention (the kernel):
// the same values but for float reassociation and the exp's rounding.
// RUN: %ref gen %t.iq.npy --shape 1,3,2,4 --random 24 --range=-2,2 --seed 10
// RUN: %ref gen %t.ik.npy --shape 1,3,2,4 --random 24 --range=-2,2 --seed 11
// RUN: %ref gen %t.iv.npy --shape 1,3,2,4 --random 24 --range=-1,1 --seed 12
// RUN: %ref gen %t.im.npy --shape 1,1,1,3 --values=0,-10000,0
// RUN: slim-run %s -e importer_form --input %t.iq.npy --input %t.ik.npy --input %t.iv.npy --input %t.im.npy --output %t.unfused.npy
// RUN: slim-opt %s --slim-fuse-attention=isa=avx2 -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-FUSED < %t.fused.mlir
// CHECK-FUSED: slim.attention
// RUN: slim-run %t.fused.mlir -e importer_form --input %t.iq.npy --input %t.ik.npy --input %t.iv.npy --input %t.im.npy --output %t.fused.npy
// RUN: %ref close %t.fused.npy %t.unfused.npy --atol 1e-6 --label fused | FileCheck %s --check-prefix=CHECK-CLOSE
// CHECK-CLOSE: fused: 24 values, 0 mismatches

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scalar4 = affine_map<(d0, d1, d2, d3) -> ()>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#row3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>

func.func @generic(%q: tensor<2x3x5x9xf32>, %k: tensor<2x3x7x9xf32>, %v: tensor<2x3x7x11xf32>, %m: tensor<2x1x1x7xf32>) -> tensor<2x3x5x11xf32> {
  %e = tensor.empty() : tensor<2x3x5x11xf32>
  %o = slim.attention ins(%q, %k, %v : tensor<2x3x5x9xf32>, tensor<2x3x7x9xf32>, tensor<2x3x7x11xf32>)
      outs(%e : tensor<2x3x5x11xf32>) mask(%m : tensor<2x1x1x7xf32>) scale = 4.0 divides
      isa = <generic> -> tensor<2x3x5x11xf32>
  return %o : tensor<2x3x5x11xf32>
}

func.func @avx2(%q: tensor<2x3x5x9xf32>, %k: tensor<2x3x7x9xf32>, %v: tensor<2x3x7x11xf32>, %m: tensor<2x1x1x7xf32>) -> tensor<2x3x5x11xf32> {
  %e = tensor.empty() : tensor<2x3x5x11xf32>
  %o = slim.attention ins(%q, %k, %v : tensor<2x3x5x9xf32>, tensor<2x3x7x9xf32>, tensor<2x3x7x11xf32>)
      outs(%e : tensor<2x3x5x11xf32>) mask(%m : tensor<2x1x1x7xf32>) scale = 4.0 divides
      isa = <avx2> -> tensor<2x3x5x11xf32>
  return %o : tensor<2x3x5x11xf32>
}

func.func @long(%q: tensor<1x2x4x5xf32>, %k: tensor<1x2x300x5xf32>, %v: tensor<1x2x300x3xf32>) -> tensor<1x2x4x3xf32> {
  %e = tensor.empty() : tensor<1x2x4x3xf32>
  %o = slim.attention ins(%q, %k, %v : tensor<1x2x4x5xf32>, tensor<1x2x300x5xf32>, tensor<1x2x300x3xf32>)
      outs(%e : tensor<1x2x4x3xf32>) scale = 0.5 isa = <avx2> -> tensor<1x2x4x3xf32>
  return %o : tensor<1x2x4x3xf32>
}

func.func @bshd_to_bhsd(%q: tensor<1x3x2x4xf32>) -> tensor<1x2x3x4xf32> {
  %e = tensor.empty() : tensor<1x2x3x4xf32>
  %t = linalg.transpose ins(%q : tensor<1x3x2x4xf32>) outs(%e : tensor<1x2x3x4xf32>) permutation = [0, 2, 1, 3]
  return %t : tensor<1x2x3x4xf32>
}

func.func @transposed(%q: tensor<1x3x2x4xf32>, %k: tensor<1x2x6x4xf32>, %v: tensor<1x2x6x5xf32>, %m: tensor<1x1x3x6xf32>) -> tensor<1x2x3x5xf32> {
  %t = call @bshd_to_bhsd(%q) : (tensor<1x3x2x4xf32>) -> tensor<1x2x3x4xf32>
  %e = tensor.empty() : tensor<1x2x3x5xf32>
  %o = slim.attention ins(%t, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x6x4xf32>, tensor<1x2x6x5xf32>)
      outs(%e : tensor<1x2x3x5xf32>) mask(%m : tensor<1x1x3x6xf32>) isa = <avx2> -> tensor<1x2x3x5xf32>
  return %o : tensor<1x2x3x5xf32>
}

func.func @importer_form(%q: tensor<1x3x2x4xf32>, %k: tensor<1x3x2x4xf32>, %v: tensor<1x3x2x4xf32>, %mask: tensor<1x1x1x3xf32>) -> tensor<2x3x4xf32> {
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
  return %o : tensor<2x3x4xf32>
}
