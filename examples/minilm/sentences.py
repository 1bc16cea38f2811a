"""Deterministic sentence sets for calibrating and evaluating MiniLM, made
from English text that every Debian system ships: the license texts in
/usr/share/common-licenses (package base-files) and the docstrings of
Python's standard library in /usr/lib/python3.11 (package
libpython3.11-stdlib). The calibration and evaluation sets are disjoint.

  sentences(): every usable sentence, deduplicated, in a fixed order
  split(n_calib, n_eval): (calibration, evaluation) lists
"""

import ast
import glob
import hashlib
import os
import re

LICENSES = "/usr/share/common-licenses"
STDLIB = "/usr/lib/python3.11"


def _paragraphs():
    for path in sorted(glob.glob(os.path.join(LICENSES, "*"))):
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                yield from f.read().split("\n\n")
    for path in sorted(glob.glob(os.path.join(STDLIB, "*.py"))):
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                 ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    yield from doc.split("\n\n")


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_CODE = re.compile(r"[{}<>=\[\]_`|\\#@$*]|\.\.\.|\(\)|::")


def _usable(s):
    words = s.split()
    if not 8 <= len(words) <= 40 or s[-1] not in ".!?":
        return False
    if _CODE.search(s) or not s[0].isupper():
        return False
    letters = sum(c.isalpha() for c in s)
    return letters >= 0.75 * len(s.replace(" ", ""))


def sentences():
    seen, out = set(), []
    for para in _paragraphs():
        text = " ".join(para.split())
        for s in _SPLIT.split(text):
            s = s.strip()
            if _usable(s) and s.lower() not in seen:
                seen.add(s.lower())
                out.append(s)
    return out


def split(n_calib, n_eval):
    """Orders sentences by a hash of their text (stable, source-mixing) and
    takes the first n_calib for calibration and the next n_eval for
    evaluation."""
    ordered = sorted(sentences(),
                     key=lambda s: hashlib.sha1(s.encode()).hexdigest())
    if len(ordered) < n_calib + n_eval:
        raise SystemExit("only %d usable sentences; asked for %d" %
                         (len(ordered), n_calib + n_eval))
    return ordered[:n_calib], ordered[n_calib:n_calib + n_eval]


if __name__ == "__main__":
    calib, evaluation = split(200, 500)
    print(len(sentences()), "usable sentences")
    for s in evaluation[:8]:
        print(" ", s)
