// Element-wise arithmetic with broadcasting, scalar operands and in-place variants; comparisons;
// unary math and activations; masked_fill / where / clamp / triu / tril.
#include "shim.h"

using cmp::Borrowed;
using cmp::scalar;

// ---- binary arithmetic -------------------------------------------------------------------------
CMP_API Handle cmp_add(Handle a, Handle b, cmp_scalar alpha) { return cmp::guard([&] { return at::add(Borrowed(a), Borrowed(b), scalar(alpha)); }); }
CMP_API Handle cmp_sub(Handle a, Handle b, cmp_scalar alpha) { return cmp::guard([&] { return at::sub(Borrowed(a), Borrowed(b), scalar(alpha)); }); }
CMP_API Handle cmp_mul(Handle a, Handle b) { return cmp::guard([&] { return at::mul(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_div(Handle a, Handle b) { return cmp::guard([&] { return at::div(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_pow(Handle a, Handle b) { return cmp::guard([&] { return at::pow(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_maximum(Handle a, Handle b) { return cmp::guard([&] { return at::maximum(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_minimum(Handle a, Handle b) { return cmp::guard([&] { return at::minimum(Borrowed(a), Borrowed(b)); }); }

CMP_API Handle cmp_add_scalar(Handle a, cmp_scalar b, cmp_scalar alpha) { return cmp::guard([&] { return at::add(Borrowed(a), scalar(b), scalar(alpha)); }); }
CMP_API Handle cmp_sub_scalar(Handle a, cmp_scalar b, cmp_scalar alpha) { return cmp::guard([&] { return at::sub(Borrowed(a), scalar(b), scalar(alpha)); }); }
CMP_API Handle cmp_rsub_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::rsub(Borrowed(a), scalar(b)); }); }
CMP_API Handle cmp_mul_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::mul(Borrowed(a), scalar(b)); }); }
CMP_API Handle cmp_div_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::div(Borrowed(a), scalar(b)); }); }
CMP_API Handle cmp_rdiv_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::mul(at::reciprocal(Borrowed(a)), scalar(b)); }); }
CMP_API Handle cmp_remainder_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::remainder(Borrowed(a), scalar(b)); }); }
CMP_API Handle cmp_pow_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::pow(Borrowed(a), scalar(b)); }); }

// ---- in-place arithmetic (the handle keeps its identity; nothing new is handed out) -------------
CMP_API int32_t cmp_add_(Handle a, Handle b, cmp_scalar alpha) { return cmp::guard_status([&] { Borrowed(a)->add_(Borrowed(b), scalar(alpha)); }); }
CMP_API int32_t cmp_sub_(Handle a, Handle b, cmp_scalar alpha) { return cmp::guard_status([&] { Borrowed(a)->sub_(Borrowed(b), scalar(alpha)); }); }
CMP_API int32_t cmp_mul_(Handle a, Handle b) { return cmp::guard_status([&] { Borrowed(a)->mul_(Borrowed(b)); }); }
CMP_API int32_t cmp_div_(Handle a, Handle b) { return cmp::guard_status([&] { Borrowed(a)->div_(Borrowed(b)); }); }
CMP_API int32_t cmp_add_scalar_(Handle a, cmp_scalar b) { return cmp::guard_status([&] { Borrowed(a)->add_(scalar(b)); }); }
CMP_API int32_t cmp_mul_scalar_(Handle a, cmp_scalar b) { return cmp::guard_status([&] { Borrowed(a)->mul_(scalar(b)); }); }
CMP_API int32_t cmp_div_scalar_(Handle a, cmp_scalar b) { return cmp::guard_status([&] { Borrowed(a)->div_(scalar(b)); }); }
CMP_API int32_t cmp_pow_scalar_(Handle a, cmp_scalar b) { return cmp::guard_status([&] { Borrowed(a)->pow_(scalar(b)); }); }
CMP_API int32_t cmp_addcmul_(Handle a, Handle t1, Handle t2, cmp_scalar value) { return cmp::guard_status([&] { Borrowed(a)->addcmul_(Borrowed(t1), Borrowed(t2), scalar(value)); }); }
CMP_API int32_t cmp_addcdiv_(Handle a, Handle t1, Handle t2, cmp_scalar value) { return cmp::guard_status([&] { Borrowed(a)->addcdiv_(Borrowed(t1), Borrowed(t2), scalar(value)); }); }
CMP_API int32_t cmp_lerp_(Handle a, Handle end, cmp_scalar weight) { return cmp::guard_status([&] { Borrowed(a)->lerp_(Borrowed(end), scalar(weight)); }); }
CMP_API int32_t cmp_zero_(Handle a) { return cmp::guard_status([&] { Borrowed(a)->zero_(); }); }
CMP_API int32_t cmp_fill_(Handle a, cmp_scalar value) { return cmp::guard_status([&] { Borrowed(a)->fill_(scalar(value)); }); }
CMP_API int32_t cmp_copy_(Handle a, Handle src) { return cmp::guard_status([&] { Borrowed(a)->copy_(Borrowed(src)); }); }
CMP_API int32_t cmp_clamp_(Handle a, cmp_scalar lo, int32_t has_lo, cmp_scalar hi, int32_t has_hi) {
  return cmp::guard_status([&] {
    Borrowed(a)->clamp_(has_lo ? c10::optional<at::Scalar>(scalar(lo)) : c10::nullopt,
                        has_hi ? c10::optional<at::Scalar>(scalar(hi)) : c10::nullopt);
  });
}
CMP_API int32_t cmp_masked_fill_(Handle a, Handle mask, cmp_scalar value) { return cmp::guard_status([&] { Borrowed(a)->masked_fill_(Borrowed(mask), scalar(value)); }); }

