//===- OutputFile.h - Writing output files safely ---------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Every file a Slim tool writes goes through OutputFile, so that:
// - a failed write is an llvm::Error naming the file (never LLVM's fatal
//   "IO failure on output stream"), and leaves no half-written file behind:
//   a regular file (or a path that does not exist yet) is written to a
//   temporary file beside it and renamed over it only when complete;
// - a path that exists and is not a regular file (/dev/null, /dev/full, a
//   FIFO) is written in place, never replaced or removed;
// - a directory is refused;
// - "-" is standard output.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SUPPORT_OUTPUTFILE_H
#define SLIM_SUPPORT_OUTPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>

namespace slim {

/// One output file being written. Write to os(), then commit(); an
/// OutputFile destroyed without a successful commit() leaves the target as
/// it was (for a regular file) and removes its temporary file.
class OutputFile {
public:
  /// Opens `path` for writing (see the file comment for what each kind of
  /// path means). Errors name the path.
  static llvm::Expected<std::unique_ptr<OutputFile>> open(llvm::StringRef path,
                                                          bool text = false);
  ~OutputFile();

  llvm::raw_ostream &os() { return *stream; }

  /// Flushes and checks the stream, then makes the file visible under its
  /// name. An error leaves no partial file (see above).
  llvm::Error commit();

private:
  OutputFile() = default;

  std::string path;
  /// The temporary file renamed over `path` by commit(), for regular files.
  std::optional<llvm::sys::fs::TempFile> temp;
  /// The stream the contents go to: the temporary file's, the special
  /// file's own, or standard output's (not owned).
  std::unique_ptr<llvm::raw_fd_ostream> owned;
  llvm::raw_fd_ostream *stream = nullptr;
  bool committed = false;
};

/// Writes `bytes` to `path` through an OutputFile.
llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes,
                      bool text = false);

/// Flushes standard output; when that (or an earlier write to it) failed,
/// prints "<tool>: error: cannot write to standard output: ..." and returns
/// false, with the stream's error cleared so that LLVM does not abort at exit.
bool flushStandardOutput(llvm::StringRef tool);

} // namespace slim

#endif // SLIM_SUPPORT_OUTPUTFILE_H
