func.func @f() {
  "nope.op"() : () -> ()
  return
}
