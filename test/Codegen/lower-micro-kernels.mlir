// RUN: slim-opt %s -split-input-file -verify-diagnostics --slim-lower-micro-kernels | FileCheck %s

// A 2-D call: batch 1, batch strides 0, the row strides and offsets from
// the buffers' metadata, flags 1 (signed activation, overwrite).
// CHECK-LABEL: func.func @two_d
// CHECK-SAME: (%[[A:.*]]: memref<?x17xi8>, %[[P:.*]]: memref<3264xi8>, %[[C:.*]]: memref<?x33xi32>)
// CHECK: %[[AI:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[AI64:.*]] = arith.index_cast %[[AI]] : index to i64
// CHECK: %[[AP:.*]] = llvm.inttoptr %[[AI64]] : i64 to !llvm.ptr
// CHECK: %{{.*}}, %[[AO:.*]], %[[AS:.*]]:2, %[[AST:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[AOFF:.*]] = arith.index_cast %[[AO]] : index to i64
// CHECK: %[[M:.*]] = arith.index_cast %[[AS]]#0 : index to i64
// CHECK: %[[LDA:.*]] = arith.index_cast %[[AST]]#0 : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[C]]
// CHECK: %[[CP:.*]] = llvm.inttoptr
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[CST:.*]]:2 = memref.extract_strided_metadata %[[C]]
// CHECK: %[[LDC:.*]] = arith.index_cast %[[CST]]#0 : index to i64
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: memref.extract_aligned_pointer_as_index %[[P]]
// CHECK: %[[PP:.*]] = llvm.inttoptr
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG: %[[N:.*]] = arith.constant 33 : i64
// CHECK-DAG: %[[K:.*]] = arith.constant 17 : i64
// CHECK-DAG: %[[FLAGS:.*]] = arith.constant 1 : i64
// CHECK: call @slim_uk_qgemm_s8_avx2(%[[ONE]], %[[M]], %[[N]], %[[K]], %[[AP]], %[[AOFF]], %c0_i64{{[_0-9]*}}, %[[LDA]], %[[PP]], %{{.*}}, %[[CP]], %{{.*}}, %c0_i64{{[_0-9]*}}, %[[LDC]], %[[NULL]], %c0_i64{{[_0-9]*}}, %[[FLAGS]]) : (i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT: slim.packed_matmul
// CHECK: func.func private @slim_uk_qgemm_s8_avx2(i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64) attributes {slim.isa = #slim.isa<avx2>}
func.func @two_d(%a: memref<?x17xi8>, %p: memref<3264xi8>, %c: memref<?x33xi32>) {
  slim.packed_matmul ins(%a, %p : memref<?x17xi8>, memref<3264xi8>) outs(%c : memref<?x33xi32>) k = 17 n = 33 isa = <avx2>
  return
}

// -----

// Batched, unsigned, accumulating (flags 2), two ISAs: one declaration each.
// CHECK-LABEL: func.func @batched
// CHECK: %{{.*}}, %{{.*}}, %[[AS:.*]]:3, %[[AST:.*]]:3 = memref.extract_strided_metadata %arg0
// CHECK: %[[B:.*]] = arith.index_cast %[[AS]]#0 : index to i64
// CHECK: %[[M:.*]] = arith.index_cast %[[AS]]#1 : index to i64
// CHECK: arith.index_cast %[[AS]]#2
// CHECK: %[[ABS:.*]] = arith.index_cast %[[AST]]#0 : index to i64
// CHECK: %[[LDA:.*]] = arith.index_cast %[[AST]]#1 : index to i64
// CHECK: %[[FLAGS:.*]] = arith.constant 2 : i64
// CHECK: call @slim_uk_qgemm_s8_amx(%[[B]], %[[M]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ABS]], %[[LDA]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[FLAGS]])
// CHECK: call @slim_uk_qgemm_s8_generic(
// CHECK-DAG: func.func private @slim_uk_qgemm_s8_amx({{.*}}) attributes {slim.isa = #slim.isa<amx>}
// CHECK-DAG: func.func private @slim_uk_qgemm_s8_generic({{.*}}) attributes {slim.isa = #slim.isa<generic>}
func.func @batched(%a: memref<2x3x4xi8>, %p: memref<1088xi8>, %c: memref<2x3x5xi32>) {
  slim.packed_matmul ins(%a, %p : memref<2x3x4xi8>, memref<1088xi8>) outs(%c : memref<2x3x5xi32>) k = 4 n = 5 isa = <amx> {lhs_unsigned, accumulate}
  slim.packed_matmul ins(%a, %p : memref<2x3x4xi8>, memref<1088xi8>) outs(%c : memref<2x3x5xi32>) k = 4 n = 5 isa = <generic>
  return
}

