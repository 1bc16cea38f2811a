// A dynamic batch: slim-run binds it to its input; slim-compile refuses.
func.func @main(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  return %x : tensor<?x5xf32>
}
