"""slim-import: an ONNX model -> linalg-on-tensors (or TOSA) MLIR for Slim.

The route (docs/import.md):
  1. load and check the ONNX model (onnx), pin input dims (--input-shape),
     infer shapes and refuse dynamic dims unless --allow-dynamic;
  2. import to the torch dialect with torch-mlir's ONNX importer and name the
     entry function (--entry);
  3. lower with the torch-mlir-opt that ships in the same wheel
     (torch-onnx-to-torch-backend-pipeline, then the linalg or TOSA backend
     pipeline), exchanging generic-form text, never bytecode, because the
     wheel's MLIR is newer than Slim's;
  4. re-read with Slim's slim-opt, which verifies the module, runs
     slim-normalize-imported (unless --raw) and writes the result: text, or
     bytecode with the weights as dense_resource blobs.
The output appears only when every step succeeded (slim-opt writes it to a
temporary name renamed over a regular file; a special file such as
/dev/null is written in place, never replaced). Errors go to stderr as 'slim-import: error: ...' with
exit status 1.

Runs in the project's importer environment (scripts/setup.sh makes .venv with
the pinned torch-mlir[onnx]); build/bin/slim-import is the launcher.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROG = "slim-import"
TORCH_MLIR_PIN = "torch-mlir[onnx]==20261001"


class ImportError_(Exception):
    """A failure to report as 'slim-import: error: <message>'."""


def fail(message):
    raise ImportError_(message)


def parse_shape(text):
    """'NAME=1x128' -> (NAME, [1, 128])."""
    name, sep, dims = text.rpartition("=")
    if not sep or not name or not dims:
        fail("--input-shape '%s' is not NAME=DIMxDIM..." % text)
    try:
        shape = [int(d) for d in dims.split("x")] if dims != "scalar" else []
    except ValueError:
        fail("--input-shape '%s': dims must be positive integers separated "
             "by 'x'" % text)
    if any(d <= 0 for d in shape):
        fail("--input-shape '%s': dims must be positive" % text)
    if any(d >= 2**63 for d in shape):
        fail("--input-shape '%s': dims must be below 2^63" % text)
    return name, shape


def dims_of(value_info):
    """The dims of a graph input/output: ints, or strings for dynamic dims."""
    t = value_info.type
    if not t.HasField("tensor_type"):
        return None
    if not t.tensor_type.HasField("shape"):
        return None
    out = []
    for d in t.tensor_type.shape.dim:
        if d.HasField("dim_value") and d.dim_value > 0:
            out.append(d.dim_value)
        else:
            out.append(d.dim_param or "?")
    return out


def show(dims):
    return "[" + ", ".join(str(d) for d in dims) + "]"


def load_model(path, shapes, allow_dynamic):
    import onnx
    import onnx.shape_inference

    if not os.path.isfile(path):
        fail("cannot read '%s': no such file" % path)
    try:
        model = onnx.load(path)
    except Exception as e:  # protobuf's DecodeError and friends
        fail("'%s' is not a valid ONNX model: %s" % (path, str(e).strip()
                                                     or type(e).__name__))
    try:
        onnx.checker.check_model(model)
    except Exception as e:
        fail("'%s' fails the ONNX checker: %s" % (path, str(e).strip()))

    graph = model.graph
    initializers = {i.name for i in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    by_name = {i.name: i for i in inputs}
    for name, shape in shapes.items():
        if name not in by_name:
            fail("--input-shape names '%s', which is not an input of the "
                 "model (inputs: %s)" % (name, ", ".join(by_name) or "none"))
        vi = by_name[name]
        old = dims_of(vi)
        if old is None:
            fail("input '%s' has no tensor shape to pin" % name)
        if len(old) != len(shape):
            fail("--input-shape %s=%s has rank %d, but input '%s' has rank "
                 "%d %s" % (name, "x".join(map(str, shape)), len(shape), name,
                            len(old), show(old)))
        for i, (was, now) in enumerate(zip(old, shape)):
            if isinstance(was, int) and was != now:
                fail("--input-shape %s=%s: dim %d of '%s' is fixed at %d" %
                     (name, "x".join(map(str, shape)), i, name, was))
        dims = vi.type.tensor_type.shape.dim
        for d, n in zip(dims, shape):
            d.Clear()
            d.dim_value = n

    try:
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True,
                                                  data_prop=True)
    except Exception as e:
        fail("shape inference failed: %s" % str(e).strip())

    if not allow_dynamic:
        # Shapes as inferred (the inferred model's own graph).
        inferred_inputs = [i for i in model.graph.input
                           if i.name not in initializers]
        for kind, values in (("input", inferred_inputs),
                             ("output", model.graph.output)):
            for vi in values:
                dims = dims_of(vi)
                if dims is None or any(not isinstance(d, int) for d in dims):
                    hint = ("pin it with --input-shape %s=%s" %
                            (vi.name, "x".join(str(d) if isinstance(d, int)
                                               else "N" for d in dims or []))
                            if kind == "input" else
                            "pin the inputs it depends on with --input-shape")
                    fail("%s '%s' has dynamic dims %s; Slim's pipelines want "
                         "static shapes: %s (or pass --allow-dynamic)" %
                         (kind, vi.name, show(dims or ["?"]), hint))
    return model


def import_to_torch(model, entry):
    """torch-mlir's ONNX importer -> torch-dialect text (generic form)."""
    from torch_mlir.extras import onnx_importer
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir import ir

    context = ir.Context()
    torch_d.register_dialect(context)
    try:
        info = onnx_importer.ModelInfo(model, config=onnx_importer.Config())
        module = info.create_module(context=context).operation
        importer = onnx_importer.NodeImporter.define_function(info.main_graph,
                                                              module)
        importer.import_all()
        module.verify()
    except Exception as e:
        fail("the ONNX importer failed: %s" % str(e).strip().splitlines()[-1])
    funcs = [op for op in module.regions[0].blocks[0].operations
             if op.operation.name == "func.func"]
    if len(funcs) != 1:
        fail("the importer produced %d functions, expected 1" % len(funcs))
    funcs[0].attributes["sym_name"] = ir.StringAttr.get(entry, context)
    return module.get_asm(print_generic_op_form=False)


