// slim-run prints results numpy-style, writes .npy, times repeated runs,
// binds dynamic dimensions from the inputs, and reports the host.
//
// RUN: %ref gen %t.a.npy --shape 2,3 --values=1,2,3,4,5,6
// RUN: %ref gen %t.b.npy --shape 3 --values=0.5,-1,2
// RUN: slim-run %s -e add --input %t.a.npy --input %t.b.npy | FileCheck %s --check-prefix=CHECK-PRINT
// CHECK-PRINT: result 0: tensor<2x3xf32>
// CHECK-PRINT-NEXT: {{^}}{{\[}}[1.5, 1, 5],
// CHECK-PRINT-NEXT: {{^}} [4.5, 4, 8]]
// CHECK-PRINT-NEXT: result 1: tensor<i64>
// CHECK-PRINT-NEXT: {{^}}6{{$}}

// RUN: slim-run %s -e add --input %t.a.npy --input %t.b.npy --output %t.sum.npy --output %t.n.npy --repeat 3 | FileCheck %s --check-prefix=CHECK-TIME
// CHECK-TIME: timing: 3 runs, min {{[0-9.]+}} ms, median {{[0-9.]+}} ms
// CHECK-TIME-NOT: result
// RUN: %ref gen %t.want.npy --shape 2,3 --values=1.5,1,5,4.5,4,8
// RUN: %ref same %t.sum.npy %t.want.npy --label written | FileCheck %s --check-prefix=CHECK-WRITTEN
// CHECK-WRITTEN: written: 6 values, 0 mismatches

func.func @add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<i64>) {
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %s = arith.addf %a, %bb : tensor<2x3xf32>
  %n = arith.constant dense<6> : tensor<i64>
  return %s, %n : tensor<2x3xf32>, tensor<i64>
}

// A dynamic leading dimension is bound from the input's shape.
// RUN: %ref gen %t.d.npy --shape 4,2 --values=1,2,3,4,5,6,7,8
// RUN: slim-run %s -e rowsum --input %t.d.npy | FileCheck %s --check-prefix=CHECK-DYN
// CHECK-DYN: result 0: tensor<2xf32>
// CHECK-DYN-NEXT: [16, 20]

func.func @rowsum(%a: tensor<?x2xf32>) -> tensor<2xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %r = linalg.reduce ins(%a : tensor<?x2xf32>) outs(%f : tensor<2xf32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<2xf32>
}

// A dynamic leading dimension is bound from the input's shape, and a result
// whose size follows it gets its static shape from there.
// RUN: slim-run %s -e twice --input %t.d.npy | FileCheck %s --check-prefix=CHECK-TWICE
// CHECK-TWICE: result 0: tensor<4x2xf32>
// CHECK-TWICE-NEXT: {{^}}{{\[}}[2, 4],
// CHECK-TWICE: {{^}} [14, 16]]

func.func @twice(%a: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = arith.addf %a, %a : tensor<?x2xf32>
  return %b : tensor<?x2xf32>
}

// u8 data crosses the boundary as uint8.
// RUN: %ref gen %t.u.npy --dtype uint8 --values=0,128,255
// RUN: slim-run %s -e u8 --input %t.u.npy --print --output %t.u8f.npy --output %t.u8out.npy | FileCheck %s --check-prefix=CHECK-U8
// CHECK-U8: result 0: tensor<3xf32>
// CHECK-U8-NEXT: [-64, 0, 63.5]
// CHECK-U8-NEXT: result 1: tensor<3x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK-U8-NEXT: [0, 128, 255]

func.func @u8(%q: tensor<3x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<3xf32>, tensor<3x!quant.uniform<u8:f32, 0.5:128>>) {
  %d = slim.dequantize %q : tensor<3x!quant.uniform<u8:f32, 0.5:128>> to tensor<3xf32>
  return %d, %q : tensor<3xf32>, tensor<3x!quant.uniform<u8:f32, 0.5:128>>
}

// RUN: slim-run %s -e u8 --input %t.u.npy --show-host | FileCheck %s --check-prefix=CHECK-HOST
// CHECK-HOST: host: {{[a-z0-9_-]+}}
