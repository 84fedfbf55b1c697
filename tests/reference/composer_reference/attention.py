"""Dot-product attention mixers, written from MIXERS.md §0 and §1 (independently of the C# code):
softmax self-attention, cross-attention, local (sliding-window) attention and sparsemax attention.

Conventions shared with Composer (the parameter names are a contract: the C# modules load these weights):
  * x is (B, T, C); padding is (B, T) bool, True at padded positions, or None.
  * Self-attention projects Q, K and V with one fused Linear `qkv_proj` (C -> 3C, output channels
    [Q | K | V], each split into H heads of D = C/H contiguous channels) and mixes heads with `out_proj`.
    Cross-attention has `q_proj` (C -> C) on the target and `kv_proj` (C -> 2C, [K | V]) on the memory.
  * Masked scores are filled with finfo(dtype).min / 2: finite (so sparsemax and fp16 stay NaN-free, N2)
    and small enough that exp() underflows to exactly 0.
  * A query that can see no key at all (every key it may attend to is padding) outputs zeros before
    `out_proj`, instead of an average over masked keys.
  * Decoding: `step(x, state)` takes x (B, 1, C) and a state (None at the start) and returns
    (output, state); `reorder(state, order)` reorders the batch for beam search.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def mask_value(dtype):
    return torch.finfo(dtype).min / 2


def split_heads(x, heads):
    b, t, c = x.shape
    return x.view(b, t, heads, c // heads).transpose(1, 2)


def merge_heads(x):
    b, h, t, d = x.shape
    return x.transpose(1, 2).reshape(b, t, h * d)


class SparsemaxFunction(torch.autograd.Function):
    """Sparsemax over the last dimension, MIXERS.md §1, with its closed-form Jacobian."""

    @staticmethod
    def forward(ctx, z):
        z_sorted, _ = torch.sort(z, dim=-1, descending=True)
        partial_sums = z_sorted.cumsum(-1)
        k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype, device=z.device)
        # Step 2: k* = max{k : 1 + k z_(k) > sum_{j<=k} z_(j)}; the condition holds on a prefix.
        holds = 1 + k * z_sorted > partial_sums
        k_star = holds.sum(-1, keepdim=True).clamp(min=1)
        # Step 3: tau = (sum_{j<=k*} z_(j) - 1) / k*.
        tau = (partial_sums.gather(-1, k_star - 1) - 1) / k_star.to(z.dtype)
        # Step 4: p_i = max(z_i - tau, 0).
        p = torch.clamp(z - tau, min=0)
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, grad):
        (p,) = ctx.saved_tensors
        # Jacobian on the support Sup: diag(s) - s s^T / |Sup|.
        s = (p > 0).to(grad.dtype)
        size = s.sum(-1, keepdim=True).clamp(min=1)
        return s * (grad - (grad * s).sum(-1, keepdim=True) / size)


def sparsemax(z):
    return SparsemaxFunction.apply(z)


def attend(q, k, v, mask, normalise, dropout, training):
    """softmax_j(q k^T / sqrt(D) + M) v over (..., T, D) heads; mask broadcasts to (..., T, S), True = hidden."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(mask, mask_value(scores.dtype))
    weights = sparsemax(scores) if normalise == "sparsemax" else torch.softmax(scores, dim=-1)
    weights = F.dropout(weights, dropout, training)
    out = weights @ v
    if mask is not None:
        sees_nothing = mask.all(dim=-1, keepdim=True)
        out = out.masked_fill(sees_nothing, 0.0)
    return out


def key_mask(padding, causal, t):
    """(B or 1, 1, T, S) mask from key padding and causality, or None."""
    mask = None
    if causal:
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)[None, None]
    if padding is not None:
        pad = padding[:, None, None, :]
        mask = pad if mask is None else mask | pad
    return mask


class SelfAttention(nn.Module):
    """Multi-head scaled dot-product self-attention (MIXERS.md §0); `normalise` = "softmax" or "sparsemax"."""

    def __init__(self, width, heads, causal=False, dropout=0.0, normalise="softmax"):
        super().__init__()
        assert width % heads == 0
        self.heads, self.causal, self.dropout, self.normalise = heads, causal, dropout, normalise
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)

    def project(self, x):
        q, k, v = self.qkv_proj(x).chunk(3, dim=-1)
        return split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads)

    def forward(self, x, padding=None):
        q, k, v = self.project(x)
        mask = key_mask(padding, self.causal, x.shape[1])
        out = attend(q, k, v, mask, self.normalise, self.dropout, self.training)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        q, k, v = self.project(x)
        if state is not None:
            k = torch.cat([state["k"], k], dim=2)
            v = torch.cat([state["v"], v], dim=2)
        out = attend(q, k, v, None, self.normalise, self.dropout, self.training)
        return self.out_proj(merge_heads(out)), {"k": k, "v": v}

    @staticmethod
    def reorder(state, order):
        return {name: t.index_select(0, order) for name, t in state.items()}


class SparsemaxAttention(SelfAttention):
    """Self-attention with sparsemax instead of softmax (MIXERS.md §1)."""

    def __init__(self, width, heads, causal=False, dropout=0.0):
        super().__init__(width, heads, causal, dropout, normalise="sparsemax")


class LocalAttention(SelfAttention):
    """Sliding-window softmax attention. Position t attends to keys j with |j - t| <= window in an
    encoder, and with t - window <= j <= t in a decoder (itself and the `window` positions before it).
    Decoding keeps the last `window` keys and values."""

    def __init__(self, width, heads, window, causal=False, dropout=0.0):
        super().__init__(width, heads, causal, dropout)
        self.window = window

    def forward(self, x, padding=None):
        q, k, v = self.project(x)
        t = x.shape[1]
        offset = torch.arange(t)[None, :] - torch.arange(t)[:, None]  # j - t
        highest = 0 if self.causal else self.window
        mask = ((offset < -self.window) | (offset > highest))[None, None]
        if padding is not None:
            mask = mask | padding[:, None, None, :]
        out = attend(q, k, v, mask, "softmax", self.dropout, self.training)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        out, state = super().step(x, state)
        return out, {name: t[:, :, -self.window:] for name, t in state.items()}


class CrossAttention(nn.Module):
    """Decoder-to-encoder attention: queries from the target, keys and values from the memory."""

    def __init__(self, width, heads, dropout=0.0, normalise="softmax"):
        super().__init__()
        assert width % heads == 0
        self.heads, self.dropout, self.normalise = heads, dropout, normalise
        self.q_proj = nn.Linear(width, width)
        self.kv_proj = nn.Linear(width, 2 * width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, query, memory, memory_padding=None):
        return self.step(query, self.memory_state(memory, memory_padding))[0]

    def memory_state(self, memory, memory_padding=None):
        """Projects the memory once: the decoding state."""
        k, v = self.kv_proj(memory).chunk(2, dim=-1)
        mask = None if memory_padding is None else memory_padding[:, None, None, :]
        return {"k": split_heads(k, self.heads), "v": split_heads(v, self.heads), "mask": mask}

    def step(self, query, state):
        q = split_heads(self.q_proj(query), self.heads)
        out = attend(q, state["k"], state["v"], state["mask"], self.normalise, self.dropout, self.training)
        return self.out_proj(merge_heads(out)), state

    @staticmethod
    def reorder(state, order):
        return {name: None if t is None else t.index_select(0, order) for name, t in state.items()}
