"""Compares a result with references: compare.py OUT.npy REF.npy [REF...]
[--atol A]. Prints the largest difference per reference and exits 1 when one
is above the tolerance (or the shapes differ)."""

import argparse
import sys

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("refs", nargs="+")
p.add_argument("--atol", type=float, default=1e-5)
a = p.parse_args()
out = np.load(a.out)
ok = True
for ref_path in a.refs:
    ref = np.load(ref_path)
    if ref.shape != out.shape:
        print("shape %s != reference %s" % (out.shape, ref.shape))
        ok = False
        continue
    diff = float(np.max(np.abs(out.astype(np.float64) - ref)))
    good = diff <= a.atol and np.all(np.isfinite(out))
    print("%s max|diff| %s %.3g (atol %.3g)" % ("ok" if good else "FAIL",
                                               ref_path.split("/")[-1], diff,
                                               a.atol))
    ok = ok and good
sys.exit(0 if ok else 1)
