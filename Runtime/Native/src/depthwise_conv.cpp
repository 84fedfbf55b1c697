// Depthwise 1-D convolution, F.conv1d(input, weight, groups = channels) without bias or padding, for
// lightweight convolution (MIXERS.md §2). A custom autograd function only for its backward: libtorch
// 1.13's CPU convolution_backward for a depthwise kernel is far slower than the forward (measured at
// C = 256, T = 4096, K = 31, one thread: forward ~2 ms, forward + libtorch's backward ~38 ms, forward
// + this backward ~14 ms), yet both gradients are depthwise convolutions themselves:
//   ∂L/∂x = (∂L/∂y) convolved with the flipped kernel, with K − 1 zeros on both sides;
//   ∂L/∂w[c, k] = Σ_t ∂L/∂y[n, c, t] · x[n, c, t + k], a convolution of the input by the output gradient,
//   one group per (sequence, channel), summed over the sequences.
#include "shim.h"

#include <torch/csrc/autograd/custom_function.h>

using cmp::Borrowed;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

// conv1d with stride 1, dilation 1, no bias and no padding: the two overloads (numeric and string
// padding) need the argument types spelled out.
at::Tensor depthwise(const at::Tensor& input, const at::Tensor& weight, int64_t groups) {
  const int64_t one = 1, none = 0;
  return at::conv1d(input, weight, c10::optional<at::Tensor>(), at::IntArrayRef(one), at::IntArrayRef(none),
                    at::IntArrayRef(one), groups);
}

struct DepthwiseConv1dFunction : public torch::autograd::Function<DepthwiseConv1dFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight) {
    TORCH_CHECK(input.dim() == 3, "depthwise conv1d expects an input (N, C, L), got ", input.sizes());
    TORCH_CHECK(weight.dim() == 3 && weight.size(0) == input.size(1) && weight.size(1) == 1,
                "depthwise conv1d expects a weight (C, 1, K) with C = ", input.size(1), " channels, got ", weight.sizes());
    TORCH_CHECK(weight.size(2) <= input.size(2), "depthwise conv1d: the kernel (", weight.size(2),
                ") is longer than the padded input (", input.size(2), ")");
    ctx->save_for_backward({input, weight});
    return depthwise(input, weight, input.size(1));
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    const auto& input = saved[0];
    const auto& weight = saved[1];
    auto grad = grad_outputs[0].contiguous();
    const int64_t n = input.size(0), c = input.size(1), k = weight.size(2), length = grad.size(2);
    at::Tensor grad_input, grad_weight;
    if (ctx->needs_input_grad(0)) {
      // Padded beforehand: oneDNN's depthwise kernel takes a much slower path when asked for padding
      // wider than half the kernel (measured 5× slower than padding first).
      grad_input = depthwise(at::constant_pad_nd(grad, {k - 1, k - 1}), weight.flip({2}), c);
    }
    if (ctx->needs_input_grad(1)) {
      grad_weight = depthwise(input.reshape({1, n * c, input.size(2)}), grad.reshape({n * c, 1, length}), n * c)
                        .view({n, c, k})
                        .sum(0)
                        .unsqueeze(1);
    }
    return {grad_input, grad_weight};
  }
};

}  // namespace

CMP_API Handle cmp_depthwise_conv1d(Handle input, Handle weight) {
  return cmp::guard([&] {
    Borrowed x(input), w(weight);
    return DepthwiseConv1dFunction::apply(*x, *w);
  });
}
