"""Linear attention mixers, written from MIXERS.md §4 (Katharopoulos et al.) and §5 (the Taylor variant),
independently of the C# code.

Conventions shared with Composer (the parameter names are a contract: the C# modules load these weights):
  * x is (B, T, C); padding is (B, T) bool, True at padded positions, or None.
  * One fused Linear `qkv_proj` (C -> 3C, output channels [Q | K | V], each split into H heads of D = C/H
    contiguous channels); heads are merged by `out_proj` (C -> C).
  * A feature map phi >= 0 replaces exp(q . k) by phi(q) . phi(k):
      "elu":    phi(x) = elu(x) + 1                        (F = D)
      "relu":   phi(x) = relu(x) + eps                     (F = D)
      "taylor": phi(x) = [1; x / ||x||], so that phi(q) . phi(k) = 1 + q^ . k^   (F = D + 1)
  * Non-causal: O_t = phi(Q_t) (sum_s phi(K_s)^T V_s) / (phi(Q_t) . sum_s phi(K_s) + eps).
    Causal: the same with the sums running over s <= t, computed here by prefix sums (cumsum).
  * Padded keys are zeroed: phi(K_s) = 0 where s is padding.
  * Sums and the normaliser are computed in float32 whatever the input dtype.
  * Decoding: `step(x, state)` takes x (B, 1, C) and a state (None at the start) and returns
    (output, state); the state is S = sum phi(k)^T v (B, H, F, D) and z = sum phi(k) (B, H, F), float32.
    `reorder(state, order)` reorders the batch for beam search.
  * Cross mixers (LinearCrossAttention, TaylorCrossAttention) attend from a target to an encoded memory:
    queries through `q_proj` (C -> C), keys and values from the memory through `kv_proj` (C -> 2C,
    [K | V]), `out_proj` (C -> C); padded memory positions are zeroed keys. Their decoding state is the
    memory's S and z, computed once by `memory_state(memory, memory_padding)`.
"""
import torch
import torch.nn.functional as F
from torch import nn


def feature_map(name, x, eps):
    if name == "elu":
        return F.elu(x) + 1
    if name == "relu":
        return F.relu(x) + eps
    if name == "taylor":
        ones = torch.ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)
        return torch.cat([ones, F.normalize(x, dim=-1)], dim=-1)
    raise ValueError(f"unknown feature map {name}")


def split_heads(x, heads):
    """(B, T, H*D) -> (B, H, T, D) in float32."""
    b, t, c = x.shape
    return x.view(b, t, heads, c // heads).transpose(1, 2).float()


class LinearAttention(nn.Module):
    """Multi-head linear attention with feature map `feature` ("elu", "relu" or "taylor")."""

    def __init__(self, width, heads, causal=False, feature="elu", eps=1e-6):
        super().__init__()
        assert width % heads == 0, "the width must be a multiple of the heads"
        self.heads, self.causal, self.feature, self.eps = heads, causal, feature, eps
        self.qkv_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)

    def project(self, x):
        """phi(Q), phi(K), V, each (B, H, T, .), in float32."""
        b, t, c = x.shape
        q, k, v = self.qkv_proj(x).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).float()
        return feature_map(self.feature, q, self.eps), feature_map(self.feature, k, self.eps), v

    def merge(self, out, dtype):
        b, h, t, d = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, t, h * d).to(dtype))

    def forward(self, x, padding=None):
        q, k, v = self.project(x)
        if padding is not None:
            k = k.masked_fill(padding[:, None, :, None], 0.0)
        if self.causal:
            kv = torch.einsum("bhtf,bhtd->bhtfd", k, v).cumsum(dim=2)  # S_t = sum_{s<=t} phi(k_s)^T v_s
            z = k.cumsum(dim=2)  # z_t = sum_{s<=t} phi(k_s)
            numerator = torch.einsum("bhtf,bhtfd->bhtd", q, kv)
            denominator = (q * z).sum(-1, keepdim=True) + self.eps
        else:
            kv = torch.einsum("bhsf,bhsd->bhfd", k, v)
            z = k.sum(dim=2, keepdim=True)  # (B, H, 1, F)
            numerator = q @ kv
            denominator = (q * z).sum(-1, keepdim=True) + self.eps
        return self.merge(numerator / denominator, x.dtype)

    def step(self, x, state=None):
        q, k, v = self.project(x)  # (B, H, 1, .)
        s = torch.einsum("bhtf,bhtd->bhfd", k, v)
        z = k.sum(dim=2)
        if state is not None:
            s, z = state["s"] + s, state["z"] + z
        numerator = torch.einsum("bhtf,bhfd->bhtd", q, s)
        denominator = torch.einsum("bhtf,bhf->bht", q, z).unsqueeze(-1) + self.eps
        return self.merge(numerator / denominator, x.dtype), {"s": s, "z": z}

    @staticmethod
    def reorder(state, order):
        return {name: t.index_select(0, order) for name, t in state.items()}


class TaylorAttention(LinearAttention):
    """Taylor attention (MIXERS.md §5): similarity 1 + q^ . k^, linear attention with phi(x) = [1; x/||x||]."""

    def __init__(self, width, heads, causal=False, eps=1e-6):
        super().__init__(width, heads, causal, feature="taylor", eps=eps)


class LinearCrossAttention(nn.Module):
    """Linear attention from a target sequence to an encoded memory (MIXERS.md §4 with S != T)."""

    def __init__(self, width, heads, feature="elu", eps=1e-6):
        super().__init__()
        assert width % heads == 0, "the width must be a multiple of the heads"
        self.heads, self.feature, self.eps = heads, feature, eps
        self.q_proj = nn.Linear(width, width)
        self.kv_proj = nn.Linear(width, 2 * width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, query, memory, memory_padding=None):
        return self.step(query, self.memory_state(memory, memory_padding))[0]

    def memory_state(self, memory, memory_padding=None):
        """The memory's sums S = sum_s phi(K_s)^T V_s and z = sum_s phi(K_s), float32: the decoding state."""
        k, v = self.kv_proj(memory).chunk(2, dim=-1)
        k = feature_map(self.feature, split_heads(k, self.heads), self.eps)
        v = split_heads(v, self.heads)
        if memory_padding is not None:
            k = k.masked_fill(memory_padding[:, None, :, None], 0.0)
        return {"s": torch.einsum("bhsf,bhsd->bhfd", k, v), "z": k.sum(dim=2)}

    def step(self, query, state):
        """Any number of target positions (B, T, C) against the memory's sums; the state does not change."""
        q = feature_map(self.feature, split_heads(self.q_proj(query), self.heads), self.eps)
        numerator = torch.einsum("bhtf,bhfd->bhtd", q, state["s"])
        denominator = torch.einsum("bhtf,bhf->bht", q, state["z"]).unsqueeze(-1) + self.eps
        b, h, t, d = numerator.shape
        out = (numerator / denominator).transpose(1, 2).reshape(b, t, h * d).to(query.dtype)
        return self.out_proj(out), state

    @staticmethod
    def reorder(state, order):
        return {name: t.index_select(0, order) for name, t in state.items()}


class TaylorCrossAttention(LinearCrossAttention):
    """Taylor attention (MIXERS.md §5) from a target sequence to an encoded memory."""

    def __init__(self, width, heads, eps=1e-6):
        super().__init__(width, heads, feature="taylor", eps=eps)
