// Options slim-prune refuses, each with the module unchanged and exit 1.
// RUN: not slim-opt %s "--slim-prune=sparsity=1.0 pattern=unstructured" 2>&1 | FileCheck %s --check-prefix=CHECK-SPARSITY
// CHECK-SPARSITY: slim-prune: sparsity must be in [0, 1), got 1.0
// RUN: not slim-opt %s "--slim-prune=n=5 m=4" 2>&1 | FileCheck %s --check-prefix=CHECK-NM
// CHECK-NM: slim-prune: n:m needs 0 <= n <= m and m >= 1, got 5:4
// RUN: not slim-opt %s "--slim-prune=refit=5" 2>&1 | FileCheck %s --check-prefix=CHECK-REFIT
// CHECK-REFIT: slim-prune: refit needs a count of steps (0 or more) and hessians=DIR
// RUN: not slim-opt %s "--slim-prune=refit=-1 hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-REFIT
// RUN: not slim-opt %s "--slim-prune=bias-correction=true" 2>&1 | FileCheck %s --check-prefix=CHECK-BIAS
// CHECK-BIAS: slim-prune: bias-correction needs hessians=DIR
// RUN: not slim-opt %s "--slim-prune=pattern=diagonal" 2>&1 | FileCheck %s --check-prefix=CHECK-PATTERN
// CHECK-PATTERN: slim-prune: unknown pattern 'diagonal' (expected unstructured, nm, block, bank, channel or head)
// RUN: not slim-opt %s "--slim-prune=pattern=bank" 2>&1 | FileCheck %s --check-prefix=CHECK-BANKS
// CHECK-BANKS: slim-prune: pattern=bank needs banks >= 1, got 0
// RUN: not slim-opt %s "--slim-prune=pattern=bank banks=3" 2>&1 | FileCheck %s --check-prefix=CHECK-BANKDIV
// CHECK-BANKDIV: cannot prune its 'tensor<4x2xf32>' weight: banks = 3 does not divide the reduction dimension of size 4
// RUN: not slim-opt %s "--slim-prune=criterion=random" 2>&1 | FileCheck %s --check-prefix=CHECK-CRITERION
// CHECK-CRITERION: slim-prune: unknown criterion 'random' (expected magnitude, wanda or sparsegpt)
// RUN: not slim-opt %s "--slim-prune=criterion=wanda" 2>&1 | FileCheck %s --check-prefix=CHECK-WANDA
// CHECK-WANDA: slim-prune: criterion=wanda needs hessians=DIR
// RUN: not slim-opt %s "--slim-prune=criterion=sparsegpt" 2>&1 | FileCheck %s --check-prefix=CHECK-SPARSEGPT
// CHECK-SPARSEGPT: slim-prune: criterion=sparsegpt needs hessians=DIR
// RUN: not slim-opt %s "--slim-prune=criterion=sparsegpt pattern=block hessians=%t.missing" 2>&1 | FileCheck %s --check-prefix=CHECK-SGPTBLOCK
// CHECK-SGPTBLOCK: slim-prune: criterion=sparsegpt prunes unstructured or n:m patterns, not blocks
// RUN: not slim-opt %s "--slim-prune=pattern=block block=4by4" 2>&1 | FileCheck %s --check-prefix=CHECK-BLOCKFORM
// CHECK-BLOCKFORM: slim-prune: block must be RxC (for example 4x4), got '4by4'
// RUN: not slim-opt %s "--slim-prune=pattern=block block=3x1" 2>&1 | FileCheck %s --check-prefix=CHECK-TILE
// CHECK-TILE: cannot prune its 'tensor<4x2xf32>' weight: blocks of 3x1 do not tile the 4x2 weight
// RUN: not slim-opt %s "--slim-prune=damp=0" 2>&1 | FileCheck %s --check-prefix=CHECK-DAMP
// CHECK-DAMP: slim-prune: damp must be a positive fraction, got 0
// RUN: not slim-opt %s "--slim-prune=max-output-error=0.1" 2>&1 | FileCheck %s --check-prefix=CHECK-BUDGET
// CHECK-BUDGET: slim-prune: max-output-error needs a positive value and hessians=DIR
// RUN: not slim-opt %s "--slim-prune=skip=nothing.*" 2>&1 | FileCheck %s --check-prefix=CHECK-SKIP
// CHECK-SKIP: slim-prune
// CHECK-SKIP-SAME: matches no layer
// RUN: not slim-opt %s "--slim-prune=criterion=wanda hessians=%t.missing" 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// CHECK-DIR: slim-prune: {{.*}}missing
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0.2], [1.0, 0.2], [0.1, 3.0], [0.1, 3.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
