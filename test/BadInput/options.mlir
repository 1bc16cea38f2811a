// Bad-input catalogue: numeric options of every pass and tool. Each one out
// of range is a diagnostic and a non-zero exit, never a crash or a hang.
//
// slim-tile-and-vectorize: tile sizes (a zero divided, a negative never
// finished).
// RUN: not slim-opt %s --slim-tile-and-vectorize=vector-width=0 2>&1 | FileCheck %s --check-prefix=CHECK-VW0
// CHECK-VW0: error: slim-tile-and-vectorize: vector-width must be in [1, 1024] and contraction-rows in [1, 256], got 0 and 4
// CHECK-VW0-NOT: error
// RUN: not slim-opt %s --slim-tile-and-vectorize=vector-width=4096 2>&1 | FileCheck %s --check-prefix=CHECK-VWBIG
// CHECK-VWBIG: error: slim-tile-and-vectorize: vector-width must be in [1, 1024] and contraction-rows in [1, 256], got 4096 and 4
// RUN: not slim-opt %s --slim-tile-and-vectorize=contraction-rows=0 2>&1 | FileCheck %s --check-prefix=CHECK-CR0
// CHECK-CR0: error: slim-tile-and-vectorize: vector-width must be in [1, 1024] and contraction-rows in [1, 256], got 16 and 0
// RUN: not slim-opt %s --slim-tile-and-vectorize=contraction-rows=-8 2>&1 | FileCheck %s --check-prefix=CHECK-CRNEG
// CHECK-CRNEG: error: slim-tile-and-vectorize: vector-width must be in [1, 1024] and contraction-rows in [1, 256], got 16 and -8
// RUN: not slim-opt %s --slim-tile-and-vectorize=vector-width=abc 2>&1 | FileCheck %s --check-prefix=CHECK-VWTEXT
// CHECK-VWTEXT: 'abc' value invalid for long argument
//
// slim-pack-contractions and the pipelines that run it: an unknown ISA.
// RUN: not slim-opt %s --slim-pack-contractions=isa=sse2 2>&1 | FileCheck %s --check-prefix=CHECK-ISA
// RUN: not slim-opt %s --slim-cpu-pipeline=isa=sse2 2>&1 | FileCheck %s --check-prefix=CHECK-ISA
// CHECK-ISA: error: slim-pack-contractions: unknown isa 'sse2' (expected host, generic, avx2, avx_vnni, avx512_vnni or amx)
//
// slim-fold-calibration, slim-smooth-activations, slim-quantize-weights,
// slim-resource-constants.
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%S/../Transforms/Inputs/stats.json percentile=nan" 2>&1 | FileCheck %s --check-prefix=CHECK-PCTNAN
// CHECK-PCTNAN: error: slim-fold-calibration: percentile must be in (0, 100], got nan
// RUN: not slim-opt %s "--slim-fold-calibration=stats=%S/../Transforms/Inputs/stats.json percentile=100.5" 2>&1 | FileCheck %s --check-prefix=CHECK-PCTBIG
// CHECK-PCTBIG: error: slim-fold-calibration: percentile must be in (0, 100], got 100.5
// RUN: not slim-opt %s "--slim-smooth-activations=stats=%S/../Transforms/Inputs/smooth-stats.json alpha=nan" 2>&1 | FileCheck %s --check-prefix=CHECK-ALPHA
// CHECK-ALPHA: error: slim-smooth-activations: alpha must be in (0, 1], got nan
// RUN: not slim-opt %s --slim-quantize-weights=bits=3 2>&1 | FileCheck %s --check-prefix=CHECK-BITS
// CHECK-BITS: error: slim-quantize-weights: bits must be 8 or 4, got 3
// RUN: not slim-opt %s "--slim-quantize-weights=granularity=group group-size=0" 2>&1 | FileCheck %s --check-prefix=CHECK-GROUP0
// CHECK-GROUP0: error: slim-quantize-weights: group-size must be positive, got 0
// RUN: not slim-opt %s "--slim-quantize-weights=granularity=group group-size=-32" 2>&1 | FileCheck %s --check-prefix=CHECK-GROUPNEG
// CHECK-GROUPNEG: error: slim-quantize-weights: group-size must be positive, got -32
// RUN: not slim-opt %s --slim-resource-constants=min-bytes=-1 2>&1 | FileCheck %s --check-prefix=CHECK-MINBYTES
// CHECK-MINBYTES: error: slim-resource-constants: min-bytes must not be negative, got -1
//
// The pipelines pass their options on to the passes above.
// RUN: not slim-opt %s "--slim-weight-only=bits=2" 2>&1 | FileCheck %s --check-prefix=CHECK-WO-BITS
// CHECK-WO-BITS: error: slim-quantize-weights: bits must be 8 or 4, got 2
// RUN: not slim-opt %s "--slim-weight-only=granularity=group group-size=0" 2>&1 | FileCheck %s --check-prefix=CHECK-WO-GROUP
// CHECK-WO-GROUP: error: slim-quantize-weights: group-size must be positive, got 0
// RUN: not slim-opt %s "--slim-ptq-static=stats=%S/../Transforms/Inputs/stats.json weight-bits=16" 2>&1 | FileCheck %s --check-prefix=CHECK-PTQ-BITS
// CHECK-PTQ-BITS: error: slim-quantize-weights: bits must be 8 or 4, got 16
//
// slim-run.
// RUN: %ref gen %t.x.npy --shape 2,3 --values=1,2,3,4,5,6
// RUN: not slim-run %s -e f --input %t.x.npy -O 9 2>&1 | FileCheck %s --check-prefix=CHECK-OPT
// CHECK-OPT: error: -O 9 is out of range (0 to 3)
// RUN: not slim-run %s -e f --input %t.x.npy -O -1 2>&1 | FileCheck %s --check-prefix=CHECK-OPTNEG
// CHECK-OPTNEG: '-1' value invalid for uint argument
// RUN: not slim-run %s -e f --samples %t.x.npy --output %t.y.npy --batch 0 2>&1 | FileCheck %s --check-prefix=CHECK-BATCH
// CHECK-BATCH: error: --batch must be positive, got 0
// RUN: not slim-run %s -e f --calibrate %t.x.npy --stats-file %t.s.json --batch -3 2>&1 | FileCheck %s --check-prefix=CHECK-BATCHNEG
// CHECK-BATCHNEG: error: --batch must be positive, got -3
// RUN: not slim-run %s -e f --input %t.x.npy --threads -1 2>&1 | FileCheck %s --check-prefix=CHECK-THREADSNEG
// CHECK-THREADSNEG: error: --threads must be in [0, 1024], got -1
// RUN: not slim-run %s -e f --input %t.x.npy --threads 5000 2>&1 | FileCheck %s --check-prefix=CHECK-THREADSBIG
// CHECK-THREADSBIG: error: --threads must be in [0, 1024], got 5000
// RUN: not slim-run %s -e f --input %t.x.npy --repeat -1 2>&1 | FileCheck %s --check-prefix=CHECK-REPEAT
// CHECK-REPEAT: '-1' value invalid for uint argument

func.func @f(%x: tensor<?x3xf32>, %w: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<?x3xf32>, tensor<3x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}
