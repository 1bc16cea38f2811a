// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4" | FileCheck %s
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4 embedding-bits=4 group-size=4" | FileCheck %s --check-prefix=INT4
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=4 embedding-bits=0" | FileCheck %s --check-prefix=FLOAT
// RUN: slim-opt %s -split-input-file "-slim-quantize-weights=embedding-min-rows=5" | FileCheck %s --check-prefix=FLOAT
// RUN: slim-opt %s "-slim-quantize-weights=embedding-min-rows=4 skip=lookup/embedding#0" | FileCheck %s --check-prefix=FLOAT
// RUN: slim-opt %s "-slim-weight-only=bits=4 group-size=4 embedding-bits=4 embedding-min-rows=4 report=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// Embedding names are known to every pass's skip=, not only to the passes
// that quantize tables:
// RUN: slim-opt %s "-slim-fuse-quantized=skip=lookup/embedding#0" | FileCheck %s --check-prefix=FLOAT
// A size budget gives a table 8 bits first: 0.9 of the 48 float bytes fits
// int8 rows (12 + 4 x 4 = 28 bytes); 0.55 (26 bytes) only int4 (8 + 16).
// RUN: slim-opt %s "-slim-weight-only=bits=4 group-size=4 embedding-bits=4 embedding-min-rows=4 size-budget=0.9" 2>&1 | FileCheck %s --check-prefix=BUDGET8
// RUN: slim-opt %s "-slim-weight-only=bits=4 group-size=4 embedding-bits=4 embedding-min-rows=4 size-budget=0.55" 2>&1 | FileCheck %s --check-prefix=BUDGET4
// RUN: slim-opt %s "-slim-weight-only=bits=4 group-size=4 embedding-bits=4 embedding-min-rows=4 int8-layers=lookup/embedding#0" | FileCheck %s --check-prefix=FORCED8
// BUDGET8: remark: int8 under size-budget: int4 would cost a relative error of
// BUDGET8-LABEL: func.func @lookup
// BUDGET8: arith.constant dense<{{.*}}> : tensor<4x3xi8>
// FORCED8-LABEL: func.func @lookup
// FORCED8: arith.constant dense<{{.*}}> : tensor<4x3xi8>
// BUDGET4-NOT: int8 under size-budget
// BUDGET4-LABEL: func.func @lookup
// BUDGET4: arith.constant dense<{{.*}}> : tensor<4x2xi8>
// A recipe step selects a table by name (layers:).
// RUN: slim-compress %s -e lookup --recipe %S/../Tools/slim-compress/Inputs/embeddings-layers.yaml -o %t.layers.mlirbc 2>/dev/null
// RUN: slim-opt %t.layers.mlirbc | FileCheck %s --check-prefix=INT4

