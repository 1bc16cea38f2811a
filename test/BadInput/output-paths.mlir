// Bad-input catalogue: output paths. A failed write is an error and exit
// code 1 (never LLVM's "IO failure on output stream" abort), leaves no
// half-written file, never replaces or removes a special file, and refuses a
// directory.
//
// RUN: %ref gen %t.x.npy --shape 2,3 --values=1,2,3,4,5,6
// RUN: rm -rf %t.d && mkdir %t.d
//
// slim-opt: -o and standard output.
// RUN: not slim-opt %s -o /dev/full 2>&1 | FileCheck %s --check-prefix=CHECK-FULL
// CHECK-FULL: slim-opt: error: cannot write /dev/full: No space left on device
// RUN: test -c /dev/full
// RUN: slim-opt %s -o /dev/null
// RUN: test -c /dev/null
// RUN: not slim-opt %s > /dev/full 2> %t.err; FileCheck %s --check-prefix=CHECK-STDOUT < %t.err
// CHECK-STDOUT: slim-opt: error: cannot write standard output: No space left on device
// RUN: not slim-opt %s --list-passes > /dev/full 2> %t.err; FileCheck %s --check-prefix=CHECK-LIST < %t.err
// CHECK-LIST: slim-opt: error: cannot write to standard output: No space left on device
// RUN: not slim-opt %s -o %t.d 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// CHECK-DIR: slim-opt: error: cannot write {{.*}}.d: it is a directory
// RUN: not slim-opt %s -o %t.d/missing/out.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-NODIR
// CHECK-NODIR: slim-opt: error: cannot write {{.*}}missing/out.mlir: No such file or directory
//
// A failing pass leaves an existing output as it was, and no temporary file.
// RUN: echo original > %t.d/out.mlir
// RUN: not slim-opt %s --slim-tile-and-vectorize=vector-width=0 -o %t.d/out.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-KEPT < %t.d/out.mlir
// CHECK-KEPT: original
// RUN: ls %t.d | count 1
// A successful run replaces it, and a symlink to it stays a symlink.
// RUN: ln -s out.mlir %t.d/link.mlir
// RUN: slim-opt %s -o %t.d/link.mlir
// RUN: test -L %t.d/link.mlir
// RUN: FileCheck %s --check-prefix=CHECK-WRITTEN < %t.d/out.mlir
// CHECK-WRITTEN: func.func @f
// RUN: ls %t.d | count 2
//
// slim-run: results, statistics, standard output.
// RUN: not slim-run %s -e f --input %t.x.npy --output /dev/full 2>&1 | FileCheck %s --check-prefix=CHECK-RUN-FULL
// CHECK-RUN-FULL: slim-run: error: cannot write /dev/full: No space left on device
// RUN: test -c /dev/full
// RUN: slim-run %s -e f --input %t.x.npy --output /dev/null
// The JIT's object file goes through the same checks.
// RUN: not slim-run %s -e f --input %t.x.npy --dump-object /dev/full 2>&1 | FileCheck %s --check-prefix=CHECK-OBJ-FULL
// CHECK-OBJ-FULL: error: cannot write /dev/full: No space left on device
// RUN: not slim-run %s -e f --input %t.x.npy --dump-object %t.d 2>&1 | FileCheck %s --check-prefix=CHECK-OBJ-DIR
// CHECK-OBJ-DIR: error: cannot write {{.*}}.d: it is a directory
// RUN: test -c /dev/null
// RUN: not slim-run %s -e f --input %t.x.npy > /dev/full 2> %t.err; FileCheck %s --check-prefix=CHECK-RUN-STDOUT < %t.err
// CHECK-RUN-STDOUT: slim-run: error: cannot write to standard output: No space left on device
// RUN: not slim-run %s -e f --input %t.x.npy --output %t.d 2>&1 | FileCheck %s --check-prefix=CHECK-RUN-DIR
// CHECK-RUN-DIR: slim-run: error: cannot write {{.*}}.d: it is a directory
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: not slim-run %t.observed.mlir -e f --calibrate %t.x.npy --stats-file /dev/full 2>&1 | FileCheck %s --check-prefix=CHECK-STATS
// CHECK-STATS: slim-run: error: cannot write /dev/full: No space left on device
// RUN: echo '{"format": "old"}' > %t.d/keep.json
// RUN: not slim-run %t.observed.mlir -e f --calibrate %t.x.npy --stats-file %t.d/keep.json --hessians /dev/full 2>&1 | FileCheck %s --check-prefix=CHECK-HESS
// CHECK-HESS: slim-run: error: /dev/full: exists and is not a directory
// RUN: FileCheck %s --check-prefix=CHECK-OLD < %t.d/keep.json
// CHECK-OLD: "format": "old"
//
// Reports of the pipelines.
// RUN: slim-run %t.observed.mlir -e f --calibrate %t.x.npy --stats-file %t.stats.json
// RUN: not slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json report=/dev/full" -o %t.d/ptq.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-REPORT
// CHECK-REPORT: error: cannot write /dev/full: No space left on device
// RUN: not slim-opt %t.observed.mlir "--slim-ptq-static=stats=%t.stats.json report=%t.d" 2>&1 | FileCheck %s --check-prefix=CHECK-REPORT-DIR
// CHECK-REPORT-DIR: error: cannot write {{.*}}.d: it is a directory
// RUN: test ! -e %t.d/ptq.mlir

func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%x, %x : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
