// Bad calibration requests: a clear error and exit code 1.
//
// RUN: %ref gen %t.x.npy --shape 6,3 --random 18 --seed 2
// RUN: %ref gen %t.x5.npy --shape 5,3 --random 15 --seed 2
// RUN: %ref gen %t.x4.npy --shape 6,4 --random 24 --seed 2
// RUN: %ref gen %t.i.npy --dtype int32 --shape 6,3 --random 18 --seed 2
// RUN: rm -rf %t.empty && mkdir %t.empty

// RUN: not slim-run %s --calibrate %t.x.npy 2>&1 | FileCheck %s --check-prefix=CHECK-NOSTATS
// CHECK-NOSTATS: error: --calibrate needs --stats-file FILE

// RUN: not slim-run %s --calibrate %t.x.npy --stats-file %t.s.json --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=CHECK-MIX
// CHECK-MIX: error: --calibrate does not take --input, --output or --repeat

// RUN: not slim-run %s --calibrate %t.i.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-DTYPE
// CHECK-DTYPE: error: {{.*}}i.npy (argument 0) has dtype int32 but the argument needs float32

// RUN: not slim-run %s --calibrate %t.x4.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-SHAPE
// CHECK-SHAPE: error: {{.*}}x4.npy (argument 0) has samples of the wrong shape for tensor<?x3xf32>

// RUN: not slim-run %s -e static_batch --calibrate %t.x5.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-STATIC
// CHECK-STATIC: error: the data set has 5 samples, which do not fill batches of the entry's static batch size 2

// RUN: not slim-run %s --calibrate %t.empty --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-EMPTY
// CHECK-EMPTY: error: {{.*}}empty: no .npy files in the calibration directory

// RUN: not slim-run %s --calibrate %t.missing.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: {{.*}}missing.npy: cannot read

// RUN: not slim-run %s -e two --calibrate %t.x.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-COUNT
// CHECK-COUNT: error: the entry function takes 2 argument(s) but data was given for 1

// RUN: not slim-run %s -e two --calibrate %t.x.npy --calibrate %t.x5.npy --stats-file %t.s.json 2>&1 | FileCheck %s --check-prefix=CHECK-SAMPLES
// CHECK-SAMPLES: error: the arguments' data hold different numbers of samples (6 and 5)

// RUN: not slim-run %s --calibrate %t.x.npy --stats-file %t.nodir/s.json 2>&1 | FileCheck %s --check-prefix=CHECK-WRITE
// CHECK-WRITE: error: cannot write {{.*}}nodir/s.json: No such file or directory

func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %a = slim.observe %x id "x" : tensor<?x3xf32>
  return %a : tensor<?x3xf32>
}
func.func @static_batch(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = slim.observe %x id "s" : tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}
func.func @two(%x: tensor<?x3xf32>, %y: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %a = slim.observe %x id "t" : tensor<?x3xf32>
  return %a : tensor<?x3xf32>
}
