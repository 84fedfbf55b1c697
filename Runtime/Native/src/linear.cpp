// torch.nn.functional.linear, y = x Wᵀ + b, with its products on oneDNN's sgemm (gemm.h) on the CPU.
//
// Linear layers are most of a model's arithmetic: in training the forward product and the two
// backward ones (∂x = ∂y W, ∂W = ∂yᵀ x), in decoding one-row products. A custom autograd function
// sends all three to the faster sgemm; the bias is written into the output first and sgemm adds the
// product onto it, so the forward is one call. Products differ from at::linear's by rounding only.
//
// Without oneDNN (or off CUDA tensors, other dtypes) ATen's linear runs, except that one row goes to
// addmv: OpenBLAS 0.3.21 runs a one-row sgemm through its general packed path (125 µs at 256 → 1024)
// instead of its gemv kernel (17 µs), and incremental decoding at B = 1 is made of such products.
#include "gemm.h"
#include "shim.h"

#include <torch/csrc/autograd/custom_function.h>

using cmp::Borrowed;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

// The output shape: the input's, with the last dimension the weight's rows.
std::vector<int64_t> output_shape(const at::Tensor& input, const at::Tensor& weight) {
  std::vector<int64_t> shape(input.sizes().begin(), input.sizes().end());
  shape.back() = weight.size(0);
  return shape;
}

// x Wᵀ + b through sgemm: the bias broadcast into the output, then the product added onto it.
at::Tensor linear_forward(const at::Tensor& input, const at::Tensor& weight, const at::Tensor& bias) {
  at::Tensor x = input.reshape({-1, input.size(-1)});
  // A fresh output always: expand(...).contiguous() of a one-row output would be the bias itself
  // (a size-1 dimension does not break contiguity), and sgemm would add the product into it.
  at::Tensor y = at::empty({x.size(0), weight.size(0)}, input.options());
  if (bias.defined()) y.copy_(bias.expand({x.size(0), weight.size(0)}));
  cmp::fast_sgemm(x, weight.t(), y, bias.defined() ? 1.0f : 0.0f);
  return y.view(output_shape(input, weight));
}

// ∂x = ∂y W and ∂W = ∂yᵀ x, each only when asked for.
std::pair<at::Tensor, at::Tensor> linear_backward(AutogradContext* ctx, const at::Tensor& grad_output) {
  auto saved = ctx->get_saved_variables();
  const at::Tensor& input = saved[0];
  const at::Tensor& weight = saved[1];
  at::Tensor grad = grad_output.reshape({-1, weight.size(0)});
  at::Tensor grad_input, grad_weight;
  if (ctx->needs_input_grad(0)) grad_input = cmp::mm(grad, weight).view(input.sizes());
  if (ctx->needs_input_grad(1)) grad_weight = cmp::mm(grad.t(), input.reshape({-1, input.size(-1)}));
  return {grad_input, grad_weight};
}

// Two functions because autograd takes only defined tensors as inputs: with and without a bias.
struct LinearFunction : public torch::autograd::Function<LinearFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight,
                            const at::Tensor& bias) {
    ctx->save_for_backward({input, weight});
    return linear_forward(input, weight, bias);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto [grad_input, grad_weight] = linear_backward(ctx, grad_outputs[0]);
    at::Tensor grad_bias;
    if (ctx->needs_input_grad(2)) grad_bias = grad_outputs[0].reshape({-1, grad_outputs[0].size(-1)}).sum(0);
    return {grad_input, grad_weight, grad_bias};
  }
};

struct LinearNoBiasFunction : public torch::autograd::Function<LinearNoBiasFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight) {
    ctx->save_for_backward({input, weight});
    return linear_forward(input, weight, at::Tensor());
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto [grad_input, grad_weight] = linear_backward(ctx, grad_outputs[0]);
    return {grad_input, grad_weight};
  }
};

// Rows up to which one addmv per row beats OpenBLAS's sgemm (measured at 256 → 1024: 4 rows 73 µs
// vs 120 µs; 8 rows are about even). Used only without oneDNN.
constexpr int64_t kRowsPerRowProduct = 4;

at::Tensor linear_by_rows(const at::Tensor& input, const at::Tensor& weight, const c10::optional<at::Tensor>& bias) {
  const int64_t rows = input.numel() / input.size(-1);
  if (rows == 1) {
    // Differentiable: addmv has its own backward, so training with one row takes this path too.
    at::Tensor x = input.reshape({input.size(-1)});
    return (bias ? at::addmv(*bias, weight, x) : at::mv(weight, x)).view(output_shape(input, weight));
  }
  at::Tensor x = input.reshape({rows, input.size(-1)});
  at::Tensor y = at::empty({rows, weight.size(0)}, input.options());
  for (int64_t r = 0; r < rows; ++r) {
    at::Tensor row = y.select(0, r);
    if (bias) {
      at::addmv_out(row, *bias, weight, x.select(0, r));
    } else {
      at::mv_out(row, weight, x.select(0, r));
    }
  }
  return y.view(output_shape(input, weight));
}

}  // namespace

CMP_API Handle cmp_linear(Handle input_handle, Handle weight_handle, Handle bias_handle) {
  return cmp::guard([&] {
    Borrowed input_borrowed(input_handle), weight_borrowed(weight_handle);
    const at::Tensor& input = *input_borrowed;
    const at::Tensor& weight = *weight_borrowed;
    c10::optional<at::Tensor> bias = cmp::optional_tensor(bias_handle);
    const bool plain = input.dim() >= 1 && weight.dim() == 2 && input.size(-1) == weight.size(1) &&
                       (!bias || (bias->dim() == 1 && bias->size(0) == weight.size(0) &&
                                  bias->scalar_type() == input.scalar_type() && bias->device() == input.device()));
    if (!plain || input.numel() == 0) return at::linear(input, weight, bias);  // ATen's checks and messages
    // `plain` has checked the shapes; what is left is whether sgemm takes both operands.
    if (cmp::fast_sgemm_takes(input) && cmp::fast_sgemm_takes(weight)) {
      at::Tensor b = bias ? *bias : at::Tensor();
      const bool tracked = at::GradMode::is_enabled() &&
                           (input.requires_grad() || weight.requires_grad() || (bias && bias->requires_grad()));
      if (!tracked) return linear_forward(input, weight, b);
      return bias ? LinearFunction::apply(input, weight, *bias) : LinearNoBiasFunction::apply(input, weight);
    }
    const bool cpu_float = input.device().is_cpu() && weight.device().is_cpu() && at::isFloatingType(input.scalar_type()) &&
                           input.scalar_type() == weight.scalar_type();
    const int64_t rows = input.numel() / input.size(-1);
    if (cpu_float && (rows == 1 || (rows <= kRowsPerRowProduct && !at::GradMode::is_enabled()))) {
      return linear_by_rows(input, weight, bias);
    }
    return at::linear(input, weight, bias);
  });
}
