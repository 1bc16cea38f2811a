// math.fpowi as importers write ONNX's Pow with an integer exponent
// (RMSNorm's x^2), through slim-run's vectorized pipeline
// (slim-expand-powers: multiplications, or powf for an exponent that is
// not a constant), against the exact powers rounded once to f32 (ref.py
// powi): 40 random values in [-3, 3] with the specials (NaN, +-inf, +-0,
// the smallest normal, the largest float), and values whose powers
// overflow or underflow. Exponents 2, 3, -2, -3, 0, 7 as constants, 3 as
// a run-time tensor of i64, and 3 as a splat tensor of fpowi on tensors
// (which convert-elementwise-to-linalg makes a generic's input). The
// bounds allow about half a unit in the last place per rounding of the
// chain (measured: 0, 1, 1, 2, 0, 3, 0 and 1 ulp).
//
// RUN: %ref gen %t.x.npy --shape 64 --values=1e20,-1e20,1e-20,-3e-30,4e12,0.5,-0.5,1,-1,2,-2,1e-3,-1e-3,7e4 --specials --random 40 --range=-3,3 --seed 21
// RUN: %ref gen %t.n.npy --dtype int64 --shape 64 --fill 3
// RUN: slim-run %s -e square --input %t.x.npy --output %t.2.npy
// RUN: %ref powi --input %t.x.npy --output %t.2.npy --power 2 --ulps 0.5 --label square | FileCheck %s
// RUN: slim-run %s -e cube --input %t.x.npy --output %t.3.npy
// RUN: %ref powi --input %t.x.npy --output %t.3.npy --power 3 --ulps 1.5 --label cube | FileCheck %s
// RUN: slim-run %s -e inverse_square --input %t.x.npy --output %t.m2.npy
// RUN: %ref powi --input %t.x.npy --output %t.m2.npy --power -2 --ulps 1.5 --label inverse_square | FileCheck %s
// RUN: slim-run %s -e inverse_cube --input %t.x.npy --output %t.m3.npy
// RUN: %ref powi --input %t.x.npy --output %t.m3.npy --power -3 --ulps 2.5 --label inverse_cube | FileCheck %s
// RUN: slim-run %s -e zeroth --input %t.x.npy --output %t.0.npy
// RUN: %ref powi --input %t.x.npy --output %t.0.npy --power 0 --ulps 0 --label zeroth | FileCheck %s
// RUN: slim-run %s -e seventh --input %t.x.npy --output %t.7.npy
// RUN: %ref powi --input %t.x.npy --output %t.7.npy --power 7 --ulps 4 --label seventh | FileCheck %s
// RUN: slim-run %s -e variable --input %t.x.npy --input %t.n.npy --output %t.v.npy
// RUN: %ref powi --input %t.x.npy --output %t.v.npy --power 3 --ulps 1 --label variable | FileCheck %s
// RUN: slim-run %s -e tensor_cube --input %t.x.npy --output %t.t.npy
// RUN: %ref powi --input %t.x.npy --output %t.t.npy --power 3 --ulps 1.5 --label tensor_cube | FileCheck %s
// CHECK: {{^(square|cube|inverse_square|inverse_cube|zeroth|seventh|variable|tensor_cube)}}: 64 values, 0 mismatches

#id = affine_map<(d0) -> (d0)>

func.func @square(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant 2 : i64
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @cube(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant 3 : i32
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i32
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @inverse_square(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant -2 : i64
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @inverse_cube(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant -3 : i64
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @zeroth(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant 0 : i64
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @seventh(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant 7 : i64
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = math.fpowi %v, %c : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @variable(%x: tensor<64xf32>, %n: tensor<64xi64>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%x, %n : tensor<64xf32>, tensor<64xi64>) outs(%e : tensor<64xf32>) {
  ^bb0(%v: f32, %k: i64, %o: f32):
    %p = math.fpowi %v, %k : f32, i64
    linalg.yield %p : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @tensor_cube(%x: tensor<64xf32>) -> tensor<64xf32> {
  %c = arith.constant dense<3> : tensor<64xi64>
  %p = math.fpowi %x, %c : tensor<64xf32>, tensor<64xi64>
  return %p : tensor<64xf32>
}
