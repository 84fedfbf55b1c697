"""PyTorch reference for torch.nn.functional ops, Tensor.unfold and seeded random draws
(Runtime/Tensors/Functional.cs, Tensor.Unfold.cs, Torch.Random.cs)."""
import torch
import torch.nn.functional as F

from refcases import CaseFile

f = CaseFile("ops_nn")

# Seeds the C# tests repeat before drawing (dropout masks, factory draws).
DROPOUT_SEED = 1234
DRAW_SEED = 42

# ---- linear ------------------------------------------------------------------------------------
with f.case("linear") as c:
    x, w, b = c.input("x", torch.randn(2, 3, 5)), c.input("w", torch.randn(4, 5)), c.input("b", torch.randn(4))
    c.output(F.linear(x, w, b))
with f.case("linear_no_bias") as c:
    x, w = c.input("x", torch.randn(6, 5)), c.input("w", torch.randn(3, 5))
    c.output(F.linear(x, w))
# The shapes Composer's products route differently (Runtime/Native/src/linear.cpp): one row (incremental
# decoding), a transposed input, a product large enough for blocked sgemm, and float64 (ATen's path).
with f.case("linear_one_row") as c:
    x, w, b = c.input("x", torch.randn(1, 1, 48)), c.input("w", torch.randn(80, 48)), c.input("b", torch.randn(80))
    c.output(F.linear(x, w, b))
with f.case("linear_transposed_input") as c:
    x, w, b = c.input("x", torch.randn(7, 12)), c.input("w", torch.randn(9, 7)), c.input("b", torch.randn(9))
    c.output(F.linear(x.t(), w, b))
with f.case("linear_large") as c:
    x, w, b = c.input("x", torch.randn(2, 21, 64)), c.input("w", torch.randn(72, 64)), c.input("b", torch.randn(72))
    c.output(F.linear(x, w, b))
with f.case("linear_float64") as c:
    x, w = c.input("x", torch.randn(3, 5, dtype=torch.float64)), c.input("w", torch.randn(4, 5, dtype=torch.float64))
    c.output(F.linear(x, w))

# ---- conv1d ------------------------------------------------------------------------------------
with f.case("conv1d") as c:
    x, w, b = c.input("x", torch.randn(2, 4, 10)), c.input("w", torch.randn(6, 4, 3)), c.input("b", torch.randn(6))
    c.output(F.conv1d(x, w, b))
with f.case("conv1d_stride_padding_dilation") as c:
    x, w, b = c.input("x", torch.randn(2, 3, 11)), c.input("w", torch.randn(5, 3, 3)), c.input("b", torch.randn(5))
    c.output(F.conv1d(x, w, b, stride=2, padding=2, dilation=2))
with f.case("conv1d_groups") as c:
    x, w = c.input("x", torch.randn(2, 6, 9)), c.input("w", torch.randn(4, 3, 2))
    c.output(F.conv1d(x, w, groups=2))
with f.case("conv1d_depthwise_causal") as c:
    # The causal depthwise convolution of sequence mixers: pad K-1 on both sides, keep the first L outputs.
    x, w, b = c.input("x", torch.randn(2, 4, 8)), c.input("w", torch.randn(4, 1, 4)), c.input("b", torch.randn(4))
    c.output(F.conv1d(x, w, b, padding=3, groups=4)[..., :8])
with f.case("conv1d_unbatched") as c:
    x, w = c.input("x", torch.randn(3, 7)), c.input("w", torch.randn(2, 3, 3))
    c.output(F.conv1d(x, w, padding=1))
with f.case("conv1d_same") as c:
    # An even kernel pads asymmetrically (the extra element on the right); dilation widens the field.
    x, w, b = c.input("x", torch.randn(2, 3, 9)), c.input("w", torch.randn(4, 3, 4)), c.input("b", torch.randn(4))
    w3 = c.input("w3", torch.randn(4, 3, 3))
    c.output(F.conv1d(x, w, b, padding="same"), F.conv1d(x, w3, padding="same", dilation=2))
with f.case("conv1d_valid") as c:
    x, w = c.input("x", torch.randn(2, 3, 9)), c.input("w", torch.randn(4, 3, 4))
    c.output(F.conv1d(x, w, padding="valid", stride=2))

