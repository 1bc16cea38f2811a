// RUN: slim-opt %s -split-input-file -verify-diagnostics

func.func @quantize_result_not_quantized(%x: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of quantized type values}}
  %q = slim.quantize %x : tensor<4xf32> to tensor<4xi8>
  return
}

// -----

func.func @quantize_shape_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %q = slim.quantize %x : tensor<4xf32> to tensor<5x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @quantize_expressed_mismatch(%x: tensor<4xf16>) {
  // expected-error @+1 {{expressed type 'f32' of the quantized type does not match the float element type 'f16'}}
  %q = slim.quantize %x : tensor<4xf16> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @dequantize_expressed_mismatch(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{expressed type 'f32' of the quantized type does not match the float element type 'bf16'}}
  %x = slim.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xbf16>
  return
}

// -----

func.func @unsupported_expressed_type(%q: tensor<4x!quant.uniform<i8:f64, 0.5>>) {
  // expected-error @+1 {{expressed type of '!quant.uniform<i8:f64, 5.000000e-01>' must be f32, f16 or bf16}}
  %x = slim.dequantize %q : tensor<4x!quant.uniform<i8:f64, 0.5>> to tensor<4xf32>
  return
}

// -----

func.func @not_uniform(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected a !quant.uniform type (per-tensor, per-axis or sub-channel), got '!quant.any<i8:f32>'}}
  %q = slim.quantize %x : tensor<4xf32> to tensor<4x!quant.any<i8:f32>>
  return
}

// -----

// The quant type parser already refuses a scale that is not positive.
// expected-error @+1 {{scale -5.000000e-01 out of expressed type range}}
func.func @negative_scale(%q: tensor<4x!quant.uniform<i8:f32, -0.5>>) {
  return
}

// -----

// expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
func.func @zero_scale(%q: tensor<4x!quant.uniform<i8:f32, 0.0>>) {
  return
}

// -----

func.func @zero_point_above_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{zero point 300 is outside the storage range [0, 255]}}
  %q = slim.quantize %x : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.5:300>>
  return
}

// -----

func.func @zero_point_below_narrow_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{zero point -128 is outside the storage range [-127, 127]}}
  %q = slim.quantize %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-128>>
  return
}

// -----

func.func @per_axis_zero_point(%q: tensor<2x!quant.uniform<i4:f32:0, {0.5:1, 0.5:8}>>) {
  // expected-error @+1 {{zero point 8 is outside the storage range [-8, 7]}}
  %x = slim.dequantize %q : tensor<2x!quant.uniform<i4:f32:0, {0.5:1, 0.5:8}>> to tensor<2xf32>
  return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{quantized axis 2 is out of range for a tensor of rank 2}}
  %q = slim.quantize %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return
}

// -----

func.func @axis_size_mismatch(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{quantized axis 1 has size 3 but the type has 2 scales}}
  %q = slim.quantize %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return
}

// -----

func.func @axis_dynamic(%x: tensor<?x3xf32>) {
  // expected-error @+1 {{quantized axis 0 must have a static size}}
  %q = slim.quantize %x : tensor<?x3xf32> to tensor<?x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

func.func @block_does_not_divide(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{block size 3 does not divide dimension 1 of size 4}}
  %q = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32:{1:3}, {{0.5, 0.25}}>>
  return
}

// -----

func.func @block_count_mismatch(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{have 3 blocks along dimension 1 but 2 are needed}}
  %q = slim.quantize %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5, 0.25, 0.125}}>>
  return
}

// -----

func.func @clamp_inverted(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) {
  // expected-error @+1 {{clamp bounds [10, 5] are inverted}}
  %0 = slim.requantize %a clamp [10, 5] : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @clamp_outside_storage(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) {
  // expected-error @+1 {{clamp bounds [-1, 200] are outside the storage range [0, 255]}}
  %0 = slim.requantize %a clamp [-1, 200] : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @clamp_arity(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) {
  // expected-error @+1 {{clamp must have two bounds [lo, hi], got 3}}
  %0 = slim.requantize %a clamp [0, 5, 6] : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @rounding_on_fixed_point(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-3>>) {
  // expected-error @+1 {{rounding applies only to mode<float>}}
  %0 = slim.requantize %a rounding<half_to_even> : tensor<4x!quant.uniform<i32:f32, 1.0e-3>> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @multiplier_too_large(%a: tensor<4x!quant.uniform<i32:f32, 1.0e+6>>) {
  // expected-error @+1 {{is too large for the fixed-point path (must be below 2^31)}}
  %0 = slim.requantize %a : tensor<4x!quant.uniform<i32:f32, 1.0e+6>> to tensor<4x!quant.uniform<i8:f32, 1.0e-4>>
  return
}

// -----

func.func @requantize_axes_differ(%a: tensor<2x2x!quant.uniform<i32:f32:0, {1.0e-3, 2.0e-3}>>) {
  // expected-error @+1 {{input and result are quantized along different axes or blocks}}
  %0 = slim.requantize %a : tensor<2x2x!quant.uniform<i32:f32:0, {1.0e-3, 2.0e-3}>> to tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return
}

// -----

func.func @requantize_float_input(%a: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of quantized type values}}
  %0 = slim.requantize %a : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @fake_quant_expressed_mismatch(%x: tensor<3xf16>) {
  // expected-error @+1 {{expressed type 'f32' of the quantized type does not match the float element type 'f16'}}
  %0 = slim.fake_quant %x as !quant.uniform<i8:f32, 0.25> : tensor<3xf16>
  return
}

// -----

func.func @fake_quant_axis(%x: tensor<3xf32>) {
  // expected-error @+1 {{quantized axis 1 is out of range for a tensor of rank 1}}
  %0 = slim.fake_quant %x as !quant.uniform<i8:f32:1, {0.25, 0.5}> : tensor<3xf32>
  return
}

// -----

func.func @fake_quant_not_quantized(%x: tensor<3xf32>) {
  // expected-error @+1 {{attribute 'quant_type' failed to satisfy constraint}}
  %0 = "slim.fake_quant"(%x) {quant_type = i8} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @dynamic_to_static(%x: tensor<?xf32>) {
  // expected-error @+1 {{input shape ? and result shape 4 must be identical}}
  %q = slim.quantize %x : tensor<?xf32> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @dequantize_static_to_dynamic(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{must be identical (static and dynamic dimensions alike)}}
  %x = slim.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<?xf32>
  return
}

// -----

func.func @requantize_shapes(%a: tensor<2x?x!quant.uniform<i32:f32, 1.0e-3>>) {
  // expected-error @+1 {{input shape 2x? and result shape 2x3 must be identical}}
  %0 = slim.requantize %a : tensor<2x?x!quant.uniform<i32:f32, 1.0e-3>> to tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @observe_empty_id(%x: tensor<4xf32>) {
  // expected-error @+1 {{id must not be empty}}
  %0 = slim.observe %x id "" : tensor<4xf32>
  return
}

// -----

func.func @observe_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for a tensor of rank 2}}
  %0 = slim.observe %x id "a" axis 2 : tensor<2x4xf32>
  return
}

// -----

func.func @observe_batch_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{axis 0 is the batch (sample) axis}}
  %0 = slim.observe %x id "a" axis 0 : tensor<2x4xf32>
  return
}

