//===- Files.h - The files calibration writes and reads ---------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Shared by the statistics file (Stats.cpp) and the Hessian index
// (Hessians.cpp): errors that name the file, whole-file text reads and
// writes, and the {"format": ..., "version": ...} header both start with.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LIB_CALIBRATION_FILES_H
#define SLIM_LIB_CALIBRATION_FILES_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>

namespace slim {
namespace calibration {
namespace detail {

/// "name: msg".
llvm::Error fileError(llvm::StringRef name, const llvm::Twine &msg);

/// The text of `path`; "cannot read: ..." otherwise.
llvm::Expected<std::string> readTextFile(llvm::StringRef path);

/// `text` parsed as a JSON object whose "format" is `format` and whose
/// "version" is `version`. Errors, naming `name`: "not valid JSON", "not a
/// <description> (expected "format": "<format>")", "unsupported <kind>
/// version N (this Slim reads version V)".
llvm::Expected<llvm::json::Object>
parseVersionedJson(llvm::StringRef text, llvm::StringRef name,
                   llvm::StringRef format, llvm::StringRef description,
                   llvm::StringRef kind, int64_t version);

} // namespace detail
} // namespace calibration
} // namespace slim

#endif // SLIM_LIB_CALIBRATION_FILES_H