def node_for_error(model, torch_text, line):
    """The ONNX node a torch-mlir error at `line` of torch_text points at."""
    lines = torch_text.splitlines()
    if not 0 < line <= len(lines):
        return None
    m = re.search(r'torch\.operator "onnx\.([A-Za-z0-9_]+)"', lines[line - 1])
    if not m:
        return None
    op_type = m.group(1)
    k = sum(1 for l in lines[:line - 1]
            if 'torch.operator "onnx.%s"' % op_type in l)
    nodes = [n for n in model.graph.node if n.op_type == op_type]
    name = nodes[k].name if k < len(nodes) else "?"
    return op_type, name or "#%d" % k


def torch_mlir_opt():
    from torch_mlir import _mlir_libs
    path = os.path.join(os.path.dirname(_mlir_libs.__file__), "torch-mlir-opt")
    if not os.access(path, os.X_OK):
        fail("torch-mlir-opt not found at %s (is %s installed?)" %
             (path, TORCH_MLIR_PIN))
    return path


def lower(model, torch_text, dialect, workdir):
    torch_file = os.path.join(workdir, "model.torch.mlir")
    with open(torch_file, "w") as f:
        f.write(torch_text)
    backend = {"linalg": "torch-backend-to-linalg-on-tensors-backend-pipeline",
               "tosa": "torch-backend-to-tosa-backend-pipeline"}[dialect]
    out_file = os.path.join(workdir, "model.%s.mlir" % dialect)
    cmd = [torch_mlir_opt(), torch_file,
           "--pass-pipeline=builtin.module(torch-onnx-to-torch-backend-"
           "pipeline,%s)" % backend, "--mlir-print-op-generic", "-o", out_file]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode == 0:
        return out_file
    err = proc.stderr
    m = re.search(r"model\.torch\.mlir:(\d+):\d+: error: (.*)", err)
    if m:
        where = node_for_error(model, torch_text, int(m.group(1)))
        if where and "failed to legalize operation 'torch.operator'" in \
                m.group(2):
            fail("ONNX op '%s' (node '%s') is not supported by the importer "
                 "(%s)" % (where[0], where[1], TORCH_MLIR_PIN))
        if where:
            fail("lowering ONNX op '%s' (node '%s') failed: %s" %
                 (where[0], where[1], m.group(2)[:300]))
        fail("lowering to %s failed: %s" % (dialect, m.group(2)[:300]))
    if proc.returncode < 0:
        fail("torch-mlir-opt crashed (signal %d) lowering the model to %s; "
             "the model likely uses an op or a shape the importer does not "
             "handle" % (-proc.returncode, dialect))
    fail("lowering to %s failed: %s" % (dialect, err.strip()[-500:]))


