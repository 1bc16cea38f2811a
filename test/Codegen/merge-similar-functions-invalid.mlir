// RUN: slim-opt %s --slim-merge-similar-functions="max-parameters=-1" -verify-diagnostics

// A negative limit is refused, and the module is left as it was.
// expected-error @below {{slim-merge-similar-functions: max-parameters must be at least 0, got -1}}
module {
  func.func private @a(%x: f32) -> f32 {
    return %x : f32
  }
}
