//===- HessiansTest.cpp - Gram matrices of calibration activations --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Hessians.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace slim::calibration;

namespace {

TEST(HessiansTest, GramSkipsNonFiniteRowsAndIsSymmetric) {
  Gram g;
  // Rows (1, 2), (NaN, 0), (3, -1), collected in two calls.
  float a[] = {1.0f, 2.0f, NAN, 0.0f};
  float b[] = {3.0f, -1.0f};
  g.addRows(a, 2, 2);
  g.addRows(b, 1, 2);
  EXPECT_EQ(g.rows, 2u);
  EXPECT_EQ(g.skippedRows, 1u);
  std::vector<double> h = g.full();
  // (1,2)(1,2)^T + (3,-1)(3,-1)^T = [[10, -1], [-1, 5]].
  EXPECT_EQ(h, (std::vector<double>{10.0, -1.0, -1.0, 5.0}));
}

TEST(HessiansTest, DirectoryRoundTripAndRefusals) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("slim-hessians", dir));
  Hessians out;
  float rows[] = {1.0f, 0.5f, -2.0f, 4.0f, 0.0f, 1.0f};
  out.observers["main/arg0"].addRows(rows, 2, 3);
  ASSERT_FALSE(llvm::errorToBool(out.writeDirectory(dir)));
  llvm::Expected<Hessians> in = Hessians::readDirectory(dir);
  ASSERT_TRUE(bool(in)) << llvm::toString(in.takeError());
  const Gram &g = in->observers.at("main/arg0");
  EXPECT_EQ(g.k, 3);
  EXPECT_EQ(g.rows, 2u);
  EXPECT_EQ(g.sum, out.observers.at("main/arg0").full());

  // A malformed index, then one naming a file outside the directory.
  llvm::SmallString<128> index(dir);
  llvm::sys::path::append(index, "index.json");
  auto rewrite = [&](llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(index, ec);
    os << text;
  };
  rewrite("{\"format\": \"other\"}");
  llvm::Expected<Hessians> bad = Hessians::readDirectory(dir);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("not a slim-hessians index"),
            std::string::npos);
  rewrite("{\"format\": \"slim-hessians\", \"version\": 1, \"observers\": "
          "[{\"id\": \"x\", \"file\": \"../h0.npy\", \"rows\": 1}]}");
  bad = Hessians::readDirectory(dir);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("'file' in the directory"),
            std::string::npos);
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
