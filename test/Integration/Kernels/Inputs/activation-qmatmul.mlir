// slim.qmatmul of two activations, which runs on slim.activation_matmul
// (the right-hand side packed at run time): the cases qgemm-cases.sh runs
// on every ISA. Zero points at the range ends and in the middle, signed and
// unsigned operands, batched (attention's form) and 2-D.

// u8 x u8 (Q x K^T after softmax-free quantization), batch 3, odd sizes.
func.func @qk(%a: tensor<?x17x67x!quant.uniform<u8:f32, 0.5:255>>, %b: tensor<?x67x33x!quant.uniform<u8:f32, 0.25:130>>) -> tensor<?x17x33x!quant.uniform<i32:f32, 0.125>> {
  %r = slim.qmatmul %a, %b : tensor<?x17x67x!quant.uniform<u8:f32, 0.5:255>>, tensor<?x67x33x!quant.uniform<u8:f32, 0.25:130>> -> tensor<?x17x33x!quant.uniform<i32:f32, 0.125>>
  return %r : tensor<?x17x33x!quant.uniform<i32:f32, 0.125>>
}

// i8 x i8 with zero points -128 and 127, K = 5, M = 127 (AMX tiles and a
// tail of rows).
func.func @pv(%a: tensor<2x127x5x!quant.uniform<i8:f32, 0.5:-128>>, %b: tensor<2x5x17x!quant.uniform<i8:f32, 0.25:127>>) -> tensor<2x127x17x!quant.uniform<i32:f32, 0.125>> {
  %r = slim.qmatmul %a, %b : tensor<2x127x5x!quant.uniform<i8:f32, 0.5:-128>>, tensor<2x5x17x!quant.uniform<i8:f32, 0.25:127>> -> tensor<2x127x17x!quant.uniform<i32:f32, 0.125>>
  return %r : tensor<2x127x17x!quant.uniform<i32:f32, 0.125>>
}

// 2-D: one row (u8, zero point 0) times an activation matrix (i8, zero
// point -3), K = 259.
func.func @row(%a: tensor<1x259x!quant.uniform<u8:f32, 0.5>>, %b: tensor<259x20x!quant.uniform<i8:f32, 0.25:-3>>) -> tensor<1x20x!quant.uniform<i32:f32, 0.125>> {
  %r = slim.qmatmul %a, %b : tensor<1x259x!quant.uniform<u8:f32, 0.5>>, tensor<259x20x!quant.uniform<i8:f32, 0.25:-3>> -> tensor<1x20x!quant.uniform<i32:f32, 0.125>>
  return %r : tensor<1x20x!quant.uniform<i32:f32, 0.125>>
}
