//===- StatsFuzzer.cpp - libFuzzer target for the statistics file ---------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Any text through Stats::fromJSON: statistics or an error, never a crash.
// What parses must write and read back equal.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Stats.h"

#include <cstdlib>

using slim::calibration::Stats;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Stats> stats = Stats::fromJSON(text, "fuzz.json");
  if (!stats) {
    llvm::consumeError(stats.takeError());
    return 0;
  }
  llvm::Expected<Stats> back = Stats::fromJSON(stats->toJSON(), "again.json");
  if (!back || back->observers != stats->observers)
    std::abort(); // a round-trip bug
  return 0;
}
