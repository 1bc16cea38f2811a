// Calibration: slim-run --calibrate records, per observer, what
// test/Integration/ref.py recomputes from the data by hand (min, max, the
// per-sample moving averages, the power-of-two histogram, per-channel
// extremes); the file does not depend on batching (batch 1, batch 4 with a
// short last batch, and a directory of one-sample files all give the same
// bytes).
//
// RUN: %ref gen %t.x.npy --shape 13,3 --values=0,0,0,-1.5,2.25,3,nan,inf,1 --random 30 --range=-6,9 --seed 21
// RUN: slim-run %s --calibrate %t.x.npy --stats-file %t.b1.json | FileCheck %s --check-prefix=CHECK-SUMMARY
// CHECK-SUMMARY: calibrated 2 observer(s) on 13 sample(s) in 13 run(s), {{.*}}; statistics written to {{.*}}b1.json
// RUN: slim-run %s --calibrate %t.x.npy --stats-file %t.b4.json --batch 4 | FileCheck %s --check-prefix=CHECK-BATCH4
// CHECK-BATCH4: on 13 sample(s) in 4 run(s)
// RUN: rm -rf %t.dir && %ref split %t.x.npy %t.dir
// RUN: slim-run %s --calibrate %t.dir --stats-file %t.dir.json
// RUN: diff %t.b1.json %t.b4.json && diff %t.b1.json %t.dir.json && echo same files | FileCheck %s --check-prefix=CHECK-SAME
// CHECK-SAME: same files
// RUN: %ref stats --input %t.x.npy --stats %t.b1.json --id x --axis 1 --label x | FileCheck %s --check-prefix=CHECK-X
// CHECK-X: x: 39 values, 0 mismatches
// RUN: %ref stats --input %t.x.npy --stats %t.b1.json --id relu2x --multiply 2 --relu --label relu2x | FileCheck %s --check-prefix=CHECK-RELU
// CHECK-RELU: relu2x: 39 values, 0 mismatches

func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %a = slim.observe %x id "x" axis 1 : tensor<?x3xf32>
  %b = arith.addf %a, %a : tensor<?x3xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %b, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %r = arith.maximumf %b, %z : tensor<?x3xf32>
  %c = slim.observe %r id "relu2x" : tensor<?x3xf32>
  return %c : tensor<?x3xf32>
}
