# -*- Python -*-
# lit configuration for Slim: IR tests (Dialect/, Conversion/) FileCheck
# slim-opt's output; Integration/ tests compile and run with slim-run and
# compare the numbers with references computed by test/Integration/ref.py.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SLIM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "Unit", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.slim_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%slim_obj_root", config.slim_obj_root))
config.substitutions.append(("%slim_src_root", config.slim_src_root))
config.substitutions.append(
    ("%ref", config.python_executable + " " +
     os.path.join(config.slim_src_root, "test", "Integration", "ref.py")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The importer tests (test/Import) need the importer environment made by
# scripts/setup.sh (feature 'importer') and Debian's torch 1.13 to make their
# models (feature 'torch'); without them they are reported unsupported.
import subprocess


def python_has(python, modules):
    try:
        return subprocess.run([python, "-c", "import " + ", ".join(modules)],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


if python_has(config.importer_python, ["torch_mlir", "onnx", "onnxruntime"]):
    config.available_features.add("importer")
if python_has(config.python_executable, ["torch", "numpy"]):
    config.available_features.add("torch")
config.substitutions.append(("%importer-python", config.importer_python))

# Features kernel-<isa> for the micro-kernels this CPU runs (as slim-run
# --show-host lists them), so that each ISA's tests run where they can.
# SLIM_DISABLE_ISA passes through, to test the fallbacks on any CPU.
if "SLIM_DISABLE_ISA" in os.environ:
    config.environment["SLIM_DISABLE_ISA"] = os.environ["SLIM_DISABLE_ISA"]
try:
    host = subprocess.run([os.path.join(config.slim_tools_dir, "slim-run"),
                           "--show-host", os.devnull],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=config.environment, text=True).stdout
except OSError:
    host = ""
for line in host.splitlines():
    # vpexpandb: where slim-pack-contractions' sparse-weights=auto applies.
    if line.startswith("host:") and " +avx512vbmi2" in line:
        config.available_features.add("cpu-avx512vbmi2")
    if line.startswith("host:") and "micro-kernels:" in line:
        for isa in line.split("micro-kernels:", 1)[1].split(","):
            config.available_features.add("kernel-" + isa.strip())

tool_dirs = [config.slim_tools_dir, config.llvm_tools_dir]
tools = ["slim-opt", "slim-run", "slim-import", "slim-compile", "slim-compress"]

# Programs that link a model compiled by slim-compile: %cc compiles and
# links C (with the build's sanitizers, whose runtimes an instrumented
# libSlimRuntime needs), %cc-model-libs is Slim's runtime and what it needs.
config.substitutions.append(
    ("%cc-model-libs", "%s %s -lstdc++ -lm" % (config.slim_runtime_library,
                                               config.slim_runtime_link_flags)))
config.substitutions.append(
    ("%cc", "%s -O2 %s -I%s" % (config.c_compiler, config.slim_sanitizer_flags,
                                os.path.join(config.slim_src_root, "include"))))
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Slim inside other tools (test/Install): the plugin for upstream's
# mlir-opt, and the build's own tool chain for configuring a downstream
# project against the installed package. An instrumented build's plugin
# cannot load into Debian's uninstrumented mlir-opt (the sanitizer runtime
# must come first), so those tests need an uninstrumented build.
config.substitutions.append(
    ("%slim_plugin", os.path.join(config.slim_obj_root, "lib", "SlimPlugin.so")))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(
    ("%mlir_include_dir", os.path.join(os.path.dirname(config.llvm_tools_dir),
                                       "include")))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))
if not config.slim_sanitizer_flags.strip():
    config.available_features.add("uninstrumented")
# A second compiler for downstream builds (the package must not need the
# one that built Slim).
import shutil
if shutil.which("g++"):
    config.available_features.add("gxx")
# A headless browser for the HTML report's test (scripts/setup.sh installs
# Debian's chromium). %chromium-dom FILE prints the page's DOM after its
# scripts ran; its own profile directory per test (%t), and no sandbox so
# that it also runs as root.
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(
        ("%chromium-dom", chromium + " --headless --no-sandbox --disable-gpu "
         "--user-data-dir=%t.chromium --dump-dom"))