// An embedding lookup (ONNX Gather as torch-mlir imports it): the 4 x 3
// table becomes i8 with one scale per row (max |row| / 127), and the body
// dequantizes what it reads. With embedding-bits=4 and groups of 4 (more
// than a row of 3: one group per row, scale max |row| / 7), the table is
// packed
// two per byte (4 x 2 bytes) and each read shifts its nibble to the top
// and back. Tables below embedding-min-rows, embedding-bits=0 and skip=
// leave it float.
// CHECK-LABEL: func.func @lookup
// CHECK-DAG: %[[Q:.*]] = arith.constant dense<{{\[}}[127, -64, 0], [0, 0, 0], [-127, 127, 32], [64, 127, -127]]> : tensor<4x3xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<{{\[}}[0.00787401571], [1.000000e+00], [0.0157480314], [0.0314960629]]> : tensor<4x1xf32>
// CHECK: linalg.generic
// CHECK: %[[ROW:.*]] = arith.index_cast
// CHECK: %[[COL:.*]] = linalg.index 1
// CHECK: %[[I:.*]] = tensor.extract %[[Q]][%[[ROW]], %[[COL]]] : tensor<4x3xi8>
// CHECK: %[[SC:.*]] = tensor.extract %[[S]][%[[ROW]], %{{.*}}] : tensor<4x1xf32>
// CHECK: %[[F:.*]] = arith.sitofp %[[I]] : i8 to f32
// CHECK: %[[V:.*]] = arith.mulf %[[F]], %[[SC]] : f32
// CHECK: linalg.yield %[[V]] : f32
// CHECK-NOT: tensor<4x3xf32> = arith.constant
// INT4-LABEL: func.func @lookup
// INT4-DAG: %[[Q:.*]] = arith.constant dense<{{\[}}[-41, 0], [0, 0], [121, 2], [115, 9]]> : tensor<4x2xi8>
// INT4-DAG: %[[S:.*]] = arith.constant dense<{{\[}}[0.142857149], [1.000000e+00], [0.285714298], [0.571428597]]> : tensor<4x1xf32>
// INT4: linalg.generic
// INT4: %[[B:.*]] = tensor.extract %[[Q]][%{{.*}}, %{{.*}}] : tensor<4x2xi8>
// INT4: %[[UP:.*]] = arith.shli %[[B]], %{{.*}} : i8
// INT4: %[[I:.*]] = arith.shrsi %[[UP]], %{{.*}} : i8
// INT4: %[[F:.*]] = arith.sitofp %[[I]] : i8 to f32
// INT4: arith.mulf %[[F]]
// FLOAT-LABEL: func.func @lookup
// FLOAT: arith.constant dense<{{.*}}> : tensor<4x3xf32>
// FLOAT: tensor.extract %{{.*}} : tensor<4x3xf32>
// REPORT: "layer": "lookup/embedding#0",
// REPORT: "op": "embedding",
// REPORT: "weight": {
// REPORT: "bits": 4,
// REPORT: "bytes": 24,
// REPORT: "granularity": "group",
// REPORT: "group_size": 3,
// REPORT: "weight_bytes": 48,
// REPORT: "weight_bytes_after": 24
// REPORT: "weight_bytes": {
// REPORT-NEXT: "after": 24,
// REPORT-NEXT: "before": 48
func.func @lookup(%ids: tensor<5xi64>) -> tensor<5x3xf32> {
  %table = arith.constant dense<[[1.0, -0.5, 0.0], [0.0, 0.0, 0.0], [-2.0, 2.0, 0.5], [2.0, 4.0, -4.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}

// -----

// A table read twice (two lookups, or a lookup and a tied output
// projection) stays float: quantizing it for one reader would store it
// twice. So does a body that computes with what it read.
// CHECK-LABEL: func.func @not_lookups
// CHECK-COUNT-3: tensor.extract %{{.*}} : tensor<4x3xf32>
// CHECK: arith.mulf
// INT4-LABEL: func.func @not_lookups
// FLOAT-LABEL: func.func @not_lookups
func.func @not_lookups(%ids: tensor<5xi64>) -> (tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>) {
  %table = arith.constant dense<[[1.0, -0.5, 0.0], [0.0, 0.0, 0.0], [-2.0, 2.0, 0.5], [2.0, 4.0, -4.0]]> : tensor<4x3xf32>
  %other = arith.constant dense<[[1.0, -0.5, 0.0], [0.0, 0.0, 0.0], [-2.0, 2.0, 0.5], [2.0, 4.0, -3.0]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %table[%r, %c] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<5x3xf32>
  %k = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi64>) outs(%e : tensor<5x3xf32>) {
  ^bb0(%in: i64, %out: f32):
    %r = arith.index_cast %in : i64 to index
    %c = linalg.index 1 : index
    %v = tensor.extract %other[%r, %c] : tensor<4x3xf32>
    %w = arith.mulf %v, %v : f32
    linalg.yield %w : f32
  } -> tensor<5x3xf32>
  return %g, %h, %k : tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>
}

// slim-compress counts a quantized table's bytes before and after, like a
// layer's (a table is not a layer a step made).
// RUN: slim-compress %s -e lookup --recipe %S/../Tools/slim-compress/Inputs/embeddings.yaml -o %t.mlirbc --report %t.compress.json 2>/dev/null
// RUN: FileCheck %s --check-prefix=COMPRESS < %t.compress.json
// COMPRESS-NOT: added_by
// COMPRESS: "layer": "lookup/embedding#0",
// COMPRESS: "weight_bytes": {
// COMPRESS-NEXT: "after": 24,
// COMPRESS-NEXT: "before": 48
