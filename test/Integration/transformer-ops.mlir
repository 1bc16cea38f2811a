// A transformer's non-contraction ops in the form torch-mlir's ONNX importer
// writes them (one generic per op, keep-dims reductions through (d0, 0),
// softmax's max with its unused argmax index), through slim-cpu-pipeline
// (slim-fuse-elementwise, the row reductions of slim-tile-and-vectorize,
// slim-approximate-math), against float64 references from ref.py: rows of
// 384 (split into 16 lanes), 70 (14 lanes), 5 (one vector), 67 (prime:
// stays a loop), a mean over a middle dimension, and exp / erf / GELU on
// every float32 special and a sweep through their ranges.
//
// RUN: %ref gen %t.s.npy --shape 3,70 --random 210 --range=-30,30 --seed 1
// RUN: slim-run %s -e softmax --input %t.s.npy --output %t.so.npy
// RUN: %ref rowops --op softmax --input %t.s.npy --output %t.so.npy --atol 1e-7 | FileCheck %s --check-prefix=CHECK-SOFTMAX
// CHECK-SOFTMAX: softmax: 210 values, 0 mismatches
//
// RUN: %ref gen %t.m.npy --shape 3,70 --row-values=-3.4e38,0.5 --random 207 --range=-4,4 --seed 2
// RUN: slim-run %s -e softmax --input %t.m.npy --output %t.mo.npy
// RUN: %ref rowops --op softmax --input %t.m.npy --output %t.mo.npy --atol 1e-7 --label masked | FileCheck %s --check-prefix=CHECK-MASKED
// CHECK-MASKED: masked: 210 values, 0 mismatches
//
// RUN: %ref gen %t.l.npy --shape 5,384 --random 1920 --range=-6,9 --seed 3
// RUN: %ref gen %t.g.npy --shape 384 --random 384 --range=-2,2 --seed 4
// RUN: %ref gen %t.b.npy --shape 384 --random 384 --range=-1,1 --seed 5
// RUN: slim-run %s -e layernorm --input %t.l.npy --input %t.g.npy --input %t.b.npy --output %t.lo.npy
// RUN: %ref rowops --op layernorm --input %t.l.npy --gamma %t.g.npy --beta %t.b.npy --output %t.lo.npy --atol 4e-6 | FileCheck %s --check-prefix=CHECK-LN
// CHECK-LN: layernorm: 1920 values, 0 mismatches
//
// RUN: %ref gen %t.r.npy --shape 2,67 --random 134 --range=-1,1 --seed 6
// RUN: slim-run %s -e rowsum --input %t.r.npy --output %t.ro.npy
// RUN: %ref rowops --op rowsum --input %t.r.npy --output %t.ro.npy --atol 1e-5 | FileCheck %s --check-prefix=CHECK-ROWSUM
// CHECK-ROWSUM: rowsum: 2 values, 0 mismatches
//
// RUN: %ref gen %t.c.npy --shape 2,9,35 --random 630 --range=-5,5 --seed 7
// RUN: slim-run %s -e colmean --input %t.c.npy --output %t.co.npy
// RUN: %ref rowops --op colmean --input %t.c.npy --output %t.co.npy --atol 2e-6 | FileCheck %s --check-prefix=CHECK-COLMEAN
// CHECK-COLMEAN: colmean: 70 values, 0 mismatches
//
// exp and erf: the specials (NaN, +-inf, +-0, the smallest and largest
// floats, subnormals), exp's overflow and underflow edges, and 4,000 values
// across each function's range, within 4 units in the last place.
// RUN: %ref gen %t.e.npy --shape 4032 --specials --values=88.72,88.73,-87.3,-87.4,-103.9,-104,1e-8,-1e-8,0.5,-0.5,3.9,-3.9,10,-10 --random 4000 --range=-90,90 --seed 8
// RUN: slim-run %s -e exp --input %t.e.npy --output %t.eo.npy
// RUN: %ref rowops --op exp --input %t.e.npy --output %t.eo.npy | FileCheck %s --check-prefix=CHECK-EXP
// CHECK-EXP: exp: 4032 values, 0 mismatches
// RUN: %ref gen %t.f.npy --shape 4032 --specials --values=0.5,-0.5,0.9,-0.9,2.5,-2.5,3.9,-3.9,4.1,-4.1,10,-10,1e-8,-1e-8 --random 4000 --range=-5,5 --seed 9
// RUN: slim-run %s -e erf --input %t.f.npy --output %t.fo.npy
// RUN: %ref rowops --op erf --input %t.f.npy --output %t.fo.npy | FileCheck %s --check-prefix=CHECK-ERF
// CHECK-ERF: erf: 4032 values, 0 mismatches
// RUN: %ref gen %t.u.npy --shape 4,37 --random 148 --range=-6,6 --seed 10
// RUN: slim-run %s -e gelu --input %t.u.npy --output %t.uo.npy
// RUN: %ref rowops --op gelu --input %t.u.npy --output %t.uo.npy --ulps 8 | FileCheck %s --check-prefix=CHECK-GELU
// CHECK-GELU: gelu: 148 values, 0 mismatches
//
// The same on 3 threads (--parallel-work=1: every op's rows shared), bit
// for bit the one-thread results, through OpenMP regions.
// RUN: slim-run %s -e softmax --parallel-work=1 --threads=3 --input %t.m.npy --output %t.mt.npy
// RUN: %ref rowops --op softmax --input %t.m.npy --output %t.mt.npy --atol 1e-7 --label masked-threads | FileCheck %s --check-prefix=CHECK-MASKED-T
// CHECK-MASKED-T: masked-threads: 210 values, 0 mismatches
// RUN: %ref same %t.mo.npy %t.mt.npy --label masked-threads-same | FileCheck %s --check-prefix=CHECK-MASKED-ASONE
// CHECK-MASKED-ASONE: masked-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-run %s -e layernorm --parallel-work=1 --threads=3 --input %t.l.npy --input %t.g.npy --input %t.b.npy --output %t.lt.npy
// RUN: %ref rowops --op layernorm --input %t.l.npy --gamma %t.g.npy --beta %t.b.npy --output %t.lt.npy --atol 4e-6 --label layernorm-threads | FileCheck %s --check-prefix=CHECK-LN-T
// CHECK-LN-T: layernorm-threads: 1920 values, 0 mismatches
// RUN: %ref same %t.lo.npy %t.lt.npy --label layernorm-threads-same | FileCheck %s --check-prefix=CHECK-LN-ASONE
// CHECK-LN-ASONE: layernorm-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-run %s -e colmean --parallel-work=1 --threads=3 --input %t.c.npy --output %t.ct.npy
// RUN: %ref rowops --op colmean --input %t.c.npy --output %t.ct.npy --atol 2e-6 --label colmean-threads | FileCheck %s --check-prefix=CHECK-COLMEAN-T
// CHECK-COLMEAN-T: colmean-threads: 70 values, 0 mismatches
// RUN: %ref same %t.co.npy %t.ct.npy --label colmean-threads-same | FileCheck %s --check-prefix=CHECK-COLMEAN-ASONE
// CHECK-COLMEAN-ASONE: colmean-threads-same: {{[0-9]+}} values, 0 mismatches
// RUN: slim-opt %s --slim-cpu-pipeline=parallel-work=1 | FileCheck %s --check-prefix=CHECK-OMP
// CHECK-OMP-LABEL: llvm.func @layernorm__nest
// CHECK-OMP: %[[N:.*]] = llvm.call @slim_rt_get_num_threads() : () -> i32
// CHECK-OMP: omp.parallel num_threads(%[[N]] : i32)
// CHECK-OMP: omp.wsloop
//
// The ops did vectorize (the checks above would pass on loops too): no
// libm call is left, and the reductions are vector reductions.
// RUN: slim-opt %s --slim-cpu-pipeline | FileCheck %s --check-prefix=CHECK-LLVM --implicit-check-not=@expf --implicit-check-not=@erff
// CHECK-LLVM-DAG: llvm.intr.vector.reduce.fmaximum
// CHECK-LLVM-DAG: llvm.intr.vector.reduce.fadd

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#id1 = affine_map<(d0) -> (d0)>

