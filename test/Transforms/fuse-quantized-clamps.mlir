// RUN: slim-opt %s -split-input-file -slim-fuse-quantized=report-unfused -verify-diagnostics | FileCheck %s

// Clamps in every form importers write fuse into the requantize's clamp.

// Clip(0, 6) as the ONNX importer writes it: its bounds are 0-d tensor
// constants read by the generic, the clamps cmpf ult + select then cmpf ugt +
// select. The requantize clamps to [0 / 0.05, 6 / 0.05] = [0, 120].
// CHECK-LABEL: func @importer_clip
// CHECK: slim.qmatmul
// CHECK: slim.requantize %{{.*}} clamp [0, 120]
// CHECK-NOT: linalg.generic
func.func @importer_clip(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %lo = arith.constant dense<0.0> : tensor<f32>
  %hi = arith.constant dense<6.0> : tensor<f32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %lo, %hi : tensor<2x2xf32>, tensor<f32>, tensor<f32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %l: f32, %u: f32, %o: f32):
    %p = arith.cmpf ult, %v, %l : f32
    %a = arith.select %p, %l, %v : f32
    %q = arith.cmpf ugt, %a, %u : f32
    %r = arith.select %q, %u, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Bounds as splat tensor constants read elementwise; maximumf then
// minimumf.
// CHECK-LABEL: func @splat_bounds
// CHECK: slim.requantize %{{.*}} clamp [0, 120]
func.func @splat_bounds(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %lo = arith.constant dense<0.0> : tensor<2x2xf32>
  %hi = arith.constant dense<6.0> : tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %lo, %hi : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %l: f32, %u: f32, %o: f32):
    %a = arith.maximumf %v, %l : f32
    %r = arith.minimumf %a, %u : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// maxnumf / minnumf (NaN-ignoring) by captured scalars, constant first.
