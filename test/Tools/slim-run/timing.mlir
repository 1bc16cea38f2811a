// --mlir-timing reports parsing and every stage of the compile: each pass
// of the pipelines, the translation to LLVM IR, the merging of identical
// functions, the LLVM IR optimizer with the machine code generation (on
// threads, or on one thread for --dump-object) and the JIT's link.
// --dump-object writes the machine code the JIT made, with one function
// per loop nest (slim-outline-loop-nests).
//
// RUN: %ref gen %t.x.npy --shape 4,8 --random 32 --seed 1
// RUN: slim-run %s --input %t.x.npy --mlir-timing --dump-object %t.o 2>&1 >/dev/null | FileCheck %s --check-prefix=CHECK-TIMING
// CHECK-TIMING: Execution time report
// CHECK-TIMING: parse
// CHECK-TIMING: SlimFuseElementwisePass
// CHECK-TIMING: SlimTileAndVectorizePass
// CHECK-TIMING: SlimApproximateMathPass
// CHECK-TIMING: SlimOutlineLoopNestsPass
// CHECK-TIMING: LLVM translation
// CHECK-TIMING-NEXT: LLVM function merging and split
// CHECK-TIMING-NEXT: LLVM IR optimization and machine code
// CHECK-TIMING-NEXT: JIT link
// CHECK-TIMING: Total
// RUN: %python -c "import sys; d = open(sys.argv[1], 'rb').read(); print('ELF' if d[:4] == b'\x7fELF' else 'not ELF', b'main__nest0' in d, b'main__nest1' in d)" %t.o | FileCheck %s --check-prefix=CHECK-OBJ
// CHECK-OBJ: ELF True True
//
// Without --mlir-timing nothing is printed on stderr.
// RUN: slim-run %s --input %t.x.npy 2>&1 >/dev/null | count 0

#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %t = tensor.empty() : tensor<8x4xf32>
  %1 = linalg.transpose ins(%0 : tensor<4x8xf32>) outs(%t : tensor<8x4xf32>) permutation = [1, 0]
  %2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%1 : tensor<8x4xf32>) outs(%t : tensor<8x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.tanh %a : f32
    linalg.yield %r : f32
  } -> tensor<8x4xf32>
  %3 = linalg.transpose ins(%2 : tensor<8x4xf32>) outs(%e : tensor<4x8xf32>) permutation = [1, 0]
  return %3 : tensor<4x8xf32>
}
