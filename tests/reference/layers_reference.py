"""PyTorch reference for Runtime/Layers: Linear, Embedding, LayerNorm, FeedForward, positions, Residual."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from refcases import CaseFile

f = CaseFile("layers")


class FeedForward(nn.Module):
    def __init__(self, width, inner, activation):
        super().__init__()
        self.fc1, self.fc2, self.activation = nn.Linear(width, inner), nn.Linear(inner, width), activation

    def forward(self, x):
        return self.fc2(self.activation(self.fc1(x)))


def sinusoidal(length, width, offset=0):
    # The Transformer paper's encoding, interleaved: even channels sin, odd channels cos.
    position = torch.arange(offset, offset + length, dtype=torch.float64).unsqueeze(1)
    i = torch.arange(0, width, 2, dtype=torch.float64)
    angle = position / torch.pow(torch.tensor(10000.0, dtype=torch.float64), i / width)
    table = torch.zeros(length, width, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table.float()


class Residual(nn.Module):
    def __init__(self, width, pre):
        super().__init__()
        self.norm, self.pre = nn.LayerNorm(width), pre
        with torch.no_grad():
            self.norm.weight.normal_()
            self.norm.bias.normal_()

    def forward(self, x, sublayer):
        return x + sublayer(self.norm(x)) if self.pre else self.norm(x + sublayer(x))


with f.case("linear") as c:
    m = c.module(nn.Linear(6, 4))
    c.output(m(c.input("x", torch.randn(2, 3, 6))))
with f.case("linear_no_bias") as c:
    m = c.module(nn.Linear(6, 4, bias=False))
    c.output(m(c.input("x", torch.randn(5, 6))))
with f.case("embedding") as c:
    m = c.module(nn.Embedding(10, 8))
    c.output(m(c.input("tokens", torch.tensor([[1, 2, 9], [0, 0, 3]]))))
with f.case("embedding_scaled") as c:
    m = c.module(nn.Embedding(10, 8))
    c.output(m(c.input("tokens", torch.tensor([[4, 5, 6]]))) * math.sqrt(8))
with f.case("layer_norm") as c:
    m = c.module(nn.LayerNorm(8))
    with torch.no_grad():
        m.weight.normal_()
        m.bias.normal_()
    c.output(m(c.input("x", torch.randn(2, 3, 8) * 3 + 1)))
for name, activation in [("relu", F.relu), ("gelu", F.gelu), ("silu", F.silu)]:
    with f.case("feed_forward_" + name) as c:
        m = c.module(FeedForward(8, 16, activation))
        c.output(m(c.input("x", torch.randn(2, 3, 8))))
with f.case("sinusoidal") as c:
    x = c.input("x", torch.randn(2, 5, 8))
    c.output(x + sinusoidal(5, 8), x + sinusoidal(5, 8, offset=7), sinusoidal(300, 16))
with f.case("learned_positions") as c:
    table = nn.Embedding(12, 8)
    m = c.module(nn.Module())
    m.weight = table.weight
    x = c.input("x", torch.randn(2, 5, 8))
    c.output(x + table.weight[3:8])
for name, pre in [("residual_pre", True), ("residual_post", False)]:
    with f.case(name) as c:
        m = c.module(Residual(8, pre))
        x = c.input("x", torch.randn(2, 3, 8))
        c.output(m(x, lambda h: torch.tanh(h) * 2))
f.save()
