// Weight-only quantization through slim-run: the matmul multiplies the
// identity by the weight, so its output is exactly the dequantized weight,
// which test/Integration/ref.py recomputes from the float weight (scales in
// float32 from max |w|, symmetric, narrow, ties to even) for int8 per tensor
// and per channel, and int4 in groups of 3 rows. Odd shape 6x5, a zero
// column (degenerate range: scale 1) and ties.
//
// RUN: %ref gen %t.eye.npy --shape 6,6 --values=1,0,0,0,0,0,0,1,0,0,0,0,0,0,1,0,0,0,0,0,0,1,0,0,0,0,0,0,1,0,0,0,0,0,0,1
// RUN: %ref gen %t.w.npy --shape 6,5 --values=1.27,-0.5,0.0,0.02,3.5,0.635,0.25,0.0,-0.04,-3.5,-1.27,0.125,0.0,0.06,1.75,0.3175,-0.75,0.0,0.01,0.875,0.1,1.0,0.0,-0.03,-0.4375,-0.2,-0.0625,0.0,0.05,2.625
// RUN: slim-opt %s --slim-quantize-weights=granularity=tensor -o %t.tensor.mlir 2>/dev/null
// RUN: slim-opt %s --slim-quantize-weights=granularity=channel -o %t.channel.mlir 2>/dev/null
// RUN: slim-opt %s "--slim-quantize-weights=granularity=group group-size=3 bits=4" -o %t.group.mlir 2>/dev/null
// RUN: slim-run %t.tensor.mlir --input %t.eye.npy --output %t.out-tensor.npy
// RUN: slim-run %t.channel.mlir --input %t.eye.npy --output %t.out-channel.npy
// RUN: slim-run %t.group.mlir --input %t.eye.npy --output %t.out-group.npy
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-tensor.npy --granularity tensor --label tensor | FileCheck %s --check-prefix=CHECK-TENSOR
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-channel.npy --granularity channel --label channel | FileCheck %s --check-prefix=CHECK-CHANNEL
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-group.npy --granularity group --group-size 3 --bits 4 --label group | FileCheck %s --check-prefix=CHECK-GROUP
// group-size 4 does not divide K = 6: the weight gets groups of 3 (the
// largest divisor in [2, 4]), the same as asking for 3.
// RUN: slim-opt %s "--slim-quantize-weights=granularity=group group-size=4 bits=4" -o %t.group4.mlir 2>/dev/null
// RUN: slim-run %t.group4.mlir --input %t.eye.npy --output %t.out-group4.npy
// RUN: %ref weight-quant --weights %t.w.npy --output %t.out-group4.npy --granularity group --group-size 3 --bits 4 --label group | FileCheck %s --check-prefix=CHECK-GROUP
// CHECK-TENSOR: tensor: 30 values, 0 mismatches
// CHECK-CHANNEL: channel: 30 values, 0 mismatches
// CHECK-GROUP: group: 30 values, 0 mismatches
// int4 per channel on a convolution: each 5x3x3x3 filter's 27 values are
// packed together (odd: a padding nibble per filter) and expanded back to
// FCHW. The input is the 27 one-hot 3x3x3 images, so output row k is
// w[:, k]: the dequantized filter, transposed. Ties (0.5 and 1.5 steps) in
// every filter.
// RUN: %ref gen %t.onehot.npy --shape 27,3,3,3 --eye 27
// RUN: %ref gen %t.filters.npy --shape 5,27 --values=3.5,0.25,0.75,-1.25,-3.5,0.8603,1.6925,2.0664,3.0972,1.6793,2.9563,-3.297,-0.2406,3.1035,1.0428,2.8063,-2.7076,-0.2165,-1.774,0.3063,0.5176,-3.4082,-1.9829,-1.5436,2.9144,1.8601,-2.3828,1.75,0.125,0.375,-0.625,-1.75,1.04,-1.2643,0.4111,-1.3066,-1.7438,1.2999,-1.0169,-0.9958,1.6885,1.3034,-0.7374,1.6152,0.1373,0.6224,-1.0333,1.5434,0.6672,1.633,1.3781,-0.7042,-0.4858,-1.1692,0.7,0.049999999999999996,0.15,-0.24999999999999997,-0.7,-0.496,-0.6088,-0.2781,0.1444,-0.6953,0.2491,-0.2269,-0.2661,0.4459,-0.027,-0.2579,-0.0263,0.2865,-0.6202,0.6651,-0.668,0.3497,0.4828,-0.6747,0.4028,-0.1873,0.1099,7.0,0.5,1.5,-2.5,-7.0,-6.8729,-6.3458,-4.4671,6.3725,-4.2487,3.5803,6.0152,6.1886,-2.1787,-2.0329,0.3458,3.8584,-5.4873,3.4776,4.1612,5.0357,-6.4872,6.2412,-5.7235,-2.2296,1.5516,5.8532,2.1,0.15,0.44999999999999996,-0.75,-2.1,-0.6722,1.7816,0.1896,-0.7877,-0.7694,-1.3546,-1.7716,-1.4748,0.7945,2.0863,-1.4216,-1.8961,2.0441,0.1408,-0.3953,-1.1032,0.3946,1.3704,-0.1862,-0.3286,-1.866,1.7475
// RUN: slim-opt %s "--slim-quantize-weights=granularity=channel bits=4" -o %t.conv4.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-PACKED < %t.conv4.mlir
// CHECK-PACKED: slim.unpack %{{.*}} : tensor<5x14xi8> -> tensor<5x27xi4>
// RUN: slim-run %t.conv4.mlir -e conv --input %t.onehot.npy --output %t.out-conv4.npy
// RUN: %ref weight-quant --weights %t.filters.npy --transposed --output %t.out-conv4.npy --granularity channel --bits 4 --label conv4 | FileCheck %s --check-prefix=CHECK-CONV4
// CHECK-CONV4: conv4: 135 values, 0 mismatches
// The references differ from each other, so each check can fail.
// RUN: not %ref same %t.out-tensor.npy %t.out-channel.npy --label differ | FileCheck %s --check-prefix=CHECK-DIFFER
// CHECK-DIFFER: differ: 30 values, {{[1-9][0-9]*}} mismatches

