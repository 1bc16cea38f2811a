//===- Hessians.cpp - Second moments of calibration activations -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Hessians.h"

#include "Files.h"
#include "slim/Support/OutputFile.h"

#include "slim/Support/Npy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <Eigen/Core>
#include <cmath>

using namespace slim;
using namespace slim::calibration;
namespace json = llvm::json;
using detail::fileError;

static constexpr const char *kIndexFormat = "slim-hessians";
static constexpr int64_t kIndexVersion = 1;

void Gram::addRows(const float *data, int64_t numRows, int64_t numCols,
                   const uint8_t *keep) {
  if (sum.empty()) {
    k = numCols;
    sum.assign(static_cast<size_t>(k * k), 0.0);
    columnSum.assign(static_cast<size_t>(k), 0.0);
  }
  // The finite rows, in double, then one symmetric rank update.
  Eigen::MatrixXd x(numRows, k);
  int64_t kept = 0;
  for (int64_t r = 0; r < numRows; ++r) {
    if (keep && !keep[r]) {
      ++maskedRows;
      continue;
    }
    const float *row = data + r * k;
    bool finite = true;
    for (int64_t c = 0; c < k && finite; ++c)
      finite = std::isfinite(row[c]);
    if (!finite) {
      ++skippedRows;
      continue;
    }
    for (int64_t c = 0; c < k; ++c)
      x(kept, c) = row[c];
    ++kept;
  }
  if (kept == 0)
    return;
  // The lower triangle only (column-major); full() mirrors it.
  Eigen::Map<Eigen::MatrixXd> h(sum.data(), k, k);
  h.selfadjointView<Eigen::Lower>().rankUpdate(x.topRows(kept).transpose());
  Eigen::Map<Eigen::VectorXd>(columnSum.data(), k) +=
      x.topRows(kept).colwise().sum().transpose();
  rows += kept;
}

std::vector<double> Gram::full() const {
  std::vector<double> out(sum);
  Eigen::Map<Eigen::MatrixXd> h(out.data(), k, k);
  h.triangularView<Eigen::StrictlyUpper>() = h.transpose();
  return out;
}

llvm::Error Hessians::checkDirectory(llvm::StringRef dir) {
  if (llvm::sys::fs::exists(dir) && !llvm::sys::fs::is_directory(dir))
    return fileError(dir, "exists and is not a directory");
  return llvm::Error::success();
}

llvm::Error Hessians::writeDirectory(llvm::StringRef dir) const {
  if (llvm::Error e = checkDirectory(dir))
    return e;
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return fileError(dir, "cannot create the directory: " + ec.message());
  json::Array entries;
  int n = 0;
  for (const auto &[id, gram] : observers) {
    std::string file = llvm::formatv("h{0}.npy", n++).str();
    llvm::Expected<NpyArray> array =
        NpyArray::create(NpyDType::F64, {gram.k, gram.k});
    if (!array)
      return array.takeError();
    std::vector<double> full = gram.full();
    std::copy(full.begin(), full.end(),
              static_cast<double *>(array->getData()));
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, file);
    if (llvm::Error e = writeNpy(path, *array))
      return e;
    json::Array sums;
    for (double v : gram.columnSum)
      sums.push_back(v);
    entries.push_back(
        json::Object{{"id", id},
                     {"file", file},
                     {"rows", static_cast<int64_t>(gram.rows)},
                     {"skipped_rows", static_cast<int64_t>(gram.skippedRows)},
                     {"masked_rows", static_cast<int64_t>(gram.maskedRows)},
                     {"column_sums", std::move(sums)}});
  }
  llvm::SmallString<256> index(dir);
  llvm::sys::path::append(index, "index.json");
  return ::slim::writeFile(
      index, llvm::formatv("{0:2}\n", json::Value(json::Object{
                                          {"format", kIndexFormat},
                                          {"version", kIndexVersion},
                                          {"observers", std::move(entries)}}))
                 .str(),
      /*text=*/true);
}

llvm::Expected<Hessians> Hessians::readDirectory(llvm::StringRef dir) {
  llvm::SmallString<256> index(dir);
  llvm::sys::path::append(index, "index.json");
  llvm::Expected<std::string> text = detail::readTextFile(index);
  if (!text)
    return text.takeError();
  llvm::Expected<json::Object> object =
      detail::parseVersionedJson(*text, index, kIndexFormat,
                                 "slim-hessians index", "index", kIndexVersion);
  if (!object)
    return object.takeError();
  const json::Array *entries = object->getArray("observers");
  if (!entries)
    return fileError(index, "no 'observers' array");
  Hessians result;
  for (const json::Value &v : *entries) {
    const json::Object *e = v.getAsObject();
    std::optional<llvm::StringRef> id = e ? e->getString("id") : std::nullopt;
    std::optional<llvm::StringRef> file =
        e ? e->getString("file") : std::nullopt;
    std::optional<int64_t> rows = e ? e->getInteger("rows") : std::nullopt;
    if (!id || !file || !rows || *rows < 0 ||
        llvm::sys::path::filename(*file) != *file)
      return fileError(index, "every observer needs an 'id', a 'file' in "
                              "the directory and a count of 'rows'");
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, *file);
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return array.takeError();
    llvm::ArrayRef<int64_t> shape = array->getShape();
    if (array->getType() != NpyDType::F64 || shape.size() != 2 ||
        shape[0] != shape[1])
      return fileError(path, "expected a square float64 matrix");
    Gram &gram = result.observers[id->str()];
    gram.k = shape[0];
    gram.rows = static_cast<uint64_t>(*rows);
    gram.skippedRows =
        static_cast<uint64_t>(e->getInteger("skipped_rows").value_or(0));
    gram.maskedRows =
        static_cast<uint64_t>(e->getInteger("masked_rows").value_or(0));
    const auto *data = static_cast<const double *>(array->getData());
    gram.sum.assign(data, data + gram.k * gram.k);
    for (double x : gram.sum)
      if (!std::isfinite(x))
        return fileError(path, "holds NaN or Inf");
    // The rows' sum (optional: directories of earlier versions lack it).
    if (const json::Array *sums = e->getArray("column_sums")) {
      for (const json::Value &s : *sums) {
        std::optional<double> v = s.getAsNumber();
        if (!v || !std::isfinite(*v))
          return fileError(index, "'column_sums' of '" + *id +
                                      "' holds something other than finite "
                                      "numbers");
        gram.columnSum.push_back(*v);
      }
      if (static_cast<int64_t>(gram.columnSum.size()) != gram.k)
        return fileError(index, llvm::formatv("'column_sums' of '{0}' has {1} "
                                              "values for a {2} x {2} matrix",
                                              *id, gram.columnSum.size(),
                                              gram.k)
                                    .str());
    }
  }
  return result;
}
