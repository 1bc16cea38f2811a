//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Support/Npy.h"
#include "slim/Support/OutputFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

using namespace slim;
using llvm::StringRef;

namespace {
struct DTypeInfo {
  NpyDType type;
  const char *descr;
  const char *name;
  size_t size;
};
} // namespace

static const DTypeInfo kTypes[] = {
    {NpyDType::F16, "<f2", "float16", 2}, {NpyDType::F32, "<f4", "float32", 4},
    {NpyDType::F64, "<f8", "float64", 8}, {NpyDType::I8, "|i1", "int8", 1},
    {NpyDType::U8, "|u1", "uint8", 1},    {NpyDType::I16, "<i2", "int16", 2},
    {NpyDType::U16, "<u2", "uint16", 2},  {NpyDType::I32, "<i4", "int32", 4},
    {NpyDType::I64, "<i8", "int64", 8},
};

static const DTypeInfo &info(NpyDType type) {
  for (const DTypeInfo &i : kTypes)
    if (i.type == type)
      return i;
  llvm_unreachable("unknown npy dtype");
}

StringRef slim::npyDescr(NpyDType type) { return info(type).descr; }
StringRef slim::npyTypeName(NpyDType type) { return info(type).name; }
size_t slim::npyElementSize(NpyDType type) { return info(type).size; }

llvm::Expected<NpyArray> NpyArray::create(NpyDType type,
                                          llvm::ArrayRef<int64_t> shape) {
  uint64_t bytes = npyElementSize(type);
  for (int64_t d : shape) {
    if (d < 0 ||
        (d != 0 && bytes > (UINT64_MAX / 2) / static_cast<uint64_t>(d)))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "array size overflows");
    bytes *= static_cast<uint64_t>(d);
  }
  uint64_t rounded = std::max<uint64_t>((bytes + 63) / 64 * 64, 64);
  NpyArray array;
  array.type = type;
  array.shape.assign(shape.begin(), shape.end());
  array.data.reset(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
  if (!array.data)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot allocate " + llvm::Twine(bytes) +
                                       " bytes");
  std::memset(array.data.get(), 0, rounded);
  return array;
}

int64_t NpyArray::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t NpyArray::getSizeInBytes() const {
  return static_cast<size_t>(getNumElements()) * npyElementSize(type);
}

/// IEEE half to double.
static double halfToDouble(uint16_t h) {
  int sign = h >> 15, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double v;
  if (exponent == 0)
    v = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    v = mantissa ? std::numeric_limits<double>::quiet_NaN()
                 : std::numeric_limits<double>::infinity();
  else
    v = std::ldexp(mantissa + 1024, exponent - 25);
  return sign ? -v : v;
}

double NpyArray::getAsDouble(int64_t i) const {
  const uint8_t *p = data.get() + i * npyElementSize(type);
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (type) {
  case NpyDType::F16:
    return halfToDouble(load(uint16_t()));
  case NpyDType::F32:
    return load(float());
  case NpyDType::F64:
    return load(double());
  case NpyDType::I8:
    return load(int8_t());
  case NpyDType::U8:
    return load(uint8_t());
  case NpyDType::I16:
    return load(int16_t());
  case NpyDType::U16:
    return load(uint16_t());
  case NpyDType::I32:
    return load(int32_t());
  case NpyDType::I64:
    return static_cast<double>(load(int64_t()));
  }
  llvm_unreachable("unknown npy dtype");
}

static llvm::Error npyError(StringRef name, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + what);
}

