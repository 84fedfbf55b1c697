"""Reformer's LSH attention, written from MIXERS.md §9 (independently of the C# code, which sorts and
gathers chunks): here every round is a dense (T, T) mask of the pairs its buckets and chunks allow.

  * Shared QK: `in_proj` (C -> 2C) gives [QK | V] per position, split into H heads of D channels; keys are
    the unit-normalised queries (F.normalize); scores q.k / sqrt(D); `out_proj` mixes the heads.
  * Round r hashes with `rotations[:, r]` (H, D, n_b / 2): bucket = argmax([qk R ; -qk R]); padded
    positions get bucket n_b. Positions are ranked by (bucket, position); chunk = rank // c. Query i may see
    key j in round r iff they share the bucket and chunk(j) is chunk(i) or chunk(i) - 1.
  * Masks: keys outside the round's allowance, padded keys, and (causal) keys after the query get
    finfo.min / 2; the query's own key gets finfo.min / 4, so it is used only when nothing else is left.
  * Every allowed score is lowered by log N_ij, N_ij the number of rounds allowing (i, j); each round's output
    softmax(scores) v is weighted by softmax over rounds of the round's logsumexp.
  * Padded queries output zeros before out_proj.
  * Decoding attends to every cached key (normalised) with the same self rule.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from composer_reference.attention import mask_value, merge_heads, split_heads


class LshAttention(nn.Module):
    def __init__(self, width, heads, buckets, rounds, chunk, causal=False):
        super().__init__()
        assert width % heads == 0 and buckets % 2 == 0
        self.heads, self.buckets, self.rounds, self.chunk, self.causal = heads, buckets, rounds, chunk, causal
        self.in_proj = nn.Linear(width, 2 * width)
        self.out_proj = nn.Linear(width, width)
        self.register_buffer("rotations", torch.randn(heads, rounds, width // heads, buckets // 2))

    def project(self, x):
        qk, v = self.in_proj(x).chunk(2, dim=-1)
        return split_heads(qk, self.heads), split_heads(v, self.heads)

    def allowed(self, qk, padding):
        """(B, H, n_r, T, T) bool: which keys each round's buckets and chunks show each query."""
        b, h, t, _ = qk.shape
        rounds = []
        for r in range(self.rounds):
            rotated = torch.einsum("bhtd,hdk->bhtk", qk, self.rotations[:, r])
            bucket = torch.cat([rotated, -rotated], dim=-1).argmax(dim=-1)  # (B, H, T)
            if padding is not None:
                bucket = bucket.masked_fill(padding[:, None, :], self.buckets)
            # Rank by (bucket, position): a stable sort by bucket keeps positions in order.
            order = torch.argsort(bucket * t + torch.arange(t), dim=-1)
            rank = torch.empty_like(order)
            rank.scatter_(-1, order, torch.arange(t).expand(b, h, t))
            chunk = rank // self.chunk
            same_bucket = bucket[..., :, None] == bucket[..., None, :]
            gap = chunk[..., :, None] - chunk[..., None, :]
            rounds.append(same_bucket & ((gap == 0) | (gap == 1)))
        return torch.stack(rounds, dim=2)

    def forward(self, x, padding=None):
        b, t, _ = x.shape
        qk, v = self.project(x)
        k = F.normalize(qk, p=2, dim=-1)
        scores = qk @ k.transpose(-2, -1) / math.sqrt(qk.shape[-1])  # (B, H, T, T)
        allowed = self.allowed(qk.detach(), padding)                  # (B, H, n_r, T, T)
        count = allowed.sum(dim=2, keepdim=True).clamp(min=1).to(x.dtype)
        logits = scores[:, :, None] - count.log()
        eye = torch.eye(t, dtype=torch.bool)
        logits = logits.masked_fill(eye & allowed, mask_value(x.dtype) / 2)
        hidden = ~allowed
        if padding is not None:
            hidden = hidden | padding[:, None, None, None, :]
        if self.causal:
            hidden = hidden | torch.ones(t, t, dtype=torch.bool).triu(1)
        logits = logits.masked_fill(hidden, mask_value(x.dtype))
        lse = torch.logsumexp(logits, dim=-1)                          # (B, H, n_r, T)
        out = torch.softmax(logits, dim=-1) @ v[:, :, None]            # (B, H, n_r, T, D)
        out = (out * torch.softmax(lse, dim=2)[..., None]).sum(2)
        if padding is not None:
            out = out.masked_fill(padding[:, None, :, None], 0.0)
        return self.out_proj(merge_heads(out))

    def step(self, x, state=None):
        qk, v = self.project(x)
        k = F.normalize(qk, p=2, dim=-1)
        if state is not None:
            k = torch.cat([state["k"], k], dim=2)
            v = torch.cat([state["v"], v], dim=2)
        logits = qk @ k.transpose(-2, -1) / math.sqrt(qk.shape[-1])
        logits[..., -1] = mask_value(x.dtype) / 2
        out = torch.softmax(logits, dim=-1) @ v
        return self.out_proj(merge_heads(out)), {"k": k, "v": v}
