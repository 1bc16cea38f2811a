//===- Dispatch.h - Which vector width an ISA's code uses (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The f32 kernels and the drivers' per-ISA passes (dqgemm, wgemm) exist for
// three vector widths: baseline x86-64 (the generic ISA), AVX2 (avx2,
// avx_vnni) and AVX-512 (avx512_vnni, amx). One mapping for all of them.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_DISPATCH_H
#define SLIM_RUNTIME_KERNELS_DISPATCH_H

#include "slim/Runtime/Kernels.h"

namespace slim::runtime::detail {

/// `baseline`, `avx2` or `avx512`: the one compiled for `isa`'s width.
template <typename T>
static inline T byVectorWidth(Isa isa, T baseline, T avx2, T avx512) {
  switch (isa) {
  case Isa::Avx2:
  case Isa::AvxVnni:
    return avx2;
  case Isa::Avx512Vnni:
  case Isa::Amx:
    return avx512;
  case Isa::Generic:
    break;
  }
  return baseline;
}

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_DISPATCH_H
