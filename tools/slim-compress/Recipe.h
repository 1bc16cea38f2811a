//===- Recipe.h - slim-compress's recipes -----------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A recipe is an ordered list of steps, each one of Slim's compression
// pipelines or passes with its options, on the layers it selects. The named
// recipes (int8-static, ...) are recipe files built in; a user's file is
// YAML or JSON (JSON is read as YAML flow syntax). docs/compress.md has the
// format.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_TOOLS_SLIM_COMPRESS_RECIPE_H
#define SLIM_TOOLS_SLIM_COMPRESS_RECIPE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>

namespace slim {
namespace compress {

/// One option of a step: a value, or a list of values.
struct RecipeOption {
  std::string name;
  llvm::SmallVector<std::string> values;
  bool list = false;

  /// As a pass option's value: the value, or the list's elements quoted
  /// and joined by commas.
  std::string text() const;
};

struct RecipeStep {
  /// ptq-static, ptq-dynamic, weight-only, prune, low-rank or smooth.
  std::string pipeline;
  /// The step's options in order.
  llvm::SmallVector<RecipeOption> options;
  /// Regular expressions on layer names: the layers the step applies to
  /// (empty: all), and those it leaves alone.
  llvm::SmallVector<std::string> layers, skip;
  /// Calibrate the inputs' Gram matrices for the step (GPTQ, and for the
  /// criteria and methods that read them, implied).
  bool hessians = false;

  /// The (first) value of option `key`, or `otherwise`.
  llvm::StringRef option(llvm::StringRef key,
                         llvm::StringRef otherwise = "") const;
};

struct Recipe {
  std::string name;
  std::string description;
  llvm::SmallVector<RecipeStep> steps;
};

/// The built-in recipes' names, in the order --help lists them.
llvm::ArrayRef<llvm::StringRef> builtinRecipeNames();

/// The YAML text of a built-in recipe, or empty.
llvm::StringRef builtinRecipeText(llvm::StringRef name);

/// Parses a recipe file's text; `bufferName` names it in the errors, which
/// carry its line and column.
llvm::Expected<Recipe> parseRecipe(llvm::StringRef text,
                                   llvm::StringRef bufferName);

/// The recipe `nameOrPath` names: a built-in one, or a file.
llvm::Expected<Recipe> loadRecipe(llvm::StringRef nameOrPath);

/// The recipe as YAML (what --print-recipe writes; parseRecipe reads it).
std::string printRecipe(const Recipe &recipe);

} // namespace compress
} // namespace slim

#endif // SLIM_TOOLS_SLIM_COMPRESS_RECIPE_H
