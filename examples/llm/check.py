"""Checks evaluate.py's results (its --json file) against goals and prints
one line per goal, `met` or `NOT met`; exits 1 when one is not met.

A goal is TAG:KIND<=VALUE with KIND one of
  ppl     perplexity / the fp32 perplexity of the same tool (slim-fp32 for a
          slim-* tag, ort-fp32 for an ort-* tag)
  bytes   model file bytes / the fp32 ONNX file's bytes
  vs=TAG2 perplexity / TAG2's perplexity (at least as good as a peer:
          VALUE 1.0)
  speed   ms per window / the fp32 ms per window of the same tool

Usage: python3 check.py RESULTS.json GOAL...
e.g. check.py r.json slim-int4-wo:ppl<=1.05 slim-int4-wo:bytes<=0.3 \\
         slim-int4-wo:vs=ort-int4-wo<=1.0
"""

import json
import re
import sys


def main():
    rows = {r["tag"]: r for r in json.load(open(sys.argv[1]))}
    onnx = rows["ort-fp32"]["bytes"] if "ort-fp32" in rows else None
    ok = True
    for goal in sys.argv[2:]:
        m = re.fullmatch(r"([\w-]+):(ppl|bytes|speed|vs=[\w-]+)<=([0-9.]+)", goal)
        if not m:
            sys.exit("bad goal %r" % goal)
        tag, kind, limit = m.group(1), m.group(2), float(m.group(3))
        r = rows.get(tag)
        base = rows.get(tag.split("-")[0] + "-fp32")
        peer = rows.get(kind[3:]) if kind.startswith("vs=") else None
        if r is None or (kind in ("ppl", "speed") and base is None) or \
                (kind == "bytes" and onnx is None) or \
                (kind.startswith("vs=") and peer is None):
            sys.exit("goal %s: the results lack a row it needs (%s, its "
                     "fp32 row, ort-fp32 or the peer)" % (goal, tag))
        if kind == "ppl":
            value = r["perplexity"] / base["perplexity"]
        elif kind == "bytes":
            value = r["bytes"] / onnx
        elif kind == "speed":
            value = r["ms"] / base["ms"]
        else:
            value = r["perplexity"] / peer["perplexity"]
        met = value <= limit
        ok &= met
        print("goal %s %s %.4f <= %g: %s" % (tag, kind, value, limit,
                                              "met" if met else "NOT met"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
