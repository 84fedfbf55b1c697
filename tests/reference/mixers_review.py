"""PyTorch reference for the attention review's mixers (Runtime/Mixers: ScoredAttention, ScoredCrossAttention,
LocationAttention, PredictiveLocalAttention, MultiDimensionalAttention, and the additive scores on their own),
from composer_reference/review.py.

Every mixer case registers the module (its weights go to the C# module by name) and compares outputs, input
gradients and parameter gradients. Batches mix paddings: none, two positions on the right, two on the left
(so a decoder's first queries see no key at all) and, in encoder cases, a sequence that is all padding.
"""
import torch

from composer_reference.review import (LocationAttention, MultiDimensionalAttention, PredictiveLocalAttention,
                                       ScoredAttention, ScoredCrossAttention, key_scores)
from refcases import CaseFile

f = CaseFile("mixers_review")

C, H = 8, 2
SCORES = ["additive", "general", "dot", "scaled_dot"]
DISTRIBUTIONS = ["softmax", "sigmoid", "sparsemax"]


def padding_mask(b, t, all_padded=False):
    """Row 0 unpadded, row 1 padded on the right (2), row 2 on the left (2), row 3 (if any) all padding."""
    mask = torch.zeros(b, t, dtype=torch.bool)
    mask[1, t - 2:] = True
    mask[2, :2] = True
    if all_padded:
        mask[3] = True
    return mask


def sharpen(module, std=0.6):
    """Larger weights than nn.Linear's default, so scores spread out (sparsemax gets exact zeros)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight") or name in ("bilinear", "score_vector", "location", "centre_vector"):
                p.normal_(0.0, std)
    return module


def check_steps(mixer, x):
    """The reference's own step must reproduce its causal forward (sanity of the reference itself)."""
    with torch.no_grad():
        full = mixer(x)
        state, outs = None, []
        for t in range(x.shape[1]):
            out, state = mixer.step(x[:, t:t + 1], state)
            outs.append(out)
        stepped = torch.cat(outs, dim=1)
    error = (stepped - full).abs().max()
    assert error <= 1e-6 * full.abs().max(), (type(mixer).__name__, error)


def check_no_leak(mixer, x, padding):
    """Real positions must not change when padded positions change."""
    with torch.no_grad():
        a = mixer(x, padding)
        b = mixer(torch.where(padding[..., None], torch.randn_like(x) * 10, x), padding)
        real = ~padding[..., None]
    assert torch.equal(a * real, b * real), type(mixer).__name__


def mixer_case(name, mixer, t, all_padded=False, padded=True):
    b = 4 if all_padded else 3
    mixer.eval()
    if getattr(mixer, "causal", False):
        check_steps(mixer, torch.randn(b, t, C))
    with f.case(name) as c:
        c.module(mixer)
        x = c.input("x", torch.randn(b, t, C))
        padding = c.input("padding", padding_mask(b, t, all_padded)) if padded else None
        c.output(mixer(x, padding))
        if padded:
            check_no_leak(mixer, x.detach(), padding)


# The additive scores alone, (B, H, T, S) from q (B, H, T, D), k (B, H, S, D), w (H, D): Composer computes
# them in tiles of queries, which the C# test shrinks to one and two queries.
with f.case("additive_scores") as c:
    q = c.input("q", torch.randn(2, 3, 5, 4))
    k = c.input("k", torch.randn(2, 3, 7, 4))
    w = c.input("w", torch.randn(3, 4))
    c.output(key_scores("additive", q, k, w))

# Scored self-attention: every score with every distribution, as encoder and as decoder.
for score in SCORES:
    for distribution in DISTRIBUTIONS:
        mixer_case(f"scored_{score}_{distribution}_encoder", sharpen(ScoredAttention(C, H, score, distribution)), t=6, all_padded=True)
        mixer_case(f"scored_{score}_{distribution}_decoder", sharpen(ScoredAttention(C, H, score, distribution, causal=True)), t=6)
mixer_case("scored_additive_softmax_unpadded", ScoredAttention(C, H, "additive", "softmax", causal=True), t=9, padded=False)

# Scored cross-attention: target length 5, memory length 7; memory row 3 is all padding.
for score, distribution in [(s, "softmax") for s in SCORES] + [("additive", "sigmoid"), ("general", "sparsemax")]:
    mixer = sharpen(ScoredCrossAttention(C, H, score, distribution))
    mixer.eval()
    with f.case(f"scored_cross_{score}_{distribution}") as c:
        c.module(mixer)
        query = c.input("query", torch.randn(4, 5, C))
        memory = c.input("memory", torch.randn(4, 7, C))
        memory_padding = c.input("memory_padding", padding_mask(4, 7, all_padded=True))
        c.output(mixer(query, memory, memory_padding))

# Location-based attention (L_max 8 > T 6, so the rows are cut).
for distribution in DISTRIBUTIONS:
    mixer_case(f"location_{distribution}_encoder", sharpen(LocationAttention(C, H, 8, distribution)), t=6, all_padded=True)
    mixer_case(f"location_{distribution}_decoder", sharpen(LocationAttention(C, H, 8, distribution, causal=True)), t=6)

# Predictive local attention: windows that cut the sequence, and one wider than it.
mixer_case("local_p_encoder_window1", sharpen(PredictiveLocalAttention(C, H, 1)), t=7, all_padded=True)
mixer_case("local_p_encoder_window2", sharpen(PredictiveLocalAttention(C, H, 2)), t=9)
mixer_case("local_p_encoder_wide", sharpen(PredictiveLocalAttention(C, H, 8)), t=5)
mixer_case("local_p_decoder_window2", sharpen(PredictiveLocalAttention(C, H, 2, causal=True)), t=9)
mixer_case("local_p_decoder_unpadded", sharpen(PredictiveLocalAttention(C, H, 3, causal=True)), t=11, padded=False)

# Multi-dimensional attention.
mixer_case("multi_dimensional_encoder", sharpen(MultiDimensionalAttention(C)), t=6, all_padded=True)
mixer_case("multi_dimensional_decoder", sharpen(MultiDimensionalAttention(C, causal=True)), t=6)

f.save()
