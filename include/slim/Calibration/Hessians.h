//===- Hessians.h - Second moments of calibration activations ----*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What GPTQ needs from calibration: for an observed activation X whose rows
// are vectors of its last dimension (K), the K x K sum of x x^T over every
// row seen (GPTQ's Hessian, up to the factor 2 / rows). Too large for the
// JSON statistics, they live in a directory of their own:
//
//   DIR/index.json   {"format": "slim-hessians", "version": 1,
//                     "observers": [{"id": ..., "file": "h0.npy",
//                                    "rows": N, "skipped_rows": M,
//                                    "masked_rows": P}, ...]}
//   DIR/h0.npy ...   float64 [K, K], symmetric
//
// Rows holding NaN or Inf are skipped (and counted); so are rows a row mask
// leaves out (padding tokens, see Collector::setRowMask).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CALIBRATION_HESSIANS_H
#define SLIM_CALIBRATION_HESSIANS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace slim {
namespace calibration {

/// The sum of x x^T over the rows of one observed activation.
struct Gram {
  int64_t k = 0;
  uint64_t rows = 0;
  uint64_t skippedRows = 0;
  /// Rows left out by a row mask.
  uint64_t maskedRows = 0;
  /// k x k; while collecting, only the lower triangle (column-major) is
  /// kept; read from a file, both triangles.
  std::vector<double> sum;
  /// The sum of the rows themselves (k values): with `rows`, the inputs'
  /// mean, for the bias corrections of pruning. Empty when read from a
  /// directory written without it.
  std::vector<double> columnSum;

  /// Adds the `rows` rows of `k` values at `data` (row-major, contiguous);
  /// with `keep` (`rows` entries), only the rows whose entry is nonzero.
  void addRows(const float *data, int64_t rows, int64_t k,
               const uint8_t *keep = nullptr);

  /// The symmetric matrix, both triangles, from what addRows collected.
  std::vector<double> full() const;
};

/// Gram matrices by observer id, written to and read from a directory.
struct Hessians {
  std::map<std::string, Gram> observers;

  /// Whether writeDirectory can use `dir`: a directory or nothing yet (an
  /// error naming it otherwise). Tools call it before a long calibration.
  static llvm::Error checkDirectory(llvm::StringRef dir);

  /// Writes `dir` (created if missing): index.json and one .npy per
  /// observer.
  llvm::Error writeDirectory(llvm::StringRef dir) const;

  /// Reads the index of `dir` and every matrix it names; errors name the
  /// file and what is wrong with it (missing, malformed, not K x K
  /// float64, not finite).
  static llvm::Expected<Hessians> readDirectory(llvm::StringRef dir);
};

} // namespace calibration
} // namespace slim

#endif // SLIM_CALIBRATION_HESSIANS_H
