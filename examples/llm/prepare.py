"""Step 1 of examples/llm (the importer environment, .venv): the text and
the tokenizer.

The text is Debian's: the reStructuredText sources of the Python 3.11
documentation (package python3.11-doc, /usr/share/doc/python3.11/html/
_sources), 11 MB of English prose and examples. Files are split by their
sorted position: every 20th file is held out for evaluation (test), the one
after it for calibration, the rest train the model. A byte-level BPE
tokenizer (the `tokenizers` package; LLaMA-family models use BPE too) is
trained on the training files.

Usage: .venv/bin/python3 prepare.py OUT [--vocab 4096] [--docs DIR]
Writes OUT/tokenizer.json and OUT/{train,calib,test}_ids.npy (1-D int32
token streams, documents joined by the end-of-text token 0).
"""

import argparse
import glob
import os

import numpy as np
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

DOCS = "/usr/share/doc/python3.11/html/_sources"
EOT = "<|endoftext|>"


def split_files(docs):
    files = sorted(glob.glob(os.path.join(docs, "**", "*.rst.txt"),
                             recursive=True))
    if not files:
        raise SystemExit("no .rst.txt files under %s: apt-get install "
                         "python3.11-doc" % docs)
    parts = {"train": [], "calib": [], "test": []}
    for i, f in enumerate(files):
        kind = {0: "test", 1: "calib"}.get(i % 20, "train")
        parts[kind].append(f)
    return parts


def read(f):
    with open(f, encoding="utf-8", errors="replace") as h:
        return h.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--vocab", type=int, default=4096)
    p.add_argument("--docs", default=DOCS)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    parts = split_files(a.docs)

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=a.vocab, special_tokens=[EOT], show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator((read(f) for f in parts["train"]), trainer)
    tok.save(os.path.join(a.out, "tokenizer.json"))
    eot = tok.token_to_id(EOT)
    assert eot == 0, eot

    for kind, files in parts.items():
        ids = []
        for enc in tok.encode_batch([read(f) for f in files]):
            ids.extend(enc.ids)
            ids.append(eot)
        arr = np.asarray(ids, np.int32)
        np.save(os.path.join(a.out, "%s_ids.npy" % kind), arr)
        print("%s: %d files, %d tokens" % (kind, len(files), len(arr)))


if __name__ == "__main__":
    main()
