//===- OutputFile.cpp - Writing output files safely -----------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Support/OutputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/WithColor.h"

using namespace slim;
namespace fs = llvm::sys::fs;

static llvm::Error outputError(llvm::StringRef path, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write " + path + ": " + msg);
}

llvm::Expected<std::unique_ptr<OutputFile>>
OutputFile::open(llvm::StringRef path, bool text) {
  std::unique_ptr<OutputFile> file(new OutputFile());
  file->path = path.str();
  if (path == "-") {
    file->stream = &llvm::outs();
    return std::move(file);
  }
  if (path.empty())
    return outputError("''", "empty path");

  fs::file_status status;
  bool exists = !fs::status(path, status, /*follow=*/true) &&
                status.type() != fs::file_type::file_not_found;
  if (exists && status.type() == fs::file_type::directory_file)
    return outputError(path, "it is a directory");

  std::error_code ec;
  if (exists && status.type() != fs::file_type::regular_file) {
    // A device, FIFO or socket: written in place, never renamed over.
    file->owned = std::make_unique<llvm::raw_fd_ostream>(
        path, ec, text ? fs::OF_Text : fs::OF_None);
    if (ec)
      return outputError(path, ec.message());
    file->stream = file->owned.get();
    return std::move(file);
  }

  // A regular file (through any symlinks) or a new one: a temporary file in
  // the same directory, renamed over the target by commit().
  llvm::SmallString<256> target(path);
  if (exists) {
    if (std::error_code rc = fs::real_path(path, target))
      return outputError(path, rc.message());
  }
  llvm::Expected<fs::TempFile> temp =
      fs::TempFile::create(target + ".tmp-%%%%%%",
                           fs::all_read | fs::all_write,
                           text ? fs::OF_Text : fs::OF_None);
  if (!temp)
    return outputError(path, llvm::toString(temp.takeError()));
  file->path = target.str().str();
  file->temp.emplace(std::move(*temp));
  // Keep the permissions of a file that is replaced.
  if (exists)
    (void)fs::setPermissions(file->temp->TmpName, status.permissions());
  file->owned =
      std::make_unique<llvm::raw_fd_ostream>(file->temp->FD,
                                             /*shouldClose=*/false);
  file->stream = file->owned.get();
  return std::move(file);
}

OutputFile::~OutputFile() {
  if (stream) {
    // Errors were reported by commit() or the write is being abandoned:
    // either way LLVM must not abort on them when the stream goes away.
    if (stream != &llvm::outs())
      stream->flush();
    stream->clear_error();
  }
  if (temp && !committed)
    llvm::consumeError(temp->discard());
}

llvm::Error OutputFile::commit() {
  stream->flush();
  if (stream->has_error()) {
    std::error_code ec = stream->error();
    stream->clear_error();
    return outputError(path == "-" ? "standard output" : path, ec.message());
  }
  if (owned && !temp) {
    owned->close();
    if (owned->has_error()) {
      std::error_code ec = owned->error();
      owned->clear_error();
      return outputError(path, ec.message());
    }
  }
  if (temp) {
    if (llvm::Error e = temp->keep(path))
      return outputError(path, llvm::toString(std::move(e)));
  }
  committed = true;
  return llvm::Error::success();
}

llvm::Error slim::writeFile(llvm::StringRef path, llvm::StringRef bytes,
                            bool text) {
  llvm::Expected<std::unique_ptr<OutputFile>> file =
      OutputFile::open(path, text);
  if (!file)
    return file.takeError();
  (*file)->os() << bytes;
  return (*file)->commit();
}

bool slim::flushStandardOutput(llvm::StringRef tool) {
  llvm::outs().flush();
  if (!llvm::outs().has_error())
    return true;
  std::error_code ec = llvm::outs().error();
  llvm::outs().clear_error();
  llvm::WithColor::error(llvm::errs(), tool)
      << "cannot write to standard output: " << ec.message() << "\n";
  return false;
}