// -----

// A sparse weight: flag 4 (with 1, a signed activation).
// CHECK-LABEL: func.func @sparse
// CHECK: %[[FLAGS:.*]] = arith.constant 5 : i64
// CHECK: call @slim_uk_qgemm_s8_avx512vnni({{.*}}, %[[FLAGS]])
func.func @sparse(%a: memref<3x4xi8>, %p: memref<284xi8>, %c: memref<3x2xi32>) {
  slim.packed_matmul ins(%a, %p : memref<3x4xi8>, memref<284xi8>) outs(%c : memref<3x2xi32>) k = 4 n = 2 isa = <avx512_vnni> {sparse}
  return
}

// -----

// The f32 kind calls the f32 kernel; flags 0 (no signedness, overwrite);
// the bias's aligned pointer and offset.
// CHECK-LABEL: func.func @f32
// CHECK: memref.extract_aligned_pointer_as_index %arg3
// CHECK: %[[BP:.*]] = llvm.inttoptr
// CHECK: %{{.*}}, %[[BO:.*]], %{{.*}}, %{{.*}} = memref.extract_strided_metadata %arg3
// CHECK: %[[BOFF:.*]] = arith.index_cast %[[BO]] : index to i64
// CHECK: call @slim_uk_sgemm_f32_avx512vnni({{.*}}, %[[BP]], %[[BOFF]], %c0_i64{{[_0-9]*}}) : (i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK: func.func private @slim_uk_sgemm_f32_avx512vnni({{.*}}) attributes {slim.isa = #slim.isa<avx512_vnni>}
func.func @f32(%a: memref<?x3xf32>, %p: memref<48xf32>, %c: memref<?x5xf32>, %b: memref<5xf32>) {
  slim.packed_matmul ins(%a, %p : memref<?x3xf32>, memref<48xf32>) outs(%c : memref<?x5xf32>) bias(%b : memref<5xf32>) k = 3 n = 5 isa = <avx512_vnni>
  return
}

// -----

// An activation or a bias with strided rows is copied into a contiguous
// buffer for the call, and freed after it.
// CHECK-LABEL: func.func @strided_inputs
// CHECK-SAME: (%[[A:.*]]: memref<3x4xi8, strided<[8, 2]>>, %{{.*}}: memref<1088xi8>, %{{.*}}: memref<3x5xi32>, %[[B:.*]]: memref<5xi32, strided<[3]>>)
// CHECK: %[[AC:.*]] = memref.alloc() : memref<3x4xi8>
// CHECK: memref.copy %[[A]], %[[AC]]
// CHECK: memref.extract_aligned_pointer_as_index %[[AC]]
// CHECK: %[[BC:.*]] = memref.alloc() : memref<5xi32>
// CHECK: memref.copy %[[B]], %[[BC]]
// CHECK: call @slim_uk_qgemm_s8_avx2(
// CHECK-DAG: memref.dealloc %[[AC]]
// CHECK-DAG: memref.dealloc %[[BC]]
func.func @strided_inputs(%a: memref<3x4xi8, strided<[8, 2]>>, %p: memref<1088xi8>, %c: memref<3x5xi32>, %b: memref<5xi32, strided<[3]>>) {
  slim.packed_matmul ins(%a, %p : memref<3x4xi8, strided<[8, 2]>>, memref<1088xi8>) outs(%c : memref<3x5xi32>) bias(%b : memref<5xi32, strided<[3]>>) k = 4 n = 5 isa = <avx2>
  return
}

// -----