// CHECK-LABEL: func @num_forms
// CHECK: slim.requantize %{{.*}} clamp [0, 120]
func.func @num_forms(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %a = arith.maxnumf %zero, %v : f32
    %r = arith.minnumf %six, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Ordered predicates with the constant on the left: 0 < x selects x (a
// max), x >= 6 selects 6 (a min).
// CHECK-LABEL: func @ordered_swapped
// CHECK: slim.requantize %{{.*}} clamp [0, 120]
func.func @ordered_swapped(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf olt, %zero, %v : f32
    %a = arith.select %p, %v, %zero : f32
    %q = arith.cmpf oge, %a, %six : f32
    %r = arith.select %q, %six, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// A symmetric Clip(-1, 1) on signed storage: [-1 / 0.05, 1 / 0.05] =
// [-20, 20]; the upper bound first, select(x < c, x, c) being a min.
// CHECK-LABEL: func @clip_signed
// CHECK: slim.requantize %{{.*}} clamp [-20, 20]
func.func @clip_signed(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %one = arith.constant 1.0 : f32
  %mone = arith.constant -1.0 : f32
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ule, %v, %one : f32
    %a = arith.select %p, %v, %one : f32
    %q = arith.cmpf ugt, %mone, %a : f32
    %r = arith.select %q, %mone, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// ReLU6 on whole tensors: arith.maximumf / minimumf by splat constants
// (as ConvertElementwiseToLinalg's input would have it).
// CHECK-LABEL: func @tensor_relu6
// CHECK: slim.requantize %{{.*}} clamp [0, 120]
func.func @tensor_relu6(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %zt = arith.constant dense<0.0> : tensor<2x2xf32>
  %st = arith.constant dense<6.0> : tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %a = arith.maximumf %mm, %zt : tensor<2x2xf32>
  %h = arith.minimumf %a, %st : tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// What is not a clamp stays in float, and the remark names the op: an
// equality test,
// CHECK-LABEL: func @equality
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @equality(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.cmpf' compares with a predicate that is not <, <=, >, >=}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf oeq, %v, %zero : f32
    %r = arith.select %p, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// a select whose other value is not the constant compared with,
// CHECK-LABEL: func @other_constant
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @other_constant(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.select' does not choose between the value and the constant it was compared with}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ogt, %v, %zero : f32
    %r = arith.select %p, %v, %six : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// a bound that is not a constant.
// CHECK-LABEL: func @variable_bound
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @variable_bound(%x: tensor<2x4xf32>, %y: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic reads operand 1 (an argument, tensor<2x2xf32>), which is neither the result nor a constant bias or bound}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %y : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %r = arith.maximumf %v, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Clamps compose: min(max(x, 6), 0) is 0 everywhere (the clamp [0, 0]);
// a constant defined in the generic's body is read where it is used.
// CHECK-LABEL: func @impossible
// CHECK: slim.requantize %{{.*}} clamp [0, 0]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @impossible(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %a = arith.maximumf %v, %six : f32
    %r = arith.minimumf %a, %z : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// A bound of NaN or infinity is not a clamp.
// CHECK-LABEL: func @nan_bound
// CHECK-NOT: slim.qmatmul
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @nan_bound(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.maximumf' is not by a constant}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %nan = arith.constant 0x7FC00000 : f32
    %r = arith.maximumf %v, %nan : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// An elementwise body that writes through a permuted map transposes: not an
// epilogue.
// CHECK-LABEL: func @transposing
// CHECK-NOT: slim.qmatmul
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr2 = affine_map<(d0, d1) -> (d1, d0)>
func.func @transposing(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic is not elementwise (its loops or its output map)}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [#id2, #tr2], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// A convolution whose output covers only part of its input (7 rows, a 3-row
// filter, stride 2: 3 rows, but the output has 2) has no slim.qconv2d form.
// CHECK-LABEL: func @short_output
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: slim.qconv2d
func.func @short_output(%x: tensor<1x7x7x2xf32>) -> tensor<1x2x2x3xf32> {
  %xq = slim.quantize %x : tensor<1x7x7x2xf32> to tensor<1x7x7x2x!quant.uniform<u8:f32, 0.03:100>>
  %xd = slim.dequantize %xq : tensor<1x7x7x2x!quant.uniform<u8:f32, 0.03:100>> to tensor<1x7x7x2xf32>
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<3> : tensor<3x3x2x3xi8>
  %wq = quant.scast %w : tensor<3x3x2x3xi8> to tensor<3x3x2x3x!quant.uniform<i8:f32, 0.01>>
  %wd = slim.dequantize %wq : tensor<3x3x2x3x!quant.uniform<i8:f32, 0.01>> to tensor<3x3x2x3xf32>
  %e = tensor.empty() : tensor<1x2x2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  // expected-remark @+1 {{left in float: the output's height 2 is not the convolution's full extent 3}}
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %wd : tensor<1x7x7x2xf32>, tensor<3x3x2x3xf32>) outs(%init : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %yq = slim.quantize %c : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<u8:f32, 0.04:0>>
  %yd = slim.dequantize %yq : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.04:0>> to tensor<1x2x2x3xf32>
  return %yd : tensor<1x2x2x3xf32>
}

// -----

// A clamp of an affine function (hard-sigmoid's shape): y = clamp(2 x + 1,
// 0, 3). The accumulator's real value is x (scale 0.1 * 0.25 = 0.025); the
// scale 2 multiplies the scales it is read with (0.05: two storage casts,
// the same integers), the offset joins the bias as 1 / 2 = 0.5, 20 steps of
// 0.025; the clamp [0, 3] is [0, 60] in steps of 0.05.
// CHECK-LABEL: func @affine_clamp
// CHECK: %[[B:.*]] = arith.constant dense<20> : tensor<2xi32>
// CHECK: %[[BQ:.*]] = quant.scast %[[B]] : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32, 2.500000e-02>>
// CHECK: %[[ACC:.*]] = slim.qmatmul %{{.*}}, %{{.*}}, %[[BQ]]
// CHECK: %[[RAW:.*]] = quant.scast %[[ACC]] : tensor<2x2x!quant.uniform<i32:f32, 2.500000e-02>> to tensor<2x2xi32>
// CHECK: %[[SC:.*]] = quant.scast %[[RAW]] : tensor<2x2xi32> to tensor<2x2x!quant.uniform<i32:f32, 5.000000e-02>>
// CHECK: slim.requantize %[[SC]] clamp [0, 60] : tensor<2x2x!quant.uniform<i32:f32, 5.000000e-02>> to tensor<2x2x!quant.uniform<i8:f32, 5.000000e-02>>
// CHECK-NOT: linalg.generic
func.func @affine_clamp(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %one = arith.constant 1.0 : f32
    %three = arith.constant 3.0 : f32
    %s = arith.mulf %two, %v : f32
    %t = arith.addf %s, %one : f32
    %a = arith.maximumf %t, %zero : f32
    %r = arith.minimumf %a, %three : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Affine steps after a clamp move its bounds: (max(x, 0) + 1) / 4 is
// clamp(x / 4 + 1 / 4, 1 / 4, inf): bias 1 (40 steps of 0.025), scale
// 0.025 / 4, the lower bound 0.25 is step 5 of 0.05.
// CHECK-LABEL: func @clamp_then_affine
// CHECK: arith.constant dense<40> : tensor<2xi32>
// CHECK: quant.scast %{{.*}} : tensor<2x2xi32> to tensor<2x2x!quant.uniform<i32:f32, 6.250000e-03>>
// CHECK: slim.requantize %{{.*}} clamp [5, 127]
func.func @clamp_then_affine(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %four = arith.constant 4.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %a = arith.maximumf %v, %zero : f32
    %m = arith.subf %a, %one : f32
    %n = arith.addf %m, %one : f32
    %p = arith.addf %n, %one : f32
    %r = arith.divf %p, %four : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Refused: a negative factor (it would flip the clamp and the scale's
// sign), a division by zero, and a constant minus the value.
// CHECK-LABEL: func @negative_factor
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @negative_factor(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %minus = arith.constant -1.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.mulf' scales by a factor that is not positive and finite}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %minus : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func @divide_by_zero
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @divide_by_zero(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.divf' scales by a factor that is not positive and finite}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.divf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func @constant_minus_value
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @constant_minus_value(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: an epilogue generic's body is not bias add, clamps and affine steps: 'arith.subf' is not the one bias add before the clamps, nor an addition, subtraction, multiplication or division of the value by a constant}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.subf %one, %v : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// Refused: a factor so small that the offset, moved into the bias (0.5 /
// 1e-6 / 1e-4 = 5e9 steps), would not fit the int32 accumulator,
// CHECK-LABEL: func @tiny_factor
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @tiny_factor(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.01>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.01>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.01>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.01>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: the bias (with the epilogue's offset) is not below 2^30 accumulator steps}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %k = arith.constant 1.0e-6 : f32
    %half = arith.constant 0.5 : f32
    %s = arith.mulf %v, %k : f32
    %r = arith.addf %s, %half : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.01>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.01>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}

// -----

// and a factor so large that the requantize multiplier reaches 2^31.
// CHECK-LABEL: func @huge_factor
// CHECK: linalg.matmul
// CHECK-NOT: slim.qmatmul
func.func @huge_factor(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = slim.dequantize %xq : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
  %wq = quant.scast %w : tensor<4x2xi8> to tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %wd = slim.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{left in float: the requantize multiplier (with the epilogue's factor) is not below 2^31}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %k = arith.constant 1.0e12 : f32
    %r = arith.mulf %v, %k : f32
    linalg.yield %r : f32
  } -> tensor<2x2xf32>
  %yq = slim.quantize %h : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<2x2x!quant.uniform<i8:f32, 0.05>> to tensor<2x2xf32>
  return %yd : tensor<2x2xf32>
}
