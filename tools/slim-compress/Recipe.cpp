//===- Recipe.cpp - slim-compress's recipes -------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "Recipe.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace slim::compress;

namespace {
/// The built-in recipes: the best settings measured on MiniLM
/// (docs/results-minilm.md) where a choice was measured, defaults that any
/// model takes otherwise.
struct Builtin {
  StringRef name;
  StringRef text;
};
} // namespace

static const Builtin kBuiltins[] = {
    {"int8-static", R"(name: int8-static
description: >-
  Static int8: u8 activations (asymmetric, ranges by MSE on the calibration
  histograms), s8 weights per output channel, integer matmuls and
  convolutions whose results stay float (outputs=float)
steps:
  - pipeline: ptq-static
    options: {method: mse, outputs: float}
)"},
    {"int8-integer", R"(name: int8-integer
description: >-
  Static int8 end to end, for networks that must run in integers (CNNs): u8
  activations between layers (ranges by minmax), s8 weights per output
  channel; every convolution, matmul, residual add and concatenation
  integer, or the recipe fails (strict)
steps:
  - pipeline: ptq-static
    options: {method: minmax, outputs: quantize, strict: true}
)"},
    {"int8-dynamic", R"(name: int8-dynamic
description: >-
  Dynamic int8: s8 weights per output channel, activations quantized at run
  time per row (per token)
steps:
  - pipeline: ptq-dynamic
    options: {activation-granularity: row}
)"},
    {"int4-weight-only", R"(name: int4-weight-only
description: >-
  Weight-only int4: groups of 32 along K with zero points, ranges by MSE,
  rounded by GPTQ on the calibration inputs; float activations
steps:
  - pipeline: weight-only
    options: {bits: 4, granularity: group, group-size: 32, scheme: asymmetric, method: mse}
    hessians: true
)"},
    {"2:4+int8", R"(name: 2:4+int8
description: >-
  2:4 sparsity (SparseGPT on the calibration inputs), then static int8 as
  int8-static, calibrated on the pruned model
steps:
  - pipeline: prune
    options: {pattern: nm, n: 2, m: 4, criterion: sparsegpt}
  - pipeline: ptq-static
    options: {method: mse, outputs: float}
)"},
    {"lowrank+int8", R"(name: lowrank+int8
description: >-
  Low rank (SVD-LLM: each matmul's smallest rank within 0.5% relative
  output error on the calibration inputs, where it saves parameters), then
  static int8 as int8-static on the factors
steps:
  - pipeline: low-rank
    options: {method: svdllm, max-error: 0.005}
  - pipeline: ptq-static
    options: {method: mse, outputs: float}
)"},
};

ArrayRef<StringRef> slim::compress::builtinRecipeNames() {
  static const SmallVector<StringRef> names = [] {
    SmallVector<StringRef> v;
    for (const Builtin &b : kBuiltins)
      v.push_back(b.name);
    return v;
  }();
  return names;
}

StringRef slim::compress::builtinRecipeText(StringRef name) {
  for (const Builtin &b : kBuiltins)
    if (b.name == name)
      return b.text;
  return "";
}

StringRef RecipeStep::option(StringRef key, StringRef otherwise) const {
  for (const RecipeOption &o : options)
    if (o.name == key)
      return o.values.front();
  return otherwise;
}

std::string RecipeOption::text() const {
  if (!list)
    return values.front();
  std::string joined;
  for (const std::string &v : values)
    joined += (joined.empty() ? "\"" : ",\"") + v + "\"";
  return joined;
}

namespace {
/// Reads one recipe document, reporting the first error with its place.
class Reader {
public:
  Reader(yaml::Stream &stream) : stream(stream) {}

  bool read(yaml::Node *root, Recipe &recipe);

private:
  bool error(yaml::Node *node, const Twine &message) {
    stream.printError(node, message);
    return false;
  }
  bool scalar(yaml::Node *node, std::string &out, const Twine &what);
  /// A mapping's key, read into `key`; false (reported) if it is not a
  /// single value or was seen before.
  bool key(yaml::KeyValueNode &kv, llvm::StringSet<> &seen, std::string &key);
  bool scalars(yaml::Node *node, SmallVectorImpl<std::string> &out,
               const Twine &what);
  bool step(yaml::Node *node, RecipeStep &out);

  yaml::Stream &stream;
};
} // namespace

bool Reader::scalar(yaml::Node *node, std::string &out, const Twine &what) {
  if (auto *block = dyn_cast_or_null<yaml::BlockScalarNode>(node)) {
    out = block->getValue().str();
    return true;
  }
  auto *s = dyn_cast_or_null<yaml::ScalarNode>(node);
  if (!s)
    return error(node, what + " must be a single value");
  SmallString<64> storage;
  out = s->getValue(storage).str();
  return true;
}

