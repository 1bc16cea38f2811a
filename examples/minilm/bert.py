"""A BERT encoder with mean pooling and L2 normalization (the architecture of
sentence-transformers' all-MiniLM-L6-v2), written for Debian's torch 1.13.

Parameter names follow Hugging Face's BertModel, so the model's safetensors
weights load with load_state_dict. The forward pass takes pinned-shape
input_ids and attention_mask ([batch, seq], int64; padding has mask 0) and
returns L2-normalized sentence embeddings [batch, hidden]. Exported to ONNX
at opset 17, it is what slim-import reads.
"""

import math

import torch
import torch.nn as nn


class Config:
    def __init__(self, vocab_size=30522, hidden_size=384, num_hidden_layers=6,
                 num_attention_heads=12, intermediate_size=1536,
                 max_position_embeddings=512, type_vocab_size=2,
                 layer_norm_eps=1e-12):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.layer_norm_eps = layer_norm_eps

    @classmethod
    def from_json(cls, d):
        keys = cls().__dict__.keys()
        return cls(**{k: d[k] for k in keys if k in d})


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings,
                                                c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size,
                                                  c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, input_ids):
        seq = input_ids.shape[1]
        positions = torch.arange(seq, dtype=torch.int64).unsqueeze(0)
        # Single-segment input: every token type is 0.
        x = (self.word_embeddings(input_ids) +
             self.position_embeddings(positions) +
             self.token_type_embeddings.weight[0])
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, mask_bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), \
            self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size)
        probs = torch.softmax(scores + mask_bias, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3)
        return ctx.reshape(x.shape)


class DenseNorm(nn.Module):
    """Linear, residual add, LayerNorm (BertSelfOutput and BertOutput)."""

    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c.hidden_size)

    def forward(self, x, mask_bias):
        return self.output(self.self(x, mask_bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))  # the exact, erf form


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c.intermediate_size)

    def forward(self, x, mask_bias):
        a = self.attention(x, mask_bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, mask_bias):
        for layer in self.layer:
            x = layer(x, mask_bias)
        return x


class SentenceEncoder(nn.Module):
    """BertModel + mean pooling over unmasked tokens + L2 normalization."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32)
        # Padding gets a large negative score (Hugging Face uses the dtype's
        # minimum; -10000 is BERT's original constant and gives the same
        # softmax in f32 while staying finite through quantization).
        mask_bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
        tokens = self.encoder(self.embeddings(input_ids), mask_bias)
        summed = (tokens * mask[:, :, None]).sum(dim=1)
        mean = summed / mask.sum(dim=1, keepdim=True).clamp(min=1e-9)
        return nn.functional.normalize(mean, p=2.0, dim=1)


def load_weights(model, arrays):
    """Loads a {name: numpy array} dict of Hugging Face BertModel weights."""
    state = {k: torch.from_numpy(v) for k, v in arrays.items()
             if not k.startswith("pooler.") and k != "embeddings.position_ids"}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError("weights do not match the model: missing %s, "
                         "unexpected %s" % (missing, unexpected))
    return model


def export_onnx(model, path, seq_len, batch=1):
    """Exports at opset 17 with pinned [batch, seq_len] int64 inputs."""
    ids = torch.zeros(batch, seq_len, dtype=torch.int64)
    mask = torch.ones(batch, seq_len, dtype=torch.int64)
    torch.onnx.export(model.eval(), (ids, mask), path, opset_version=17,
                      input_names=["input_ids", "attention_mask"],
                      output_names=["embedding"], do_constant_folding=True)
