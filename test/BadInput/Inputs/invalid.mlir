func.func @f(%x: tensor<4xf32>) -> tensor<4xi8> {
  return %x : tensor<4xf32>
}