bool Reader::key(yaml::KeyValueNode &kv, llvm::StringSet<> &seen,
                 std::string &key) {
  if (!scalar(kv.getKey(), key, "a key"))
    return false;
  if (!seen.insert(key).second)
    return error(kv.getKey(), "duplicate key '" + key + "'");
  return true;
}

bool Reader::scalars(yaml::Node *node, SmallVectorImpl<std::string> &out,
                     const Twine &what) {
  if (isa_and_nonnull<yaml::ScalarNode, yaml::BlockScalarNode>(node)) {
    std::string v;
    scalar(node, v, what);
    out.push_back(std::move(v));
    return true;
  }
  auto *list = dyn_cast_or_null<yaml::SequenceNode>(node);
  if (!list)
    return error(node, what + " must be a value or a list of values");
  for (yaml::Node &item : *list) {
    std::string v;
    if (!scalar(&item, v, what + " elements"))
      return false;
    out.push_back(std::move(v));
  }
  return true;
}

static constexpr StringLiteral kPipelines[] = {
    "ptq-static", "ptq-dynamic", "weight-only", "prune", "low-rank", "smooth"};

/// Options slim-compress sets itself.
static constexpr StringLiteral kReserved[] = {"stats", "hessians", "skip",
                                              "report", "report-format"};

bool Reader::step(yaml::Node *node, RecipeStep &out) {
  auto *map = dyn_cast_or_null<yaml::MappingNode>(node);
  if (!map)
    return error(node, "a step must be a mapping (pipeline:, options:, "
                       "layers:, skip:, hessians:)");
  llvm::StringSet<> seen;
  for (yaml::KeyValueNode &kv : *map) {
    std::string key;
    if (!this->key(kv, seen, key))
      return false;
    yaml::Node *value = kv.getValue();
    if (key == "pipeline") {
      if (!scalar(value, out.pipeline, "pipeline"))
        return false;
      if (!is_contained(kPipelines, out.pipeline))
        return error(value, "unknown pipeline '" + out.pipeline +
                                "' (expected " +
                                join(ArrayRef(kPipelines), ", ") + ")");
    } else if (key == "options") {
      auto *options = dyn_cast_or_null<yaml::MappingNode>(value);
      if (!options)
        return error(value, "options must be a mapping of option names to "
                            "values");
      for (yaml::KeyValueNode &o : *options) {
        std::string name;
        if (!scalar(o.getKey(), name, "an option name"))
          return false;
        if (name.empty() || !llvm::all_of(name, [](char c) {
              return isLower(c) || isDigit(c) || c == '-';
            }))
          return error(o.getKey(), "option names are lower-case words "
                                   "joined by '-' (as the pass reference "
                                   "spells them)");
        if (llvm::any_of(out.options, [&](const RecipeOption &existing) {
              return existing.name == name;
            }))
          return error(o.getKey(), "duplicate option '" + name + "'");
        if (is_contained(kReserved, name))
          return error(o.getKey(),
                       "option '" + name +
                           "' is set by slim-compress (the step's "
                           "layers:/skip:/hessians: and the calibration "
                           "choose it)");
        SmallVector<std::string> values;
        if (!scalars(o.getValue(), values, "option '" + name + "'"))
          return false;
        if (values.empty())
          return error(o.getValue(), "option '" + name + "' has no value");
        for (const std::string &v : values)
          if (StringRef(v).contains('"'))
            return error(o.getValue(), "option values may not contain '\"'");
        out.options.push_back(
            {name, std::move(values), isa<yaml::SequenceNode>(o.getValue())});
      }
    } else if (key == "layers" || key == "skip") {
      SmallVector<std::string> &list = key == "layers" ? out.layers : out.skip;
      if (!scalars(value, list, key))
        return false;
      for (const std::string &p : list)
        if (StringRef(p).contains('"'))
          return error(value, key + " patterns may not contain '\"'");
    } else if (key == "hessians") {
      std::string v;
      if (!scalar(value, v, "hessians"))
        return false;
      std::optional<bool> b = yaml::parseBool(v);
      if (!b)
        return error(value, "hessians must be true or false");
      out.hessians = *b;
    } else {
      return error(kv.getKey(), "unknown step key '" + key +
                                    "' (expected pipeline, options, layers, "
                                    "skip or hessians)");
    }
  }
  if (out.pipeline.empty())
    return error(node, "a step needs a pipeline: (" +
                           join(ArrayRef(kPipelines), ", ") + ")");
  return true;
}