func.func @softmax(%x: tensor<3x70xf32>) -> tensor<3x70xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : i64
  %e1 = tensor.empty() : tensor<3xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<3xf32>) -> tensor<3xf32>
  %ei = tensor.empty() : tensor<3xi64>
  %ii = linalg.fill ins(%c0 : i64) outs(%ei : tensor<3xi64>) -> tensor<3xi64>
  %max:2 = linalg.generic {indexing_maps = [#id2, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x70xf32>) outs(%mi, %ii : tensor<3xf32>, tensor<3xi64>) {
  ^bb0(%in: f32, %m: f32, %i: i64):
    %j = linalg.index 1 : index
    %jj = arith.index_cast %j : index to i64
    %mx = arith.maximumf %in, %m : f32
    %gt = arith.cmpf ogt, %in, %m : f32
    %ni = arith.select %gt, %jj, %i : i64
    linalg.yield %mx, %ni : f32, i64
  } -> (tensor<3xf32>, tensor<3xi64>)
  %mk = tensor.expand_shape %max#0 [[0, 1]] output_shape [3, 1] : tensor<3xf32> into tensor<3x1xf32>
  %e2 = tensor.empty() : tensor<3x70xf32>
  %sub = linalg.generic {indexing_maps = [#id2, #keep, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %mk : tensor<3x70xf32>, tensor<3x1xf32>) outs(%e2 : tensor<3x70xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<3x70xf32>
  %exp = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%sub : tensor<3x70xf32>) outs(%e2 : tensor<3x70xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = math.exp %a : f32
    linalg.yield %d : f32
  } -> tensor<3x70xf32>
  %e3 = tensor.empty() : tensor<3x1xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e3 : tensor<3x1xf32>) -> tensor<3x1xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<3x70xf32>) outs(%si : tensor<3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<3x1xf32>
  %div = linalg.generic {indexing_maps = [#id2, #keep, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %sum : tensor<3x70xf32>, tensor<3x1xf32>) outs(%e2 : tensor<3x70xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.divf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<3x70xf32>
  return %div : tensor<3x70xf32>
}

func.func @layernorm(%x: tensor<5x384xf32>, %g: tensor<384xf32>, %b: tensor<384xf32>) -> tensor<5x384xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 384.0 : f32
  %eps = arith.constant 1.0e-12 : f32
  %e1 = tensor.empty() : tensor<5x1xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<5x1xf32>) -> tensor<5x1xf32>
  %s = linalg.generic {indexing_maps = [#id2, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x384xf32>) outs(%z1 : tensor<5x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<5x1xf32>
  %mean = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<5x1xf32>) outs(%e1 : tensor<5x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.divf %a, %n : f32
    linalg.yield %d : f32
  } -> tensor<5x1xf32>
  %e2 = tensor.empty() : tensor<5x384xf32>
  %c = linalg.generic {indexing_maps = [#id2, #keep, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %mean : tensor<5x384xf32>, tensor<5x1xf32>) outs(%e2 : tensor<5x384xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  } -> tensor<5x384xf32>
  %sq = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c, %c : tensor<5x384xf32>, tensor<5x384xf32>) outs(%e2 : tensor<5x384xf32>) {
  ^bb0(%a: f32, %a2: f32, %o: f32):
    %d = arith.mulf %a, %a2 : f32
    linalg.yield %d : f32
  } -> tensor<5x384xf32>
  %vs = linalg.generic {indexing_maps = [#id2, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<5x384xf32>) outs(%z1 : tensor<5x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<5x1xf32>
  %inv = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%vs : tensor<5x1xf32>) outs(%e1 : tensor<5x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.divf %a, %n : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    linalg.yield %r : f32
  } -> tensor<5x1xf32>
  %y = linalg.generic {indexing_maps = [#id2, #keep, #col, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c, %inv, %g, %b : tensor<5x384xf32>, tensor<5x1xf32>, tensor<384xf32>, tensor<384xf32>) outs(%e2 : tensor<5x384xf32>) {
  ^bb0(%a: f32, %i: f32, %gg: f32, %bb: f32, %o: f32):
    %d = arith.mulf %a, %i : f32
    %e = arith.mulf %d, %gg : f32
    %f = arith.addf %e, %bb : f32
    linalg.yield %f : f32
  } -> tensor<5x384xf32>
  return %y : tensor<5x384xf32>
}

func.func @rowsum(%x: tensor<2x67xf32>) -> tensor<2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x67xf32>) outs(%z : tensor<2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<2xf32>
  return %s : tensor<2xf32>
}

func.func @colmean(%x: tensor<2x9x35xf32>) -> tensor<2x35xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 9.0 : f32
  %e = tensor.empty() : tensor<2x35xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x35xf32>) -> tensor<2x35xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>],
                       iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x : tensor<2x9x35xf32>) outs(%z : tensor<2x35xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<2x35xf32>
  %m = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x35xf32>) outs(%e : tensor<2x35xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.divf %a, %n : f32
    linalg.yield %d : f32
  } -> tensor<2x35xf32>
  return %m : tensor<2x35xf32>
}

