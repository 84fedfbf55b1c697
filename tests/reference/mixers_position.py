"""PyTorch reference for the position-indexed and recurrent mixers (Runtime/Mixers: ConstantAttention,
SynthesizerAttention, Linformer, RecurrentMixer), from composer_reference/position.py and recurrent.py.

Every case registers the mixer (its weights go to the C# module by name) and compares outputs, input
gradients and parameter gradients. Sequences are padded three ways in one batch: not at all, on the
right, and on the left, so padding hygiene is checked wherever it could leak.
"""
import torch

from composer_reference.position import ConstantAttention, Linformer, SynthesizerAttention
from composer_reference.recurrent import RecurrentMixer
from refcases import CaseFile

f = CaseFile("mixers_position")

B, T, C, H, L = 3, 6, 8, 2, 8


def padding_mask(t=T):
    """Row 0 unpadded, row 1 padded on the right (2 positions), row 2 on the left (2 positions)."""
    mask = torch.zeros(B, t, dtype=torch.bool)
    mask[1, t - 2:] = True
    mask[2, :2] = True
    return mask


def check_steps(mixer, x):
    """The reference's own step must reproduce its causal forward (sanity of the reference itself)."""
    with torch.no_grad():
        full = mixer(x)
        state = mixer.new_state(x.shape[0])
        stepped = torch.cat([mixer.step(x[:, i : i + 1], state) for i in range(x.shape[1])], 1)
    assert torch.allclose(stepped, full, atol=1e-6), (type(mixer).__name__, (stepped - full).abs().max())


def check_no_leak(mixer, x, padding):
    """Real positions must not change when padded positions change."""
    with torch.no_grad():
        noise = torch.randn_like(x) * 10
        a = mixer(x, padding)
        b = mixer(torch.where(padding.unsqueeze(-1), noise, x), padding)
    assert torch.allclose(a, b, atol=1e-6), type(mixer).__name__


def case(name, mixer, t=T, padded=True):
    with f.case(name) as c:
        m = c.module(mixer)
        x = c.input("x", torch.randn(B, t, C))
        padding = c.input("padding", padding_mask(t)) if padded else None
        c.output(m(x, padding))
        if padded:
            check_no_leak(m, x.detach(), padding)
        if getattr(m, "causal", False):
            check_steps(m, x.detach())


# ---- constant attention (PAPA) ------------------------------------------------------------------
def constant(causal):
    mixer = ConstantAttention(C, H, L, causal=causal)
    # A "computed" Ā: non-negative, not row-normalised, with a zero (never co-occurring) pair.
    matrix = torch.rand(H, L, L)
    matrix[0, 3, 1] = 0.0
    mixer.matrix.copy_(matrix)
    return mixer


case("constant_encoder", constant(causal=False))
case("constant_decoder", constant(causal=True))
case("constant_decoder_unpadded", constant(causal=True), padded=False)
case("constant_default_matrix", ConstantAttention(C, H, L, causal=False))
case("constant_full_length", constant(causal=False), t=L)

# ---- synthesizer --------------------------------------------------------------------------------
def random_synthesizer(causal):
    mixer = SynthesizerAttention(C, H, L, kind="random", causal=causal)
    with torch.no_grad():
        mixer.logits.normal_()   # larger than the default init, so the softmax is far from uniform
    return mixer


case("synthesizer_random_encoder", random_synthesizer(causal=False))
case("synthesizer_random_decoder", random_synthesizer(causal=True))
case("synthesizer_dense_encoder", SynthesizerAttention(C, H, L, kind="dense", causal=False))
case("synthesizer_dense_decoder", SynthesizerAttention(C, H, L, kind="dense", causal=True))
case("synthesizer_random_full_length", random_synthesizer(causal=True), t=L, padded=False)

# ---- Linformer ----------------------------------------------------------------------------------
case("linformer_encoder", Linformer(C, H, L, projected_length=3))
case("linformer_full_length", Linformer(C, H, L, projected_length=4), t=L, padded=False)

# ---- recurrent ----------------------------------------------------------------------------------
for cell in ("lstm", "gru"):
    case(f"{cell}_decoder", RecurrentMixer(C, cell=cell, causal=True))
    case(f"{cell}_decoder_unpadded", RecurrentMixer(C, cell=cell, causal=True), padded=False)
    case(f"{cell}_bidirectional", RecurrentMixer(C, cell=cell, bidirectional=True))
    case(f"{cell}_bidirectional_unpadded", RecurrentMixer(C, cell=cell, bidirectional=True), padded=False)

f.save()
