// Static post-training quantization end to end, pass by pass: observers
// inserted, a calibration run, observers folded into quantize/dequantize
// pairs, and the quantized model run. Its output must stay close to the
// float model's: with u8 activations over [0, ~6] and exact float weights,
// the error is bounded by half a step of each quantized activation pushed
// through the layers (tolerance 0.05 here, measured 0.01-0.02).
//
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: %ref gen %t.cal.npy --shape 64,8 --random 512 --range=-2,2 --seed 31
// RUN: slim-run %t.observed.mlir --calibrate %t.cal.npy --stats-file %t.stats.json --batch 16 | FileCheck %s --check-prefix=CHECK-CAL
// CHECK-CAL: calibrated 3 observer(s) on 64 sample(s) in 4 run(s)
// RUN: slim-opt %t.observed.mlir "--slim-fold-calibration=stats=%t.stats.json" -o %t.quantized.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.quantized.mlir
// CHECK-IR-LABEL: func.func @main
// CHECK-IR: slim.quantize %arg0 : tensor<?x8xf32> to tensor<?x8x!quant.uniform<u8:f32, {{.*}}>>
// CHECK-IR: linalg.matmul
// CHECK-IR: slim.quantize {{.*}} to tensor<?x16x!quant.uniform<u8:f32, {{.*}}>>
// CHECK-IR: linalg.matmul
// CHECK-IR: slim.quantize {{.*}} to tensor<?x4x!quant.uniform<u8:f32, {{.*}}>>
// CHECK-IR-NOT: slim.observe
// RUN: %ref gen %t.test.npy --shape 16,8 --random 128 --range=-2,2 --seed 77
// RUN: slim-run %s --input %t.test.npy --output %t.float.npy
// RUN: slim-run %t.quantized.mlir --input %t.test.npy --output %t.quant.npy
// RUN: %ref close %t.float.npy %t.quant.npy --atol 0.05 --label ptq | FileCheck %s --check-prefix=CHECK-CLOSE
// CHECK-CLOSE: ptq: 64 values, 0 mismatches
//
// Then int8 weights and integer compute: both layers fuse into
// qmatmul + requantize, and the result stays within two output steps
// (about 0.006 each) of the fake-quant model and close to the float one.
// RUN: slim-opt %t.quantized.mlir --slim-quantize-weights --slim-fuse-quantized=report-unfused --canonicalize -o %t.int8.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-INT8 < %t.int8.mlir
// CHECK-INT8-LABEL: func.func @main
// CHECK-INT8: slim.qmatmul
// CHECK-INT8: slim.requantize
// CHECK-INT8: slim.qmatmul
// CHECK-INT8: slim.requantize
// CHECK-INT8-NOT: linalg.matmul
// RUN: slim-run %t.int8.mlir --input %t.test.npy --output %t.int8.npy
// RUN: %ref close %t.quant.npy %t.int8.npy --atol 0.012 --label int8-vs-fakequant | FileCheck %s --check-prefix=CHECK-INT8FQ
// CHECK-INT8FQ: int8-vs-fakequant: 64 values, 0 mismatches
// RUN: %ref close %t.float.npy %t.int8.npy --atol 0.05 --label int8-vs-float | FileCheck %s --check-prefix=CHECK-INT8F
// CHECK-INT8F: int8-vs-float: 64 values, 0 mismatches

#id = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @main(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %zero = arith.constant 0.0 : f32
  %w0 = arith.constant dense<[[0.3, -0.2, 0.1, 0.5, -0.4, 0.2, 0.0, 0.1, 0.3, -0.1, 0.2, -0.3, 0.4, 0.1, -0.2, 0.25],
    [0.1, 0.4, -0.3, 0.2, 0.1, -0.5, 0.3, 0.2, -0.1, 0.2, 0.3, 0.1, -0.2, 0.4, 0.1, -0.3],
    [-0.2, 0.1, 0.4, -0.1, 0.3, 0.2, -0.4, 0.1, 0.2, 0.3, -0.1, 0.2, 0.1, -0.3, 0.4, 0.2],
    [0.4, -0.3, 0.2, 0.1, -0.2, 0.3, 0.1, -0.4, 0.1, 0.2, 0.3, -0.2, 0.3, 0.1, -0.1, 0.2],
    [0.1, 0.2, -0.1, 0.3, 0.4, -0.2, 0.2, 0.1, -0.3, 0.1, 0.2, 0.4, -0.1, 0.2, 0.3, -0.2],
    [-0.3, 0.1, 0.2, -0.2, 0.1, 0.4, -0.1, 0.3, 0.2, -0.4, 0.1, 0.2, 0.3, -0.1, 0.2, 0.1],
    [0.2, -0.1, 0.3, 0.1, -0.3, 0.2, 0.4, -0.2, 0.1, 0.3, -0.2, 0.1, 0.2, 0.4, -0.3, 0.1],
    [0.1, 0.3, -0.2, 0.4, 0.2, -0.1, 0.1, 0.3, -0.4, 0.2, 0.1, -0.3, 0.2, 0.1, 0.3, -0.1]]> : tensor<8x16xf32>
  %b0 = arith.constant dense<[0.1, -0.1, 0.05, 0.0, 0.2, -0.05, 0.1, 0.0, 0.05, 0.1, -0.1, 0.0, 0.15, 0.0, -0.05, 0.1]> : tensor<16xf32>
  %e0 = tensor.empty(%n) : tensor<?x16xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %mm0 = linalg.matmul ins(%x, %w0 : tensor<?x8xf32>, tensor<8x16xf32>) outs(%f0 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %h0 = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%mm0, %b0 : tensor<?x16xf32>, tensor<16xf32>) outs(%e0 : tensor<?x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x16xf32>
  %w1 = arith.constant dense<0.125> : tensor<16x4xf32>
  %e1 = tensor.empty(%n) : tensor<?x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  %mm1 = linalg.matmul ins(%h0, %w1 : tensor<?x16xf32>, tensor<16x4xf32>) outs(%f1 : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %mm1 : tensor<?x4xf32>
}
