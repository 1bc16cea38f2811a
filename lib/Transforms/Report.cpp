//===- Report.cpp - JSON reports of Slim's passes -------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Transforms/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

llvm::Error mlir::slim::writeJsonReport(llvm::StringRef path,
                                        llvm::StringRef pass,
                                        llvm::StringRef key,
                                        llvm::json::Array entries) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot write report " + path + ": " +
                                       ec.message());
  llvm::json::Object root{{"pass", pass}};
  root[key] = std::move(entries);
  os << llvm::formatv("{0:2}\n", llvm::json::Value(std::move(root)));
  return llvm::Error::success();
}
