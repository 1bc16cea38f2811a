// The bundled example (examples/int8-linear): its int8 result must match an
// exact recomputation of the integer pipeline (check_example.py) and stay
// within one output step of the float layer; its weights must be folded to
// integer constants before run time.
//
// RUN: slim-run %S/../../examples/int8-linear/linear.mlir --input %S/../../examples/int8-linear/input.npy --output %t.y.npy --output %t.yf.npy --output %t.err.npy
// RUN: %python %S/../../examples/int8-linear/check_example.py %S/../../examples/int8-linear/input.npy %t.y.npy %t.yf.npy | FileCheck %s
// CHECK: int8 vs float: largest difference {{.*}}: within one step
// CHECK: int8 layer: 32 values, 0 mismatches
//
// RUN: slim-opt %S/../../examples/int8-linear/linear.mlir --slim-lower-to-linalg-pipeline | FileCheck %s --check-prefix=IR
// IR-LABEL: func @main
// IR: arith.constant dense<{{.*}}> : tensor<16x8xi8>
// IR: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x16xi8>, tensor<16x8xi8>) outs(%{{.*}} : tensor<4x8xi32>)
