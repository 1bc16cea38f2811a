#!/usr/bin/python3
"""Step 3 of examples/llm (Debian's python3 with python3-torch 1.13): exports
the trained decoder (OUT/weights.npz, OUT/config.json) to ONNX, opset 17,
input_ids 1 x SEQ (int64) -> logits 1 x SEQ x VOCAB, with no KV cache, as
torch.onnx.export writes it (the tied output projection becomes a second,
transposed copy of the embeddings). Also writes the evaluation and
calibration windows: OUT/test_windows.npy and OUT/calib_windows.npy,
[N, SEQ] int64, consecutive non-overlapping windows of the token streams,
and OUT/torch_logits.npy, torch's logits for the first --check windows
(evaluate.py compares ONNX Runtime and Slim against them).

Usage: /usr/bin/python3 export.py OUT [--windows 64] [--calib 32] [--check 2]
"""

import argparse
import os
import warnings

import numpy as np
import torch

import llama


def windows(ids, seq, n):
    n = min(n, len(ids) // seq)
    return ids[:n * seq].reshape(n, seq).astype(np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--windows", type=int, default=64)
    p.add_argument("--calib", type=int, default=32)
    p.add_argument("--check", type=int, default=2)
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    c = llama.Config.load(os.path.join(a.out, "config.json"))
    model = llama.load_weights(llama.Llama(c),
                               os.path.join(a.out, "weights.npz")).eval()
    test = windows(np.load(os.path.join(a.out, "test_ids.npy")), c.seq, a.windows)
    calib = windows(np.load(os.path.join(a.out, "calib_ids.npy")), c.seq, a.calib)
    np.save(os.path.join(a.out, "test_windows.npy"), test)
    np.save(os.path.join(a.out, "calib_windows.npy"), calib)
    with torch.no_grad():
        logits = np.stack([model(torch.from_numpy(test[i:i + 1]))[0].numpy()
                           for i in range(a.check)])
    np.save(os.path.join(a.out, "torch_logits.npy"), logits)
    path = os.path.join(a.out, "llm.onnx")
    llama.export_onnx(model, path, c.seq)
    print("exported %s (opset 17, input_ids 1x%d); %d test and %d calibration "
          "windows" % (path, c.seq, len(test), len(calib)))


if __name__ == "__main__":
    main()
