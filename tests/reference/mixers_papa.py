"""PyTorch reference for the PAPA probe (Runtime/Probing, Runtime/Mixers/ConstantHeads.cs), from
composer_reference/papa.py: the averaged matrices Ā and the divergence ranking of a softmax attention,
and attention layers some or all of whose heads are constant (outputs, input and parameter gradients).
Batches are padded on the right, on the left and not at all.
"""
import torch

from composer_reference.attention import SelfAttention
from composer_reference.papa import PartlyConstantAttention, js_divergence, papa_average
from refcases import CaseFile

f = CaseFile("mixers_papa")

C, L = 8, 8


def padding_mask(b, t):
    """Row 0 unpadded, row 1 padded on the right (2 positions), row 2 on the left (2 positions)."""
    mask = torch.zeros(b, t, dtype=torch.bool)
    mask[1, t - 2:] = True
    if b > 2:
        mask[2, :2] = True
    return mask


def averages(name, causal):
    with f.case(name) as c:
        attention = c.module(SelfAttention(C, 2, causal=causal))
        with torch.no_grad():
            attention.qkv_proj.weight.mul_(3.0)   # sharper than the default init, so heads differ from uniform
        batches = [
            (c.input("x0", torch.randn(3, 6, C), grad=False), c.input("padding0", padding_mask(3, 6))),
            (c.input("x1", torch.randn(2, L, C), grad=False), None),
            (c.input("x2", torch.randn(2, 5, C), grad=False), c.input("padding2", padding_mask(2, 5))),
        ]
        with torch.no_grad():
            average, pairs = papa_average(attention, batches, L)
            divergence = js_divergence(attention, batches, average)
        c.output(average, pairs, divergence)


averages("papa_average_encoder", causal=False)
averages("papa_average_decoder", causal=True)


def constant_case(name, heads, constant, causal, padded=True, t=6):
    with f.case(name) as c:
        mixer = c.module(PartlyConstantAttention(C, heads, L, constant, causal=causal))
        with torch.no_grad():
            mixer.constant_heads.matrix[0, 3, 1] = 0.0      # a pair that never co-occurred
            if causal:
                mixer.constant_heads.matrix.copy_(torch.tril(mixer.constant_heads.matrix))
        x = c.input("x", torch.randn(3, t, C))
        padding = c.input("padding", padding_mask(3, t)) if padded else None
        c.output(mixer(x, padding))


constant_case("papa_constant_encoder", heads=4, constant=[1, 3], causal=False)
constant_case("papa_constant_decoder", heads=4, constant=[0, 2], causal=True)
constant_case("papa_constant_decoder_unpadded", heads=4, constant=[2], causal=True, padded=False)
constant_case("papa_constant_all", heads=2, constant=[0, 1], causal=True)
constant_case("papa_constant_full_length", heads=4, constant=[3], causal=False, t=L)

f.save()
