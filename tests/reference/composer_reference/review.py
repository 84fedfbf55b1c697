"""The attention review's score and distribution functions, written from MIXERS.md §1 (independently of the
C# code): scored self- and cross-attention (additive, general, dot, scaled-dot scores; softmax, sigmoid,
sparsemax weights), location-based attention, predictive local attention (local-p) and multi-dimensional
(feature-wise) attention.

Conventions shared with Composer (the parameter names are a contract: the C# modules load these weights):
  * x is (B, T, C); padding is (B, T) bool, True at padded positions, or None.
  * Heads split C into H heads of D = C / H contiguous channels; `qkv_proj` (C -> 3C) gives [Q | K | V],
    `out_proj` (C -> C) mixes the heads. Score parameters: `bilinear` (H, D, D) for general scores,
    `score_vector` (H, D) for additive ones, `location` (H, L_max, D) for location-based ones (whose
    projection `qv_proj` (C -> 2C) gives [Q | V]).
  * Masked logits are filled with finfo(dtype).min / 2; a query that sees no key outputs zeros before
    `out_proj`.
  * Decoding: `step(x, state)` takes x (B, 1, C) and a state (None at the start) and returns (output, state).

Everything here is computed the plain way: the additive scores materialise the whole (B, H, T, S, D)
tensor, local-p uses dense (T, S) masks rather than gathered windows.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from composer_reference.attention import mask_value, merge_heads, sparsemax, split_heads


def key_scores(score, q, k, parameter):
    """f(q, k) for (..., T, D) queries and (..., S, D) keys: (..., T, S)."""
    if score == "dot":
        return q @ k.transpose(-2, -1)
    if score == "scaled_dot":
        return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if score == "general":
        # q^T W_h k per head h.
        return torch.einsum("bhtd,hde,bhse->bhts", q, parameter, k)
    if score == "additive":
        # w_h^T tanh(q + k): the naive (B, H, T, S, D) form.
        return (torch.tanh(q[:, :, :, None, :] + k[:, :, None, :, :]) * parameter[None, :, None, None, :]).sum(-1)
    raise ValueError(score)


def distribute(distribution, logits, mask, v, dropout=0.0, training=False):
    """g(logits masked) @ v; mask broadcasts to (..., T, S), True = hidden; rows that see nothing give 0."""
    if mask is not None:
        logits = logits.masked_fill(mask, mask_value(logits.dtype))
    if distribution == "softmax":
        weights = torch.softmax(logits, dim=-1)
    elif distribution == "sigmoid":
        weights = torch.sigmoid(logits)
    elif distribution == "sparsemax":
        weights = sparsemax(logits)
    else:
        raise ValueError(distribution)
    weights = F.dropout(weights, dropout, training)
    out = weights @ v
    if mask is not None:
        out = out.masked_fill(mask.all(dim=-1, keepdim=True), 0.0)
    return out


def self_mask(padding, causal, t):
    mask = None
    if causal:
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)[None, None]
    if padding is not None:
        pad = padding[:, None, None, :]
        mask = pad if mask is None else mask | pad
    return mask


def score_parameter(module, score, heads, head_width):
    bound = 1.0 / math.sqrt(head_width)
    if score == "general":
        module.bilinear = nn.Parameter(torch.empty(heads, head_width, head_width).uniform_(-bound, bound))
        return lambda: module.bilinear
    if score == "additive":
        module.score_vector = nn.Parameter(torch.empty(heads, head_width).uniform_(-bound, bound))
        return lambda: module.score_vector
    return lambda: None


class ScoredAttention(nn.Module):
    """o_t = sum_j g(f(q_t, k_j) + M_tj) v_j per head, then out_proj (MIXERS.md §1)."""

    def __init__(self, width, heads, score="additive", distribution="softmax", causal=False, dropout=0.0):
        super().__init__()
        assert width % heads == 0
        self.heads, self.score, self.distribution, self.causal, self.dropout = heads, score, distribution, causal, dropout
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)
        self.parameter = score_parameter(self, score, heads, width // heads)

    def project(self, x):
        q, k, v = self.qkv_proj(x).chunk(3, dim=-1)
        return split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads)

    def forward(self, x, padding=None):
        q, k, v = self.project(x)
        logits = key_scores(self.score, q, k, self.parameter())
        out = distribute(self.distribution, logits, self_mask(padding, self.causal, x.shape[1]), v, self.dropout, self.training)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        q, k, v = self.project(x)
        if state is not None:
            k = torch.cat([state["k"], k], dim=2)
            v = torch.cat([state["v"], v], dim=2)
        out = distribute(self.distribution, key_scores(self.score, q, k, self.parameter()), None, v, self.dropout, self.training)
        return self.out_proj(merge_heads(out)), {"k": k, "v": v}

    @staticmethod
    def reorder(state, order):
        return {name: t.index_select(0, order) for name, t in state.items()}


class ScoredCrossAttention(nn.Module):
    """Target queries (q_proj) against memory keys and values (kv_proj, [K | V]) with f and g as above."""

    def __init__(self, width, heads, score="additive", distribution="softmax", dropout=0.0):
        super().__init__()
        assert width % heads == 0
        self.heads, self.score, self.distribution, self.dropout = heads, score, distribution, dropout
        self.q_proj = nn.Linear(width, width)
        self.kv_proj = nn.Linear(width, 2 * width)
        self.out_proj = nn.Linear(width, width)
        self.parameter = score_parameter(self, score, heads, width // heads)

    def forward(self, query, memory, memory_padding=None):
        k, v = self.kv_proj(memory).chunk(2, dim=-1)
        k, v = split_heads(k, self.heads), split_heads(v, self.heads)
        q = split_heads(self.q_proj(query), self.heads)
        mask = None if memory_padding is None else memory_padding[:, None, None, :]
        out = distribute(self.distribution, key_scores(self.score, q, k, self.parameter()), mask, v, self.dropout, self.training)
        return self.out_proj(merge_heads(out))


class LocationAttention(nn.Module):
    """f_t = W_h q_t over key positions (keys play no part); o = g(f + M) v per head."""

    def __init__(self, width, heads, max_length, distribution="softmax", causal=False, dropout=0.0):
        super().__init__()
        assert width % heads == 0
        self.heads, self.distribution, self.causal, self.dropout = heads, distribution, causal, dropout
        self.max_length = max_length
        d = width // heads
        self.qv_proj = nn.Linear(width, 2 * width)
        self.out_proj = nn.Linear(width, width)
        self.location = nn.Parameter(torch.empty(heads, max_length, d).uniform_(-1 / math.sqrt(d), 1 / math.sqrt(d)))

    def forward(self, x, padding=None):
        t = x.shape[1]
        assert t <= self.max_length
        q, v = (split_heads(p, self.heads) for p in self.qv_proj(x).chunk(2, dim=-1))
        logits = torch.einsum("bhtd,hsd->bhts", q, self.location[:, :t])
        out = distribute(self.distribution, logits, self_mask(padding, self.causal, t), v, self.dropout, self.training)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        q, v = (split_heads(p, self.heads) for p in self.qv_proj(x).chunk(2, dim=-1))
        if state is not None:
            v = torch.cat([state["v"], v], dim=2)
        s = v.shape[2]
        logits = torch.einsum("bhtd,hsd->bhts", q, self.location[:, :s])
        out = distribute(self.distribution, logits, None, v, self.dropout, self.training)
        return self.out_proj(merge_heads(out)), {"v": v}


class PredictiveLocalAttention(nn.Module):
    """Luong's local-p: per head a centre p_t from g_t = sigmoid(v_h^T tanh(W_p x_t)); softmax over the keys
    with |s - p_t| <= window, times exp(-(s - p_t)^2 / (2 sigma^2)), sigma = window / 2.
    Encoder: p_t = first + (last - first) g_t over the sequence's real positions.
    Decoder: p_t = t - window g_t (keys after t are hidden)."""

    def __init__(self, width, heads, window, causal=False, dropout=0.0):
        super().__init__()
        assert width % heads == 0
        self.heads, self.window, self.causal, self.dropout = heads, window, causal, dropout
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)
        self.centre_proj = nn.Linear(width, width, bias=False)
        self.centre_vector = nn.Parameter(torch.empty(heads, width).uniform_(-1 / math.sqrt(width), 1 / math.sqrt(width)))

    def gate(self, x):
        return torch.sigmoid(torch.tanh(self.centre_proj(x)) @ self.centre_vector.t()).transpose(1, 2)  # (B, H, T)

    def attend(self, q, k, v, centre, key_positions, hidden):
        """q (B, H, T, D), k/v (B, H, S, D), centre (B, H, T), key_positions (S,), hidden (B or 1, 1, T or 1, S)."""
        distance = key_positions.to(q.dtype)[None, None, None, :] - centre[..., None]  # (B, H, T, S)
        mask = distance.abs() > self.window
        if hidden is not None:
            mask = mask | hidden
        logits = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(mask, mask_value(q.dtype))
        weights = torch.softmax(logits, dim=-1)
        weights = weights.masked_fill(mask.all(dim=-1, keepdim=True), 0.0)
        sigma = self.window / 2
        weights = weights * torch.exp(-distance ** 2 / (2 * sigma ** 2))
        weights = F.dropout(weights, self.dropout, self.training)
        return weights @ v

    def forward(self, x, padding=None):
        b, t, _ = x.shape
        q, k, v = (split_heads(p, self.heads) for p in self.qkv_proj(x).chunk(3, dim=-1))
        g = self.gate(x)
        positions = torch.arange(t)
        if self.causal:
            centre = positions.to(x.dtype) - self.window * g
        else:
            real = torch.ones(b, t, dtype=torch.bool) if padding is None else ~padding
            first = torch.tensor([int(r.nonzero()[0]) if r.any() else 0 for r in real], dtype=x.dtype)
            last = torch.tensor([int(r.nonzero()[-1]) if r.any() else 0 for r in real], dtype=x.dtype)
            centre = first[:, None, None] + (last - first)[:, None, None] * g
        hidden = self_mask(padding, self.causal, t)
        out = self.attend(q, k, v, centre, positions, hidden)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        q, k, v = (split_heads(p, self.heads) for p in self.qkv_proj(x).chunk(3, dim=-1))
        if state is not None:
            k = torch.cat([state["k"], k], dim=2)
            v = torch.cat([state["v"], v], dim=2)
        t = k.shape[2] - 1
        centre = t - self.window * self.gate(x)
        out = self.attend(q, k, v, centre, torch.arange(t + 1), None)
        return self.out_proj(merge_heads(out)), {"k": k, "v": v}


class MultiDimensionalAttention(nn.Module):
    """DiSAN's feature-wise attention: f(q_i, k_j) = 5 tanh((q_i + k_j) / 5) in R^C, a softmax over j per
    channel, o_ic = sum_j a_ijc v_jc, then out_proj. No heads."""

    def __init__(self, width, causal=False, dropout=0.0):
        super().__init__()
        self.causal, self.dropout = causal, dropout
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)

    def mix(self, q, k, v, mask):
        """q (B, T, C), k/v (B, S, C), mask (B or 1, T or 1, S) True = hidden."""
        scores = 5.0 * torch.tanh((q[:, :, None, :] + k[:, None, :, :]) / 5.0)  # (B, T, S, C)
        if mask is not None:
            scores = scores.masked_fill(mask[..., None], mask_value(scores.dtype))
        weights = torch.softmax(scores, dim=2)
        weights = F.dropout(weights, self.dropout, self.training)
        out = (weights * v[:, None, :, :]).sum(2)
        if mask is not None:
            out = out.masked_fill(mask.all(dim=-1)[..., None], 0.0)
        return out

    def forward(self, x, padding=None):
        q, k, v = self.qkv_proj(x).chunk(3, dim=-1)
        t = x.shape[1]
        mask = None
        if self.causal:
            mask = torch.ones(t, t, dtype=torch.bool).triu(1)[None]
        if padding is not None:
            pad = padding[:, None, :]
            mask = pad if mask is None else mask | pad
        return self.out_proj(self.mix(q, k, v, mask))

    def step(self, x, state=None):
        q, k, v = self.qkv_proj(x).chunk(3, dim=-1)
        if state is not None:
            k = torch.cat([state["k"], k], dim=1)
            v = torch.cat([state["v"], v], dim=1)
        return self.out_proj(self.mix(q, k, v, None)), {"k": k, "v": v}