// A result whose rows are not contiguous is refused (nothing is
// half-lowered).
func.func @strided_init(%a: memref<3x4xi8>, %p: memref<1088xi8>, %c: memref<3x5xi32, strided<[16, 2]>>) {
  // expected-error @below {{needs contiguous rows (innermost stride 1) in init}}
  slim.packed_matmul ins(%a, %p : memref<3x4xi8>, memref<1088xi8>) outs(%c : memref<3x5xi32, strided<[16, 2]>>) k = 4 n = 5 isa = <avx2>
  return
}

// -----

func.func @tensors(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) -> tensor<3x5xi32> {
  // expected-error @below {{must be bufferized before slim-lower-micro-kernels}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return %r : tensor<3x5xi32>
}

// -----

// slim.activation_matmul: the right-hand side with its batch, row and
// column strides (a transposed view is read in place: row stride 1, column
// stride 32); flags 5 (signed lhs, signed rhs, overwrite) and 2 (both
// unsigned, accumulate).
// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[Q:.*]]: memref<12x5x32xi8>, %[[K:.*]]: memref<12x5x32xi8>, %[[S:.*]]: memref<12x5x5xi32>)
// CHECK: %[[KT:.*]] = memref.transpose %[[K]]
// CHECK: %{{.*}}, %[[QO:.*]], %[[QS:.*]]:3, %[[QST:.*]]:3 = memref.extract_strided_metadata %[[Q]]
// CHECK: %[[BATCH:.*]] = arith.index_cast %[[QS]]#0 : index to i64
// CHECK: %[[M:.*]] = arith.index_cast %[[QS]]#1 : index to i64
// CHECK: %[[QBS:.*]] = arith.index_cast %[[QST]]#0 : index to i64
// CHECK: %[[LDA:.*]] = arith.index_cast %[[QST]]#1 : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[KT]]
// CHECK: %[[KP:.*]] = llvm.inttoptr
// CHECK: %{{.*}}, %[[KO:.*]], %[[KS:.*]]:3, %[[KST:.*]]:3 = memref.extract_strided_metadata %[[KT]]
// CHECK: %[[KOFF:.*]] = arith.index_cast %[[KO]] : index to i64
// CHECK: %[[KD:.*]] = arith.index_cast %[[KS]]#1 : index to i64
// CHECK: %[[N:.*]] = arith.index_cast %[[KS]]#2 : index to i64
// CHECK: %[[KBS:.*]] = arith.index_cast %[[KST]]#0 : index to i64
// CHECK: %[[KRS:.*]] = arith.index_cast %[[KST]]#1 : index to i64
// CHECK: %[[KCS:.*]] = arith.index_cast %[[KST]]#2 : index to i64
// CHECK: %[[F5:.*]] = arith.constant 5 : i64
// CHECK: call @slim_uk_qgemm_act_s8_avx512vnni(%[[BATCH]], %[[M]], %[[N]], %[[KD]], %{{.*}}, %{{.*}}, %[[QBS]], %[[LDA]], %[[KP]], %[[KOFF]], %[[KBS]], %[[KRS]], %[[KCS]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[F5]]) : (i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64) -> ()
// CHECK: %[[F2:.*]] = arith.constant 2 : i64
// CHECK: call @slim_uk_qgemm_act_s8_avx512vnni({{.*}}, %[[F2]])
// CHECK-NOT: slim.activation_matmul
// CHECK: func.func private @slim_uk_qgemm_act_s8_avx512vnni(i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64) attributes {slim.isa = #slim.isa<avx512_vnni>}
func.func @activations(%q: memref<12x5x32xi8>, %k: memref<12x5x32xi8>, %s: memref<12x5x5xi32>) {
  %kt = memref.transpose %k (b, n, d) -> (b, d, n) : memref<12x5x32xi8> to memref<12x32x5xi8, strided<[160, 1, 32]>>
  slim.activation_matmul ins(%q, %kt : memref<12x5x32xi8>, memref<12x32x5xi8, strided<[160, 1, 32]>>) outs(%s : memref<12x5x5xi32>) isa = <avx512_vnni>
  slim.activation_matmul ins(%q, %kt : memref<12x5x32xi8>, memref<12x32x5xi8, strided<[160, 1, 32]>>) outs(%s : memref<12x5x5xi32>) isa = <avx512_vnni> {lhs_unsigned, rhs_unsigned, accumulate}
  return
}

