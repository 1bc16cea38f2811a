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
