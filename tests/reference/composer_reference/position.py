"""Position-indexed mixers, written from MIXERS.md: constant attention (§7, PAPA), synthesizer
attention (§6) and Linformer (§8).

Conventions shared with Composer's mixers:
  * forward(x, padding): x is (B, T, C); padding is (B, T) bool with True at padded positions, or None.
  * Padded positions are zeroed before anything mixes positions, and the output at a padded position
    is zero (it is set after the output projection).
  * Every position-indexed parameter has L_max = max_length rows; a sequence of T < L_max uses the
    leading [:T] slice, a longer one is an error.
  * Causal-capable mixers have new_state(batch) and step(x (B, 1, C), state) -> (B, 1, C): stepping
    positions 0, 1, ... reproduces the causal forward.
Parameter names are the ones Composer's C# mixers register, so state dicts load across.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _check_length(t, max_length):
    if t > max_length:
        raise ValueError(f"sequence of length {t} is longer than max_length {max_length}")


def _zero_padded(out, padding):
    return out if padding is None else out.masked_fill(padding.unsqueeze(-1), 0.0)


class PositionMixingCache:
    """Decoding state of constant and synthesizer attention: the values seen so far, (B, t, C)."""

    def __init__(self, batch, width):
        self.values = torch.zeros(batch, 0, width)

    @property
    def length(self):
        return self.values.shape[1]

    def reorder(self, indices):
        self.values = self.values.index_select(0, indices)


class ConstantAttention(nn.Module):
    """PAPA's constant head (MIXERS.md §7): O = rownorm(Ā ⊙ m mᵀ [⊙ tril]) V per head.

    `matrix` (H, L_max, L_max) is a buffer (computed elsewhere, loaded from a checkpoint); it starts
    as uniform averaging over the visible positions. V = v_proj(x) split into H heads of D = C / H;
    the heads are joined and mapped by out_proj. A row whose masked sum is 0 mixes nothing (0).
    """

    def __init__(self, width, heads, max_length, causal=False):
        super().__init__()
        assert width % heads == 0
        self.width, self.heads, self.max_length, self.causal = width, heads, max_length, causal
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)
        visible = torch.ones(max_length, max_length)
        if causal:
            visible = visible.tril()
        self.register_buffer("matrix", (visible / visible.sum(-1, keepdim=True)).expand(heads, -1, -1).clone())

    def forward(self, x, padding=None):
        b, t, c = x.shape
        _check_length(t, self.max_length)
        h, d = self.heads, c // self.heads
        if padding is not None:
            x = x.masked_fill(padding.unsqueeze(-1), 0.0)
        v = self.v_proj(x).view(b, t, h, d).transpose(1, 2)                        # (B, H, T, D)
        valid = torch.ones(b, t) if padding is None else (~padding).to(x.dtype)    # m
        p = self.matrix[:, :t, :t].unsqueeze(0) * valid[:, None, :, None] * valid[:, None, None, :]
        if self.causal:
            p = p * torch.ones(t, t).tril()
        total = p.sum(-1, keepdim=True)
        p = p / total.masked_fill(total == 0, 1.0)
        o = (p @ v).transpose(1, 2).reshape(b, t, c)
        return _zero_padded(self.out_proj(o), padding)

    def new_state(self, batch):
        return PositionMixingCache(batch, self.width)

    def step(self, x, state):
        b, _, c = x.shape
        t = state.length
        _check_length(t + 1, self.max_length)
        h, d = self.heads, c // self.heads
        state.values = torch.cat([state.values, self.v_proj(x)], 1)
        row = self.matrix[:, t, : t + 1]                                          # (H, t+1): row t of Ā
        total = row.sum(-1, keepdim=True)
        row = row / total.masked_fill(total == 0, 1.0)
        v = state.values.view(b, t + 1, h, d)
        o = torch.einsum("hj,bjhd->bhd", row, v).reshape(b, 1, c)
        return self.out_proj(o)


class SynthesizerAttention(nn.Module):
    """Synthesizer (MIXERS.md §6): attention logits that do not compare tokens.

    kind="random": `logits` (H, L_max, L_max), a learned matrix independent of the input.
    kind="dense":  each token predicts its own row of logits, per head h
                   logits_h(x_t) = w2[h] · relu(w1[h] · x_t + b1[h]) + b2[h]
                   with w1 (H, C, C), b1 (H, C), w2 (H, L_max, C), b2 (H, L_max); row t keeps [:T].
    Then O = softmax(logits + masks) V per head, with padded keys (and future keys when causal)
    masked before the softmax, dropout on the weights, heads joined and mapped by out_proj.
    """

    def __init__(self, width, heads, max_length, kind="random", causal=False, dropout=0.0):
        super().__init__()
        assert width % heads == 0 and kind in ("random", "dense")
        self.width, self.heads, self.max_length = width, heads, max_length
        self.kind, self.causal, self.dropout = kind, causal, dropout
        if kind == "random":
            self.logits = nn.Parameter(torch.randn(heads, max_length, max_length) * 0.02)
        else:
            bound1, bound2 = 1 / math.sqrt(width), 1 / math.sqrt(width)
            self.w1 = nn.Parameter(torch.empty(heads, width, width).uniform_(-bound1, bound1))
            self.b1 = nn.Parameter(torch.empty(heads, width).uniform_(-bound1, bound1))
            self.w2 = nn.Parameter(torch.empty(heads, max_length, width).uniform_(-bound2, bound2))
            self.b2 = nn.Parameter(torch.empty(heads, max_length).uniform_(-bound2, bound2))
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def _dense_logits(self, x, keys):
        """(B, T, C) tokens -> (B, H, T, keys) logits, the first `keys` entries of each predicted row."""
        hidden = torch.relu(torch.einsum("btc,hec->bhte", x, self.w1) + self.b1[None, :, None, :])
        return torch.einsum("bhte,hle->bhtl", hidden, self.w2[:, :keys]) + self.b2[None, :, None, :keys]

    def forward(self, x, padding=None):
        b, t, c = x.shape
        _check_length(t, self.max_length)
        h, d = self.heads, c // self.heads
        if padding is not None:
            x = x.masked_fill(padding.unsqueeze(-1), 0.0)
        if self.kind == "random":
            logits = self.logits[:, :t, :t].unsqueeze(0).expand(b, -1, -1, -1)
        else:
            logits = self._dense_logits(x, t)
        lowest = torch.finfo(x.dtype).min   # finite, so a fully masked row is uniform, not NaN
        if self.causal:
            logits = logits.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), lowest)
        if padding is not None:
            logits = logits.masked_fill(padding[:, None, None, :], lowest)
        weights = F.dropout(logits.softmax(-1), self.dropout, self.training)
        v = self.v_proj(x).view(b, t, h, d).transpose(1, 2)
        o = (weights @ v).transpose(1, 2).reshape(b, t, c)
        return _zero_padded(self.out_proj(o), padding)

    def new_state(self, batch):
        return PositionMixingCache(batch, self.width)

    def step(self, x, state):
        b, _, c = x.shape
        t = state.length
        _check_length(t + 1, self.max_length)
        h, d = self.heads, c // self.heads
        state.values = torch.cat([state.values, self.v_proj(x)], 1)
        if self.kind == "random":
            logits = self.logits[:, t, : t + 1].unsqueeze(0)                     # (1, H, t+1)
        else:
            logits = self._dense_logits(x, t + 1)[:, :, 0]                       # (B, H, t+1)
        weights = F.dropout(logits.softmax(-1), self.dropout, self.training)
        v = state.values.view(b, t + 1, h, d)
        o = torch.einsum("bhj,bjhd->bhd", weights.expand(b, -1, -1), v).reshape(b, 1, c)
        return self.out_proj(o)


class Linformer(nn.Module):
    """Linformer (MIXERS.md §8), one E and one F per layer shared by the heads:

        head = softmax((X W_q)(E X W_k)ᵀ / √D) (F X W_v),   E = compress_k[:, :T], F = compress_v[:, :T]

    with compress_k, compress_v (k, L_max). Padded timesteps are zeroed before E·X and F·X, so the
    projected keys and values see only real tokens. Encoder only: every projected key mixes all T
    positions, future ones included.
    """

    def __init__(self, width, heads, max_length, projected_length, dropout=0.0):
        super().__init__()
        assert width % heads == 0 and 0 < projected_length <= max_length
        self.width, self.heads, self.max_length, self.dropout = width, heads, max_length, dropout
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)
        bound = 1 / math.sqrt(max_length)
        self.compress_k = nn.Parameter(torch.empty(projected_length, max_length).uniform_(-bound, bound))
        self.compress_v = nn.Parameter(torch.empty(projected_length, max_length).uniform_(-bound, bound))

    def forward(self, x, padding=None):
        b, t, c = x.shape
        _check_length(t, self.max_length)
        h, d = self.heads, c // self.heads
        if padding is not None:
            x = x.masked_fill(padding.unsqueeze(-1), 0.0)
        k = self.compress_k.shape[0]
        q = self.q_proj(x).view(b, t, h, d).transpose(1, 2)                               # (B, H, T, D)
        keys = self.k_proj(self.compress_k[:, :t] @ x).view(b, k, h, d).transpose(1, 2)   # (B, H, k, D)
        values = self.v_proj(self.compress_v[:, :t] @ x).view(b, k, h, d).transpose(1, 2)
        weights = ((q @ keys.transpose(-1, -2)) / math.sqrt(d)).softmax(-1)
        weights = F.dropout(weights, self.dropout, self.training)
        o = (weights @ values).transpose(1, 2).reshape(b, t, c)
        return _zero_padded(self.out_proj(o), padding)