// -----

func.func @observe_patches_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{patches must be [c, kh, kw, sh, sw, dh, dw], got 3 value(s)}}
  %0 = slim.observe %x id "a" {slim.patches = array<i64: 1, 3, 3>} : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @observe_patches_rank(%x: tensor<3x8xf32>) {
  // expected-error @+1 {{patches need a rank-4 NCHW or NHWC tensor and its channel dimension (1 or 3)}}
  %0 = slim.observe %x id "a" {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<3x8xf32>
  return
}

// -----

func.func @observe_patches_channel_dim(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{patches need a rank-4 NCHW or NHWC tensor and its channel dimension (1 or 3)}}
  %0 = slim.observe %x id "a" {slim.patches = array<i64: 2, 3, 3, 1, 1, 1, 1>} : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @observe_patches_dynamic_channels(%x: tensor<1x?x8x8xf32>) {
  // expected-error @+1 {{patches need a static channel dimension}}
  %0 = slim.observe %x id "a" {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<1x?x8x8xf32>
  return
}

// -----

func.func @observe_patches_window(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{the window, strides and dilations of patches must be positive}}
  %0 = slim.observe %x id "a" {slim.patches = array<i64: 1, 3, 0, 1, 1, 1, 1>} : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @observe_dynamic_axis(%x: tensor<2x?xf32>) {
  // expected-error @+1 {{axis 1 must have a static size}}
  %0 = slim.observe %x id "a" axis 1 : tensor<2x?xf32>
  return
}

// -----

func.func @observe_type_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{all of {input, result} have same type}}
  %0 = "slim.observe"(%x) {id = "a"} : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @qmatmul_shapes(%a: tensor<2x16x!quant.uniform<u8:f32, 0.1>>, %w: tensor<15x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{shapes do not multiply}}
  %0 = slim.qmatmul %a, %w : tensor<2x16x!quant.uniform<u8:f32, 0.1>>, tensor<15x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_rank(%a: tensor<16x!quant.uniform<u8:f32, 0.1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{operands and result must be 2-D}}
  %0 = slim.qmatmul %a, %w : tensor<16x!quant.uniform<u8:f32, 0.1>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<8x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_scale(%a: tensor<2x16x!quant.uniform<u8:f32, 0.1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{result scale 1.000000e-01 must be the product of the operands' scales, 5.000000e-02}}
  %0 = slim.qmatmul %a, %w : tensor<2x16x!quant.uniform<u8:f32, 0.1>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8x!quant.uniform<i32:f32, 0.1>>
  return
}

// -----

func.func @qmatmul_result_storage(%a: tensor<2x16x!quant.uniform<u8:f32, 0.1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{result must have i32 storage}}
  %0 = slim.qmatmul %a, %w : tensor<2x16x!quant.uniform<u8:f32, 0.1>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8x!quant.uniform<i16:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_result_zero_point(%a: tensor<2x16x!quant.uniform<u8:f32, 0.1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{result must have zero point 0}}
  %0 = slim.qmatmul %a, %w : tensor<2x16x!quant.uniform<u8:f32, 0.1>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8x!quant.uniform<i32:f32, 0.05:3>>
  return
}

// -----

func.func @qmatmul_lhs_per_axis(%a: tensor<2x16x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{lhs must be quantized per tensor}}
  %0 = slim.qmatmul %a, %w : tensor<2x16x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_rhs_axis0(%a: tensor<2x2x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error @+1 {{rhs must be quantized per tensor or per output channel (axis 1)}}
  %0 = slim.qmatmul %a, %w : tensor<2x2x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x2x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_per_axis_mismatch(%a: tensor<2x2x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{result must have 1 scale(s), got 2}}
  %0 = slim.qmatmul %a, %w : tensor<2x2x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<2x2x!quant.uniform<i32:f32:1, {0.05, 0.05}>>
  return
}

// -----

func.func @qmatmul_bias(%a: tensor<2x2x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3x!quant.uniform<i32:f32, 0.05>>) {
  // expected-error @+1 {{bias must be 1-D with one value per output column}}
  %0 = slim.qmatmul %a, %w, %b : tensor<2x2x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<3x!quant.uniform<i32:f32, 0.05>> -> tensor<2x2x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_bias_scale(%a: tensor<2x2x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{bias scale 5.000000e-01 must be the product of the operands' scales}}
  %0 = slim.qmatmul %a, %w, %b : tensor<2x2x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i32:f32, 0.5>> -> tensor<2x2x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_wide(%a: tensor<2x2x!quant.uniform<i32:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{operands must be stored in at most 16 bits}}
  %0 = slim.qmatmul %a, %w : tensor<2x2x!quant.uniform<i32:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<2x2x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @qmatmul_dynamic_k(%a: tensor<2x?x!quant.uniform<u8:f32, 0.1>>, %w: tensor<?x2x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{the reduction dimension K must be static}}
  %0 = slim.qmatmul %a, %w : tensor<2x?x!quant.uniform<u8:f32, 0.1>>, tensor<?x2x!quant.uniform<i8:f32, 0.5>> -> tensor<2x2x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @dynamic_shapes(%x: tensor<2x15xf32>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{shapes do not multiply}}
  %0 = slim.dynamic_qmatmul %x, %w : tensor<2x15xf32>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x8xf32>
  return
}

// -----

func.func @dynamic_rank(%x: tensor<16xf32>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{operands and result must be 2-D}}
  %0 = slim.dynamic_qmatmul %x, %w : tensor<16xf32>, tensor<16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<8xf32>
  return
}

// -----

func.func @dynamic_wide_weight(%x: tensor<2x16xf32>, %w: tensor<16x8x!quant.uniform<i16:f32, 0.5>>) {
  // expected-error @+1 {{rhs must be stored in at most 8 bits}}
  %0 = slim.dynamic_qmatmul %x, %w : tensor<2x16xf32>, tensor<16x8x!quant.uniform<i16:f32, 0.5>> -> tensor<2x8xf32>
  return
}

// -----

func.func @dynamic_axis0(%x: tensor<2x2xf32>, %w: tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error @+1 {{rhs must be quantized per tensor or per output channel (axis 1)}}
  %0 = slim.dynamic_qmatmul %x, %w : tensor<2x2xf32>, tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x2xf32>
  return
}

// -----

func.func @dynamic_n(%x: tensor<2x2xf32>, %w: tensor<2x?x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{the number of output columns N must be static}}
  %0 = slim.dynamic_qmatmul %x, %w : tensor<2x2xf32>, tensor<2x?x!quant.uniform<i8:f32, 0.5>> -> tensor<2x?xf32>
  return
}

// -----

func.func @qconv_rank(%x: tensor<3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{input, filter and result must be 4-D}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_attrs(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{strides and dilations need 2 values, padding 4}}
  %0 = slim.qconv2d %x, %w strides [1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_stride(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{strides and dilations must be positive and padding non-negative}}
  %0 = slim.qconv2d %x, %w strides [0, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_out_size(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{output dimension 2 must be 6, got 8}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x8x8x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_channels(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{channels do not match}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_group_channels(%x: tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{channels do not match}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 4 : tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_groups_filters(%x: tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{groups 3 must divide the 4 filters}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 3 : tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_groups_zero(%x: tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x6x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{groups must be positive, and 1 for depthwise (its own form), got 0}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 0 : tensor<1x6x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x6x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_groups_depthwise(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{groups must be positive, and 1 for depthwise (its own form), got 4}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] depthwise groups 4 : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_filter_axis(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5}>>) {
  // expected-error @+1 {{filter must be quantized per tensor or per output channel (axis 0)}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5}>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_scale(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{result scale 5.000000e-01 must be the product of the operands' scales}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.5>>
  return
}

// -----

func.func @qconv_bias(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3x!quant.uniform<i32:f32, 0.25>>) {
  // expected-error @+1 {{bias must be 1-D with one value per filter}}
  %0 = slim.qconv2d %x, %w, %b strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>, tensor<3x!quant.uniform<i32:f32, 0.25>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_dynamic_filter(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<?x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{the filter must have a static shape}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<?x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @unpack_byte_count(%p: tensor<4x2xi8>) {
  // expected-error @+1 {{expects 3 bytes along the last dimension to hold 5 4-bit values, got 2}}
  %0 = slim.unpack %p : tensor<4x2xi8> -> tensor<4x5xi4>
  return
}

// -----

func.func @unpack_rank(%p: tensor<8xi8>) {
  // expected-error @+1 {{expects operand and result of the same rank, at least 1}}
  %0 = slim.unpack %p : tensor<8xi8> -> tensor<2x8xi4>
  return
}

// -----

func.func @unpack_rank0(%p: tensor<i8>) {
  // expected-error @+1 {{expects operand and result of the same rank, at least 1}}
  %0 = slim.unpack %p : tensor<i8> -> tensor<i4>
  return
}

// -----

func.func @unpack_leading_dim(%p: tensor<4x2xi8>) {
  // expected-error @+1 {{dimension 0 differs between operand (4) and result (3)}}
  %0 = slim.unpack %p : tensor<4x2xi8> -> tensor<3x4xi4>
  return
}

// -----

func.func @unpack_dynamic_last(%p: tensor<4x2xi8>) {
  // expected-error @+1 {{expects a static last dimension in the result}}
  %0 = slim.unpack %p : tensor<4x2xi8> -> tensor<4x?xi4>
  return
}

// -----

func.func @unpack_element_types(%p: tensor<4x2xi16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 8-bit signless integer values}}
  %0 = slim.unpack %p : tensor<4x2xi16> -> tensor<4x4xi4>
  return
}

// -----

func.func @qmatmul_batch_mismatch(%x: tensor<2x4x16x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{shapes do not multiply}}
  %0 = slim.qmatmul %x, %w : tensor<2x4x16x!quant.uniform<u8:f32, 0.5>>, tensor<3x16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<2x4x8x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qmatmul_rank_mix(%x: tensor<4x16x!quant.uniform<u8:f32, 0.5>>, %w: tensor<1x16x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{operands and result must be 2-D (M x K, K x N, M x N) or all 3-D with a leading batch dimension}}
  %0 = slim.qmatmul %x, %w : tensor<4x16x!quant.uniform<u8:f32, 0.5>>, tensor<1x16x8x!quant.uniform<i8:f32, 0.5>> -> tensor<4x8x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qmatmul_batched_axis(%x: tensor<2x4x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<2x3x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) {
  // expected-error @+1 {{rhs must be quantized per tensor or per output channel (axis 2)}}
  %0 = slim.qmatmul %x, %w : tensor<2x4x3x!quant.uniform<u8:f32, 0.5>>, tensor<2x3x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>> -> tensor<2x4x4x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qmatmul_result_axis(%x: tensor<2x2x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<2x3x2x!quant.uniform<i8:f32:2, {0.5, 0.25}>>) {
  // expected-error @+1 {{result must be per-axis (axis 2) exactly when rhs is}}
  %0 = slim.qmatmul %x, %w : tensor<2x2x3x!quant.uniform<u8:f32, 0.5>>, tensor<2x3x2x!quant.uniform<i8:f32:2, {0.5, 0.25}>> -> tensor<2x2x2x!quant.uniform<i32:f32:1, {0.25, 0.125}>>
  return
}

// -----

func.func @qmatmul_dynamic_n(%x: tensor<4x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x?x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{the number of output columns N must be static}}
  %0 = slim.qmatmul %x, %w : tensor<4x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x?x!quant.uniform<i8:f32, 0.5>> -> tensor<4x?x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_padding_overflow(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{padding or dilation overflows the size of dimension 2}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [9223372036854775807, 0, 9223372036854775807, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_dilation_overflow(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{padding or dilation overflows the size of dimension 3}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 9223372036854775807] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv_empty_filter(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x0x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{the filter's spatial dimensions must not be empty}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x0x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x9x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @packed_matmul_mixed(%a: tensor<3x4xi8>, %p: memref<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, memref<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_no_result(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2>
  return
}

// -----

func.func @packed_matmul_result_type(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{result type 'tensor<?x5xi32>' does not match init type 'tensor<3x5xi32>'}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<?x5xi32>
  return
}

// -----

func.func @packed_matmul_sparse_f32(%a: tensor<3x4xf32>, %p: tensor<80xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{takes i8 lhs and packed operands and an i32 init, or f32 lhs and init with an f32 packed operand (i8 with sparse)}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xf32>, tensor<80xf32>) outs(%c : tensor<3x5xf32>) k = 4 n = 5 isa = <avx2> {sparse} -> tensor<3x5xf32>
  return
}

// -----

func.func @packed_matmul_sparse_f32_size(%a: tensor<3x4xf32>, %p: tensor<19xi8>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{sparse packed operand has 19 bytes; k = 4, n = 5 take at least 20}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xf32>, tensor<19xi8>) outs(%c : tensor<3x5xf32>) k = 4 n = 5 isa = <avx2> {sparse} -> tensor<3x5xf32>
  return
}

// -----

func.func @packed_matmul_sparse_size(%a: tensor<3x4xi8>, %p: tensor<275xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{sparse packed operand has 275 bytes; k = 4, n = 5 take at least 276}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<275xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> {sparse} -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_types(%a: tensor<3x4xi16>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{takes i8 lhs and packed operands and an i32 init, or f32 lhs and init with an f32 packed operand (i8 with sparse)}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi16>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_rank(%a: tensor<4xi8>, %p: tensor<1088xi8>, %c: tensor<5xi32>) {
  // expected-error @+1 {{lhs and init must both have rank 2 (M x K, M x N) or 3 (B x M x K, B x M x N)}}
  %r = slim.packed_matmul ins(%a, %p : tensor<4xi8>, tensor<1088xi8>) outs(%c : tensor<5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<5xi32>
  return
}

// -----

func.func @packed_matmul_packed_rank(%a: tensor<3x4xi8>, %p: tensor<2x544xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{packed operand must be 1-D}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<2x544xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_sizes(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{needs k >= 0 and n >= 1, got k = 4, n = 0}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 0 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_k(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{lhs has 4 columns but k = 3}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 3 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_n(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x6xi32>) {
  // expected-error @+1 {{init has 6 columns but n = 5}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x6xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x6xi32>
  return
}

// -----

func.func @packed_matmul_rows(%a: tensor<2x3x4xi8>, %p: tensor<1088xi8>, %c: tensor<2x4x5xi32>) {
  // expected-error @+1 {{lhs and init differ in dimension 1}}
  %r = slim.packed_matmul ins(%a, %p : tensor<2x3x4xi8>, tensor<1088xi8>) outs(%c : tensor<2x4x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<2x4x5xi32>
  return
}

// -----

func.func @packed_matmul_bytes(%a: tensor<3x4xi8>, %p: tensor<1024xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{packed operand has 1024 elements; k = 4, n = 5 pack into 1088}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1024xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_isa(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+2 {{expected ::mlir::slim::KernelIsa to be one of: generic, avx2, avx_vnni, avx512_vnni, amx}}
  // expected-error @+1 {{failed to parse Slim_KernelIsaAttr parameter 'value'}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <sse2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_f32_size(%a: tensor<3x4xf32>, %p: tensor<80xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{packed operand has 80 elements; k = 4, n = 5 pack into 64}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xf32>, tensor<80xf32>) outs(%c : tensor<3x5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @packed_matmul_f32_unsigned(%a: tensor<3x4xf32>, %p: tensor<64xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{lhs_unsigned applies to an i8 lhs only}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xf32>, tensor<64xf32>) outs(%c : tensor<3x5xf32>) k = 4 n = 5 isa = <avx2> {lhs_unsigned} -> tensor<3x5xf32>
  return
}

// -----

func.func @packed_matmul_mixed_kinds(%a: tensor<3x4xf32>, %p: tensor<64xf32>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{takes i8 lhs and packed operands and an i32 init, or f32 lhs and init with an f32 packed operand (i8 with sparse)}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xf32>, tensor<64xf32>) outs(%c : tensor<3x5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_bias_type(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{bias must be 1-D with the element type of init, got 'tensor<5xf32>'}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) bias(%b : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_bias_size(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>, %b: tensor<6xi32>) {
  // expected-error @+1 {{bias has 6 elements but n = 5}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) bias(%b : tensor<6xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @packed_matmul_bias_memref(%a: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xi32>, %b: memref<5xi32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.packed_matmul ins(%a, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xi32>) bias(%b : memref<5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @activation_matmul_mixed(%a: tensor<3x4xi8>, %b: memref<4x5xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, memref<4x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @activation_matmul_no_result(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<4x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2>
  return
}

// -----

func.func @activation_matmul_result_type(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{result type 'tensor<?x5xi32>' does not match init type 'tensor<3x5xi32>'}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<4x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<?x5xi32>
  return
}

// -----

func.func @activation_matmul_f32(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{takes i8 lhs and rhs and an i32 init}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xf32>, tensor<4x5xf32>) outs(%c : tensor<3x5xf32>) isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @activation_matmul_rank(%a: tensor<4xi8>, %b: tensor<4x5xi8>, %c: tensor<5xi32>) {
  // expected-error @+1 {{lhs and init must both have rank 2 (M x K, M x N) or 3 (B x M x K, B x M x N)}}
  %r = slim.activation_matmul ins(%a, %b : tensor<4xi8>, tensor<4x5xi8>) outs(%c : tensor<5xi32>) isa = <avx2> -> tensor<5xi32>
  return
}

// -----

func.func @activation_matmul_rhs_rank(%a: tensor<3x4xi8>, %b: tensor<2x4x5xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{rhs must be K x N or, with a batched lhs, B x K x N}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<2x4x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @activation_matmul_depth(%a: tensor<3x4xi8>, %b: tensor<6x5xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{lhs has 4 columns but rhs has 6 rows}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<6x5xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @activation_matmul_columns(%a: tensor<3x4xi8>, %b: tensor<4x6xi8>, %c: tensor<3x5xi32>) {
  // expected-error @+1 {{init has 5 columns but rhs has 6}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<4x6xi8>) outs(%c : tensor<3x5xi32>) isa = <avx2> -> tensor<3x5xi32>
  return
}

// -----

func.func @activation_matmul_rows(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>, %c: tensor<2x5xi32>) {
  // expected-error @+1 {{lhs and init differ in dimension 0}}
  %r = slim.activation_matmul ins(%a, %b : tensor<3x4xi8>, tensor<4x5xi8>) outs(%c : tensor<2x5xi32>) isa = <avx2> -> tensor<2x5xi32>
  return
}

// -----

func.func @activation_matmul_batch(%a: tensor<2x3x4xi8>, %b: tensor<3x4x5xi8>, %c: tensor<2x3x5xi32>) {
  // expected-error @+1 {{lhs and rhs differ in the batch dimension}}
  %r = slim.activation_matmul ins(%a, %b : tensor<2x3x4xi8>, tensor<3x4x5xi8>) outs(%c : tensor<2x3x5xi32>) isa = <avx2> -> tensor<2x3x5xi32>
  return
}

// -----

func.func @dynamic_packed_mixed(%x: tensor<3x4xf32>, %p: memref<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, memref<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_no_result(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2>
  return
}

// -----

func.func @dynamic_packed_result_type(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{result type 'tensor<?x5xf32>' does not match init type 'tensor<3x5xf32>'}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<?x5xf32>
  return
}

// -----

func.func @dynamic_packed_types(%x: tensor<3x4xi8>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{takes an f32 lhs and init and an i8 packed operand}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xi8>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_rank(%x: tensor<2x3x4xf32>, %p: tensor<1088xi8>, %c: tensor<2x3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{lhs and init must be 2-D (M x K, M x N) and packed 1-D}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<2x3x4xf32>, tensor<1088xi8>) outs(%c : tensor<2x3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<2x3x5xf32>
  return
}

// -----

func.func @dynamic_packed_kn(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{needs k >= 0 and n >= 1, got k = 4, n = 0}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 0 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_k(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{lhs has 4 columns but k = 3}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 3 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_n(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{init has 5 columns but n = 6}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 6 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_rows(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<2x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{lhs and init differ in dimension 0}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<2x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<2x5xf32>
  return
}

// -----

func.func @dynamic_packed_size(%x: tensor<3x4xf32>, %p: tensor<1000xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{packed operand has 1000 elements; k = 4, n = 5 pack into 1088}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1000xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_scales(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{scales must have 5 elements of 'f32', got 'tensor<4xf32>'}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<4xf32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_zeros(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>, %z: tensor<5xi8>) {
  // expected-error @+1 {{zero_points must have 5 elements of 'i32', got 'tensor<5xi8>'}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) zero_points(%z : tensor<5xi8>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_packed_bias(%x: tensor<3x4xf32>, %p: tensor<1088xi8>, %c: tensor<3x5xf32>, %s: tensor<5xf32>, %b: tensor<5xi32>) {
  // expected-error @+1 {{bias must have 5 elements of 'f32', got 'tensor<5xi32>'}}
  %r = slim.dynamic_packed_matmul ins(%x, %p : tensor<3x4xf32>, tensor<1088xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<5xf32>) bias(%b : tensor<5xi32>) k = 4 n = 5 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_mixed(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: memref<32xi8>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : memref<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_no_result(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2>
  return
}

// -----

func.func @dequant_result(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{result type 'tensor<?x5xf32>' does not match init type 'tensor<3x5xf32>'}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<?x5xf32>
  return
}

// -----

func.func @dequant_types(%x: tensor<3x64xi8>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{takes an f32 lhs and init and an i8 packed operand}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xi8>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_rank(%x: tensor<64xf32>, %p: tensor<512xi8>, %c: tensor<5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{lhs and init must both have rank 2 or 3 and packed rank 1}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<64xf32>, tensor<512xi8>) outs(%c : tensor<5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<5xf32>
  return
}

// -----

func.func @dequant_kn(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{needs k >= 0 and n >= 1, got k = 64, n = 0}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 0 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_bits(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{bits must be 4 or 8, got 2}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 2 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_group(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{group_size must be positive, got 0}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 0 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_k(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{lhs has 64 columns but k = 63}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 63 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_n(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{init has 5 columns but n = 6}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 6 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_rows(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<2x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{lhs and init differ in dimension 0}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<2x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<2x5xf32>
  return
}

// -----

func.func @dequant_packed(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{packed operand has 512 bytes; k = 64, n = 5, bits = 8 pack into 1024}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 8 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_sparse_bits(%x: tensor<3x64xf32>, %p: tensor<1024xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{sparse (the 2:4 form) needs 4-bit weights, f32 activations and groups of a multiple of 4 along K (or one group), got bits = 8, group_size = 32, k = 64}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<1024xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 8 group_size = 32 sparse isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_sparse_group(%x: tensor<3x64xf32>, %p: tensor<384xi8>, %c: tensor<3x5xf32>, %s: tensor<176xf32>, %o: tensor<176xi8>) {
  // expected-error @+1 {{sparse (the 2:4 form) needs 4-bit weights, f32 activations and groups of a multiple of 4 along K (or one group), got bits = 4, group_size = 6, k = 64}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<384xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<176xf32>) offsets(%o : tensor<176xi8>) k = 64 n = 5 bits = 4 group_size = 6 sparse isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_sparse_int8(%x: tensor<3x64xf32>, %p: tensor<384xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{got bits = 4, group_size = 32, k = 64, int8_activations}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<384xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 int8_activations sparse isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_sparse_packed(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{packed operand has 512 bytes; k = 64, n = 5, bits = 4 in the 2:4 form pack into 384}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 32 sparse isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_int8_bits(%x: tensor<3x64xf32>, %p: tensor<1024xi8>, %c: tensor<3x5xf32>, %s: tensor<16xf32>, %o: tensor<16xi8>) {
  // expected-error @+1 {{int8_activations needs 4-bit weights in groups of a multiple of 8 along K (or one group), got bits = 8, group_size = 64, k = 64}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<1024xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<16xf32>) offsets(%o : tensor<16xi8>) k = 64 n = 5 bits = 8 group_size = 64 int8_activations isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_int8_group(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<256xf32>, %o: tensor<256xi8>) {
  // expected-error @+1 {{int8_activations needs 4-bit weights in groups of a multiple of 8 along K (or one group), got bits = 4, group_size = 4, k = 64}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<256xf32>) offsets(%o : tensor<256xi8>) k = 64 n = 5 bits = 4 group_size = 4 int8_activations isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_int8_packed(%x: tensor<3x12xf32>, %p: tensor<96xi8>, %c: tensor<3x5xf32>, %s: tensor<16xf32>, %o: tensor<16xi8>) {
  // The quad layout pads K = 12 to 16: 8 rows of 16 bytes, not 6.
  // expected-error @+1 {{packed operand has 96 bytes; k = 12, n = 5, bits = 4 pack into 128}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x12xf32>, tensor<96xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<16xf32>) offsets(%o : tensor<16xi8>) k = 12 n = 5 bits = 4 group_size = 12 int8_activations isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_scales(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>) {
  // expected-error @+1 {{scales must have 16 elements of 'f32', got 'tensor<32xf32>'}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) k = 64 n = 5 bits = 4 group_size = 64 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_offsets(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi32>) {
  // expected-error @+1 {{offsets must have 32 elements of 'i8', got 'tensor<32xi32>'}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi32>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @dequant_bias(%x: tensor<3x64xf32>, %p: tensor<512xi8>, %c: tensor<3x5xf32>, %s: tensor<32xf32>, %o: tensor<32xi8>, %b: tensor<4xf32>) {
  // expected-error @+1 {{bias must have 5 elements of 'f32', got 'tensor<4xf32>'}}
  %r = slim.dequant_matmul ins(%x, %p : tensor<3x64xf32>, tensor<512xi8>) outs(%c : tensor<3x5xf32>) scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi8>) bias(%b : tensor<4xf32>) k = 64 n = 5 bits = 4 group_size = 32 isa = <avx2> -> tensor<3x5xf32>
  return
}

// -----

func.func @conv_mixed(%x: tensor<1x4x9x9xf32>, %p: memref<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, memref<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_no_result(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2>
  return
}

// -----

func.func @conv_types(%x: tensor<1x4x9x9xf32>, %p: tensor<1152xi8>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{takes f32 input, packed and init operands}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<1152xi8>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<17x7x7xf32>) {
  // expected-error @+1 {{input and init must be 4-D and packed 1-D}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<17x7x7xf32>
  return
}

// -----

func.func @conv_attrs(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{kernel, strides and dilations take 2 values each}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3, 1] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_positive(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{kernel, strides and dilations must be positive}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [0, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_static(%x: tensor<1x?x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{needs static channels and filters}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x?x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_batch(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<2x17x7x7xf32>) {
  // expected-error @+1 {{input and init differ in the batch dimension}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<2x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<2x17x7x7xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{output has 7 along spatial dimension 0, the window gives 4}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [2, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_packed(%x: tensor<1x4x9x9xf32>, %p: tensor<1000xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{packed operand has 1000 elements; 36 taps x 17 filters take 612}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<1000xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{bias must have 17 elements of 'f32', got 'tensor<16xf32>'}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) bias(%b : tensor<16xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @depthwise_channels(%x: tensor<1x4x9x9xf32>, %p: tensor<144xf32>, %c: tensor<1x5x7x7xf32>) {
  // expected-error @+1 {{depthwise needs as many output channels as input channels, got 5 and 4}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<144xf32>) outs(%c : tensor<1x5x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {depthwise} -> tensor<1x5x7x7xf32>
  return
}

// -----

func.func @depthwise_packed(%x: tensor<1x4x9x9xf32>, %p: tensor<36xf32>, %c: tensor<1x4x7x7xf32>) {
  // Taps-major with the channels padded to 16: 9 x 16, not 9 x 4.
  // expected-error @+1 {{packed operand has 36 elements; a depthwise 3 x 3 filter of 4 channels (padded to 16) takes 144}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<36xf32>) outs(%c : tensor<1x4x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {depthwise} -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @qconv2d_depthwise_rank(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x1x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{input, filter and result must be 4-D, 3-D and 4-D (NCHW, CHW, NCHW)}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] depthwise : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<3x1x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x3x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv2d_nhwc_rank(%x: tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{input, filter and result must be 4-D (NHWC, HWCF, NHWF)}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc : tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x6x6x3x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv2d_depthwise_channels(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{channels do not match}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] depthwise : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv2d_nhwc_window(%x: tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x3x3x2x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{output dimension 2 must be 6, got 8}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc : tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x3x3x2x!quant.uniform<i8:f32, 0.5>> -> tensor<1x6x8x2x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv2d_nhwc_filter_axis(%x: tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x3x3x2x!quant.uniform<i8:f32:0, {0.5, 0.5, 0.5}>>) {
  // expected-error @+1 {{filter must be quantized per tensor or per output channel (axis 3)}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc : tensor<1x8x8x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x3x3x2x!quant.uniform<i8:f32:0, {0.5, 0.5, 0.5}>> -> tensor<1x6x6x2x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @qconv2d_nhwc_result_axis(%x: tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x2x3x2x!quant.uniform<i8:f32:3, {0.5, 1.0}>>) {
  // expected-error @+1 {{result must be per-axis on axis 3 when the filter is per channel}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] nhwc : tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x2x3x2x!quant.uniform<i8:f32:3, {0.5, 1.0}>> -> tensor<1x2x2x2x!quant.uniform<i32:f32:1, {0.25, 0.5}>>
  return
}

// -----

func.func @qconv2d_depthwise_bias(%x: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x3x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x!quant.uniform<i32:f32, 0.25>>) {
  // expected-error @+1 {{bias must be 1-D with one value per filter}}
  %0 = slim.qconv2d %x, %w, %b strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] depthwise : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<3x3x3x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i32:f32, 0.25>> -> tensor<1x3x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}

// -----

func.func @conv_int8_types(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{takes f32 input, packed and init operands, or i8 input and packed and an i32 init}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_unsigned_f32(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{input_unsigned needs an i8 input}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> {input_unsigned} -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_int8_packed(%x: tensor<1x4x9x9xi8>, %p: tensor<612xi8>, %c: tensor<1x17x7x7xi32>) {
  // expected-error @+1 {{packed operand has 612 elements; 36 taps x 17 filters take 2176}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<612xi8>) outs(%c : tensor<1x17x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xi32>
  return
}

// -----

func.func @conv_int8_bias(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi32>, %b: tensor<17xf32>) {
  // expected-error @+1 {{bias must have 17 elements of 'i32', got 'tensor<17xf32>'}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi32>) bias(%b : tensor<17xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2> -> tensor<1x17x7x7xi32>
  return
}

// -----

func.func @conv_padding_size(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi32>) {
  // expected-error @+1 {{padding takes 4 values [top, left, bottom, right] in 0 .. 2^30}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [1, 1] isa = <avx2> -> tensor<1x17x7x7xi32>
  return
}

// -----

func.func @conv_padding_window(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi32>) {
  // expected-error @+1 {{output has 7 along spatial dimension 0, the window gives 9}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [1, 0, 1, 0] isa = <avx2> -> tensor<1x17x7x7xi32>
  return
}

// -----

func.func @conv_pad_value_range(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x9x9xi32>) {
  // expected-error @+1 {{pad_value needs an i8 input and a value in -128 .. 127, got 200}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x9x9xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] pad_value = 200 isa = <avx2> -> tensor<1x17x9x9xi32>
  return
}

// -----

func.func @conv_pad_value_f32(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>) {
  // expected-error @+1 {{pad_value needs an i8 input and a value in -128 .. 127, got 1}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pad_value = 1 isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_requantize_f32(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x17x7x7xf32>, %m: tensor<17xi32>) {
  // expected-error @+1 {{requantize needs the int8 kind, shifts and an output_range}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x17x7x7xf32>) requantize(%m, %m : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, 0, 255] isa = <avx2> -> tensor<1x17x7x7xf32>
  return
}

// -----

func.func @conv_requantize_range(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi8>) {
  // expected-error @+1 {{shifts and output_range come with requantize}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi8>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, 0, 255] isa = <avx2> -> tensor<1x17x7x7xi8>
  return
}

// -----

func.func @conv_requantize_init(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi32>, %m: tensor<17xi32>) {
  // expected-error @+1 {{an i32 init (i8 with requantize)}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi32>) requantize(%m, %m : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, 0, 255] isa = <avx2> -> tensor<1x17x7x7xi32>
  return
}

// -----

func.func @conv_requantize_bounds(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi8>, %m: tensor<17xi32>) {
  // expected-error @+1 {{output_range takes [zero_out, lo, hi] with lo <= hi, both in -128 .. 255 and at most 255 apart}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi8>) requantize(%m, %m : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, -128, 255] isa = <avx2> -> tensor<1x17x7x7xi8>
  return
}

// -----

func.func @conv_requantize_accumulate(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi8>, %m: tensor<17xi32>) {
  // expected-error @+1 {{requantize cannot accumulate}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi8>) requantize(%m, %m : tensor<17xi32>, tensor<17xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, 0, 255] isa = <avx2> {accumulate} -> tensor<1x17x7x7xi8>
  return
}

// -----

func.func @conv_requantize_shifts(%x: tensor<1x4x9x9xi8>, %p: tensor<2176xi8>, %c: tensor<1x17x7x7xi8>, %m: tensor<17xi32>, %s: tensor<16xi32>) {
  // expected-error @+1 {{shifts must have 17 elements of 'i32', got 'tensor<16xi32>'}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<2176xi8>) outs(%c : tensor<1x17x7x7xi8>) requantize(%m, %s : tensor<17xi32>, tensor<16xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] output_range = [0, 0, 255] isa = <avx2> -> tensor<1x17x7x7xi8>
  return
}

// -----

func.func @observe_patches_type(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{slim.patches must be an array<i64>}}
  %0 = slim.observe %x id "a" {slim.patches = [1, 3, 3, 1, 1, 1, 1]} : tensor<1x3x8x8xf32>
  return
}

// -----

// slim.sign_matmul: K = 37, N = 21 pack into 2 panels x 37 words = 148
// bytes.
func.func @sign_mixed(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: memref<21xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : memref<21xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_no_result(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{has one result on tensors and none on memrefs}}
  slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21
  return
}

// -----

func.func @sign_result(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{result type 'tensor<?x21xf32>' does not match init type 'tensor<3x21xf32>'}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<?x21xf32>
  return
}

// -----

func.func @sign_types(%x: tensor<3x37xf32>, %s: tensor<148xi16>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{takes an f32 lhs and init and i8 signs}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi16>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_rank(%x: tensor<37xf32>, %s: tensor<148xi8>, %c: tensor<21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{lhs and init must both have rank 2 or 3 and signs rank 1}}
  %r = slim.sign_matmul ins(%x, %s : tensor<37xf32>, tensor<148xi8>) outs(%c : tensor<21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<21xf32>
  return
}

// -----

func.func @sign_kn(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{needs k >= 0 and n >= 1, got k = -1, n = 21}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = -1 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_lhs_columns(%x: tensor<3x36xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{lhs has 36 columns but k = 37}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x36xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_init_columns(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x20xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{init has 20 columns but n = 21}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x20xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<3x20xf32>
  return
}

// -----

func.func @sign_rows(%x: tensor<4x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{lhs and init differ in dimension 0}}
  %r = slim.sign_matmul ins(%x, %s : tensor<4x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_bytes(%x: tensor<3x37xf32>, %s: tensor<74xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>) {
  // expected-error @+1 {{signs operand has 74 bytes; k = 37, n = 21 pack into 148}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<74xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_scales(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{scales must have 21 elements of f32, got 'tensor<32xf32>'}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<32xf32>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

func.func @sign_bias(%x: tensor<3x37xf32>, %s: tensor<148xi8>, %c: tensor<3x21xf32>, %b: tensor<21xf32>, %bias: tensor<21xf16>) {
  // expected-error @+1 {{bias must have 21 elements of f32, got 'tensor<21xf16>'}}
  %r = slim.sign_matmul ins(%x, %s : tensor<3x37xf32>, tensor<148xi8>) outs(%c : tensor<3x21xf32>) scales(%b : tensor<21xf32>) bias(%bias : tensor<21xf16>) k = 37 n = 21 -> tensor<3x21xf32>
  return
}

// -----

// #slim.low_rank: a rank of at least 1, a factor the form has, and onebit
// only as rank 1 of a matmul.
// expected-error @+1 {{low_rank: rank must be at least 1, got 0}}
func.func @low_rank_zero() attributes {slim.low_rank = #slim.low_rank<svd, rank = 0, factor = 0>} {
  return
}

// -----

// expected-error @+1 {{low_rank: a tucker2 factorization has factors 0 to 2, got 3}}
func.func @low_rank_factor() attributes {slim.low_rank = #slim.low_rank<svd, rank = 2, factor = 3, form = tucker2>} {
  return
}

// -----

// expected-error @+1 {{low_rank: onebit (sign x rank-1) has rank 1 and the matmul form, got rank 2, form matmul}}
func.func @low_rank_onebit() attributes {slim.low_rank = #slim.low_rank<onebit, rank = 2, factor = 1>} {
  return
}

// -----

func.func @attention_not_f32(%q: tensor<1x2x3x4xf16>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{takes rank-4 f32 operands (B x H x rows x features), got 'tensor<1x2x3x4xf16>'}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf16>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_rank3(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x6xf32>, %o: tensor<2x3x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @below {{takes rank-4 f32 operands (B x H x rows x features), got 'tensor<2x3x4xf32>'}}
  %r = slim.attention ins(%q, %k, %v : tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x6xf32>) outs(%o : tensor<2x3x6xf32>) isa = <generic> -> tensor<2x3x6xf32>
  return %r : tensor<2x3x6xf32>
}

// -----

func.func @attention_features(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{operands disagree on the query and key features: 4 vs 8}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_keys(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x7x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{operands disagree on the keys: 5 vs 7}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x7x6xf32>) outs(%o : tensor<1x2x3x6xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_heads(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x3x3x6xf32>) -> tensor<1x3x3x6xf32> {
  // expected-error @below {{operands disagree on the heads: 2 vs 3}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x3x3x6xf32>) isa = <generic> -> tensor<1x3x3x6xf32>
  return %r : tensor<1x3x3x6xf32>
}

// -----

func.func @attention_mask(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %m: tensor<1x1x1x4xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{mask dimension 3 is 4, expected 1 or 5}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) mask(%m : tensor<1x1x1x4xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_divides_nothing(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{divides by a scale it does not have}}
  %r = "slim.attention"(%q, %k, %v, %o) <{isa = #slim.isa<generic>, scale_divides}> : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>, tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_result(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x7xf32> {
  // expected-error @below {{result type 'tensor<1x2x3x7xf32>' does not match init type 'tensor<1x2x3x6xf32>'}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) isa = <generic> -> tensor<1x2x3x7xf32>
  return %r : tensor<1x2x3x7xf32>
}

// -----

func.func @attention_mixed(%q: memref<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{operands must be all ranked tensors or all memrefs}}
  %r = slim.attention ins(%q, %k, %v : memref<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @attention_dynamic_mask(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x6xf32>, %m: tensor<1x1x?x5xf32>, %o: tensor<1x2x3x6xf32>) -> tensor<1x2x3x6xf32> {
  // expected-error @below {{needs a mask of static shape (its size-1 dimensions broadcast), got 'tensor<1x1x?x5xf32>'}}
  %r = slim.attention ins(%q, %k, %v : tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) outs(%o : tensor<1x2x3x6xf32>) mask(%m : tensor<1x1x?x5xf32>) isa = <generic> -> tensor<1x2x3x6xf32>
  return %r : tensor<1x2x3x6xf32>
}

// -----

func.func @qadd_shapes(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<5x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{operand shapes 4 and 5 and result shape 4 must be identical}}
  %0 = slim.qadd %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<5x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @qadd_dynamic_mismatch(%a: tensor<?x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{operand shapes ? and 4 and result shape 4 must be identical (static and dynamic dimensions alike)}}
  %0 = slim.qadd %a, %b : tensor<?x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @qadd_per_channel(%a: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{lhs must be quantized per tensor}}
  %0 = slim.qadd %a, %b : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>, tensor<2x3x!quant.uniform<i8:f32, 0.1>> -> tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @qadd_wide_operand(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i16:f32, 0.1>>) {
  // expected-error @+1 {{rhs must be stored in at most 8 bits (its value times 2^20 must fit in 32 bits), got 16}}
  %0 = slim.qadd %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i16:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @qadd_wide_result(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{the result must be stored in at most 16 bits, got 32}}
  %0 = slim.qadd %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i32:f32, 0.1>>
  return
}

// -----

func.func @qadd_expressed(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f16, 0.1>>) {
  // expected-error @+1 {{the three quantized types must share one expressed type, got 'f16' and 'f32'}}
  %0 = slim.qadd %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f16, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @qadd_output_multiplier(%a: tensor<4x!quant.uniform<i8:f32, 1.0>>, %b: tensor<4x!quant.uniform<i8:f32, 1.0>>) {
  // expected-error @+1 {{output multiplier}}
  %0 = slim.qadd %a, %b : tensor<4x!quant.uniform<i8:f32, 1.0>>, tensor<4x!quant.uniform<i8:f32, 1.0>> -> tensor<4x!quant.uniform<i8:f32, 1.0e-20>>
  return
}

// -----

func.func @qadd_clamp(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{clamp bounds [0, 300] are outside the storage range [-128, 127]}}
  %0 = slim.qadd %a, %b clamp [0, 300] : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @conv_groups_f32(%x: tensor<1x4x9x9xf32>, %p: tensor<612xf32>, %c: tensor<1x4x7x7xf32>) {
  // expected-error @+1 {{groups must be positive, dividing the 4 channels and 4 filters, and above 1 only for the int8 dense forms; got 2}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xf32>, tensor<612xf32>) outs(%c : tensor<1x4x7x7xf32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 2 isa = <avx2> -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @conv_groups_divide(%x: tensor<1x4x9x9xi8>, %p: tensor<612xi8>, %c: tensor<1x6x7x7xi32>) {
  // expected-error @+1 {{groups must be positive, dividing the 4 channels and 6 filters, and above 1 only for the int8 dense forms; got 4}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<612xi8>) outs(%c : tensor<1x6x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 4 isa = <avx2> -> tensor<1x6x7x7xi32>
  return
}

// -----

func.func @conv_groups_size(%x: tensor<1x4x9x9xi8>, %p: tensor<612xi8>, %c: tensor<1x4x7x7xi32>) {
  // expected-error @+1 {{packed operand has 612 elements; 18 taps x 4 filters in 2 groups take}}
  %r = slim.packed_conv2d ins(%x, %p : tensor<1x4x9x9xi8>, tensor<612xi8>) outs(%c : tensor<1x4x7x7xi32>) kernel = [3, 3] strides = [1, 1] dilations = [1, 1] groups = 2 isa = <avx2> -> tensor<1x4x7x7xi32>
  return
}

// -----

func.func @qconv_groups_dynamic_channels(%x: tensor<1x?x8x8x!quant.uniform<u8:f32, 0.5>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{a grouped convolution needs a static channel dimension, got 'tensor<1x?x8x8x!quant.uniform<u8:f32, 5.000000e-01>>'}}
  %0 = slim.qconv2d %x, %w strides [1, 1] dilations [1, 1] padding [0, 0, 0, 0] groups 2 : tensor<1x?x8x8x!quant.uniform<u8:f32, 0.5>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6x!quant.uniform<i32:f32, 0.25>>
  return
}
