//===- Stats.cpp - Calibration statistics and their file format -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Stats.h"

#include "Files.h"
#include "slim/Support/OutputFile.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace slim;
using namespace slim::calibration;
using detail::fileError;
namespace json = llvm::json;

void ObserverStats::addSample(llvm::ArrayRef<float> values,
                              llvm::ArrayRef<int64_t> shape,
                              int64_t sampleAxis) {
  double sampleMin = std::numeric_limits<double>::infinity();
  double sampleMax = -std::numeric_limits<double>::infinity();
  // Channel c of element i: (i / inner) % channels, inner being the product
  // of the dimensions after the channel axis.
  int64_t channels = 1, inner = 1;
  bool perChannel = axis >= 0 && sampleAxis >= 0;
  if (perChannel) {
    channels = shape[sampleAxis];
    for (size_t d = sampleAxis + 1; d < shape.size(); ++d)
      inner *= shape[d];
    if (channelMin.empty()) {
      channelMin.assign(channels, std::numeric_limits<double>::infinity());
      channelMax.assign(channels, -std::numeric_limits<double>::infinity());
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    double v = values[i];
    if (!histogram.add(v)) {
      ++nonFinite;
      continue;
    }
    ++count;
    sampleMin = std::min(sampleMin, v);
    sampleMax = std::max(sampleMax, v);
    if (perChannel) {
      int64_t c = (static_cast<int64_t>(i) / inner) % channels;
      channelMin[c] = std::min(channelMin[c], v);
      channelMax[c] = std::max(channelMax[c], v);
    }
  }
  if (sampleMin > sampleMax) // nothing finite in this sample
    return;
  min = std::min(min, sampleMin);
  max = std::max(max, sampleMax);
  if (samples == 0) {
    emaMin = sampleMin;
    emaMax = sampleMax;
  } else {
    emaMin += kEmaConstant * (sampleMin - emaMin);
    emaMax += kEmaConstant * (sampleMax - emaMax);
  }
  ++samples;
}

bool ObserverStats::operator==(const ObserverStats &o) const {
  return id == o.id && axis == o.axis && samples == o.samples &&
         count == o.count && nonFinite == o.nonFinite && min == o.min &&
         max == o.max && emaMin == o.emaMin && emaMax == o.emaMax &&
         channelMin == o.channelMin && channelMax == o.channelMax &&
         histogram == o.histogram;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

/// A finite double, or null for the infinities of an empty statistic.
static json::Value number(double v) {
  if (std::isfinite(v))
    return v;
  return nullptr;
}

/// Non-empty bins as [bin, count] pairs.
static json::Array sparseBins(const std::vector<uint64_t> &counts) {
  json::Array out;
  for (size_t b = 0; b < counts.size(); ++b)
    if (counts[b])
      out.push_back(json::Array{static_cast<int64_t>(b),
                                static_cast<int64_t>(counts[b])});
  return out;
}

std::string Stats::toJSON() const {
  json::Array list;
  for (const auto &[id, s] : observers) {
    json::Object o{
        {"id", s.id},
        {"samples", static_cast<int64_t>(s.samples)},
        {"count", static_cast<int64_t>(s.count)},
        {"nonfinite", static_cast<int64_t>(s.nonFinite)},
        {"min", number(s.min)},
        {"max", number(s.max)},
        {"ema_min", number(s.samples ? s.emaMin : NAN)},
        {"ema_max", number(s.samples ? s.emaMax : NAN)},
        {"histogram",
         json::Object{{"bins", numerics::Histogram::kBins},
                      {"limit", s.histogram.getLimit()},
                      {"zeros", static_cast<int64_t>(s.histogram.getZeros())},
                      {"negative", sparseBins(s.histogram.getNegative())},
                      {"positive", sparseBins(s.histogram.getPositive())}}},
    };
    if (s.axis >= 0) {
      o["axis"] = s.axis;
      json::Array mins, maxs;
      for (double v : s.channelMin)
        mins.push_back(number(v));
      for (double v : s.channelMax)
        maxs.push_back(number(v));
      o["channel_min"] = std::move(mins);
      o["channel_max"] = std::move(maxs);
    }
    list.push_back(std::move(o));
  }
  json::Value root = json::Object{{"format", kFormatName},
                                  {"version", kFormatVersion},
                                  {"observers", std::move(list)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << root << "\n";
  return text;
}

namespace {
/// Reads fields of one JSON object, remembering the first error.
class Reader {
public:
  Reader(llvm::StringRef file, std::string where)
      : file(file), where(std::move(where)) {}

  bool failed() const { return !error.empty(); }
  llvm::Error takeError() {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   file + ": " + where + error);
  }
  void fail(const llvm::Twine &msg) {
    if (error.empty())
      error = msg.str();
  }

  const json::Value *field(const json::Object &o, llvm::StringRef key) {
    const json::Value *v = o.get(key);
    if (!v)
      fail("missing field '" + key + "'");
    return v;
  }
  uint64_t count(const json::Object &o, llvm::StringRef key) {
    const json::Value *v = field(o, key);
    std::optional<int64_t> i = v ? v->getAsInteger() : std::nullopt;
    if (v && (!i || *i < 0))
      fail("field '" + key + "' must be a non-negative integer");
    return i && *i >= 0 ? static_cast<uint64_t>(*i) : 0;
  }
  /// A number, or null standing for `ifNull`.
  double real(const json::Value *v, llvm::StringRef key, double ifNull) {
    if (!v)
      return ifNull;
    if (v->getAsNull())
      return ifNull;
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d)) {
      fail("field '" + key + "' must be a finite number or null");
      return ifNull;
    }
    return *d;
  }
  std::vector<uint64_t> bins(const json::Object &o, llvm::StringRef key) {
    std::vector<uint64_t> counts(numerics::Histogram::kBins, 0);
    const json::Value *v = field(o, key);
    const json::Array *a = v ? v->getAsArray() : nullptr;
    if (v && !a)
      fail("histogram '" + key + "' must be an array of [bin, count] pairs");
    for (const json::Value &pair : a ? *a : json::Array()) {
      const json::Array *p = pair.getAsArray();
      std::optional<int64_t> b, c;
      if (p && p->size() == 2) {
        b = (*p)[0].getAsInteger();
        c = (*p)[1].getAsInteger();
      }
      if (!b || !c || *c < 0) {
        fail("histogram '" + key + "' must be an array of [bin, count] pairs");
        break;
      }
      if (*b < 0 || *b >= numerics::Histogram::kBins) {
        fail("histogram bin " + llvm::Twine(*b) + " is out of range");
        break;
      }
      counts[*b] += static_cast<uint64_t>(*c);
    }
    return counts;
  }

private:
  llvm::StringRef file;
  std::string where;
  std::string error;
};
} // namespace

llvm::Expected<Stats> Stats::fromJSON(llvm::StringRef text,
                                      llvm::StringRef name) {
  llvm::Expected<json::Object> header = detail::parseVersionedJson(
      text, name, kFormatName, "Slim calibration stats file", "stats",
      kFormatVersion);
  if (!header)
    return header.takeError();
  const json::Object *top = &*header;
  const json::Array *list = top->getArray("observers");
  if (!list)
    return fileError(name, "missing 'observers' array");

  Stats stats;
  for (const json::Value &entry : *list) {
    const json::Object *o = entry.getAsObject();
    std::optional<llvm::StringRef> id = o ? o->getString("id") : std::nullopt;
    if (!id || id->empty())
      return fileError(name, "an observer has no 'id'");
    Reader r(name, ("observer '" + *id + "': ").str());
    ObserverStats s;
    s.id = id->str();
    s.samples = r.count(*o, "samples");
    s.count = r.count(*o, "count");
    s.nonFinite = r.count(*o, "nonfinite");
    double inf = std::numeric_limits<double>::infinity();
    s.min = r.real(r.field(*o, "min"), "min", inf);
    s.max = r.real(r.field(*o, "max"), "max", -inf);
    s.emaMin = r.real(r.field(*o, "ema_min"), "ema_min", 0.0);
    s.emaMax = r.real(r.field(*o, "ema_max"), "ema_max", 0.0);
    // The writer has no EMA without samples (null): a file that gives one
    // would not read back the same (found by fuzz/StatsFuzzer).
    if (s.samples == 0 && (s.emaMin != 0.0 || s.emaMax != 0.0))
      r.fail("'ema_min' and 'ema_max' must be null when 'samples' is 0");
    if (const json::Value *axis = o->get("axis")) {
      std::optional<int64_t> a = axis->getAsInteger();
      if (!a || *a < 0)
        r.fail("field 'axis' must be a non-negative integer");
      s.axis = a.value_or(-1);
      const json::Array *mins = o->getArray("channel_min");
      const json::Array *maxs = o->getArray("channel_max");
      if (!mins || !maxs || mins->size() != maxs->size())
        r.fail("per-channel observers need 'channel_min' and 'channel_max' "
               "arrays of equal length");
      // Only arrays of equal length are read (a longer channel_min read past
      // the end of channel_max: found by fuzz/StatsFuzzer).
      for (size_t c = 0;
           mins && maxs && mins->size() == maxs->size() && c < mins->size();
           ++c) {
        s.channelMin.push_back(r.real(&(*mins)[c], "channel_min", inf));
        s.channelMax.push_back(r.real(&(*maxs)[c], "channel_max", -inf));
      }
    }
    const json::Value *h = r.field(*o, "histogram");
    const json::Object *ho = h ? h->getAsObject() : nullptr;
    if (h && !ho)
      r.fail("'histogram' must be an object");
    if (ho) {
      if (ho->getInteger("bins") != numerics::Histogram::kBins)
        r.fail("histogram must have " +
               llvm::Twine(numerics::Histogram::kBins) + " bins");
      double limit = r.real(r.field(*ho, "limit"), "limit", 0.0);
      uint64_t zeros = r.count(*ho, "zeros");
      std::vector<uint64_t> neg = r.bins(*ho, "negative");
      std::vector<uint64_t> pos = r.bins(*ho, "positive");
      std::optional<numerics::Histogram> hist =
          numerics::Histogram::fromParts(limit, zeros, neg, pos);
      if (!hist)
        r.fail("histogram limit " + std::to_string(limit) +
               " is not zero or a power of two");
      else
        s.histogram = *hist;
      if (!r.failed() && s.histogram.getTotal() != s.count)
        r.fail("histogram holds " + llvm::Twine(s.histogram.getTotal()) +
               " values but 'count' is " + llvm::Twine(s.count));
    }
    if (!r.failed() && s.count && (s.min > s.max))
      r.fail("'min' is greater than 'max'");
    if (r.failed())
      return r.takeError();
    if (!stats.observers.emplace(s.id, s).second)
      return fileError(name, "observer '" + s.id + "' appears twice");
  }
  return stats;
}

llvm::Expected<Stats> Stats::readFile(llvm::StringRef path) {
  llvm::Expected<std::string> text = detail::readTextFile(path);
  if (!text)
    return text.takeError();
  return fromJSON(*text, path);
}

llvm::Error Stats::writeFile(llvm::StringRef path) const {
  return ::slim::writeFile(path, toJSON(), /*text=*/true);
}
