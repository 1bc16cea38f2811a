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
// CHECK-TENSOR: tensor: 30 values, 0 mismatches
// CHECK-CHANNEL: channel: 30 values, 0 mismatches
// CHECK-GROUP: group: 30 values, 0 mismatches
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