/// Extracts the value text of `'key':` in the header dictionary.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<NpyArray> slim::parseNpy(StringRef bytes, StringRef name) {
  static const char kMagic[] = "\x93NUMPY";
  if (!bytes.starts_with(StringRef(kMagic, 6)))
    return npyError(name, "not a .npy file (bad magic)");
  if (bytes.size() < 10)
    return npyError(name, "truncated .npy header");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen =
        static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(name, "truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i]))
                   << (8 * i);
    offset = 12;
  } else {
    return npyError(name, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < offset + headerLen)
    return npyError(name, "truncated .npy header");
  StringRef header = bytes.substr(offset, headerLen);

  std::optional<StringRef> descr = dictValue(header, "descr");
  if (!descr || descr->size() < 2 || (*descr)[0] != '\'')
    return npyError(name, "header has no 'descr'");
  StringRef descrText =
      descr->drop_front().take_until([](char c) { return c == '\''; });
  const DTypeInfo *found = nullptr;
  for (const DTypeInfo &i : kTypes) {
    StringRef d = i.descr;
    // numpy writes one-byte types with '|' and accepts '<' or '=' too.
    if (descrText == d ||
        (d[0] == '|' && descrText.size() == 3 &&
         descrText.substr(1) == d.substr(1)) ||
        (descrText.size() == 3 && descrText[0] == '=' &&
         descrText.substr(1) == d.substr(1)))
      found = &i;
  }
  if (!found)
    return npyError(name, "unsupported dtype '" + descrText +
                              "' (supported: float16, float32, float64, "
                              "int8, uint8, int16, uint16, int32, int64, "
                              "little-endian)");

  std::optional<StringRef> fortran = dictValue(header, "fortran_order");
  if (!fortran)
    return npyError(name, "header has no 'fortran_order'");
  if (fortran->starts_with("True"))
    return npyError(name, "Fortran-order arrays are not supported; save a "
                          "C-order array (numpy.ascontiguousarray)");
  if (!fortran->starts_with("False"))
    return npyError(name, "malformed 'fortran_order'");

  std::optional<StringRef> shapeText = dictValue(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return npyError(name, "header has no 'shape' tuple");
  StringRef tuple = shapeText->drop_front();
  size_t close = tuple.find(')');
  if (close == StringRef::npos)
    return npyError(name, "malformed 'shape' tuple");
  tuple = tuple.take_front(close);
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<StringRef> parts;
  tuple.split(parts, ',');
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return npyError(name, "malformed dimension '" + part + "' in 'shape'");
    shape.push_back(dim);
  }

  // Size the data before allocating: a corrupt shape must not allocate (or
  // overflow) its way to a crash.
  StringRef payload = bytes.drop_front(offset + headerLen);
  uint64_t need = found->size;
  for (int64_t d : shape) {
    if (d != 0 && need > UINT64_MAX / static_cast<uint64_t>(d))
      return npyError(name, "shape " + shapeText->take_until([](char c) {
        return c == ')';
      }) + ") needs more data than the file's " +
                                llvm::Twine(payload.size()) + " bytes");
    need *= static_cast<uint64_t>(d);
  }
  if (payload.size() != need)
    return npyError(name, "data has " + llvm::Twine(payload.size()) +
                              " bytes but shape and dtype need " +
                              llvm::Twine(need));
  llvm::Expected<NpyArray> array = NpyArray::create(found->type, shape);
  if (!array)
    return npyError(name, llvm::toString(array.takeError()));
  std::memcpy(array->getData(), payload.data(), payload.size());
  return array;
}

llvm::Expected<NpyArray> slim::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

std::string slim::serializeNpy(const NpyArray &array) {
  std::string dict;
  llvm::raw_string_ostream os(dict);
  os << "{'descr': '" << npyDescr(array.getType())
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.getShape())
    os << d << ", ";
  if (!array.getShape().empty())
    dict.resize(dict.size() - (array.getShape().size() == 1 ? 1 : 2));
  os << "), }";
  // Pad with spaces so that the data starts on a 64-byte boundary.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(dict.size() & 0xff));
  out.push_back(static_cast<char>(dict.size() >> 8));
  out += dict;
  out.append(static_cast<const char *>(array.getData()),
             array.getSizeInBytes());
  return out;
}

llvm::Error slim::writeNpy(StringRef path, const NpyArray &array) {
  return writeFile(path, serializeNpy(array));
}