func.func @exp(%x: tensor<4032xf32>) -> tensor<4032xf32> {
  %e = tensor.empty() : tensor<4032xf32>
  %y = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<4032xf32>) outs(%e : tensor<4032xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = math.exp %a : f32
    linalg.yield %d : f32
  } -> tensor<4032xf32>
  return %y : tensor<4032xf32>
}

func.func @erf(%x: tensor<4032xf32>) -> tensor<4032xf32> {
  %e = tensor.empty() : tensor<4032xf32>
  %y = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<4032xf32>) outs(%e : tensor<4032xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = math.erf %a : f32
    linalg.yield %d : f32
  } -> tensor<4032xf32>
  return %y : tensor<4032xf32>
}

func.func @gelu(%x: tensor<4x37xf32>) -> tensor<4x37xf32> {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %rs2 = arith.constant 0.707106769 : f32
  %e = tensor.empty() : tensor<4x37xf32>
  %t = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x37xf32>) outs(%e : tensor<4x37xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.mulf %a, %rs2 : f32
    linalg.yield %d : f32
  } -> tensor<4x37xf32>
  %f = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<4x37xf32>) outs(%e : tensor<4x37xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = math.erf %a : f32
    linalg.yield %d : f32
  } -> tensor<4x37xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %f : tensor<4x37xf32>, tensor<4x37xf32>) outs(%e : tensor<4x37xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.addf %b, %one : f32
    %q = arith.mulf %a, %p : f32
    %r = arith.mulf %q, %half : f32
    linalg.yield %r : f32
  } -> tensor<4x37xf32>
  return %y : tensor<4x37xf32>
}