// -----

// An activation_matmul left on tensors is an error, as for packed_matmul.
func.func @activation_tensors(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>, %c: tensor<3x5xi32>) -> tensor<3x5xi32> {
  // expected-error @+1 {{'slim.activation_matmul' op must be bufferized before slim-lower-micro-kernels}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<4x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<3x5xi32>
  return %r : tensor<3x5xi32>
}

// -----

// slim.dynamic_packed_matmul: (m, n, k, a, offset, row stride, packed,
// offset, c, offset, row stride, scales, offset, zero points, offset,
// bias, offset, flags); absent zero points and bias are null pointers;
// flags 1 per row.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: memref<?x17xf32>, %[[P:.*]]: memref<3264xi8>, %[[C:.*]]: memref<?x33xf32>, %[[S:.*]]: memref<33xf32>, %[[Z:.*]]: memref<33xi32>)
// CHECK: %{{.*}}, %[[XO:.*]], %[[XS:.*]]:2, %[[XST:.*]]:2 = memref.extract_strided_metadata %[[X]]
// CHECK: %[[M:.*]] = arith.index_cast %[[XS]]#0 : index to i64
// CHECK: %[[LDA:.*]] = arith.index_cast %[[XST]]#0 : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[S]]
// CHECK: %[[SP:.*]] = llvm.inttoptr
// CHECK: memref.extract_aligned_pointer_as_index %[[Z]]
// CHECK: %[[ZP:.*]] = llvm.inttoptr
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: call @slim_uk_dqgemm_amx(%[[M]], %c33_i64, %c17_i64, %{{.*}}, %{{.*}}, %[[LDA]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SP]], %{{.*}}, %[[ZP]], %{{.*}}, %[[NULL]], %{{.*}}, %[[ONE]]) : (i64, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64) -> ()
// CHECK: call @slim_uk_dqgemm_amx({{.*}}, %{{.*}}, %c0_i64{{.*}}, %{{.*}}, %{{.*}}, %c0_i64{{.*}})
// CHECK-NOT: slim.dynamic_packed_matmul
// CHECK: func.func private @slim_uk_dqgemm_amx(i64, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64) attributes {slim.isa = #slim.isa<amx>}
func.func @dynamic(%x: memref<?x17xf32>, %p: memref<3264xi8>, %c: memref<?x33xf32>, %s: memref<33xf32>, %z: memref<33xi32>) {
  slim.dynamic_packed_matmul ins(%x, %p : memref<?x17xf32>, memref<3264xi8>) outs(%c : memref<?x33xf32>) scales(%s : memref<33xf32>) zero_points(%z : memref<33xi32>) k = 17 n = 33 isa = <amx> {per_row}
  slim.dynamic_packed_matmul ins(%x, %p : memref<?x17xf32>, memref<3264xi8>) outs(%c : memref<?x33xf32>) scales(%s : memref<33xf32>) bias(%s : memref<33xf32>) k = 17 n = 33 isa = <amx>
  return
}

// -----