# ---- unfold ------------------------------------------------------------------------------------
with f.case("unfold") as c:
    x = c.input("x", torch.randn(2, 10, 3))
    # Overlapping windows (step < size), disjoint windows with a dropped tail, and the last dimension.
    c.output(x.unfold(1, 4, 2), x.unfold(1, 3, 4), x.unfold(-1, 2, 1))

# ---- pad ---------------------------------------------------------------------------------------
with f.case("pad_constant") as c:
    x = c.input("x", torch.randn(2, 3, 4))
    c.output(F.pad(x, (1, 2)), F.pad(x, (1, 0, 2, 3), value=1.5), F.pad(x, (-1, 2)), F.pad(x, (0, 0, 0, 0, 1, 1), value=-2.0))
with f.case("pad_constant_int") as c:
    x = c.input("x", torch.arange(6).reshape(2, 3))
    c.output(F.pad(x, (2, 1), value=7))
with f.case("pad_reflect") as c:
    x, y = c.input("x", torch.randn(2, 3, 6)), c.input("y", torch.randn(1, 2, 4, 5))
    c.output(F.pad(x, (2, 1), mode="reflect"), F.pad(y, (1, 2, 2, 1), mode="reflect"))
with f.case("pad_replicate") as c:
    x, y = c.input("x", torch.randn(2, 3, 6)), c.input("y", torch.randn(1, 2, 4, 5))
    c.output(F.pad(x, (3, 1), mode="replicate"), F.pad(y, (1, 2, 2, 1), mode="replicate"))
with f.case("pad_circular") as c:
    x = c.input("x", torch.randn(2, 3, 6))
    c.output(F.pad(x, (2, 3), mode="circular"))

# ---- layer_norm --------------------------------------------------------------------------------
with f.case("layer_norm") as c:
    x, w, b = c.input("x", torch.randn(2, 3, 8)), c.input("w", torch.randn(8)), c.input("b", torch.randn(8))
    c.output(F.layer_norm(x, (8,), w, b))
with f.case("layer_norm_two_dims") as c:
    x, w, b = c.input("x", torch.randn(2, 3, 5)), c.input("w", torch.randn(3, 5)), c.input("b", torch.randn(3, 5))
    c.output(F.layer_norm(x, (3, 5), w, b, eps=1e-3))
with f.case("layer_norm_no_affine") as c:
    x = c.input("x", torch.randn(4, 6) * 3 + 1)
    c.output(F.layer_norm(x, (6,)))
with f.case("layer_norm_weight_only") as c:
    x, w = c.input("x", torch.randn(4, 6)), c.input("w", torch.randn(6))
    c.output(F.layer_norm(x, (6,), w, eps=1e-2))

# ---- embedding ---------------------------------------------------------------------------------
with f.case("embedding") as c:
    idx = c.input("idx", torch.tensor([[1, 3, 3, 9, 0], [4, 4, 4, 2, 7]]))
    w = c.input("w", torch.randn(10, 4))
    c.output(F.embedding(idx, w))
with f.case("embedding_padding_idx") as c:
    # The padding row is still looked up but receives no gradient.
    idx = c.input("idx", torch.tensor([[0, 2, 0, 5], [3, 0, 1, 2]]))
    w = c.input("w", torch.randn(6, 3))
    c.output(F.embedding(idx, w, padding_idx=0))
with f.case("embedding_negative_padding_idx") as c:
    idx = c.input("idx", torch.tensor([5, 1, 5, 4, 0]))
    w = c.input("w", torch.randn(6, 3))
    c.output(F.embedding(idx, w, padding_idx=-1))

# ---- dropout (the C# test seeds DROPOUT_SEED right before, so both draw the same mask) -----------
with f.case("dropout") as c:
    x = c.input("x", torch.randn(4, 40))
    torch.manual_seed(DROPOUT_SEED)
    c.output(F.dropout(x, p=0.3))
with f.case("dropout_identity") as c:
    x = c.input("x", torch.randn(3, 5))
    c.output(F.dropout(x, p=0.3, training=False), F.dropout(x, p=0.0))

# ---- cross_entropy -----------------------------------------------------------------------------
with f.case("cross_entropy") as c:
    x, t = c.input("x", torch.randn(6, 5)), c.input("t", torch.tensor([0, 4, 2, 2, 1, 3]))
    c.output(F.cross_entropy(x, t))
with f.case("cross_entropy_reductions") as c:
    x, t = c.input("x", torch.randn(6, 5)), c.input("t", torch.tensor([0, 4, 2, 2, 1, 3]))
    c.output(F.cross_entropy(x, t, reduction="sum"), F.cross_entropy(x, t, reduction="none"))
