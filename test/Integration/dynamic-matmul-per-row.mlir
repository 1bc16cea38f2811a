// slim.dynamic_qmatmul per_row through slim-run, bit-exact against its
// description recomputed in test/Integration/ref.py: each of the 6 rows of
// a 6x17 activation (dynamic row count) gets u8 parameters from its own
// range: a mixed row, an all-positive one (zero point 0), an all-negative
// one (zero point 255), an all-zero one (scale 1), a row of tiny values
// with a NaN and a -0.0, and a row with one outlier (40.0); per-channel i8
// weights with zero points at both ends.
//
// RUN: %ref gen %t.x.npy --shape 6,17 --values=-0.41,1.96,-2.932,4.863,3.577,4.992,-0.893,-1.404,-2.562,-1.45,-2.807,2.534,-0.075,3.524,3.085,-0.205,-1.666,3.455,0.758,6.011,2.113,1.764,8.051,4.215,8.541,8.832,6.144,2.623,1.756,2.596,6.761,4.85,3.032,0.648,-6.016,-5.662,-8.411,-6.879,-6.489,-5.464,-4.802,-4.192,-1.779,-6.493,-8.193,-6.423,-7.164,-4.107,-4.952,-6.271,-8.194,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0251,0.0124,0.0123,nan,0.0355,-0.0465,-0.0311,-0.0028,0.0201,0.0004,0.0005,-0.0193,-0.0256,0.0374,0.0483,-0.0,-0.0033,-0.743,0.202,-0.576,0.251,-0.443,-0.065,0.73,40.0,0.07,-0.363,-0.029,0.735,-0.015,0.929,-0.184,-0.092,0.29
// RUN: %ref gen %t.w.npy --dtype int8 --shape 17,5 --values=32,-62,62,-36,76,49,114,88,62,39,109,8,-120,88,-8,71,114,-64,39,-114,103,-87,-99,-32,-7,95,-64,-30,12,-101,19,-64,-124,60,-72,-23,-56,-81,107,95,69,-28,-87,68,77,-109,-92,31,31,-14,-95,-94,-127,121,96,-126,-74,71,-72,118,124,-85,96,-85,-53,-47,119,-77,11,97,46,33,-75,-81,113,120,49,-77,120,120,101,-29,-51,-122,-35
// RUN: slim-run %s --input %t.x.npy --output %t.y.npy
// RUN: %ref dynamic-matmul --per-row --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y.npy --label row | FileCheck %s
// CHECK: row: row 1 activation scale {{.*}}, zero point 0
// CHECK: row: row 2 activation scale {{.*}}, zero point 255
// CHECK: row: row 3 activation scale 1.0, zero point 0
// CHECK: row: 30 values, 0 mismatches
// One set of parameters for all rows gives other results (so the check
// above can fail): the tiny row's values all quantize to its zero point.
// RUN: not %ref dynamic-matmul --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.005,0.03,0.015 --w-zps 0,3,-5,127,-128 --output %t.y.npy --label tensor | FileCheck %s --check-prefix=CHECK-TENSOR
// CHECK-TENSOR: tensor: 30 values, {{[1-9][0-9]*}} mismatches

func.func @main(%x: tensor<?x17xf32>) -> tensor<?x5xf32> {
  %w = arith.constant dense<[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8], [71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101], [19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77], [-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118], [124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113], [120, 49, -77, 120, 120], [101, -29, -51, -122, -35]]> : tensor<17x5xi8>
  %wq = quant.scast %w : tensor<17x5xi8> to tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>>
  %y = slim.dynamic_qmatmul %x, %wq per_row : tensor<?x17xf32>, tensor<17x5x!quant.uniform<i8:f32:1, {0.01, 0.02:3, 0.005:-5, 0.03:127, 0.015:-128}>> -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}