func.func @main(%x: tensor<6x6xf32>) -> tensor<6x5xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.27, -0.5, 0.0, 0.02, 3.5], [0.635, 0.25, 0.0, -0.04, -3.5], [-1.27, 0.125, 0.0, 0.06, 1.75], [0.3175, -0.75, 0.0, 0.01, 0.875], [0.1, 1.0, 0.0, -0.03, -0.4375], [-0.2, -0.0625, 0.0, 0.05, 2.625]]> : tensor<6x5xf32>
  %e = tensor.empty() : tensor<6x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x5xf32>) -> tensor<6x5xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<6x6xf32>, tensor<6x5xf32>) outs(%f : tensor<6x5xf32>) -> tensor<6x5xf32>
  return %mm : tensor<6x5xf32>
}

func.func @conv(%x: tensor<27x3x3x3xf32>) -> tensor<27x5xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[3.5, 0.25, 0.75], [-1.25, -3.5, 0.8603], [1.6925, 2.0664, 3.0972]], [[1.6793, 2.9563, -3.297], [-0.2406, 3.1035, 1.0428], [2.8063, -2.7076, -0.2165]], [[-1.774, 0.3063, 0.5176], [-3.4082, -1.9829, -1.5436], [2.9144, 1.8601, -2.3828]]], [[[1.75, 0.125, 0.375], [-0.625, -1.75, 1.04], [-1.2643, 0.4111, -1.3066]], [[-1.7438, 1.2999, -1.0169], [-0.9958, 1.6885, 1.3034], [-0.7374, 1.6152, 0.1373]], [[0.6224, -1.0333, 1.5434], [0.6672, 1.633, 1.3781], [-0.7042, -0.4858, -1.1692]]], [[[0.7, 0.049999999999999996, 0.15], [-0.24999999999999997, -0.7, -0.496], [-0.6088, -0.2781, 0.1444]], [[-0.6953, 0.2491, -0.2269], [-0.2661, 0.4459, -0.027], [-0.2579, -0.0263, 0.2865]], [[-0.6202, 0.6651, -0.668], [0.3497, 0.4828, -0.6747], [0.4028, -0.1873, 0.1099]]], [[[7.0, 0.5, 1.5], [-2.5, -7.0, -6.8729], [-6.3458, -4.4671, 6.3725]], [[-4.2487, 3.5803, 6.0152], [6.1886, -2.1787, -2.0329], [0.3458, 3.8584, -5.4873]], [[3.4776, 4.1612, 5.0357], [-6.4872, 6.2412, -5.7235], [-2.2296, 1.5516, 5.8532]]], [[[2.1, 0.15, 0.44999999999999996], [-0.75, -2.1, -0.6722], [1.7816, 0.1896, -0.7877]], [[-0.7694, -1.3546, -1.7716], [-1.4748, 0.7945, 2.0863], [-1.4216, -1.8961, 2.0441]], [[0.1408, -0.3953, -1.1032], [0.3946, 1.3704, -0.1862], [-0.3286, -1.866, 1.7475]]]]> : tensor<5x3x3x3xf32>
  %e = tensor.empty() : tensor<27x5x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<27x5x1x1xf32>) -> tensor<27x5x1x1xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<27x3x3x3xf32>, tensor<5x3x3x3xf32>) outs(%f : tensor<27x5x1x1xf32>) -> tensor<27x5x1x1xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2, 3]] : tensor<27x5x1x1xf32> into tensor<27x5xf32>
  return %r : tensor<27x5xf32>
}
