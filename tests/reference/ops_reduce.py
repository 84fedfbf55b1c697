"""PyTorch reference for reductions, softmax, topk/sort and matrix products
(Runtime/Tensors/Tensor.Reduce.cs, Tensor.Linalg.cs)."""
import torch

from refcases import CaseFile

f = CaseFile("ops_reduce")

# ---- sums and means -----------------------------------------------------------------------------
with f.case("sum_all") as c:
    c.output(c.input("x", torch.randn(3, 4)).sum())
with f.case("sum_dim") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.sum(1), x.sum(-1, keepdim=True))
with f.case("sum_dims") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.sum((0, 2)), x.sum((0, -1), keepdim=True))
with f.case("sum_dtype") as c:
    x = c.input("x", torch.randn(3, 5))
    c.output(x.sum(dtype=torch.float64), x.sum(1, dtype=torch.float64), x.sum((0, 1), keepdim=True, dtype=torch.float64))
with f.case("sum_int") as c:
    x = c.input("x", torch.randint(-5, 5, (3, 4), dtype=torch.int32))
    c.output(x.sum(), x.sum(0), x.sum(dtype=torch.float32))
with f.case("mean_all") as c:
    c.output(c.input("x", torch.randn(3, 4)).mean())
with f.case("mean_dim") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.mean(1), x.mean(-1, keepdim=True))
with f.case("mean_dims") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.mean((0, 2)), x.mean((1, 2), keepdim=True))
with f.case("cumsum") as c:
    x = c.input("x", torch.randn(3, 5))
    c.output(x.cumsum(1), x.cumsum(0))
with f.case("cumsum_dtype") as c:
    x = c.input("x", torch.randn(3, 5))
    c.output(x.cumsum(-1, dtype=torch.float64))
with f.case("cumsum_int") as c:
    x = c.input("x", torch.randint(0, 10, (6,), dtype=torch.int32))
    c.output(x.cumsum(0))
with f.case("logsumexp") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.logsumexp(1), x.logsumexp(-1, keepdim=True), x.logsumexp((0, 2)))
with f.case("logsumexp_large") as c:
    # Naive log(sum(exp)) overflows here; the reference and Composer must both stay finite.
    x = c.input("x", torch.randn(3, 4) * 50 + 1000)
    c.output(x.logsumexp(1))

# ---- extrema ------------------------------------------------------------------------------------
with f.case("max_all") as c:
    c.output(c.input("x", torch.randn(3, 4)).max())
with f.case("min_all") as c:
    c.output(c.input("x", torch.randn(3, 4)).min())
with f.case("max_dim") as c:
    x = c.input("x", torch.randn(3, 5, 2))
    v, i = x.max(1)
    vk, ik = x.max(-1, keepdim=True)
    c.output(v, i, vk, ik)
with f.case("min_dim") as c:
    x = c.input("x", torch.randn(3, 5, 2))
    v, i = x.min(0)
    vk, ik = x.min(1, keepdim=True)
    c.output(v, i, vk, ik)
with f.case("max_int") as c:
    x = c.input("x", torch.randperm(12).reshape(3, 4))
    v, i = x.max(1)
    c.output(x.max(), v, i)
with f.case("argmax") as c:
    x = c.input("x", torch.randn(3, 5), grad=False)
    c.output(x.argmax(), x.argmax(1), x.argmax(0, keepdim=True))
with f.case("argmin") as c:
    x = c.input("x", torch.randn(3, 5), grad=False)
    c.output(x.argmin(), x.argmin(-1), x.argmin(1, keepdim=True))

# ---- spread -------------------------------------------------------------------------------------
with f.case("norm_all") as c:
    x = c.input("x", torch.randn(3, 4))
    c.output(x.norm(), x.norm(1), x.norm(float("inf")), x.norm(3))
with f.case("norm_dim") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.norm(2, dim=1), x.norm(1, dim=-1, keepdim=True), x.norm(float("inf"), dim=0))
with f.case("norm_dims") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.norm(2, dim=(1, 2)), x.norm(3, dim=(0, 2), keepdim=True))
with f.case("var_all") as c:
    x = c.input("x", torch.randn(3, 4))
    c.output(x.var(), x.var(unbiased=False))
with f.case("var_dim") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.var(1), x.var(-1, unbiased=False, keepdim=True))
with f.case("var_dims") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.var((0, 2)), x.var((1, 2), unbiased=False, keepdim=True))
with f.case("var_correction") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(torch.var(x, (0, 2), correction=0), torch.var(x, (-1,), correction=2, keepdim=True))

# ---- softmax ------------------------------------------------------------------------------------
with f.case("softmax") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.softmax(-1), x.softmax(1), x.softmax(0))
with f.case("softmax_dtype") as c:
    x = c.input("x", torch.randn(3, 4))
    c.output(x.softmax(-1, dtype=torch.float64))
with f.case("softmax_large") as c:
    x = c.input("x", torch.randn(3, 6) * 40 + 500)
    c.output(x.softmax(-1))
with f.case("log_softmax") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(x.log_softmax(-1), x.log_softmax(1), x.log_softmax(0))
with f.case("log_softmax_dtype") as c:
    x = c.input("x", torch.randn(3, 4))
    c.output(x.log_softmax(-1, dtype=torch.float64))
with f.case("log_softmax_large") as c:
    x = c.input("x", torch.randn(3, 6) * 40 - 500)
    c.output(x.log_softmax(-1))

