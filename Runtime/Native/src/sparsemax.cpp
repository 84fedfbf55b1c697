// Sparsemax (Martins & Astudillo 2016; MIXERS.md §1): the Euclidean projection of logits onto the
// simplex, so weights can be exactly zero. A custom autograd function rather than a composition of
// ATen ops: the composition would back-propagate through sort, cumsum and gather and keep all their
// intermediates alive, while the Jacobian has a closed form that needs only the output.
#include "shim.h"

#include <torch/csrc/autograd/custom_function.h>

#include <vector>

using cmp::Borrowed;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

struct SparsemaxFunction : public torch::autograd::Function<SparsemaxFunction> {
  static constexpr int64_t kFirstPrefix = 64;

  // p_i = max(z_i − τ, 0) with τ = (Σ_{j≤k*} z_(j) − 1) / k*, where z_(1) ≥ z_(2) ≥ … is z sorted and
  // k* = max{k : 1 + k·z_(k) > Σ_{j≤k} z_(j)}. The condition holds exactly for k ≤ k* (the support is a
  // prefix of the sorted order), so k* is the number of k where it holds.
  //
  // Only the sorted prefix up to k* + 1 matters, and attention supports are small (tens of keys out of
  // thousands), so the rows are first sorted partially (topk, about 7× cheaper than a full sort at 2048
  // keys). A row whose condition still holds at the last of its k sorted values may have a larger
  // support: then the prefix grows 8× and, at the end, becomes the full sort. Every row's k* and τ are
  // the ones the full sort gives, bit for bit: the prefix and its running sum are the same numbers.
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& z, int64_t dim) {
    TORCH_CHECK(z.is_floating_point(), "sparsemax expects a floating-point input, got ", z.scalar_type());
    TORCH_CHECK(z.dim() > 0, "sparsemax needs at least one dimension to normalise over, got a scalar");
    dim = at::maybe_wrap_dim(dim, z.dim());
    ctx->saved_data["dim"] = dim;
    if (z.numel() == 0) {
      auto empty = z.clone();
      ctx->save_for_backward({empty});
      return empty;
    }
    const int64_t n = z.size(dim);
    std::vector<int64_t> shape(static_cast<size_t>(z.dim()), 1);
    at::Tensor cumulative, k_star;
    for (int64_t k = std::min<int64_t>(n, kFirstPrefix);; k = std::min(n, k * 8)) {
      auto sorted = k == n ? std::get<0>(z.sort(dim, /*descending=*/true))
                           : std::get<0>(z.topk(k, dim, /*largest=*/true, /*sorted=*/true));
      cumulative = sorted.cumsum(dim);
      shape[static_cast<size_t>(dim)] = k;
      auto ks = at::arange(1, k + 1, z.options()).view(shape);
      // Masked logits are large finite negatives (never −inf): k·z_(k) and the cumulative sum may then
      // overflow to −inf, which only makes the condition false, as it must be for them.
      k_star = sorted.mul_(ks).add_(1).gt(cumulative).sum(dim, /*keepdim=*/true);
      if (k == n || !k_star.eq(k).any().item<bool>()) break;
    }
    // A row whose every logit is the same huge negative number can round the condition to false
    // everywhere; k* ≥ 1 keeps τ finite, and the row comes out all zeros.
    k_star.clamp_min_(1);
    auto tau = cumulative.gather(dim, k_star - 1).sub_(1).div_(k_star);
    auto p = (z - tau).clamp_min_(0);
    ctx->save_for_backward({p});
    return p;
  }

  // On the support S the Jacobian is diag(s) − s sᵀ/|S| (s = indicator of S), so
  // ∂L/∂z = s ⊙ (g − Σ_{i∈S} g_i / |S|).
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto p = ctx->get_saved_variables()[0];
    const int64_t dim = ctx->saved_data["dim"].toInt();
    const auto& g = grad_outputs[0];
    if (p.numel() == 0) return {at::zeros_like(p), at::Tensor()};
    auto s = p.gt(0).to(g.scalar_type());
    auto gs = g * s;
    auto mean = gs.sum(dim, /*keepdim=*/true).div_(s.sum(dim, /*keepdim=*/true).clamp_min_(1));
    return {gs.addcmul_(s, mean, -1), at::Tensor()};
  }
};

}  // namespace

CMP_API Handle cmp_sparsemax(Handle input, int64_t dim) {
  return cmp::guard([&] {
    Borrowed z(input);
    return SparsemaxFunction::apply(*z, dim);
  });
}
