//===- Npy.h - Reading and writing NumPy .npy files ---------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The .npy format (versions 1.0 to 3.0), C order, little-endian: the element
// types Slim exchanges with its tools. Every malformed file is an llvm::Error
// that names the file and what is wrong, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SUPPORT_NPY_H
#define SLIM_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace slim {

/// Element types of .npy arrays Slim reads and writes.
enum class NpyDType { F16, F32, F64, I8, U8, I16, U16, I32, I64 };

/// The numpy `descr` string of a type ("<f4", "|i1", ...).
llvm::StringRef npyDescr(NpyDType type);
/// The numpy name of a type ("float32", "int8", ...).
llvm::StringRef npyTypeName(NpyDType type);
/// Size of one element in bytes.
size_t npyElementSize(NpyDType type);

/// An n-dimensional array with 64-byte aligned storage.
class NpyArray {
public:
  NpyArray() = default;

  /// Allocates a zero-filled array, or fails when the size overflows or the
  /// memory cannot be had.
  static llvm::Expected<NpyArray> create(NpyDType type,
                                         llvm::ArrayRef<int64_t> shape);

  NpyDType getType() const { return type; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getNumElements() const;
  size_t getSizeInBytes() const;
  void *getData() { return data.get(); }
  const void *getData() const { return data.get(); }

  /// Element `i` (row-major) converted to double.
  double getAsDouble(int64_t i) const;

private:
  struct FreeDeleter {
    void operator()(void *p) const { std::free(p); }
  };
  NpyDType type = NpyDType::F32;
  llvm::SmallVector<int64_t> shape;
  std::unique_ptr<uint8_t[], FreeDeleter> data;
};

/// Parses a .npy file held in memory; `name` is used in error messages.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Reads a .npy file.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Serializes an array in .npy format version 1.0.
std::string serializeNpy(const NpyArray &array);

/// Writes an array to a .npy file.
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace slim

#endif // SLIM_SUPPORT_NPY_H