# ---- selections ---------------------------------------------------------------------------------
with f.case("topk") as c:
    x = c.input("x", torch.randn(3, 8))
    v, i = torch.topk(x, 3)
    c.output(v, i)
with f.case("topk_smallest_dim0") as c:
    x = c.input("x", torch.randn(6, 4))
    v, i = torch.topk(x, 2, dim=0, largest=False)
    c.output(v, i)
with f.case("topk_all") as c:
    x = c.input("x", torch.randn(2, 5))
    v, i = torch.topk(x, 5, dim=1)
    c.output(v, i)
with f.case("sort") as c:
    x = c.input("x", torch.randn(3, 6))
    v, i = torch.sort(x)
    c.output(v, i)
with f.case("sort_descending_dim0") as c:
    x = c.input("x", torch.randn(5, 3))
    v, i = torch.sort(x, dim=0, descending=True)
    c.output(v, i)
with f.case("sort_stable") as c:
    # Many ties: only a stable sort fixes which index comes first.
    x = c.input("x", torch.randint(0, 3, (2, 10)).float())
    v, i = torch.sort(x, dim=-1, stable=True)
    vd, id_ = torch.sort(x, dim=-1, descending=True, stable=True)
    c.output(v, i, vd, id_)

# ---- matrix products ----------------------------------------------------------------------------
with f.case("matmul_2d") as c:
    c.output(c.input("a", torch.randn(3, 4)) @ c.input("b", torch.randn(4, 5)))
with f.case("matmul_vector_matrix") as c:
    c.output(c.input("a", torch.randn(4)) @ c.input("b", torch.randn(4, 5)))
with f.case("matmul_matrix_vector") as c:
    c.output(c.input("a", torch.randn(3, 4)) @ c.input("b", torch.randn(4)))
with f.case("matmul_dot") as c:
    c.output(c.input("a", torch.randn(6)) @ c.input("b", torch.randn(6)))
with f.case("matmul_broadcast") as c:
    c.output(c.input("a", torch.randn(2, 1, 3, 4)) @ c.input("b", torch.randn(5, 4, 2)))
with f.case("matmul_batched_vector") as c:
    c.output(c.input("a", torch.randn(2, 3, 4)) @ c.input("b", torch.randn(4)))
with f.case("mm") as c:
    c.output(torch.mm(c.input("a", torch.randn(3, 4)), c.input("b", torch.randn(4, 2))))
with f.case("bmm") as c:
    c.output(torch.bmm(c.input("a", torch.randn(2, 3, 4)), c.input("b", torch.randn(2, 4, 5))))
with f.case("baddbmm") as c:
    i, b1, b2 = c.input("input", torch.randn(2, 3, 5)), c.input("batch1", torch.randn(2, 3, 4)), c.input("batch2", torch.randn(2, 4, 5))
    c.output(torch.baddbmm(i, b1, b2))
with f.case("baddbmm_beta_alpha") as c:
    i, b1, b2 = c.input("input", torch.randn(2, 3, 5)), c.input("batch1", torch.randn(2, 3, 4)), c.input("batch2", torch.randn(2, 4, 5))
    c.output(torch.baddbmm(i, b1, b2, beta=0.5, alpha=2.0))
with f.case("baddbmm_broadcast") as c:
    i, b1, b2 = c.input("input", torch.randn(5)), c.input("batch1", torch.randn(2, 3, 4)), c.input("batch2", torch.randn(2, 4, 5))
    c.output(torch.baddbmm(i, b1, b2, alpha=0.25))
with f.case("baddbmm_beta_zero") as c:
    # beta = 0 ignores the input (and gives it no gradient). The input is finite on purpose:
    # libtorch 1.13's CPU baddbmm lets NaNs of a beta=0 input through nondeterministically
    # (PyTorch itself does so in about a fifth of calls), which is no property of Composer's.
    i = c.input("input", torch.randn(2, 3, 5) * 1e3, grad=False)
    b1, b2 = c.input("batch1", torch.randn(2, 3, 4)), c.input("batch2", torch.randn(2, 4, 5))
    c.output(torch.baddbmm(i, b1, b2, beta=0.0, alpha=1.5))
with f.case("einsum_bmm") as c:
    c.output(torch.einsum("bij,bjk->bik", c.input("a", torch.randn(2, 3, 4)), c.input("b", torch.randn(2, 4, 5))))
with f.case("einsum_attention") as c:
    c.output(torch.einsum("bhqd,bhkd->bhqk", c.input("q", torch.randn(2, 2, 3, 4)), c.input("k", torch.randn(2, 2, 5, 4))))
with f.case("einsum_transpose") as c:
    c.output(torch.einsum("ij->ji", c.input("a", torch.randn(3, 4))))
with f.case("einsum_dot") as c:
    c.output(torch.einsum("i,i->", c.input("a", torch.randn(5)), c.input("b", torch.randn(5))))
with f.case("einsum_ellipsis") as c:
    c.output(torch.einsum("...ij,...jk->...ik", c.input("a", torch.randn(2, 3, 4)), c.input("b", torch.randn(2, 4, 2))))
with f.case("einsum_three") as c:
    c.output(torch.einsum("ij,jk,kl->il", c.input("a", torch.randn(2, 3)), c.input("b", torch.randn(3, 4)),
                          c.input("c", torch.randn(4, 2))))
f.save()
