// RUN: slim-opt %s -split-input-file -slim-lower-observers | FileCheck %s --check-prefix=CHECK-ERASE
// RUN: slim-opt %s -split-input-file -slim-lower-observers=mode=runtime | FileCheck %s --check-prefix=CHECK-RUNTIME

// CHECK-ERASE-LABEL: func @two_observers
// CHECK-ERASE-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-ERASE-NOT: slim.observe
// CHECK-ERASE: %[[S:.*]] = arith.addf %[[X]], %[[X]]
// CHECK-ERASE: return %[[S]]

// The observers are numbered in module order and listed in slim.observers;
// each becomes a read-only buffer view passed to the runtime.
// CHECK-RUNTIME: module attributes {slim.observers = [{axis = 1 : i64, id = "in"}, {id = "out"}]}
// CHECK-RUNTIME: func.func private @slim_observe_f32(i64, memref<*xf32>) attributes {llvm.emit_c_interface}
// CHECK-RUNTIME-LABEL: func @two_observers
// CHECK-RUNTIME-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-RUNTIME: %[[B0:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x4xf32> to memref<?x4xf32>
// CHECK-RUNTIME: %[[U0:.*]] = memref.cast %[[B0]] : memref<?x4xf32> to memref<*xf32>
// CHECK-RUNTIME: %[[N0:.*]] = arith.constant 0 : i64
// CHECK-RUNTIME: call @slim_observe_f32(%[[N0]], %[[U0]])
// CHECK-RUNTIME: %[[S:.*]] = arith.addf %[[X]], %[[X]]
// CHECK-RUNTIME: %[[N1:.*]] = arith.constant 1 : i64
// CHECK-RUNTIME: call @slim_observe_f32(%[[N1]], %{{.*}})
// CHECK-RUNTIME: return %[[S]]
func.func @two_observers(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = slim.observe %x id "in" axis 1 : tensor<?x4xf32>
  %b = arith.addf %a, %a : tensor<?x4xf32>
  %c = slim.observe %b id "out" : tensor<?x4xf32>
  return %c : tensor<?x4xf32>
}

// -----

// f16 tensors are widened to f32 for the runtime.
// CHECK-RUNTIME-LABEL: func @half
// CHECK-RUNTIME: %[[E:.*]] = arith.extf %{{.*}} : tensor<3xf16> to tensor<3xf32>
// CHECK-RUNTIME: bufferization.to_buffer %[[E]] read_only
// CHECK-ERASE-LABEL: func @half
// CHECK-ERASE-NEXT: return %arg0
func.func @half(%x: tensor<3xf16>) -> tensor<3xf16> {
  %a = slim.observe %x id "h" : tensor<3xf16>
  return %a : tensor<3xf16>
}