with f.case("cross_entropy_ignore_index") as c:
    # The default -100 and a custom index: ignored targets give no loss, gradient or weight in the mean.
    x = c.input("x", torch.randn(6, 5))
    t = c.input("t", torch.tensor([0, -100, 2, -100, 1, 3]))
    u = c.input("u", torch.tensor([0, 4, 2, 2, 1, 2]))
    c.output(F.cross_entropy(x, t), F.cross_entropy(x, u, ignore_index=2), F.cross_entropy(x, u, ignore_index=2, reduction="none"))
with f.case("cross_entropy_label_smoothing") as c:
    x = c.input("x", torch.randn(6, 5))
    t = c.input("t", torch.tensor([0, 4, -100, 2, 1, 3]))
    c.output(F.cross_entropy(x, t, label_smoothing=0.1), F.cross_entropy(x, t, label_smoothing=0.2, reduction="sum"),
             F.cross_entropy(x, t, label_smoothing=0.1, reduction="none"))
with f.case("cross_entropy_weight") as c:
    x = c.input("x", torch.randn(6, 5))
    t = c.input("t", torch.tensor([0, 4, 2, 2, -100, 3]))
    w = c.input("w", torch.rand(5) + 0.5, grad=False)
    c.output(F.cross_entropy(x, t, weight=w), F.cross_entropy(x, t, weight=w, label_smoothing=0.15))
with f.case("cross_entropy_sequence") as c:
    # (N, C, L) logits with (N, L) targets: the layout of per-token language-model losses.
    x = c.input("x", torch.randn(2, 5, 7))
    t = c.input("t", torch.randint(0, 5, (2, 7)))
    t[1, 6] = -100
    c.output(F.cross_entropy(x, t), F.cross_entropy(x, t, reduction="none"), F.cross_entropy(x, t, label_smoothing=0.1))
with f.case("cross_entropy_probabilities") as c:
    x = c.input("x", torch.randn(4, 3))
    p = c.input("p", torch.softmax(torch.randn(4, 3), dim=1), grad=False)
    c.output(F.cross_entropy(x, p), F.cross_entropy(x, p, label_smoothing=0.2, reduction="sum"))
with f.case("cross_entropy_unbatched") as c:
    x, t = c.input("x", torch.randn(5)), c.input("t", torch.tensor(3))
    c.output(F.cross_entropy(x, t))

# ---- nll_loss ----------------------------------------------------------------------------------
with f.case("nll_loss") as c:
    x = c.input("x", torch.log_softmax(torch.randn(6, 5), dim=1))
    t = c.input("t", torch.tensor([0, 4, 2, 2, 1, 3]))
    c.output(F.nll_loss(x, t), F.nll_loss(x, t, reduction="sum"), F.nll_loss(x, t, reduction="none"))
with f.case("nll_loss_ignore_weight") as c:
    x = c.input("x", torch.log_softmax(torch.randn(6, 5), dim=1))
    t = c.input("t", torch.tensor([0, 4, 2, 2, 1, 3]))
    w = c.input("w", torch.rand(5) + 0.5, grad=False)
    c.output(F.nll_loss(x, t, ignore_index=2), F.nll_loss(x, t, weight=w), F.nll_loss(x, t, weight=w, ignore_index=4, reduction="none"))
with f.case("nll_loss_spatial") as c:
    x = c.input("x", torch.log_softmax(torch.randn(2, 4, 3, 5), dim=1))
    t = c.input("t", torch.randint(0, 4, (2, 3, 5)))
    t[0, 1, 2] = -100
    c.output(F.nll_loss(x, t), F.nll_loss(x, t, reduction="none"))

# ---- seeded draws (the C# test seeds DRAW_SEED and draws the same sequence) ---------------------
with f.case("manual_seed_draws") as c:
    torch.manual_seed(DRAW_SEED)
    # Sizes below and above 16 (libtorch's vectorised normal path starts at 16 elements).
    c.output(torch.randn(3, 5), torch.rand(4), torch.randint(0, 10, (6,)), torch.randn(100, dtype=torch.float64), torch.randn(2, 20))
with f.case("manual_seed_negative") as c:
    torch.manual_seed(-7)  # wraps modulo 2^64
    c.output(torch.randn(5))

f.save()
