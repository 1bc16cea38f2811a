//===- NpyFuzzer.cpp - libFuzzer target for the .npy reader ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Any bytes through slim::parseNpy: an array or an error, never a crash.
// What parses must serialize and parse back to the same shape and bytes.
//
//===----------------------------------------------------------------------===//

#include "slim/Support/Npy.h"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<slim::NpyArray> array = slim::parseNpy(bytes, "fuzz.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  std::string again = slim::serializeNpy(*array);
  llvm::Expected<slim::NpyArray> back = slim::parseNpy(again, "again.npy");
  if (!back || back->getShape() != array->getShape() ||
      back->getType() != array->getType() ||
      back->getSizeInBytes() != array->getSizeInBytes() ||
      std::memcmp(back->getData(), array->getData(),
                  array->getSizeInBytes()) != 0)
    std::abort(); // a round-trip bug
  return 0;
}
