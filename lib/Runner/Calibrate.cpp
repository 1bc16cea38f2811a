//===- Calibrate.cpp - Run a calibration set through a module -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runner/Calibrate.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::slim;
using ::slim::calibration::Collector;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

namespace {
/// The samples of one entry argument, read one file at a time.
class SampleStream {
public:
  SampleStream(unsigned arg, const BoundaryValue &boundary)
      : arg(arg), boundary(boundary) {
    ArrayRef<int64_t> shape = boundary.type.getShape();
    sampleShape.assign(shape.begin() + 1, shape.end());
  }

  /// Lists the files (and counts the samples) without keeping any data.
  llvm::Error open(StringRef path) {
    if (llvm::sys::fs::is_directory(path)) {
      std::error_code ec;
      for (llvm::sys::fs::directory_iterator it(path, ec), end;
           it != end && !ec; it.increment(ec))
        if (StringRef(it->path()).ends_with(".npy"))
          files.push_back(it->path());
      if (ec)
        return error(path + ": cannot list: " + ec.message());
      llvm::sort(files);
      if (files.empty())
        return error(path + ": no .npy files in the calibration directory");
    } else {
      files.push_back(path.str());
    }
    for (const std::string &f : files) {
      llvm::Expected<int64_t> n = countSamples(f);
      if (!n)
        return n.takeError();
      total += *n;
    }
    return llvm::Error::success();
  }

  int64_t getTotal() const { return total; }

  /// Copies the next `n` samples into `out` (sample-major).
  llvm::Error take(int64_t n, char *out) {
    size_t sampleBytes = bytesPerSample();
    while (n > 0) {
      if (!current || next == currentCount) {
        if (fileIndex == files.size())
          return error("data for argument " + llvm::Twine(arg) + " ran out");
        llvm::Expected<NpyArray> a = ::slim::readNpy(files[fileIndex++]);
        if (!a)
          return a.takeError();
        current = std::make_unique<NpyArray>(std::move(*a));
        currentCount = samplesIn(*current);
        next = 0;
      }
      int64_t k = std::min(n, currentCount - next);
      std::memcpy(out,
                  static_cast<const char *>(current->getData()) +
                      next * sampleBytes,
                  k * sampleBytes);
      out += k * sampleBytes;
      next += k;
      n -= k;
    }
    return llvm::Error::success();
  }

  ArrayRef<int64_t> getSampleShape() const { return sampleShape; }

private:
  size_t bytesPerSample() const {
    size_t n = ::slim::npyElementSize(boundary.dtype);
    for (int64_t d : sampleShape)
      n *= static_cast<size_t>(d);
    return n;
  }

  /// A file holds one sample (the argument's shape without the batch
  /// dimension) or a batch of them.
  int64_t samplesIn(const NpyArray &a) const {
    return a.getShape().size() == sampleShape.size() ? 1 : a.getShape()[0];
  }

  llvm::Expected<int64_t> countSamples(StringRef path) {
    llvm::Expected<NpyArray> a = ::slim::readNpy(path);
    if (!a)
      return a.takeError();
    ArrayRef<int64_t> shape = a->getShape();
    std::string what = (path + " (argument " + llvm::Twine(arg) + ")").str();
    if (a->getType() != boundary.dtype)
      return error(what + " has dtype " + ::slim::npyTypeName(a->getType()) +
                   " but the argument needs " +
                   ::slim::npyTypeName(boundary.dtype));
    ArrayRef<int64_t> sample = shape;
    if (shape.size() == sampleShape.size() + 1)
      sample = shape.drop_front();
    else if (shape.size() != sampleShape.size())
      return error(what + " has rank " + llvm::Twine(shape.size()) +
                   "; expected a sample of rank " +
                   llvm::Twine(sampleShape.size()) + " or a batch of them");
    for (size_t d = 0; d < sampleShape.size(); ++d)
      if (!ShapedType::isDynamic(sampleShape[d]) && sample[d] != sampleShape[d])
        return error(what + " has samples of the wrong shape for " +
                     boundaryTypeString());
    if (llvm::any_of(sampleShape, ShapedType::isDynamic))
      return error("argument " + llvm::Twine(arg) + " (" +
                   boundaryTypeString() +
                   ") has a dynamic dimension besides the batch; "
                   "calibration needs static sample shapes");
    return shape.size() == sampleShape.size() ? 1 : shape[0];
  }

  std::string boundaryTypeString() const {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << boundary.type;
    return s;
  }

  unsigned arg;
  const BoundaryValue &boundary;
  SmallVector<int64_t> sampleShape;
  std::vector<std::string> files;
  int64_t total = 0;
  size_t fileIndex = 0;
  std::unique_ptr<NpyArray> current;
  int64_t currentCount = 0;
  int64_t next = 0;
};

/// Installs a sink for the lifetime of the object.
struct ScopedSink {
  explicit ScopedSink(::slim::runtime::ObserverSink *sink) {
    ::slim::runtime::setObserverSink(sink);
  }
  ~ScopedSink() { ::slim::runtime::setObserverSink(nullptr); }
};
} // namespace

