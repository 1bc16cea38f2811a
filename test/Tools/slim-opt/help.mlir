// slim-opt registers every upstream dialect and pass plus Slim's.
// RUN: slim-opt --help | FileCheck %s
// CHECK: Available Dialects: {{.*}}linalg{{.*}}quant{{.*}} slim,{{.*}}tosa
// CHECK-DAG: --slim-lower-quant
// CHECK-DAG: --slim-cpu-pipeline
// CHECK-DAG: --slim-lower-to-linalg-pipeline
// CHECK-DAG: --slim-codegen-pipeline
// CHECK-DAG: --slim-ptq-static
// CHECK-DAG: --slim-weight-only
// CHECK-DAG: --slim-ptq-dynamic
// CHECK-DAG: --slim-quantize-dynamic
// CHECK-DAG: --slim-insert-observers
// CHECK-DAG: --slim-fold-calibration
// CHECK-DAG: --slim-quantize-weights
// CHECK-DAG: --slim-fuse-quantized
// CHECK-DAG: --slim-lower-observers
// CHECK-DAG: --one-shot-bufferize
// CHECK-DAG: --tosa-to-linalg
