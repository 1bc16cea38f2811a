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

llvm::Expected<json::Object>
detail::parseVersionedJson(llvm::StringRef text, llvm::StringRef name,
                           llvm::StringRef format, llvm::StringRef description,
                           llvm::StringRef kind, int64_t version) {
  // llvm::json parses recursively: bound the nesting first, so that a file
  // of a million '[' is an error, not a stack overflow. Slim's files nest a
  // few levels deep.
  constexpr int kMaxDepth = 64;
  int depth = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth)
        return fileError(name, "not valid JSON: nested more than " +
                                   llvm::Twine(kMaxDepth) + " levels deep");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
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
