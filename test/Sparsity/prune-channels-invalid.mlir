// RUN: slim-opt %s -split-input-file -verify-diagnostics "--slim-prune=pattern=channel sparsity=0.5" | FileCheck %s
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=channel sparsity=1.0" 2>&1 | FileCheck %s --check-prefix=CHECK-SPARSITY
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=head criterion=wanda" 2>&1 | FileCheck %s --check-prefix=CHECK-HESSIANS
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=channel scope=global hessians=%t" 2>&1 | FileCheck %s --check-prefix=CHECK-GLOBAL
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=channel stage=0" 2>&1 | FileCheck %s --check-prefix=CHECK-GLOBAL
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=channel refit=3" 2>&1 | FileCheck %s --check-prefix=CHECK-REFIT
// RUN: not slim-opt %s -split-input-file "--slim-prune=pattern=channel criterion=wanda hessians=%t.missing" 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// What pattern=channel leaves as it is, with a remark on the layer and a
// note where the trace stopped; the IR is unchanged (every weight keeps its
// shape). Wrong options fail the pass.

// CHECK-SPARSITY-COUNT-4: slim-prune: sparsity must be in [0, 1), got 1
// CHECK-HESSIANS: slim-prune: criterion=wanda needs hessians=DIR
// CHECK-GLOBAL: slim-prune: pattern=channel changes shapes: it prunes every layer at once (scope=layer, no stage=)
// CHECK-DIR: slim-prune: {{.*}}missing
// CHECK-REFIT: slim-prune: refit is for the patterns that prune in place; with pattern=channel, criterion=sparsegpt fits the reading layers

// A residual connection: the add reads the block's input along the same
// channels, so they would have to be removed from the function's argument.
// CHECK-LABEL: func.func @residual
// CHECK: linalg.matmul {{.*}} -> tensor<2x4xf32>
#id = affine_map<(m, n) -> (m, n)>
func.func @residual(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<4x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-remark @+1 {{output channels left as they are: the channels would have to come from a function argument}}
  %h = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-note @+1 {{here: linalg.generic}}
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %x : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<2x4xf32>
  // expected-remark @+2 {{it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%s, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A normalization over the channels (a sum along them) depends on all of
// them.
// CHECK-LABEL: func.func @normalized
// CHECK: linalg.matmul {{.*}} -> tensor<2x4xf32>
#id = affine_map<(m, n) -> (m, n)>
func.func @normalized(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<3x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-remark @+1 {{output channels left as they are: it reaches an op that reduces over the pruned channels (a normalization): removing them would change every other channel}}
  %h = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %er = tensor.empty() : tensor<2xf32>
  %fr = linalg.fill ins(%z : f32) outs(%er : tensor<2xf32>) -> tensor<2xf32>
  // expected-note @+1 {{here: linalg.generic}}
  %s = linalg.generic {indexing_maps = [#id, affine_map<(m, n) -> (m)>], iterator_types = ["parallel", "reduction"]} ins(%h : tensor<2x4xf32>) outs(%fr : tensor<2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %o : f32
    linalg.yield %t : f32
  } -> tensor<2xf32>
  return %s : tensor<2xf32>
}

// -----

// An op the trace does not know (here an elementwise arith op on tensors).
// CHECK-LABEL: func.func @unknown
// CHECK: linalg.matmul {{.*}} -> tensor<2x4xf32>
func.func @unknown(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<3x4xf32>
  %w2 = arith.constant dense<1.0> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-remark @+1 {{output channels left as they are: it reaches arith.negf, which channel pruning cannot rewrite}}
  %h = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-note @+1 {{here: arith.negf}}
  %n = arith.negf %h : tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+2 {{it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%n, %w2 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// NaN in a weight fails the pass before anything changes.
func.func @not_finite(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 0x7FC00000, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<3x4xf32>
  %w2 = arith.constant dense<1.0> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-error @+1 {{weight holds NaN or Inf (element 5); refusing to prune it}}
  %h = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
