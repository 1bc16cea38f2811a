"""slim-tokenize: sentences -> token ids for a tokenizer model's calibration.

Reads a text file (one sentence per line; empty lines skipped), tokenizes
each line with a Hugging Face tokenizer.json (the `tokenizers` package, the
tokenizer the model was trained with: no padding, no truncation of its own)
and writes OUT/input_ids.npy, OUT/attention_mask.npy and
OUT/token_type_ids.npy, each [N, SEQ] int64: sample i is row i, padded with
0 (mask 0) to SEQ tokens; a longer sentence keeps its first SEQ - 1 tokens
and its last one (the [SEP] of BERT-style tokenizers). slim-compress runs it
for `--calibration FILE.txt --tokenizer tokenizer.json`;
examples/minilm/prepare.py uses tokenize() for its data sets.

Usage: slim-tokenize TOKENIZER.json SENTENCES.txt OUT [--seq 128] [--limit N]
"""

import argparse
import os
import sys


def tokenize(tokenizer, texts, seq):
    """(ids, mask, type_ids, lengths): [len(texts), seq] int64 arrays and
    each text's token count before truncation."""
    import numpy as np
    ids = np.zeros((len(texts), seq), np.int64)
    mask = np.zeros((len(texts), seq), np.int64)
    types = np.zeros((len(texts), seq), np.int64)
    lengths = []
    for i, enc in enumerate(tokenizer.encode_batch(texts)):
        n = min(len(enc.ids), seq)
        row = enc.ids[:n]
        kinds = enc.type_ids[:n]
        if n == seq and len(enc.ids) > seq:
            row = row[:-1] + [enc.ids[-1]]  # keep [SEP] last when truncating
            kinds = kinds[:-1] + [enc.type_ids[-1]]
        ids[i, :n] = row
        types[i, :n] = kinds
        mask[i, :n] = 1
        lengths.append(len(enc.ids))
    return ids, mask, types, lengths


def main():
    p = argparse.ArgumentParser(prog="slim-tokenize")
    p.add_argument("tokenizer", help="a Hugging Face tokenizer.json")
    p.add_argument("sentences", help="a text file, one sentence per line")
    p.add_argument("out", help="the directory to write the .npy files to")
    p.add_argument("--seq", type=int, default=128,
                   help="tokens per sample (padded or truncated to it)")
    p.add_argument("--limit", type=int, default=0,
                   help="only the first N sentences (0: all)")
    a = p.parse_args()
    try:
        import numpy as np
        from tokenizers import Tokenizer
    except ImportError as e:
        sys.exit("slim-tokenize: error: %s (the importer environment that "
                 "scripts/setup.sh makes has it)" % e)
    if a.seq < 2:
        sys.exit("slim-tokenize: error: --seq must be at least 2")
    try:
        tokenizer = Tokenizer.from_file(a.tokenizer)
    except Exception as e:  # tokenizers raises its own exception types
        sys.exit("slim-tokenize: error: cannot read the tokenizer %s: %s" %
                 (a.tokenizer, e))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    try:
        with open(a.sentences, encoding="utf-8") as f:
            texts = [line.strip() for line in f if line.strip()]
    except (OSError, UnicodeDecodeError) as e:
        sys.exit("slim-tokenize: error: cannot read %s: %s" % (a.sentences, e))
    if a.limit > 0:
        texts = texts[:a.limit]
    if not texts:
        sys.exit("slim-tokenize: error: %s has no sentences" % a.sentences)
    ids, mask, types, lengths = tokenize(tokenizer, texts, a.seq)
    os.makedirs(a.out, exist_ok=True)
    for name, array in (("input_ids", ids), ("attention_mask", mask),
                        ("token_type_ids", types)):
        np.save(os.path.join(a.out, name + ".npy"), array)
    print("tokenized %d sentences: %d to %d tokens, %d truncated to %d" %
          (len(texts), min(lengths), max(lengths),
           sum(n > a.seq for n in lengths), a.seq))


if __name__ == "__main__":
    main()
