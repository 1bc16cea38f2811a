"""A LLaMA-architecture decoder in plain torch 1.13 (Debian's python3-torch):
the computation of transformers' LlamaForCausalLM without its library.

Token embeddings; per layer RMSNorm, causal multi-head attention with rotary
position embeddings (the rotate-half form, inv_freq = theta^(-2i/d)), a
residual, RMSNorm, a SiLU-gated MLP (down(silu(gate(x)) * up(x))) and a
residual; a final RMSNorm and the output projection tied to the embeddings.
No biases. Like transformers' models, the rotary table is computed in the
forward pass (inv_freq x positions) and the causal mask is built from the
sequence length, so the exported graph carries both as constant-derived
subgraphs, and RMSNorm squares with pow(2).
"""

import json
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class Config:
    def __init__(self, vocab=4096, dim=288, layers=6, heads=6, hidden=768,
                 theta=10000.0, eps=1e-5, seq=128, kv_heads=0):
        self.vocab, self.dim, self.layers, self.heads = vocab, dim, layers, heads
        self.hidden, self.theta, self.eps, self.seq = hidden, theta, eps, seq
        # Grouped-query attention: kv_heads K/V heads shared by heads / kv_heads
        # query heads each (0: as many as query heads).
        self.kv_heads = kv_heads

    def to_json(self):
        return dict(self.__dict__)

    @staticmethod
    def from_json(d):
        return Config(**d)

    @staticmethod
    def load(path):
        with open(path) as f:
            return Config.from_json(json.load(f))


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.hd = c.heads, c.dim // c.heads
        self.kv = c.kv_heads or c.heads
        self.q_proj = nn.Linear(c.dim, c.dim, bias=False)
        self.k_proj = nn.Linear(c.dim, self.kv * self.hd, bias=False)
        self.v_proj = nn.Linear(c.dim, self.kv * self.hd, bias=False)
        self.o_proj = nn.Linear(c.dim, c.dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        def heads(y, n):
            return y.view(b, t, n, self.hd).transpose(1, 2)
        def shared(y):  # each K/V head for heads / kv query heads
            r = self.heads // self.kv
            if r == 1:
                return y
            return y[:, :, None].expand(b, self.kv, r, t, self.hd).reshape(
                b, self.heads, t, self.hd)
        q = heads(self.q_proj(x), self.heads)
        k = heads(self.k_proj(x), self.kv)
        v = shared(heads(self.v_proj(x), self.kv))
        q = q * cos + rotate_half(q) * sin
        k = shared(k * cos + rotate_half(k) * sin)
        s = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        o = F.softmax(s, dim=-1) @ v
        return self.o_proj(o.transpose(1, 2).reshape(b, t, d))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c.dim, c.hidden, bias=False)
        self.up_proj = nn.Linear(c.dim, c.hidden, bias=False)
        self.down_proj = nn.Linear(c.hidden, c.dim, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c.dim, c.eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c.dim, c.eps)
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.embed_tokens = nn.Embedding(c.vocab, c.dim)
        self.layers = nn.ModuleList(Layer(c) for _ in range(c.layers))
        self.norm = RMSNorm(c.dim, c.eps)
        self.lm_head = nn.Linear(c.dim, c.vocab, bias=False)
        self.lm_head.weight = self.embed_tokens.weight  # tied
        hd = c.dim // c.heads
        inv = 1.0 / (c.theta ** (torch.arange(0, hd, 2).float() / hd))
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, ids):
        t = ids.shape[1]
        pos = torch.arange(t, dtype=torch.float32)
        freqs = self.inv_freq[:, None] @ pos[None, :]  # hd/2 x t
        emb = torch.cat((freqs, freqs), dim=0).transpose(0, 1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((t, t), float("-inf")).triu(1)
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


def save_weights(model, path):
    np.savez(path, **{k: v.detach().numpy() for k, v in
                      model.state_dict().items() if k != "lm_head.weight"})


def load_weights(model, path):
    w = {k: torch.from_numpy(v.astype(np.float32))
         for k, v in np.load(path).items()}
    w["lm_head.weight"] = w["embed_tokens.weight"]
    model.load_state_dict(w)
    return model


def export_onnx(model, path, seq, batch=1):
    ids = torch.zeros((batch, seq), dtype=torch.int64)
    torch.onnx.export(model, (ids,), path, opset_version=17,
                      input_names=["input_ids"], output_names=["logits"],
                      do_constant_folding=True)
