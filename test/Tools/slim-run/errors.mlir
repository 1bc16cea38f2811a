// Every bad input is a clear error and exit code 1, never a crash.
//
// RUN: %ref gen %t.f32.npy --shape 4 --values=1,2,3,4
// RUN: %ref gen %t.f64.npy --dtype float64 --shape 4 --values=1,2,3,4
// RUN: %ref gen %t.f32x5.npy --shape 5 --values=1,2,3,4,5
// RUN: printf 'not a numpy file' > %t.garbage.npy
// RUN: head -c -8 %t.f32.npy > %t.truncated.npy

// RUN: not slim-run %s -e f --input %t.f64.npy 2>&1 | FileCheck %s --check-prefix=CHECK-DTYPE
// CHECK-DTYPE: error: input 0 ('{{.*}}f64.npy') has dtype float64 but argument 0 is tensor<4xf32>, which needs float32

// RUN: not slim-run %s -e f --input %t.f32x5.npy 2>&1 | FileCheck %s --check-prefix=CHECK-SHAPE
// CHECK-SHAPE: error: input 0 ('{{.*}}f32x5.npy') has shape (5,) but argument 0 is tensor<4xf32>

// RUN: not slim-run %s -e f --input %t.missing.npy 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: {{.*}}missing.npy: cannot read: {{[Nn]}}o such file or directory

// RUN: not slim-run %s -e f --input %t.garbage.npy 2>&1 | FileCheck %s --check-prefix=CHECK-GARBAGE
// CHECK-GARBAGE: error: {{.*}}garbage.npy: not a .npy file (bad magic)

// RUN: not slim-run %s -e f --input %t.truncated.npy 2>&1 | FileCheck %s --check-prefix=CHECK-TRUNC
// CHECK-TRUNC: error: {{.*}}truncated.npy: data has 8 bytes but shape and dtype need 16

// RUN: not slim-run %s -e f --input %t.f32.npy --sparse-weights=sometimes 2>&1 | FileCheck %s --check-prefix=CHECK-SPARSE
// CHECK-SPARSE: error: slim-pack-contractions: unknown sparse-weights 'sometimes' (expected auto, never or always)
// RUN: not slim-run %s -e nope --input %t.f32.npy 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY
// CHECK-ENTRY: error: entry function '@nope' is not defined in the module

// RUN: not slim-run %s -e f 2>&1 | FileCheck %s --check-prefix=CHECK-COUNT
// CHECK-COUNT: error: the entry function takes 1 argument(s) but 0 input(s) were given

// RUN: not slim-run %s -e f --input %t.f32.npy --output %t.a.npy --output %t.b.npy 2>&1 | FileCheck %s --check-prefix=CHECK-OUTPUTS
// CHECK-OUTPUTS: error: the entry function has 1 result(s) but 2 --output file(s) were given

// RUN: not slim-run %s -e f --input %t.f32.npy --output %t.nodir/out.npy 2>&1 | FileCheck %s --check-prefix=CHECK-WRITE
// CHECK-WRITE: error: cannot write {{.*}}nodir/out.npy: No such file or directory

// A result whose size depends on the data (not on the inputs' shapes).
// RUN: %ref gen %t.i64.npy --dtype int64 --values=3
// RUN: not slim-run %s -e dyn_result --input %t.i64.npy 2>&1 | FileCheck %s --check-prefix=CHECK-DYNRES
// CHECK-DYNRES: error: result 0 has type 'tensor<?xf32>'; slim-run needs static result shapes (after binding the inputs' shapes, it is still 'tensor<?xf32>')

// RUN: not slim-run %s -e bf16 --input %t.f32.npy 2>&1 | FileCheck %s --check-prefix=CHECK-BF16
// CHECK-BF16: error: argument 0 has element type 'bf16', which has no .npy form

// RUN: not slim-run %s -e scalar --input %t.f32.npy 2>&1 | FileCheck %s --check-prefix=CHECK-SCALAR
// CHECK-SCALAR: error: argument 0 has type 'f32'; slim-run exchanges ranked tensors only

// RUN: not slim-run %t.nofile.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-NOFILE
// CHECK-NOFILE: error: cannot open input file '{{.*}}nofile.mlir': {{[Nn]}}o such file or directory

// RUN: printf 'func.func @f( {' > %t.bad.mlir
// RUN: not slim-run %t.bad.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-PARSE
// CHECK-PARSE: error:

// RUN: not slim-run %s -e huge_result 2>&1 | FileCheck %s --check-prefix=CHECK-HUGE
// CHECK-HUGE: error: result 0 (tensor<4611686018427387904xf32>): array size overflows

func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
func.func @dyn_result(%a: tensor<1xi64>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %a[%c0] : tensor<1xi64>
  %n = arith.index_cast %v : i64 to index
  %e = tensor.empty(%n) : tensor<?xf32>
  return %e : tensor<?xf32>
}
func.func @bf16(%a: tensor<4xbf16>) -> tensor<4xbf16> {
  return %a : tensor<4xbf16>
}
func.func @scalar(%a: f32) -> f32 {
  return %a : f32
}
func.func @huge_result() -> tensor<4611686018427387904xf32> {
  %e = tensor.empty() : tensor<4611686018427387904xf32>
  return %e : tensor<4611686018427387904xf32>
}
