//===- HessiansFuzzer.cpp - libFuzzer target for the Hessian index --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Any text as the index.json of a Hessian directory that also holds a valid
// 2 x 2 matrix (h0.npy) and a corrupt one (bad.npy), through
// Hessians::readDirectory: Gram matrices or an error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Hessians.h"
#include "slim/Support/Npy.h"
#include "slim/Support/OutputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <cstring>

using slim::calibration::Hessians;

static std::string makeDirectory() {
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("slim-hessians-fuzz", dir))
    std::abort();
  llvm::Expected<slim::NpyArray> h =
      slim::NpyArray::create(slim::NpyDType::F64, {2, 2});
  if (!h)
    std::abort();
  double values[] = {2.0, 0.5, 0.5, 1.0};
  std::memcpy(h->getData(), values, sizeof(values));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "h0.npy");
  if (llvm::Error e = slim::writeNpy(path, *h))
    std::abort();
  path = dir;
  llvm::sys::path::append(path, "bad.npy");
  if (llvm::Error e = slim::writeFile(path, "\x93NUMPY\x01\x00garbage"))
    std::abort();
  return dir.str().str();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string dir = makeDirectory();
  llvm::SmallString<128> index(dir);
  llvm::sys::path::append(index, "index.json");
  if (llvm::Error e = slim::writeFile(
          index, llvm::StringRef(reinterpret_cast<const char *>(data), size)))
    std::abort();
  llvm::Expected<Hessians> hessians = Hessians::readDirectory(dir);
  if (!hessians)
    llvm::consumeError(hessians.takeError());
  return 0;
}