// slim.dequant_matmul: (batch, m, n, k, a, offset, batch stride, row
// stride, packed, offset, bits, group size, scales, offset, offsets,
// offset, c, offset, batch stride, row stride, bias, offset, flags);
// flags 2 accumulates.
// CHECK-LABEL: func.func @weight_only
// CHECK-SAME: (%[[X:.*]]: memref<2x3x64xf32>, %[[P:.*]]: memref<512xi8>, %[[S:.*]]: memref<32xf32>, %[[O:.*]]: memref<32xi8>, %[[C:.*]]: memref<2x3x5xf32>)
// CHECK: %{{.*}}, %{{.*}}, %[[XS:.*]]:3, %{{.*}}:3 = memref.extract_strided_metadata %[[X]]
// CHECK: %[[B:.*]] = arith.index_cast %[[XS]]#0 : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[P]]
// CHECK: %[[PP:.*]] = llvm.inttoptr
// CHECK: %[[BITS:.*]] = arith.constant 4 : i64
// CHECK: %[[G:.*]] = arith.constant 32 : i64
// CHECK: memref.extract_aligned_pointer_as_index %[[S]]
// CHECK: %[[SP:.*]] = llvm.inttoptr
// CHECK: memref.extract_aligned_pointer_as_index %[[O]]
// CHECK: %[[OP:.*]] = llvm.inttoptr
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[F:.*]] = arith.constant 2 : i64
// CHECK: call @slim_uk_wgemm_avx2(%[[B]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[PP]], %{{.*}}, %[[BITS]], %[[G]], %[[SP]], %{{.*}}, %[[OP]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[NULL]], %{{.*}}, %[[F]]) : (i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT: slim.dequant_matmul
// CHECK: func.func private @slim_uk_wgemm_avx2({{.*}}) attributes {slim.isa = #slim.isa<avx2>}
func.func @weight_only(%x: memref<2x3x64xf32>, %p: memref<512xi8>, %s: memref<32xf32>, %o: memref<32xi8>, %c: memref<2x3x5xf32>) {
  slim.dequant_matmul ins(%x, %p : memref<2x3x64xf32>, memref<512xi8>) outs(%c : memref<2x3x5xf32>) scales(%s : memref<32xf32>) offsets(%o : memref<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> {accumulate}
  return
}

// -----

// slim.sign_matmul: (batch, m, n, k, a, offset, batch stride, row stride,
// signs, offset, scales, offset, c, offset, batch stride, row stride,
// bias, offset, flags); flags 2 accumulates.
// CHECK-LABEL: func.func @sign
// CHECK-SAME: (%[[X:.*]]: memref<2x3x37xf32>, %[[P:.*]]: memref<148xi8>, %[[S:.*]]: memref<21xf32>, %[[BIAS:.*]]: memref<21xf32>, %[[C:.*]]: memref<2x3x21xf32>)
// CHECK: %{{.*}}, %{{.*}}, %[[XS:.*]]:3, %{{.*}}:3 = memref.extract_strided_metadata %[[X]]
// CHECK: %[[B:.*]] = arith.index_cast %[[XS]]#0 : index to i64
// CHECK: %[[N:.*]] = arith.constant 21 : i64
// CHECK: %[[K:.*]] = arith.constant 37 : i64
// CHECK: memref.extract_aligned_pointer_as_index %[[P]]
// CHECK: %[[PP:.*]] = llvm.inttoptr
// CHECK: memref.extract_aligned_pointer_as_index %[[S]]
// CHECK: %[[SP:.*]] = llvm.inttoptr
// CHECK: memref.extract_aligned_pointer_as_index %[[BIAS]]
// CHECK: %[[BP:.*]] = llvm.inttoptr
// CHECK: %[[F:.*]] = arith.constant 2 : i64
// CHECK: call @slim_uk_signgemm_avx512vnni(%[[B]], %{{.*}}, %[[N]], %[[K]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[PP]], %{{.*}}, %[[SP]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BP]], %{{.*}}, %[[F]]) : (i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT: slim.sign_matmul
// CHECK: func.func private @slim_uk_signgemm_avx512vnni({{.*}}) attributes {slim.isa = #slim.isa<avx512_vnni>}
func.func @sign(%x: memref<2x3x37xf32>, %p: memref<148xi8>, %s: memref<21xf32>, %bias: memref<21xf32>, %c: memref<2x3x21xf32>) {
  slim.sign_matmul ins(%x, %p : memref<2x3x37xf32>, memref<148xi8>) outs(%c : memref<2x3x21xf32>) scales(%s : memref<21xf32>) bias(%bias : memref<21xf32>) k = 37 n = 21 accumulate isa = <avx512_vnni>
  return
}

// -----

// Without an ISA (slim-pack-contractions sets it) there is no kernel to
// call.
func.func @sign_no_isa(%x: memref<3x37xf32>, %p: memref<148xi8>, %s: memref<21xf32>, %c: memref<3x21xf32>) {
  // expected-error @below {{needs an isa (slim-pack-contractions sets it) before slim-lower-micro-kernels}}
  slim.sign_matmul ins(%x, %p : memref<3x37xf32>, memref<148xi8>) outs(%c : memref<3x21xf32>) scales(%s : memref<21xf32>) k = 37 n = 21
  return
}

// -----

// int8_activations sets flag 4 (with accumulate: 6); the packed operand is
// in the quad layout (same size here: K = 64).
// CHECK-LABEL: func.func @weight_only_int8_activations
// CHECK: %[[F:.*]] = arith.constant 6 : i64
// CHECK: call @slim_uk_wgemm_avx512vnni({{.*}}, %[[F]]) :
// CHECK-NOT: slim.dequant_matmul
func.func @weight_only_int8_activations(%x: memref<3x64xf32>, %p: memref<512xi8>, %s: memref<32xf32>, %o: memref<32xi8>, %c: memref<3x5xf32>) {
  slim.dequant_matmul ins(%x, %p : memref<3x64xf32>, memref<512xi8>) outs(%c : memref<3x5xf32>) scales(%s : memref<32xf32>) offsets(%o : memref<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 int8_activations isa = <avx512_vnni> {accumulate}
  return
}

// -----

// sparse (the 2:4 form) sets flag 8 (with accumulate: 10).
// CHECK-LABEL: func.func @weight_only_sparse
// CHECK: %[[F:.*]] = arith.constant 10 : i64
// CHECK: call @slim_uk_wgemm_avx2({{.*}}, %[[F]]) :
// CHECK-NOT: slim.dequant_matmul
func.func @weight_only_sparse(%x: memref<3x64xf32>, %p: memref<384xi8>, %s: memref<32xf32>, %o: memref<32xi8>, %c: memref<3x5xf32>) {
  slim.dequant_matmul ins(%x, %p : memref<3x64xf32>, memref<384xi8>) outs(%c : memref<3x5xf32>) scales(%s : memref<32xf32>) offsets(%o : memref<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 sparse isa = <avx2> {accumulate}
  return
}

// -----

// slim.packed_conv2d: the sizes in the layout's order, the taps' geometry,
// both buffers with all their strides (the output may be strided), flags
// 1 (NHWC) and 2 (accumulate, NCHW).
// CHECK-LABEL: func.func @convolution
// CHECK-SAME: (%[[X:.*]]: memref<2x9x9x4xf32>, %[[P:.*]]: memref<1152xf32>, %[[Y:.*]]: memref<2x4x4x17xf32, strided<[340, 68, 17, 1]>>, %[[XC:.*]]: memref<1x4x9x9xf32>, %[[YC:.*]]: memref<1x17x7x7xf32>, %{{.*}}: memref<612xf32>)
// CHECK: %{{.*}}, %{{.*}}, %[[XS:.*]]:4, %[[XST:.*]]:4 = memref.extract_strided_metadata %[[X]]
// CHECK: %[[N:.*]] = arith.index_cast %[[XS]]#0 : index to i64
// CHECK: %[[C:.*]] = arith.index_cast %[[XS]]#3 : index to i64
// CHECK: %{{.*}}, %{{.*}}, %[[YS:[a-z0-9_]*]]:4, %[[YST:[a-z0-9_]*]]:4 = memref.extract_strided_metadata %[[Y]]
// CHECK: %[[F:.*]] = arith.index_cast %[[YS]]#3 : index to i64
// CHECK: call @slim_uk_sconv2d_avx512vnni(%[[N]], %{{.*}}, %{{.*}}, %{{.*}}, %[[F]], {{.*}}, %c1_i64{{[_0-9]*}}) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK: call @slim_uk_sconv2d_avx512vnni({{.*}}, %c2_i64{{[_0-9]*}}) :
// CHECK-NOT: slim.packed_conv2d
// CHECK: func.func private @slim_uk_sconv2d_avx512vnni({{.*}}) attributes {slim.isa = #slim.isa<avx512_vnni>}
func.func @convolution(%x: memref<2x9x9x4xf32>, %p: memref<1152xf32>, %y: memref<2x4x4x17xf32, strided<[340, 68, 17, 1]>>, %xc: memref<1x4x9x9xf32>, %yc: memref<1x17x7x7xf32>, %f: memref<612xf32>) {
  slim.packed_conv2d ins(%x, %p : memref<2x9x9x4xf32>, memref<1152xf32>) outs(%y : memref<2x4x4x17xf32, strided<[340, 68, 17, 1]>>) kernel = [3, 3] strides = [2, 2] dilations = [1, 1] isa = <avx512_vnni> {nhwc}
  slim.packed_conv2d ins(%xc, %f : memref<1x4x9x9xf32>, memref<612xf32>) outs(%yc : memref<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx512_vnni> {accumulate}
  return
}

// -----

// A depthwise convolution sets flag 4 (with NHWC: 5).
// CHECK-LABEL: func.func @depthwise_conv
// CHECK: %[[F:.*]] = arith.constant 5 : i64
// CHECK: call @slim_uk_sconv2d_avx2({{.*}}, %[[F]]) :
// CHECK-NOT: slim.packed_conv2d
func.func @depthwise_conv(%x: memref<1x9x9x20xf32>, %p: memref<288xf32>, %y: memref<1x7x7x20xf32>) {
  slim.packed_conv2d ins(%x, %p : memref<1x9x9x20xf32>, memref<288xf32>) outs(%y : memref<1x7x7x20xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {nhwc, depthwise}
  return
}

// -----

// An int8 convolution calls slim_uk_qconv2d_s8_<isa>: flag 8 for a signed
// input (NCHW dense: 8), none for an unsigned one (NHWC depthwise: 1 | 4);
// the padding and its value follow the dilations (none: zeros).
// CHECK-LABEL: func.func @int8_conv
// CHECK: %[[S:.*]] = arith.constant 8 : i64
// CHECK: call @slim_uk_qconv2d_s8_amx({{.*}}, %c3_i64{{[_0-9]*}}, %c3_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c-5_i64, {{.*}}, %[[S]], {{.*}}) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64) -> ()
// CHECK: %[[U:.*]] = arith.constant 5 : i64
// CHECK: call @slim_uk_qconv2d_s8_amx({{.*}}, %[[U]], %{{.*}}, %c0_i64{{[_0-9]*}}, %{{.*}}, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}) :
// With a requantize epilogue: flag 16 (and 8, signed input), the
// multipliers' and shifts' pointers, then zero_out, lo, hi.
// CHECK: %[[R:.*]] = arith.constant 24 : i64
// CHECK: call @slim_uk_qconv2d_s8_amx({{.*}}, %[[R]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c3_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}, %c255_i64{{[_0-9]*}}) :
// CHECK-NOT: slim.packed_conv2d
// CHECK-NOT: slim_uk_sconv2d
func.func @int8_conv(%x: memref<1x4x9x9xi8>, %p: memref<2176xi8>, %y: memref<1x17x9x10xi32>, %b: memref<17xi32>, %xd: memref<1x9x9x20xi8>, %pd: memref<288xi8>, %yd: memref<1x7x7x20xi32>, %yq: memref<1x17x7x7xi8>, %m: memref<17xi32>, %s: memref<17xi32>) {
  slim.packed_conv2d ins(%x, %p : memref<1x4x9x9xi8>, memref<2176xi8>) outs(%y : memref<1x17x9x10xi32>) bias(%b : memref<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [1, 2, 1, 1] pad_value = -5 isa = <amx>
  slim.packed_conv2d ins(%xd, %pd : memref<1x9x9x20xi8>, memref<288xi8>) outs(%yd : memref<1x7x7x20xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <amx> {nhwc, depthwise, input_unsigned}
  slim.packed_conv2d ins(%x, %p : memref<1x4x9x9xi8>, memref<2176xi8>) outs(%yq : memref<1x17x7x7xi8>) requantize(%m, %s : memref<17xi32>, memref<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [3, 0, 255] isa = <amx>
  return
}

// -----

// A grouped int8 convolution puts its groups in bits 8 and up of the
// flags: 2 groups of a signed input are 2 << 8 | 8 = 520.
// CHECK-LABEL: func.func @int8_grouped_conv
// CHECK: %[[G:.*]] = arith.constant 520 : i64
// CHECK: call @slim_uk_qconv2d_s8_avx2({{.*}}, %[[G]], {{.*}}) :
// CHECK-NOT: slim.packed_conv2d
func.func @int8_grouped_conv(%x: memref<1x4x9x9xi8>, %p: memref<2176xi8>, %y: memref<1x4x7x7xi32>) {
  slim.packed_conv2d ins(%x, %p : memref<1x4x9x9xi8>, memref<2176xi8>) outs(%y : memref<1x4x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 2 isa = <avx2>
  return
}

// -----

// slim.attention: (batch, heads, m, n, d, dv, then q, k, v, mask and out
// each as pointer, offset and 4 strides, the scale's f32 bits, flags: 2
// divides). The mask's size-1 dimensions get stride 0 (broadcast); q is a
// transposed view, passed with its own strides, no copy.
// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: memref<1x5x3x8xf32>, %[[K:.*]]: memref<1x3x7x8xf32>, %[[V:.*]]: memref<1x3x7x4xf32>, %[[M:.*]]: memref<1x1x1x7xf32>, %[[O:.*]]: memref<1x3x5x4xf32>)
// CHECK: %[[QT:.*]] = memref.transpose %[[Q]]
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}:4, %[[QST:.*]]:4 = memref.extract_strided_metadata %[[QT]]
// CHECK: %[[QS1:.*]] = arith.index_cast %[[QST]]#1 : index to i64
// CHECK-NEXT: %[[QS2:.*]] = arith.index_cast %[[QST]]#2 : index to i64
// CHECK: memref.extract_strided_metadata %[[M]]
// CHECK: %[[Z0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[Z1:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[Z2:.*]] = arith.constant 0 : i64
// CHECK: %[[BITS:.*]] = arith.constant 1082130432 : i64
// CHECK-NEXT: %[[FLAGS:.*]] = arith.constant 2 : i64
// CHECK-NEXT: call @slim_uk_attention_f32_avx2(%{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %[[QS1]], %[[QS2]], {{.*}}, %[[Z0]], %[[Z1]], %[[Z2]], %{{[^,]*}}, {{.*}}, %[[BITS]], %[[FLAGS]])
// CHECK-NOT: slim.attention
// CHECK: func.func private @slim_uk_attention_f32_avx2({{.*}}) attributes {slim.isa = #slim.isa<avx2>}
func.func @attention(%q: memref<1x5x3x8xf32>, %k: memref<1x3x7x8xf32>, %v: memref<1x3x7x4xf32>, %m: memref<1x1x1x7xf32>, %o: memref<1x3x5x4xf32>) {
  %qt = memref.transpose %q (d0, d1, d2, d3) -> (d0, d2, d1, d3) : memref<1x5x3x8xf32> to memref<1x3x5x8xf32, strided<[120, 8, 24, 1]>>
  slim.attention ins(%qt, %k, %v : memref<1x3x5x8xf32, strided<[120, 8, 24, 1]>>, memref<1x3x7x8xf32>, memref<1x3x7x4xf32>) outs(%o : memref<1x3x5x4xf32>) mask(%m : memref<1x1x1x7xf32>) scale = 4.0 divides isa = <avx2>
  return
}

// -----

// Without a mask: a null pointer and zero offset and strides; no scale:
// flags 0.
// CHECK-LABEL: func.func @attention_plain
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-COUNT-5: arith.constant 0 : i64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1065353216 : i64
// CHECK-NEXT: %[[F:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @slim_uk_attention_f32_generic({{.*}}, %[[NULL]], {{.*}}, %[[ONE]], %[[F]])
func.func @attention_plain(%q: memref<2x1x3x4xf32>, %k: memref<2x1x6x4xf32>, %v: memref<2x1x6x2xf32>, %o: memref<2x1x3x2xf32>) {
  slim.attention ins(%q, %k, %v : memref<2x1x3x4xf32>, memref<2x1x6x4xf32>, memref<2x1x6x2xf32>) outs(%o : memref<2x1x3x2xf32>) isa = <generic>
  return
}