// ---- comparisons and logic (results are bool tensors) ------------------------------------------
#define CMP_COMPARE(name)                                                                                     \
  CMP_API Handle cmp_##name(Handle a, Handle b) { return cmp::guard([&] { return at::name(Borrowed(a), Borrowed(b)); }); } \
  CMP_API Handle cmp_##name##_scalar(Handle a, cmp_scalar b) { return cmp::guard([&] { return at::name(Borrowed(a), scalar(b)); }); }
CMP_COMPARE(eq)
CMP_COMPARE(ne)
CMP_COMPARE(lt)
CMP_COMPARE(le)
CMP_COMPARE(gt)
CMP_COMPARE(ge)
CMP_API Handle cmp_logical_and(Handle a, Handle b) { return cmp::guard([&] { return at::logical_and(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_logical_or(Handle a, Handle b) { return cmp::guard([&] { return at::logical_or(Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_logical_not(Handle a) { return cmp::guard([&] { return at::logical_not(Borrowed(a)); }); }
CMP_API Handle cmp_isnan(Handle a) { return cmp::guard([&] { return at::isnan(Borrowed(a)); }); }
CMP_API Handle cmp_isfinite(Handle a) { return cmp::guard([&] { return at::isfinite(Borrowed(a)); }); }
CMP_API int32_t cmp_allclose(Handle a, Handle b, double rtol, double atol) {
  try { return at::allclose(Borrowed(a), Borrowed(b), rtol, atol) ? 1 : 0; }
  catch (const std::exception& e) { cmp::set_error(e.what()); return -1; }
}
CMP_API int32_t cmp_equal(Handle a, Handle b) {
  try { return at::equal(Borrowed(a), Borrowed(b)) ? 1 : 0; }
  catch (const std::exception& e) { cmp::set_error(e.what()); return -1; }
}

// ---- unary math and activations ----------------------------------------------------------------
#define CMP_UNARY(name) \
  CMP_API Handle cmp_##name(Handle a) { return cmp::guard([&] { return at::name(Borrowed(a)); }); }
CMP_UNARY(neg)
CMP_UNARY(abs)
CMP_UNARY(exp)
CMP_UNARY(log)
CMP_UNARY(sqrt)
CMP_UNARY(rsqrt)
CMP_UNARY(sin)
CMP_UNARY(cos)
CMP_UNARY(sign)
CMP_UNARY(reciprocal)
CMP_UNARY(relu)
CMP_UNARY(sigmoid)
CMP_UNARY(tanh)
CMP_UNARY(silu)

CMP_API int32_t cmp_relu_(Handle a) { return cmp::guard_status([&] { Borrowed(a)->relu_(); }); }

// approximate: 0 = exact (erf), 1 = tanh approximation.
CMP_API Handle cmp_gelu(Handle a, int32_t approximate) {
  return cmp::guard([&] {
#if CMP_TORCH_AT_LEAST(1, 12)
    return at::gelu(Borrowed(a), approximate ? "tanh" : "none");
#else
    TORCH_CHECK(!approximate, "tanh-approximated GELU needs libtorch 1.12 or newer");
    return at::gelu(Borrowed(a));
#endif
  });
}
CMP_API Handle cmp_elu(Handle a, cmp_scalar alpha) { return cmp::guard([&] { return at::elu(Borrowed(a), scalar(alpha)); }); }
CMP_API Handle cmp_glu(Handle a, int64_t dim) { return cmp::guard([&] { return at::glu(Borrowed(a), dim); }); }

CMP_API Handle cmp_clamp(Handle a, cmp_scalar lo, int32_t has_lo, cmp_scalar hi, int32_t has_hi) {
  return cmp::guard([&] {
    return at::clamp(Borrowed(a), has_lo ? c10::optional<at::Scalar>(scalar(lo)) : c10::nullopt,
                     has_hi ? c10::optional<at::Scalar>(scalar(hi)) : c10::nullopt);
  });
}
CMP_API Handle cmp_masked_fill(Handle a, Handle mask, cmp_scalar value) { return cmp::guard([&] { return at::masked_fill(Borrowed(a), Borrowed(mask), scalar(value)); }); }
CMP_API Handle cmp_where(Handle condition, Handle a, Handle b) { return cmp::guard([&] { return at::where(Borrowed(condition), Borrowed(a), Borrowed(b)); }); }
CMP_API Handle cmp_triu(Handle a, int64_t diagonal) { return cmp::guard([&] { return at::triu(Borrowed(a), diagonal); }); }
CMP_API Handle cmp_tril(Handle a, int64_t diagonal) { return cmp::guard([&] { return at::tril(Borrowed(a), diagonal); }); }