llvm::Expected<int64_t> mlir::slim::runSamples(
    JitRunner &runner, const SampleOptions &options, bool withResults,
    llvm::function_ref<llvm::Error(MutableArrayRef<NpyArray>, int64_t)> consume,
    llvm::function_ref<llvm::Error(ArrayRef<NpyArray>)> beforeRun) {
  ArrayRef<BoundaryValue> args = runner.getArguments();
  if (options.data.size() != args.size())
    return error("the entry function takes " + llvm::Twine(args.size()) +
                 " argument(s) but data was given for " +
                 llvm::Twine(options.data.size()));
  if (args.empty())
    return error("the entry function takes no arguments: no samples to run");
  int64_t batch = options.batch;
  for (const BoundaryValue &a : args) {
    if (a.type.getRank() == 0)
      return error("running samples needs arguments with a batch dimension");
    int64_t b = a.type.getDimSize(0);
    if (!ShapedType::isDynamic(b))
      batch = b;
  }
  if (batch <= 0)
    return error("the batch size must be positive");

  std::vector<std::unique_ptr<SampleStream>> streams;
  for (auto [i, a] : llvm::enumerate(args)) {
    streams.push_back(std::make_unique<SampleStream>(i, a));
    if (llvm::Error e = streams.back()->open(options.data[i]))
      return std::move(e);
  }
  int64_t total = streams.front()->getTotal();
  for (auto &s : streams)
    if (s->getTotal() != total)
      return error("the arguments' data hold different numbers of samples (" +
                   llvm::Twine(total) + " and " + llvm::Twine(s->getTotal()) +
                   ")");
  if (total == 0)
    return error("the data set is empty");
  bool staticBatch = llvm::any_of(
      args, [](const BoundaryValue &a) { return !a.type.isDynamicDim(0); });
  if (options.limit > 0 && options.limit < total) {
    // The first `limit` samples, in whole batches of a static batch size.
    total = staticBatch ? options.limit - options.limit % batch : options.limit;
    if (total == 0)
      return error("a limit of " + llvm::Twine(options.limit) +
                   " samples does not fill one batch of the entry's static "
                   "batch size " +
                   llvm::Twine(batch));
  }
  if (staticBatch && total % batch != 0)
    return error("the data set has " + llvm::Twine(total) +
                 " samples, which do not fill batches of the entry's static "
                 "batch size " +
                 llvm::Twine(batch));

  for (int64_t done = 0; done < total;) {
    int64_t n = std::min(batch, total - done);
    SmallVector<NpyArray> inputs;
    for (auto [i, a] : llvm::enumerate(args)) {
      SmallVector<int64_t> shape{n};
      llvm::append_range(shape, streams[i]->getSampleShape());
      llvm::Expected<NpyArray> in = NpyArray::create(a.dtype, shape);
      if (!in)
        return in.takeError();
      if (llvm::Error e =
              streams[i]->take(n, static_cast<char *>(in->getData())))
        return std::move(e);
      inputs.push_back(std::move(*in));
    }
    SmallVector<NpyArray> results;
    if (withResults) {
      llvm::Expected<SmallVector<NpyArray>> allocated =
          runner.allocateResults();
      if (!allocated)
        return allocated.takeError();
      results = std::move(*allocated);
    }
    if (beforeRun)
      if (llvm::Error e = beforeRun(inputs))
        return std::move(e);
    if (llvm::Error e = runner.run(inputs, results))
      return std::move(e);
    if (llvm::Error e = consume(results, n))
      return std::move(e);
    done += n;
    if (options.progress)
      options.progress(done, total);
  }
  return total;
}

llvm::Expected<CalibrationSummary>
mlir::slim::runCalibration(JitRunner &runner,
                           const CalibrationOptions &options) {
  if (!runner.isCalibrationBuild())
    return error("the module was not compiled for calibration");
  int64_t maskArg = options.rowMaskArgument;
  if (maskArg >= 0) {
    if (!options.hessians)
      return error("a row mask goes with the Gram matrices (hessians)");
    if (maskArg >= static_cast<int64_t>(runner.getArguments().size()))
      return error("the row mask is argument " + llvm::Twine(maskArg) +
                   " but the entry function takes " +
                   llvm::Twine(runner.getArguments().size()));
  }
  Collector collector(runner.getObservers(), options.hessians);
  ScopedSink installed(&collector);
  CalibrationSummary summary;
  // The mask argument's elements, in order, are the rows of the batch's
  // activations (a [batch, tokens] mask: one per token).
  auto setMask = [&](ArrayRef<NpyArray> inputs) -> llvm::Error {
    if (maskArg < 0)
      return llvm::Error::success();
    const NpyArray &m = inputs[maskArg];
    std::vector<uint8_t> keep(static_cast<size_t>(m.getNumElements()));
    for (size_t i = 0; i < keep.size(); ++i) {
      double v = m.getAsDouble(static_cast<int64_t>(i));
      if (std::isnan(v))
        return error("the row mask (argument " + llvm::Twine(maskArg) +
                     ") holds NaN");
      keep[i] = v != 0;
    }
    collector.setRowMask(std::move(keep));
    return llvm::Error::success();
  };
  llvm::Expected<int64_t> total = runSamples(
      runner, options, /*withResults=*/false,
      [&](MutableArrayRef<NpyArray>, int64_t) {
        ++summary.runs;
        return llvm::Error::success();
      },
      setMask);
  if (!total)
    return total.takeError();
  if (collector.getUnknownObserverCalls())
    return error("the module reported to " +
                 llvm::Twine(collector.getUnknownObserverCalls()) +
                 " observer(s) it did not declare");
  summary.stats = collector.getStats();
  summary.hessians = collector.getHessians();
  summary.samples = *total;
  return summary;
}

std::function<void(int64_t, int64_t)>
mlir::slim::progressBar(llvm::StringRef what) {
  return [label = what.str()](int64_t done, int64_t total) {
    int width = 40, filled = static_cast<int>(width * done / total);
    llvm::errs() << "\r" << label << " [" << std::string(filled, '=')
                 << std::string(width - filled, ' ') << "] " << done << "/"
                 << total;
    if (done == total)
      llvm::errs() << "\n";
  };
}
