//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Support/Npy.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace slim;

namespace {

std::string header(const std::string &dict) {
  std::string h = dict;
  size_t total = 10 + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(h.size() & 0xff));
  out.push_back(static_cast<char>(h.size() >> 8));
  return out + h;
}

std::string errorOf(llvm::Expected<NpyArray> a) {
  if (a)
    return "";
  return llvm::toString(a.takeError());
}

TEST(NpyTest, RoundTrip) {
  llvm::Expected<NpyArray> created = NpyArray::create(NpyDType::I32, {2, 3});
  ASSERT_TRUE(static_cast<bool>(created));
  NpyArray &a = *created;
  auto *p = static_cast<int32_t *>(a.getData());
  for (int i = 0; i < 6; ++i)
    p[i] = i * 1000 - 2500;
  std::string bytes = serializeNpy(a);
  EXPECT_EQ(bytes.size() % 64, 24u); // 64-byte header + 24 data bytes
  auto b = parseNpy(bytes, "t.npy");
  ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->getType(), NpyDType::I32);
  ASSERT_EQ(b->getShape().size(), 2u);
  EXPECT_EQ(b->getShape()[0], 2);
  EXPECT_EQ(b->getShape()[1], 3);
  EXPECT_EQ(b->getAsDouble(5), 2500.0);
  EXPECT_EQ(std::memcmp(a.getData(), b->getData(), 24), 0);
}

TEST(NpyTest, ScalarAndOneDim) {
  auto s = NpyArray::create(NpyDType::F32, {});
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_NE(serializeNpy(*s).find("'shape': ()"), std::string::npos);
  auto v = NpyArray::create(NpyDType::U8, {5});
  ASSERT_TRUE(static_cast<bool>(v));
  EXPECT_NE(serializeNpy(*v).find("'shape': (5,)"), std::string::npos);
  auto back = parseNpy(serializeNpy(*v), "v.npy");
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->getNumElements(), 5);
}

TEST(NpyTest, ReadsNumpyHeaders) {
  std::string bytes =
      header("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }");
  uint16_t halves[2] = {0x3c00, 0xc000}; // 1.0, -2.0
  bytes.append(reinterpret_cast<char *>(halves), 4);
  auto a = parseNpy(bytes, "h.npy");
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->getAsDouble(0), 1.0);
  EXPECT_EQ(a->getAsDouble(1), -2.0);
}

TEST(NpyTest, CreateRefusesImpossibleSizes) {
  auto tooBig =
      NpyArray::create(NpyDType::F64, {int64_t(1) << 40, int64_t(1) << 40});
  ASSERT_FALSE(static_cast<bool>(tooBig));
  EXPECT_NE(llvm::toString(tooBig.takeError()).find("overflows"),
            std::string::npos);
  auto empty = NpyArray::create(NpyDType::F32, {0, 3});
  ASSERT_TRUE(static_cast<bool>(empty));
  EXPECT_EQ(empty->getNumElements(), 0);
}

TEST(NpyTest, Errors) {
  EXPECT_NE(errorOf(parseNpy("hello", "x.npy")).find("bad magic"),
            std::string::npos);
  std::string truncated =
      header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }") +
      std::string(8, '\0');
  EXPECT_NE(errorOf(parseNpy(truncated, "x.npy")).find("data has 8 bytes"),
            std::string::npos);
  std::string fortran =
      header("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }") +
      std::string(4, '\0');
  EXPECT_NE(errorOf(parseNpy(fortran, "x.npy")).find("Fortran"),
            std::string::npos);
  std::string bigEndian =
      header("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }") +
      std::string(4, '\0');
  EXPECT_NE(errorOf(parseNpy(bigEndian, "x.npy")).find("unsupported dtype"),
            std::string::npos);
  std::string badShape =
      header("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }");
  EXPECT_NE(errorOf(parseNpy(badShape, "x.npy")).find("malformed dimension"),
            std::string::npos);
  // A shape whose byte count overflows 64 bits is refused before any
  // allocation.
  std::string huge = header("{'descr': '<f8', 'fortran_order': False, 'shape': "
                            "(4294967296, 4294967296, 4294967296), }") +
                     std::string(8, '\0');
  EXPECT_NE(errorOf(parseNpy(huge, "x.npy")).find("needs more data"),
            std::string::npos);
  EXPECT_NE(errorOf(readNpy("/nonexistent/file.npy")).find("cannot read"),
            std::string::npos);
  std::string cut = header("{'descr': '<f4'").substr(0, 12);
  EXPECT_FALSE(errorOf(parseNpy(cut, "x.npy")).empty());
}

} // namespace
