// slim.qconv2d through slim-run, bit-exact against the convolution formula
// recomputed in test/Integration/ref.py: odd sizes (2x3x5x6 input, 4x3x3x2
// filter), strides [2, 1], dilations [1, 2], uneven padding [1, 0, 2, 1]
// filled with the input's zero point (200, near the top of u8), per-filter
// zero points including the range ends, and a bias.
//
// RUN: %ref gen %t.x.npy --dtype uint8 --shape 2,3,5,6 --values=0,255,200,199,201 --random 175 --range=0,255 --seed 71
// RUN: %ref gen %t.w.npy --dtype int8 --shape 4,3,3,2 --values=-128,127,0 --random 69 --range=-128,127 --seed 72
// RUN: %ref gen %t.b.npy --dtype int32 --shape 4 --values=100,-200000,0,7
// RUN: slim-run %s --input %t.x.npy --input %t.w.npy --input %t.b.npy --output %t.acc.npy
// RUN: %ref qconv2d --mlir %s --func main --x %t.x.npy --w %t.w.npy --bias %t.b.npy --strides 2,1 --dilations 1,2 --padding 1,0,2,1 --output %t.acc.npy --label conv | FileCheck %s
// CHECK: conv: 120 values, 0 mismatches

func.func @main(%x: tensor<2x3x5x6x!quant.uniform<u8:f32, 0.5:200>>, %w: tensor<4x3x3x2x!quant.uniform<i8:f32:0, {0.25, 0.5:3, 1.0:-128, 2.0:127}>>, %b: tensor<4x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.5, 1.0}>>) -> tensor<2x4x3x5x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>> {
  %acc = slim.qconv2d %x, %w, %b strides [2, 1] dilations [1, 2] padding [1, 0, 2, 1] : tensor<2x3x5x6x!quant.uniform<u8:f32, 0.5:200>>, tensor<4x3x3x2x!quant.uniform<i8:f32:0, {0.25, 0.5:3, 1.0:-128, 2.0:127}>>, tensor<4x!quant.uniform<i32:f32:0, {0.125, 0.25, 0.5, 1.0}>> -> tensor<2x4x3x5x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
  return %acc : tensor<2x4x3x5x!quant.uniform<i32:f32:1, {0.125, 0.25, 0.5, 1.0}>>
}
