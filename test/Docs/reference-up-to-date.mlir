// docs/reference/ is generated from ODS (ninja -C build slim-doc): it must
// match what the current ODS generates, so that the docs stay true.
//
// RUN: diff -u %slim_src_root/docs/reference/SlimDialect.md %slim_obj_root/docs/Slim/SlimDialect.md && echo "dialect reference up to date" | FileCheck %s --check-prefix=CHECK-DIALECT
// RUN: diff -u %slim_src_root/docs/reference/SlimConversionPasses.md %slim_obj_root/docs/Slim/SlimConversionPasses.md && echo "pass reference up to date" | FileCheck %s --check-prefix=CHECK-PASSES
// RUN: diff -u %slim_src_root/docs/reference/SlimQuantizationPasses.md %slim_obj_root/docs/Slim/SlimQuantizationPasses.md && echo "quantization pass reference up to date" | FileCheck %s --check-prefix=CHECK-QUANTIZATION
// RUN: diff -u %slim_src_root/docs/reference/SlimImportPasses.md %slim_obj_root/docs/Slim/SlimImportPasses.md && echo "import pass reference up to date" | FileCheck %s --check-prefix=CHECK-IMPORT
// RUN: diff -u %slim_src_root/docs/reference/SlimLayersPasses.md %slim_obj_root/docs/Slim/SlimLayersPasses.md && echo "layers pass reference up to date" | FileCheck %s --check-prefix=CHECK-LAYERS
// RUN: diff -u %slim_src_root/docs/reference/SlimCodegenPasses.md %slim_obj_root/docs/Slim/SlimCodegenPasses.md && echo "codegen pass reference up to date" | FileCheck %s --check-prefix=CHECK-CODEGEN
// RUN: diff -u %slim_src_root/docs/reference/SlimSparsityPasses.md %slim_obj_root/docs/Slim/SlimSparsityPasses.md && echo "sparsity pass reference up to date" | FileCheck %s --check-prefix=CHECK-SPARSITY
// RUN: diff -u %slim_src_root/docs/reference/SlimLowRankPasses.md %slim_obj_root/docs/Slim/SlimLowRankPasses.md && echo "low-rank pass reference up to date" | FileCheck %s --check-prefix=CHECK-LOWRANK
// CHECK-LAYERS: layers pass reference up to date
// CHECK-SPARSITY: sparsity pass reference up to date
// CHECK-LOWRANK: low-rank pass reference up to date
// CHECK-DIALECT: dialect reference up to date
// CHECK-QUANTIZATION: quantization pass reference up to date
// CHECK-IMPORT: import pass reference up to date
// CHECK-PASSES: pass reference up to date
// CHECK-CODEGEN: codegen pass reference up to date
