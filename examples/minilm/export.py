#!/usr/bin/python3
"""Step 2 of examples/minilm (Debian's python3 with python3-torch 1.13):
builds the BERT sentence encoder of bert.py from OUT/weights.npz, checks its
embeddings of the 8 reference sentences against the ones
sentence-transformers computed (examples/minilm/minilm-reference.json, via
OUT/ref_*.npy), and exports ONNX (opset 17, input_ids and attention_mask pinned to 1 x SEQ).

Usage: /usr/bin/python3 export.py OUT [BATCHxSEQ ...]
Writes OUT/minilm.onnx, and OUT/minilm-BATCHxSEQ.onnx for each shape given. (Debian's torch runs single-threaded on a
reference BLAS here, ~1.6 s per 1x128 sentence, so the evaluation's fp32
reference is ONNX Runtime on the exported model, checked against the same
8 reference embeddings by evaluate.py.)
"""

import json
import os
import sys
import warnings

import numpy as np
import torch

import bert


def main():
    # Usage: export.py OUT [BATCHxSEQ ...]
    out = sys.argv[1]
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    with open(os.path.join(out, "config.json")) as f:
        config = bert.Config.from_json(json.load(f))
    weights = dict(np.load(os.path.join(out, "weights.npz")))
    model = bert.load_weights(bert.SentenceEncoder(config), weights).eval()

    ids = torch.from_numpy(np.load(os.path.join(out, "ref_ids.npy")))
    mask = torch.from_numpy(np.load(os.path.join(out, "ref_mask.npy")))
    want = np.load(os.path.join(out, "ref_embeddings.npy"))
    with torch.no_grad():
        got = torch.cat([model(ids[i:i + 1], mask[i:i + 1])
                         for i in range(len(ids))])
    got = got.numpy()
    cos = (got * want).sum(1) / (np.linalg.norm(got, axis=1) *
                                 np.linalg.norm(want, axis=1))
    diff = np.abs(got - want).max()
    print("torch 1.13 vs sentence-transformers on %d sentences: min cosine "
          "%.7f, max |diff| %.2e" % (len(got), cos.min(), diff))
    if cos.min() < 0.99999 or diff > 1e-4:
        sys.exit("the torch model does not reproduce the reference embeddings")

    seq = ids.shape[-1]
    bert.export_onnx(model, os.path.join(out, "minilm.onnx"), seq)
    print("exported %s (opset 17, inputs 1x%d)" %
          (os.path.join(out, "minilm.onnx"), seq))
    # More shapes on request (benchmarks/minilm.py): BATCHxSEQ arguments.
    for shape in sys.argv[2:]:
        batch, length = (int(v) for v in shape.split("x"))
        path = os.path.join(out, "minilm-%dx%d.onnx" % (batch, length))
        bert.export_onnx(model, path, length, batch)
        print("exported %s (opset 17, inputs %dx%d)" % (path, batch, length))


if __name__ == "__main__":
    main()
