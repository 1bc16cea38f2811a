// A 3 x 3 convolution (4 filters over 3 channels) of an input padded by one
// on each side with tensor.pad, as importers write it: the input of
// test/Integration/low-rank-conv.test's padding case.
func.func @main(%x: tensor<1x3x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x5x5xf32> to tensor<1x3x7x7xf32>
  %w = arith.constant dense<[[[[-0.524, 0.088, -0.26], [0.208, 0.251, -0.869], [-0.974, 0.675, -0.481]], [[-0.531, 0.991, -0.059], [0.673, -0.047, 0.278], [-0.699, 0.27, 0.736]], [[0.046, 0.483, 0.343], [-0.872, 0.516, 0.182], [-0.397, -0.938, 0.731]]], [[[-0.055, 0.438, 0.758], [0.428, 0.842, -0.21], [0.602, -0.111, 0.871]], [[0.758, -0.805, -0.728], [-0.566, 0.931, -0.128], [0.253, -0.398, 0.014]], [[-0.228, -0.298, 0.17], [0.169, 0.808, 0.364], [0.858, 0.713, 0.982]]], [[[0.343, -0.674, 0.721], [0.929, 0.809, 0.138], [0.428, -0.578, 0.663]], [[0.147, -0.43, -0.873], [0.708, 0.98, -0.823], [0.601, -0.179, -0.698]], [[-0.412, 0.538, 0.746], [-0.912, 0.229, -0.91], [0.437, -0.338, 0.762]]], [[[0.961, 0.011, 0.997], [-0.381, -0.846, 0.2], [-0.937, -0.605, -0.184]], [[0.221, -0.688, -0.915], [0.736, -0.372, 0.917], [0.793, -0.244, -0.079]], [[0.04, 0.288, 0.191], [0.119, 0.24, 0.881], [0.014, -0.138, 0.441]]]]> : tensor<4x3x3x3xf32>
  %e = tensor.empty() : tensor<1x4x5x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x3x7x7xf32>, tensor<4x3x3x3xf32>) outs(%f : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}
