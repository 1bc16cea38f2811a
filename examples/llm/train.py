#!/usr/bin/python3
"""Step 2 of examples/llm (Debian's python3 with python3-torch 1.13): trains
the LLaMA-architecture decoder of llama.py on OUT/train_ids.npy (random
windows of SEQ + 1 tokens, AdamW, linear warm-up then cosine decay; seeded),
prints the held-out perplexity every --eval-every steps, and writes
OUT/weights.npz and OUT/config.json. Debian's torch links the system BLAS:
with libopenblas0-pthread installed a step of the default model takes about
1 s on two cores; the reference BLAS is 20x slower.

Usage: /usr/bin/python3 train.py OUT [--steps 1500] [--batch 16] [--lr 2e-3]
       [--dim 288 --layers 6 --heads 6 --kv_heads 0 --hidden 768 --seq 128]
"""

import argparse
import json
import math
import os
import time

import numpy as np
import torch
from torch.nn import functional as F

import llama


def perplexity(model, ids, seq, windows):
    """exp(mean NLL) of each window's next tokens: non-overlapping windows
    of seq tokens from the start of ids (the first `windows` of them)."""
    nll, n = 0.0, 0
    with torch.no_grad():
        for w in range(windows):
            x = torch.from_numpy(ids[w * seq:(w + 1) * seq].astype(np.int64))[None]
            logits = model(x)[0, :-1]
            nll += F.cross_entropy(logits, x[0, 1:], reduction="sum").item()
            n += seq - 1
    return math.exp(nll / n)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    for k, v in llama.Config().to_json().items():
        p.add_argument("--" + k, type=type(v), default=v)
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(0)

    tok = json.load(open(os.path.join(a.out, "tokenizer.json")))
    shape = {k: getattr(a, k) for k in llama.Config().to_json()}
    shape["vocab"] = len(tok["model"]["vocab"])
    c = llama.Config(**shape)
    model = llama.Llama(c)
    for name, w in model.named_parameters():
        if w.dim() == 2:
            torch.nn.init.normal_(w, std=0.02)
    print("parameters: %d" % sum(w.numel() for w in model.parameters()))
    train = np.load(os.path.join(a.out, "train_ids.npy"))
    test = np.load(os.path.join(a.out, "test_ids.npy"))
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95),
                            weight_decay=0.1)
    start = time.time()
    for step in range(1, a.steps + 1):
        lr = a.lr * min(1.0, step / a.warmup) * 0.5 * (
            1 + math.cos(math.pi * min(1.0, step / a.steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        at = rng.integers(0, len(train) - a.seq - 1, a.batch)
        x = torch.from_numpy(np.stack([train[i:i + a.seq + 1] for i in at])
                             .astype(np.int64))
        logits = model(x[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, c.vocab), x[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0:
            print("step %d loss %.3f lr %.2e %.1f s" %
                  (step, loss.item(), lr, time.time() - start), flush=True)
        if step % a.eval_every == 0 or step == a.steps:
            model.eval()
            print("step %d held-out perplexity %.2f (16 windows)" %
                  (step, perplexity(model, test, c.seq, 16)), flush=True)
            model.train()
    llama.save_weights(model, os.path.join(a.out, "weights.npz"))
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(c.to_json(), f, indent=1)


if __name__ == "__main__":
    main()
