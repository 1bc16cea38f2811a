//===- Files.cpp - The files calibration writes and reads -----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "Files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace slim::calibration;
namespace json = llvm::json;

llvm::Error detail::fileError(llvm::StringRef name, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + msg);
}

llvm::Expected<std::string> detail::readTextFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fileError(path, "cannot read: " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

llvm::Error detail::writeTextFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fileError(path, "cannot write: " + ec.message());
  os << text;
  os.close();
  if (os.has_error())
    return fileError(path, "write failed: " + os.error().message());
  return llvm::Error::success();
}

llvm::Expected<json::Object>
detail::parseVersionedJson(llvm::StringRef text, llvm::StringRef name,
                           llvm::StringRef format, llvm::StringRef description,
                           llvm::StringRef kind, int64_t version) {
  llvm::Expected<json::Value> root = json::parse(text);
  if (!root)
    return fileError(name,
                     "not valid JSON: " + llvm::toString(root.takeError()));
  json::Object *top = root->getAsObject();
  if (!top || top->getString("format") != format)
    return fileError(name, "not a " + description +
                               " (expected \"format\": \"" + format + "\")");
  std::optional<int64_t> found = top->getInteger("version");
  if (found != version)
    return fileError(
        name, "unsupported " + kind + " version " +
                  (found ? llvm::Twine(*found) : llvm::Twine("(missing)")) +
                  " (this Slim reads version " + llvm::Twine(version) + ")");
  return std::move(*top);
}
