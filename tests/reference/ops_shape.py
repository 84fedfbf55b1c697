"""Reference values for the shape and indexing ops (tests/Composer.Runtime.Tests/Ops/ShapeOpsTests.cs).

Run with /usr/bin/python3 (torch 1.13); writes tests/reference/data/ops_shape.safetensors.
Every case exercises a negative dimension somewhere, since PyTorch code relies on them. Index tensors
avoid repeated targets for scatter (which value wins is unspecified there); scatter_add and
index_select repeat indices on purpose so gradients accumulate.
"""
import torch
from refcases import CaseFile

f = CaseFile("ops_shape")
randn = torch.randn

# ---- slicing and indexing -----------------------------------------------------------------------
with f.case("narrow") as c:
    x = c.input("x", randn(3, 5))
    c.output(x.narrow(1, 1, 3))

with f.case("narrow_negative") as c:
    x = c.input("x", randn(3, 5))
    c.output(x.narrow(-1, -3, 2))

with f.case("select") as c:
    x = c.input("x", randn(3, 4, 5))
    c.output(x.select(1, 2))

with f.case("select_negative") as c:
    x = c.input("x", randn(3, 4, 5))
    c.output(x.select(-1, -2))

with f.case("index_select") as c:
    x = c.input("x", randn(4, 5))
    index = c.input("index", torch.tensor([3, 0, 3, 1]))
    c.output(x.index_select(0, index))

with f.case("index_select_negative_dim") as c:
    x = c.input("x", randn(2, 3, 5))
    index = c.input("index", torch.tensor([4, 4, 0]))
    c.output(x.index_select(-1, index))

with f.case("gather") as c:
    x = c.input("x", randn(3, 5))
    index = c.input("index", torch.randint(0, 5, (3, 4)))
    c.output(x.gather(1, index))

with f.case("gather_negative_dim") as c:
    x = c.input("x", randn(4, 3, 2))
    index = c.input("index", torch.randint(0, 4, (6, 3, 2)))
    c.output(x.gather(-3, index))

# Rows of distinct column positions, so every scatter target is written once.
scatter_index = torch.stack([torch.randperm(5)[:2] for _ in range(3)])

with f.case("scatter") as c:
    x = c.input("x", randn(3, 5))
    index = c.input("index", scatter_index)
    src = c.input("src", randn(3, 2))
    c.output(x.scatter(-1, index, src))

with f.case("scatter_value") as c:
    x = c.input("x", randn(3, 5))
    index = c.input("index", scatter_index)
    c.output(x.scatter(1, index, 2.5))

with f.case("scatter_add") as c:
    x = c.input("x", randn(3, 5))
    index = c.input("index", torch.randint(0, 3, (4, 5)))
    src = c.input("src", randn(4, 5))
    c.output(x.scatter_add(0, index, src))

with f.case("scatter_add_negative_dim") as c:
    x = c.input("x", randn(2, 4))
    index = c.input("index", torch.tensor([[0, 0, 3], [1, 1, 1]]))
    src = c.input("src", randn(2, 3))
    c.output(x.scatter_add(-1, index, src))

with f.case("masked_select") as c:
    x = c.input("x", randn(3, 4))
    mask = c.input("mask", randn(3, 4) > 0)
    c.output(x.masked_select(mask))

with f.case("masked_select_broadcast") as c:
    x = c.input("x", randn(3, 4))
    mask = c.input("mask", torch.tensor([True, False, True, True]))
    c.output(x.masked_select(mask))

# ---- views and reshapes -------------------------------------------------------------------------
with f.case("view") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.view(6, -1))

with f.case("reshape") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.reshape(4, -1))

with f.case("reshape_noncontiguous") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.transpose(0, 2).reshape(-1, 3))

with f.case("permute") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.permute(2, 0, 1))

with f.case("permute_negative") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.permute(-1, -3, -2))

with f.case("transpose") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.transpose(0, -1))

with f.case("contiguous") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.t().contiguous())

with f.case("unsqueeze") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.unsqueeze(1))

with f.case("unsqueeze_negative") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.unsqueeze(-1))

with f.case("squeeze") as c:
    x = c.input("x", randn(3, 1, 4, 1))
    c.output(x.squeeze())

with f.case("squeeze_dim") as c:
    x = c.input("x", randn(3, 1, 4, 1))
    c.output(x.squeeze(-3))

with f.case("squeeze_dim_not_one") as c:
    x = c.input("x", randn(3, 1, 4, 1))
    c.output(x.squeeze(0))

with f.case("expand") as c:
    x = c.input("x", randn(3, 1))
    c.output(x.expand(2, 3, 4))

with f.case("expand_keep") as c:
    x = c.input("x", randn(3, 1))
    c.output(x.expand(-1, 5))

with f.case("expand_as") as c:
    x = c.input("x", randn(1, 4))
    other = c.input("other", randn(2, 3, 4), grad=False)
    c.output(x.expand_as(other))

with f.case("flatten") as c:
    x = c.input("x", randn(2, 3, 4, 5))
    c.output(x.flatten(1, -2))

with f.case("flatten_all") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.flatten())

# ---- copies -------------------------------------------------------------------------------------
with f.case("clone") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.clone())

with f.case("repeat") as c:
    x = c.input("x", randn(2, 3))
    c.output(x.repeat(2, 1, 3))

with f.case("flip") as c:
    x = c.input("x", randn(2, 3, 4))
    c.output(x.flip(0, -1))

with f.case("roll") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.roll(1, 1))

with f.case("roll_dims") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.roll((1, -3), (0, -1)))

with f.case("roll_flat") as c:
    x = c.input("x", randn(3, 4))
    c.output(x.roll(5))

# ---- joins and splits ---------------------------------------------------------------------------
with f.case("cat") as c:
    a = c.input("a", randn(2, 3))
    b = c.input("b", randn(4, 3))
    d = c.input("c", randn(1, 3))
    c.output(torch.cat([a, b, d]))

with f.case("cat_negative_dim") as c:
    a = c.input("a", randn(2, 3))
    b = c.input("b", randn(2, 1))
    c.output(torch.cat([a, b], -1))

with f.case("stack") as c:
    a = c.input("a", randn(2, 3))
    b = c.input("b", randn(2, 3))
    d = c.input("c", randn(2, 3))
    c.output(torch.stack([a, b, d], 1))

with f.case("stack_negative_dim") as c:
    a = c.input("a", randn(2, 3))
    b = c.input("b", randn(2, 3))
    c.output(torch.stack([a, b], -1))

with f.case("split") as c:
    x = c.input("x", randn(7, 4))
    c.output(*x.split(3))

with f.case("split_sizes") as c:
    x = c.input("x", randn(4, 6))
    c.output(*x.split([1, 2, 3], -1))

with f.case("chunk") as c:
    x = c.input("x", randn(7, 4))
    c.output(*x.chunk(3))

with f.case("chunk_negative_dim") as c:
    x = c.input("x", randn(2, 6))
    c.output(*x.chunk(4, -1))

f.save()
