"""PyTorch reference for element-wise ops, comparisons, activations and factories (Runtime/Tensors/Tensor.Elementwise.cs)."""
import torch
import torch.nn.functional as F

from refcases import CaseFile

f = CaseFile("ops_elementwise")


def positive(*shape):
    return torch.rand(*shape) + 0.5


# Binary arithmetic with broadcasting: (3,4) with (4,) and (3,1).
for name, op in [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b),
                 ("div", lambda a, b: a / b), ("maximum", torch.maximum), ("minimum", torch.minimum)]:
    with f.case(name) as c:
        a = c.input("a", torch.randn(3, 4))
        b = c.input("b", positive(4) if name == "div" else torch.randn(4))
        c.output(op(a, b))
with f.case("add_alpha") as c:
    a, b = c.input("a", torch.randn(2, 3)), c.input("b", torch.randn(3, 1, 3)[:, 0, :][:1])
    c.output(torch.add(a, b, alpha=2.5))
with f.case("sub_alpha") as c:
    a, b = c.input("a", torch.randn(2, 3)), c.input("b", torch.randn(2, 1))
    c.output(torch.sub(a, b, alpha=0.5))
with f.case("pow_tensor") as c:
    a, b = c.input("a", positive(2, 3)), c.input("b", torch.randn(2, 3))
    c.output(torch.pow(a, b))
with f.case("scalar_ops") as c:
    a = c.input("a", positive(5))
    c.output(a + 2.0, a - 1.5, 3.0 - a, a * -2.0, a / 4.0, 2.0 / a, a ** 3.0)
with f.case("int_scalar_ops") as c:
    a = c.input("a", torch.arange(-3, 3, dtype=torch.int64))
    c.output(a + 2, a * 3, a - 1, a + 0.5)
with f.case("remainder") as c:
    a = c.input("a", torch.randn(6) * 5)
    c.output(torch.remainder(a, 3.0), torch.remainder(c.input("i", torch.arange(-4, 5)), 3))
with f.case("neg") as c:
    a = c.input("a", torch.randn(4, 2))
    c.output(-a)

# Unary math and activations.
for name, make, op in [
    ("abs", lambda: torch.randn(3, 5), torch.abs), ("exp", lambda: torch.randn(3, 5), torch.exp),
    ("log", lambda: positive(3, 5), torch.log), ("sqrt", lambda: positive(3, 5), torch.sqrt),
    ("rsqrt", lambda: positive(3, 5), torch.rsqrt), ("sin", lambda: torch.randn(3, 5), torch.sin),
    ("cos", lambda: torch.randn(3, 5), torch.cos), ("reciprocal", lambda: positive(3, 5), torch.reciprocal),
    ("relu", lambda: torch.randn(3, 5), torch.relu), ("sigmoid", lambda: torch.randn(3, 5), torch.sigmoid),
    ("tanh", lambda: torch.randn(3, 5), torch.tanh), ("silu", lambda: torch.randn(3, 5), F.silu),
    ("gelu", lambda: torch.randn(3, 5), F.gelu),
    ("gelu_tanh", lambda: torch.randn(3, 5), lambda x: F.gelu(x, approximate="tanh")),
    ("elu", lambda: torch.randn(3, 5), F.elu), ("elu_alpha", lambda: torch.randn(3, 5), lambda x: F.elu(x, alpha=0.7)),
    ("glu_last", lambda: torch.randn(3, 6), lambda x: F.glu(x, dim=-1)),
    ("glu_first", lambda: torch.randn(4, 3), lambda x: F.glu(x, dim=0)),
    ("sign", lambda: torch.randn(3, 5), torch.sign),
]:
    with f.case(name) as c:
        c.output(op(c.input("a", make())))

with f.case("clamp") as c:
    a = c.input("a", torch.randn(4, 4))
    c.output(a.clamp(-0.5, 0.7), a.clamp(min=0.1), a.clamp(max=-0.2))
with f.case("masked_fill") as c:
    a = c.input("a", torch.randn(3, 4))
    mask = c.input("mask", torch.rand(3, 4) > 0.5)
    c.output(a.masked_fill(mask, -1e4), a.masked_fill(c.input("row_mask", torch.tensor([[True], [False], [True]])), 0.0))
with f.case("where") as c:
    cond = c.input("cond", torch.rand(3, 1) > 0.5)
    a, b = c.input("a", torch.randn(3, 4)), c.input("b", torch.randn(4))
    c.output(torch.where(cond, a, b))
with f.case("triu_tril") as c:
    a = c.input("a", torch.randn(2, 4, 5))
    c.output(a.triu(), a.triu(1), a.tril(), a.tril(-1))
with f.case("compare") as c:
    a, b = c.input("a", torch.randn(3, 4)), c.input("b", torch.randn(4))
    c.output(a == b, a != b, a < b, a <= b, a > b, a >= b, a > 0.1, a <= -0.3, a == a)
with f.case("logic") as c:
    p, q = c.input("p", torch.rand(5) > 0.5), c.input("q", torch.rand(5) > 0.5)
    c.output(p & q, p | q, ~p)
with f.case("nan_checks") as c:
    a = c.input("a", torch.tensor([1.0, float("nan"), float("inf"), -2.0]), grad=False)
    c.output(torch.isnan(a), torch.isfinite(a))

# The harness's module path: weights in under dotted names, parameter gradients out.
class Scale(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(4))
        self.inner = torch.nn.Module()
        self.inner.bias = torch.nn.Parameter(torch.randn(4))


with f.case("module_scale") as c:
    m = c.module(Scale())
    x = c.input("x", torch.randn(3, 4))
    c.output(x * m.weight + m.inner.bias)

# Factories with deterministic contents.
with f.case("factories") as c:
    c.output(torch.zeros(2, 3), torch.ones(4), torch.full((2, 2), 3.5), torch.full((3,), 7, dtype=torch.int64),
             torch.arange(5), torch.arange(2, 11, 3), torch.arange(0.0, 1.0, 0.25),
             torch.zeros(2, 0), torch.zeros((), dtype=torch.float64))
f.save()
