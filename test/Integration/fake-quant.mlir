// slim.fake_quant through slim-run against quantize-then-dequantize computed
// by test/Integration/ref.py; a constant quantize folded at compile time
// (canonicalize in the pipeline) must give exactly the integers that the
// same quantize computes at run time.
//
// RUN: %ref gen %t.x.npy --shape 3,17 --ties 12 --tie-step 0.25 --specials --random 17 --range=-40,40 --seed 12
// RUN: slim-run %s -e fake --input %t.x.npy --output %t.f0.npy --output %t.f1.npy
// RUN: %ref fake-quant --type '!quant.uniform<i8:f32, 0.25:3>' --input %t.x.npy --output %t.f0.npy --label tensor | FileCheck %s --check-prefix=CHECK-TENSOR
// RUN: %ref fake-quant --type '!quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.125:17}>' --rounding away --input %t.x.npy --output %t.f1.npy --label axis | FileCheck %s --check-prefix=CHECK-AXIS
// CHECK-TENSOR: tensor: 51 values, 0 mismatches
// CHECK-AXIS: axis: 51 values, 0 mismatches

func.func @fake(%x: tensor<3x17xf32>) -> (tensor<3x17xf32>, tensor<3x17xf32>) {
  %0 = slim.fake_quant %x as !quant.uniform<i8:f32, 0.25:3> : tensor<3x17xf32>
  %1 = slim.fake_quant %x as !quant.uniform<u8:f32:0, {0.25:0, 0.5:255, 0.125:17}> rounding<half_away_from_zero> : tensor<3x17xf32>
  return %0, %1 : tensor<3x17xf32>, tensor<3x17xf32>
}

// Folded and run-time quantization agree element for element, including
// the NaN, Inf and tie entries.
// RUN: slim-opt %s --canonicalize | FileCheck %s --check-prefix=CHECK-FOLDED
// CHECK-FOLDED-LABEL: func @folded_vs_runtime
// CHECK-FOLDED: arith.constant dense<{{.*}}> : tensor<12xi8>
// CHECK-FOLDED: quant.scast
// RUN: %ref gen %t.c.npy --values=0.25,0.75,-0.25,-0.75,1000,-1000,nan,inf,-inf,0.1,-33.3,2.5
// RUN: slim-run %s -e folded_vs_runtime --input %t.c.npy --output %t.folded.npy --output %t.runtime.npy
// RUN: %ref same %t.folded.npy %t.runtime.npy --label fold | FileCheck %s --check-prefix=CHECK-SAME
// CHECK-SAME: fold: 12 values, 0 mismatches
// RUN: %ref quantize --mlir %s --func folded_vs_runtime --q result:1 --input %t.c.npy --output %t.runtime.npy --label runtime | FileCheck %s --check-prefix=CHECK-RUNTIME
// CHECK-RUNTIME: runtime: 12 values, 0 mismatches

func.func @folded_vs_runtime(%x: tensor<12xf32>) -> (tensor<12x!quant.uniform<i8:f32, 0.5:-3>>, tensor<12x!quant.uniform<i8:f32, 0.5:-3>>) {
  %c = arith.constant dense<[0.25, 0.75, -0.25, -0.75, 1000.0, -1000.0, 0x7FC00000, 0x7F800000, 0xFF800000, 0.1, -33.3, 2.5]> : tensor<12xf32>
  %0 = slim.quantize %c : tensor<12xf32> to tensor<12x!quant.uniform<i8:f32, 0.5:-3>>
  %1 = slim.quantize %x : tensor<12xf32> to tensor<12x!quant.uniform<i8:f32, 0.5:-3>>
  return %0, %1 : tensor<12x!quant.uniform<i8:f32, 0.5:-3>>, tensor<12x!quant.uniform<i8:f32, 0.5:-3>>
}
