"""The PAPA probe (MIXERS.md §7, §7a), written from the text (independently of the C# code):
the constant matrices averaged from a softmax attention, the divergence that ranks heads, and an
attention some of whose heads are constant.

Conventions shared with Composer (the names are a contract: the C# modules load these weights):
  * Ā[h][i, j] = sum_x A_x[h, i, j] m_x[i] m_x[j] / sum_x m_x[i] m_x[j], summed in float64; a pair that
    never co-occurs gets 0.
  * A constant head mixes its values with P = rownorm(Ā[:T, :T] ⊙ m mᵀ [⊙ tril]); a row summing to 0
    mixes nothing. The layer keeps `qkv_proj` and `out_proj`, and `constant_heads.heads` (int64, the
    constant heads in ascending order) and `constant_heads.matrix` (K, L, L).
  * Divergence: Jensen–Shannon between a head's attention row and the same row of P, in nats, averaged
    over the real query positions.
"""
import math

import torch
from torch import nn

from composer_reference.attention import key_mask, mask_value, merge_heads, split_heads


def attention_weights(attention, x, padding):
    """The softmax weights (B, H, T, T) of a reference SelfAttention, hidden keys at 0; a query that sees
    no key at all gets all-zero weights."""
    q, k, _ = attention.project(x)
    mask = key_mask(padding, attention.causal, x.shape[1])
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(mask, mask_value(scores.dtype))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(mask.all(dim=-1, keepdim=True), 0.0)
    return weights


def real_positions(padding, b, t):
    return torch.ones(b, t, dtype=torch.float64) if padding is None else (~padding).to(torch.float64)


def papa_average(attention, batches, max_length):
    """Ā (H, L, L) and the pair counts (L, L), both float64, over batches of (x, padding)."""
    heads = attention.heads
    total = torch.zeros(heads, max_length, max_length, dtype=torch.float64)
    pairs = torch.zeros(max_length, max_length, dtype=torch.float64)
    for x, padding in batches:
        b, t, _ = x.shape
        m = real_positions(padding, b, t)
        both = m[:, :, None] * m[:, None, :]
        weights = attention_weights(attention, x, padding).to(torch.float64)
        for h in range(heads):
            total[h, :t, :t] += (weights[:, h] * both).sum(0)
        pairs[:t, :t] += both.sum(0)
    average = torch.where(pairs > 0, total / pairs.clamp(min=1), torch.zeros_like(total))
    return average, pairs


def constant_weights(matrix, t, padding, causal):
    """P = rownorm(Ā[:T, :T] ⊙ m mᵀ [⊙ tril]) as (B or 1, K, T, T)."""
    p = matrix[:, :t, :t]
    if causal:
        p = torch.tril(p)
    p = p[None]
    if padding is not None:
        m = (~padding).to(matrix.dtype)
        p = p * (m[:, :, None] * m[:, None, :])[:, None]
    sums = p.sum(-1, keepdim=True)
    return torch.where(sums > 0, p / torch.where(sums > 0, sums, torch.ones_like(sums)), torch.zeros_like(p))


def js_divergence(attention, batches, average):
    """Mean Jensen–Shannon divergence per head between A(x) and P over the real query rows, (H) float64."""
    total = torch.zeros(attention.heads, dtype=torch.float64)
    rows = 0.0
    for x, padding in batches:
        b, t, _ = x.shape
        a = attention_weights(attention, x, padding).to(torch.float64)
        p = constant_weights(average, t, padding, attention.causal)
        m = (a + p) / 2

        def kl(u, w):
            return torch.where(u > 0, u * (torch.log(u) - torch.log(torch.where(w > 0, w, torch.ones_like(w)))), torch.zeros_like(u)).sum(-1)

        js = (kl(a, m) + kl(p, m)) / 2                           # (B, H, T)
        real = real_positions(padding, b, t)
        total += (js * real[:, None, :]).sum((0, 2))
        rows += real.sum().item()
    return total / rows


class PartlyConstantAttention(nn.Module):
    """Softmax self-attention whose heads listed in `constant` mix with constant matrices instead."""

    def __init__(self, width, heads, max_length, constant, causal=False):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)
        self.constant_heads = nn.Module()
        self.constant_heads.register_buffer("heads", torch.tensor(sorted(constant), dtype=torch.int64))
        self.constant_heads.register_buffer("matrix", torch.rand(len(constant), max_length, max_length))

    def forward(self, x, padding=None):
        q, k, v = (split_heads(part, self.heads) for part in self.qkv_proj(x).chunk(3, dim=-1))
        t = x.shape[1]
        mask = key_mask(padding, self.causal, t)
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
        if mask is not None:
            scores = scores.masked_fill(mask, mask_value(scores.dtype))
        weights = torch.softmax(scores, dim=-1)
        if mask is not None:
            weights = weights.masked_fill(mask.all(dim=-1, keepdim=True), 0.0)
        constant = constant_weights(self.constant_heads.matrix, t, padding, self.causal)
        heads = []
        listed = self.constant_heads.heads.tolist()
        for h in range(self.heads):
            w = constant[:, listed.index(h)] if h in listed else weights[:, h]
            heads.append(w @ v[:, h])
        return self.out_proj(merge_heads(torch.stack(heads, 1)))