bool Reader::read(yaml::Node *root, Recipe &recipe) {
  auto *map = dyn_cast_or_null<yaml::MappingNode>(root);
  if (!map)
    return error(root, "a recipe must be a mapping with steps:");
  bool sawSteps = false;
  llvm::StringSet<> seen;
  for (yaml::KeyValueNode &kv : *map) {
    std::string key;
    if (!this->key(kv, seen, key))
      return false;
    if (key == "name") {
      if (!scalar(kv.getValue(), recipe.name, "name"))
        return false;
    } else if (key == "description") {
      if (!scalar(kv.getValue(), recipe.description, "description"))
        return false;
    } else if (key == "steps") {
      sawSteps = true;
      auto *steps = dyn_cast_or_null<yaml::SequenceNode>(kv.getValue());
      if (!steps)
        return error(kv.getValue(), "steps must be a list");
      for (yaml::Node &s : *steps) {
        RecipeStep step;
        if (!this->step(&s, step))
          return false;
        recipe.steps.push_back(std::move(step));
      }
      // (A syntax error ends the list early; the parser said so.)
      if (stream.failed())
        return false;
      if (recipe.steps.empty())
        return error(kv.getValue(), "a recipe needs at least one step");
    } else {
      return error(kv.getKey(), "unknown recipe key '" + key +
                                    "' (expected name, description or steps)");
    }
  }
  if (!sawSteps)
    return error(root, "a recipe needs steps:");
  return true;
}

Expected<Recipe> slim::compress::parseRecipe(StringRef text,
                                             StringRef bufferName) {
  SourceMgr sources;
  std::string messages;
  sources.setDiagHandler(
      [](const SMDiagnostic &d, void *context) {
        raw_string_ostream os(*static_cast<std::string *>(context));
        d.print(nullptr, os, /*ShowColors=*/false);
      },
      &messages);
  std::unique_ptr<MemoryBuffer> buffer =
      MemoryBuffer::getMemBufferCopy(text, bufferName);
  yaml::Stream stream(buffer->getMemBufferRef(), sources,
                      /*ShowColors=*/false);
  Recipe recipe;
  Reader reader(stream);
  yaml::document_iterator doc = stream.begin();
  bool ok = doc != stream.end() && doc->getRoot() &&
            reader.read(doc->getRoot(), recipe) && !stream.failed();
  if (ok && ++doc != stream.end() && doc->getRoot() &&
      !isa<yaml::NullNode>(doc->getRoot())) {
    stream.printError(doc->getRoot(), "a recipe file holds one document");
    ok = false;
  }
  if (!ok || stream.failed()) {
    if (messages.empty())
      messages = (bufferName + ": error: not a recipe (empty)\n").str();
    return createStringError(StringRef(messages).rtrim().str());
  }
  return recipe;
}

Expected<Recipe> slim::compress::loadRecipe(StringRef nameOrPath) {
  StringRef builtin = builtinRecipeText(nameOrPath);
  if (!builtin.empty())
    return parseRecipe(builtin, ("<recipe " + nameOrPath + ">").str());
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(nameOrPath, /*IsText=*/true);
  if (!file)
    return createStringError(
        "unknown recipe '" + nameOrPath + "': not one of " +
        join(builtinRecipeNames(), ", ") + ", and not a readable file (" +
        file.getError().message() + ")");
  return parseRecipe((*file)->getBuffer(), nameOrPath);
}

/// A YAML scalar that reads back as the same string: plain when it is a
/// simple word or number.
static std::string quoted(StringRef s) {
  if (!s.empty() && isAlnum(s.front()) && llvm::all_of(s, [](char c) {
        return isAlnum(c) || StringRef("._-+/").contains(c);
      }))
    return s.str();
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += c;
  }
  return out + "'";
}

std::string slim::compress::printRecipe(const Recipe &recipe) {
  std::string text;
  raw_string_ostream os(text);
  if (!recipe.name.empty())
    os << "name: " << quoted(recipe.name) << "\n";
  if (!recipe.description.empty())
    os << "description: " << quoted(recipe.description) << "\n";
  os << "steps:\n";
  auto list = [&](StringRef key, ArrayRef<std::string> values) {
    if (values.empty())
      return;
    os << "    " << key << ": [";
    llvm::interleaveComma(values, os,
                          [&](const std::string &v) { os << quoted(v); });
    os << "]\n";
  };
  for (const RecipeStep &s : recipe.steps) {
    os << "  - pipeline: " << s.pipeline << "\n";
    if (!s.options.empty()) {
      os << "    options:\n";
      for (const RecipeOption &o : s.options) {
        os << "      " << o.name << ": ";
        if (o.list) {
          os << "[";
          llvm::interleaveComma(o.values, os,
                                [&](const std::string &v) { os << quoted(v); });
          os << "]\n";
        } else {
          os << quoted(o.values.front()) << "\n";
        }
      }
    }
    list("layers", s.layers);
    list("skip", s.skip);
    if (s.hessians)
      os << "    hessians: true\n";
  }
  return text;
}
