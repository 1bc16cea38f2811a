#!/usr/bin/python3
"""Makes a small seeded model for the import tests: exports it to ONNX
(opset 17, Debian's torch 1.13) and writes its inputs and torch's outputs as
.npy. Usage: make_model.py {mlp,cnn,bert} OUTDIR

  mlp:  Linear(20,16) ReLU Linear(16,5), input x 3x20
  cnn:  Conv(2,4,3,pad 1) ReLU MaxPool(2) Conv(4,6,3,stride 2,pad 1) ReLU,
        flatten, Linear(24,3), input x 1x2x8x8
  bert: the MiniLM architecture (examples/minilm/bert.py) at 2 layers,
        hidden 32, 4 heads, intermediate 64, vocabulary 50, inputs
        input_ids/attention_mask 1x12 with 3 padding tokens
"""

import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "examples", "minilm"))
import bert  # noqa: E402

SEED = 8


def mlp():
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5))
    return model, {"x": torch.randn(3, 20)}


def cnn():
    model = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(24, 3))
    return model, {"x": torch.randn(1, 2, 8, 8)}


def small_bert():
    config = bert.Config(vocab_size=50, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=64,
                         max_position_embeddings=16)
    model = bert.SentenceEncoder(config)
    # LayerNorm starts at (1, 0): perturb it so the test sees its weights.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.add_(0.1 * torch.randn_like(p))
    ids = torch.randint(1, 50, (1, 12))
    mask = torch.ones(1, 12, dtype=torch.int64)
    mask[0, 9:] = 0
    ids[0, 9:] = 0
    return model, {"input_ids": ids, "attention_mask": mask}


def main():
    kind, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(SEED)
    model, inputs = {"mlp": mlp, "cnn": cnn, "bert": small_bert}[kind]()
    model.eval()
    os.makedirs(out, exist_ok=True)
    names = list(inputs)
    args = tuple(inputs[n] for n in names)
    with torch.no_grad():
        expected = model(*args)
    torch.onnx.export(model, args, os.path.join(out, kind + ".onnx"),
                      opset_version=17, input_names=names,
                      output_names=["y"])
    for n in names:
        np.save(os.path.join(out, n + ".npy"), inputs[n].numpy())
    np.save(os.path.join(out, "torch.npy"), expected.numpy())


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
