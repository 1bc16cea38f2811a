//===- Report.h - JSON reports of Slim's passes -------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_TRANSFORMS_REPORT_H
#define SLIM_TRANSFORMS_REPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace mlir {
namespace slim {

/// Writes `{"pass": pass, <key>: entries}` as indented JSON to `path`; the
/// error names the file.
llvm::Error writeJsonReport(llvm::StringRef path, llvm::StringRef pass,
                            llvm::StringRef key, llvm::json::Array entries);

} // namespace slim
} // namespace mlir

#endif // SLIM_TRANSFORMS_REPORT_H
