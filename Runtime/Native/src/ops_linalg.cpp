// Linear algebra: matmul (NumPy-style broadcasting), mm, bmm, baddbmm, einsum.
#include "shim.h"

using cmp::Borrowed;

CMP_API Handle cmp_matmul(Handle a, Handle b) { return cmp::guard([&] { return at::matmul(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_mm(Handle a, Handle b) { return cmp::guard([&] { return at::mm(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_bmm(Handle a, Handle b) { return cmp::guard([&] { return at::bmm(Borrowed(a), Borrowed(b)); }); }

// beta * input + alpha * (batch1 @ batch2)
CMP_API Handle cmp_baddbmm(Handle input, Handle batch1, Handle batch2, cmp_scalar beta, cmp_scalar alpha) {
  return cmp::guard([&] {
    Borrowed input_view(input);
    const at::Tensor& in = *input_view;
    auto b = cmp::scalar(beta);
    if (!b.isComplex() && b.toDouble() == 0.0) {
      // beta = 0 means "ignore the input". libtorch 1.13's CPU kernel instead multiplies an
      // uninitialised output by 0, so NaNs left in reused memory leak into the result at random.
      // alpha·bmm, broadcast to the shape baddbmm would give, is the defined result.
      auto product = at::bmm(Borrowed(batch1), Borrowed(batch2));
      auto a = cmp::scalar(alpha);
      if (a.toDouble() != 1.0) product = product * a;
      auto shape = at::infer_size(in.sizes(), product.sizes());
      return product.sizes().equals(shape) ? product : product.expand(shape).contiguous();
    }
    return at::baddbmm(in, Borrowed(batch1), Borrowed(batch2), b, cmp::scalar(alpha));
  });
}

// equation: NUL-terminated UTF-8 ("bij,bjk->bik"); operands: `count` handles.
CMP_API Handle cmp_einsum(const char* equation, const Handle* operands, int32_t count) {
  return cmp::guard([&] { return at::einsum(equation, cmp::tensor_list(operands, count)); });
}

