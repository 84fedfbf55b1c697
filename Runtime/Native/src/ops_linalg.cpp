// Linear algebra: matmul (NumPy-style broadcasting), mm, bmm, baddbmm, einsum.
#include "shim.h"

using cmp::Borrowed;

CMP_API Handle cmp_matmul(Handle a, Handle b) { return cmp::guard([&] { return at::matmul(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_mm(Handle a, Handle b) { return cmp::guard([&] { return at::mm(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_bmm(Handle a, Handle b) { return cmp::guard([&] { return at::bmm(Borrowed(a), Borrowed(b)); }); }

// beta * input + alpha * (batch1 @ batch2)
CMP_API Handle cmp_baddbmm(Handle input, Handle batch1, Handle batch2, cmp_scalar beta, cmp_scalar alpha) {
  return cmp::guard([&] {
    return at::baddbmm(Borrowed(input), Borrowed(batch1), Borrowed(batch2), cmp::scalar(beta), cmp::scalar(alpha));
  });
}

// equation: NUL-terminated UTF-8 ("bij,bjk->bik"); operands: `count` handles.
CMP_API Handle cmp_einsum(const char* equation, const Handle* operands, int32_t count) {
  return cmp::guard([&] { return at::einsum(equation, cmp::tensor_list(operands, count)); });
}