def check_output(output):
    """Refuses an output path that cannot be written, before the import (which
    can take long). slim-opt does the writing itself: to a temporary file
    renamed over a regular file, in place for a special file (/dev/null), and
    never a partial file."""
    if output == "-":
        return
    if os.path.isdir(output):
        fail("cannot write '%s': it is a directory" % output)
    out_dir = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(out_dir):
        fail("cannot write '%s': no such directory" % output)
    special = os.path.exists(output) and not os.path.isfile(output)
    if not special and not os.access(out_dir, os.W_OK | os.X_OK):
        fail("cannot write '%s': permission denied" % output)


def finish(slim_opt, lowered, output, normalize, emit):
    """Slim's own MLIR reads, verifies, normalizes and writes the module."""
    if not os.access(slim_opt, os.X_OK):
        fail("slim-opt not found at %s" % slim_opt)
    # The lowered text is a temporary file: locations into it would point
    # nowhere once it is gone.
    passes = ["--strip-debuginfo"]
    if normalize:
        passes.append("--slim-normalize-imported")
    if emit == "bytecode":
        passes += ["--slim-resource-constants", "--emit-bytecode"]
    # Standard output is inherited: the module streams through.
    proc = subprocess.run([slim_opt, lowered] + passes + ["-o", output],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        err = proc.stderr.strip()
        m = re.search(r"slim-opt: error: (cannot write .*)", err)
        if m:
            fail(m.group(1))
        fail("Slim could not read the importer's output: %s" % err[-800:])


def main(argv):
    p = argparse.ArgumentParser(
        prog=PROG, description="Import an ONNX model as MLIR for Slim.")
    p.add_argument("input", help="the .onnx model")
    p.add_argument("-o", dest="output", required=True,
                   help="output file ('-' for text on stdout)")
    p.add_argument("--input-shape", action="append", default=[],
                   metavar="NAME=DxD", help="pin the dims of an input "
                   "(repeatable), e.g. input_ids=1x128")
    p.add_argument("--dialect", choices=["linalg", "tosa"], default="linalg",
                   help="linalg on tensors (default) or TOSA")
    p.add_argument("--entry", default="main",
                   help="name of the entry function (default: main)")
    p.add_argument("--emit", choices=["auto", "text", "bytecode"],
                   default="auto", help="auto: bytecode with dense_resource "
                   "weights when the output ends in .mlirbc, else text")
    p.add_argument("--allow-dynamic", action="store_true",
                   help="keep dynamic dims instead of refusing them")
    p.add_argument("--raw", action="store_true",
                   help="skip slim-normalize-imported")
    p.add_argument("--slim-opt", default=os.path.join(
        os.path.dirname(os.path.abspath(sys.argv[0])), "slim-opt"),
        help="the slim-opt to verify and write with")
    p.add_argument("--keep-temps", metavar="DIR",
                   help="keep the intermediate files in DIR")
    args = p.parse_args(argv)

    shapes = {}
    for text in args.input_shape:
        name, shape = parse_shape(text)
        if name in shapes:
            fail("--input-shape names '%s' twice" % name)
        shapes[name] = shape
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$.]*", args.entry):
        fail("--entry '%s' is not a valid symbol name" % args.entry)
    emit = args.emit
    if emit == "auto":
        emit = "bytecode" if args.output.endswith(".mlirbc") else "text"
    if emit == "bytecode" and args.output == "-":
        fail("bytecode cannot go to stdout; name an output file")

    try:
        import onnx  # noqa: F401
        import torch_mlir  # noqa: F401
    except ImportError as e:
        fail("the importer environment is missing (%s): run scripts/setup.sh, "
             "which installs %s into .venv" % (e, TORCH_MLIR_PIN))

    check_output(args.output)
    if args.keep_temps and os.path.exists(args.keep_temps) and \
            not os.path.isdir(args.keep_temps):
        fail("--keep-temps '%s' exists and is not a directory" %
             args.keep_temps)

    model = load_model(args.input, shapes, args.allow_dynamic)
    torch_text = import_to_torch(model, args.entry)
    workdir = args.keep_temps or tempfile.mkdtemp(prefix="slim-import-")
    try:
        os.makedirs(workdir, exist_ok=True)
    except OSError as e:
        fail("--keep-temps '%s': %s" % (workdir, e.strerror or e))
    try:
        lowered = lower(model, torch_text, args.dialect, workdir)
        finish(args.slim_opt, lowered, args.output, not args.raw, emit)
    finally:
        if not args.keep_temps:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ImportError_ as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        # Anything the checks above did not foresee (a full disk for the
        # temporary files, say): still one line, never a traceback.
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
