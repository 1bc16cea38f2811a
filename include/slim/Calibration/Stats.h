//===- Stats.h - Calibration statistics and their file format ----*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What an observer records while calibrating, and the versioned JSON file
// that carries it from `slim-run --calibrate` to `slim-fold-calibration`.
// Depends on LLVM Support only.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CALIBRATION_STATS_H
#define SLIM_CALIBRATION_STATS_H

#include "slim/Numerics/Calibration.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace slim {
namespace calibration {

/// The weight of a new sample in the moving averages:
/// ema = ema + kEmaConstant * (sample - ema) (PyTorch's averaging_constant).
constexpr double kEmaConstant = 0.01;

/// Name and version written in every stats file.
constexpr llvm::StringLiteral kFormatName = "slim-calibration-stats";
constexpr int kFormatVersion = 1;

/// Statistics of one observed tensor.
struct ObserverStats {
  std::string id;
  /// The observer's channel axis in whole-tensor coordinates, or -1.
  int64_t axis = -1;
  uint64_t samples = 0;
  uint64_t count = 0;     ///< finite values seen
  uint64_t nonFinite = 0; ///< NaN and infinities seen (not in any statistic)
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double emaMin = 0.0;
  double emaMax = 0.0;
  std::vector<double> channelMin;
  std::vector<double> channelMax;
  numerics::Histogram histogram;

  /// Records one sample: row-major values of shape `shape`, whose channels
  /// (when `axis` is set) lie along `sampleAxis` of the sample.
  void addSample(llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape,
                 int64_t sampleAxis = -1);

  bool operator==(const ObserverStats &other) const;
};

/// The statistics of every observer of a module, by id.
class Stats {
public:
  std::map<std::string, ObserverStats> observers;

  /// Serializes to the versioned JSON format (observers sorted by id,
  /// doubles written so that they read back exactly).
  std::string toJSON() const;

  /// Parses the JSON format; every malformed or inconsistent field is an
  /// error naming `name` and the observer.
  static llvm::Expected<Stats> fromJSON(llvm::StringRef text,
                                        llvm::StringRef name);

  static llvm::Expected<Stats> readFile(llvm::StringRef path);
  llvm::Error writeFile(llvm::StringRef path) const;
};

} // namespace calibration
} // namespace slim

#endif // SLIM_CALIBRATION_STATS_H
