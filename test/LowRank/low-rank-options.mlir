// Options slim-low-rank refuses, each before anything changes, exit 1.
// RUN: not slim-opt %s "--slim-low-rank" 2>&1 | FileCheck %s --check-prefix=CHECK-NONE
// CHECK-NONE: slim-low-rank: give exactly one of rank=, energy= and max-error= (got 0)
// RUN: not slim-opt %s "--slim-low-rank=rank=2 energy=0.9" 2>&1 | FileCheck %s --check-prefix=CHECK-TWO
// CHECK-TWO: slim-low-rank: give exactly one of rank=, energy= and max-error= (got 2)
// RUN: not slim-opt %s "--slim-low-rank=rank=-1" 2>&1 | FileCheck %s --check-prefix=CHECK-RANK
// CHECK-RANK: slim-low-rank: rank must be at least 1, got -1
// RUN: not slim-opt %s "--slim-low-rank=energy=1.5" 2>&1 | FileCheck %s --check-prefix=CHECK-ENERGY
// CHECK-ENERGY: slim-low-rank: energy must be in (0, 1], got 1.5
// RUN: not slim-opt %s "--slim-low-rank=energy=-0.5" 2>&1 | FileCheck %s --check-prefix=CHECK-ENERGYNEG
// CHECK-ENERGYNEG: slim-low-rank: energy must be in (0, 1], got -0.5
// RUN: not slim-opt %s "--slim-low-rank=max-error=0.1" 2>&1 | FileCheck %s --check-prefix=CHECK-MAXERR
// CHECK-MAXERR: slim-low-rank: max-error needs a positive value and hessians=DIR
// RUN: not slim-opt %s "--slim-low-rank=max-error=-0.1 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-MAXERR
// RUN: not slim-opt %s "--slim-low-rank=rank=1 min-saving=1" 2>&1 | FileCheck %s --check-prefix=CHECK-SAVING
// CHECK-SAVING: slim-low-rank: min-saving must be below 1, got 1
// RUN: not slim-opt %s "--slim-low-rank=rank=1 method=tucker" 2>&1 | FileCheck %s --check-prefix=CHECK-METHOD
// CHECK-METHOD: slim-low-rank: unknown method 'tucker' (expected svd, asvd, svdllm or onebit)
// RUN: not slim-opt %s "--slim-low-rank=rank=1 solver=lanczos" 2>&1 | FileCheck %s --check-prefix=CHECK-SOLVER
// CHECK-SOLVER: slim-low-rank: unknown solver 'lanczos' (expected auto, exact or randomized)
// RUN: not slim-opt %s "--slim-low-rank=energy=0.5 solver=randomized" 2>&1 | FileCheck %s --check-prefix=CHECK-RANDOM
// CHECK-RANDOM: slim-low-rank: solver=randomized needs rank= (it finds the leading singular values only)
// RUN: not slim-opt %s "--slim-low-rank=rank=1 method=svdllm" 2>&1 | FileCheck %s --check-prefix=CHECK-GRAM
// CHECK-GRAM: slim-low-rank: method=svdllm needs hessians=DIR
// RUN: not slim-opt %s "--slim-low-rank=rank=1 method=asvd" 2>&1 | FileCheck %s --check-prefix=CHECK-AGRAM
// CHECK-AGRAM: slim-low-rank: method=asvd needs hessians=DIR
// RUN: not slim-opt %s "--slim-low-rank=rank=1 damp=0" 2>&1 | FileCheck %s --check-prefix=CHECK-DAMP
// CHECK-DAMP: slim-low-rank: damp must be a positive fraction, got 0
// RUN: not slim-opt %s "--slim-low-rank=rank=1 alpha=-1" 2>&1 | FileCheck %s --check-prefix=CHECK-ALPHA
// CHECK-ALPHA: slim-low-rank: alpha must be a finite exponent >= 0, got -1
// RUN: not slim-opt %s "--slim-low-rank=rank=1 hessians=%t.missing" 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// CHECK-DIR: slim-low-rank: {{.*}}.missing
// RUN: not slim-opt %s "--slim-low-rank=rank=1 skip=nothing" 2>&1 | FileCheck %s --check-prefix=CHECK-SKIP
// CHECK-SKIP: slim-low-rank: skip pattern 'nothing' matches no layer
// OneBit has no rank; refine-steps counts rounds; slim-factorize, which
// chooses ranks, has nothing to choose for it.
// RUN: not slim-opt %s "--slim-low-rank=method=onebit rank=2" 2>&1 | FileCheck %s --check-prefix=CHECK-ONEBIT-RANK
// RUN: not slim-opt %s "--slim-low-rank=method=onebit energy=0.9" 2>&1 | FileCheck %s --check-prefix=CHECK-ONEBIT-RANK
// CHECK-ONEBIT-RANK: slim-low-rank: method=onebit has no rank: rank= and energy= do not apply (max-error= leaves dense the layers it would exceed)
// RUN: not slim-opt %s "--slim-low-rank=method=onebit refine-steps=-1" 2>&1 | FileCheck %s --check-prefix=CHECK-ONEBIT-STEPS
// CHECK-ONEBIT-STEPS: slim-low-rank: refine-steps must be at least 0, got -1
// RUN: not slim-opt %s "--slim-factorize=method=onebit params=0.5 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-ONEBIT-FACTORIZE
// CHECK-ONEBIT-FACTORIZE: slim-factorize: method=onebit has no rank to choose; use slim-low-rank method=onebit
// layer-max-error: PATTERN=E entries with a positive E, a valid pattern
// that names a layer, and Gram matrices.
// RUN: not slim-opt %s "--slim-low-rank=layer-max-error=f/linalg.matmul#0 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-LAYER-FORM
// RUN: not slim-opt %s "--slim-low-rank=layer-max-error=f/linalg.matmul#0=-1 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-LAYER-FORM
// CHECK-LAYER-FORM: slim-low-rank: layer-max-error takes PATTERN=E with E a positive number
// RUN: not slim-opt %s "--slim-low-rank=layer-max-error=f/(=0.1 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-LAYER-REGEX
// CHECK-LAYER-REGEX: slim-low-rank: layer-max-error pattern 'f/(' is not a regular expression
// RUN: not slim-opt %s "--slim-low-rank=layer-max-error=f/linalg.matmul#0=0.1" 2>&1 | FileCheck %s --check-prefix=CHECK-LAYER-GRAM
// CHECK-LAYER-GRAM: slim-low-rank: layer-max-error needs hessians=DIR
// RUN: not slim-opt %s "--slim-low-rank=layer-max-error=f/linalg.matmul#0=0.1 rank=2 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-LAYER-TWO
// CHECK-LAYER-TWO: slim-low-rank: give exactly one of rank=, energy= and max-error= (got 2)
// Nothing written on failure:
// RUN: rm -f %t.out && not slim-opt %s "--slim-low-rank=rank=1 method=svdllm" -o %t.out 2>/dev/null; not ls %t.out

func.func @f(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 1.5], [1.0, 0.0, 3.0]]> : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
