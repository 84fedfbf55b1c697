// Reductions (sum, mean, max/min, argmax/argmin, logsumexp, norm, var), scans (cumsum), softmax
// and log_softmax, and the (values, indices) selections topk and sort.
//
// Conventions shared by these exports:
//  * dims/ndim: the dimensions to reduce; ndim < 0 means "every element" and calls libtorch's
//    all-elements overload (an empty list is passed through as an empty list, so libtorch decides).
//  * dtype: a c10::ScalarType code, or -1 for "none" (keep libtorch's default result type).
//  * (values, indices) results come back through two out-handles; on failure neither is written.
#include "shim.h"

using cmp::Borrowed;

namespace {

c10::optional<at::ScalarType> optional_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(code);
}

bool all_elements(int32_t ndim) { return ndim < 0; }

// Both tensors are handed out only once both exist, so a failure leaks nothing.
void give_pair(std::tuple<at::Tensor, at::Tensor>&& pair, Handle* first, Handle* second) {
  *first = cmp::give(std::move(std::get<0>(pair)));
  *second = cmp::give(std::move(std::get<1>(pair)));
}

}  // namespace

// ---- sums and means ----------------------------------------------------------------------------
CMP_API Handle cmp_sum(Handle a, const int64_t* dims, int32_t ndim, int32_t keepdim, int32_t dtype) {
  return cmp::guard([&] {
    if (all_elements(ndim)) return at::sum(Borrowed(a), optional_dtype(dtype));
    return at::sum(Borrowed(a), cmp::ints(dims, ndim), keepdim != 0, optional_dtype(dtype));
  });
}

CMP_API Handle cmp_mean(Handle a, const int64_t* dims, int32_t ndim, int32_t keepdim) {
  return cmp::guard([&] {
    if (all_elements(ndim)) return at::mean(Borrowed(a));
    return at::mean(Borrowed(a), cmp::ints(dims, ndim), keepdim != 0);
  });
}

CMP_API Handle cmp_cumsum(Handle a, int64_t dim, int32_t dtype) {
  return cmp::guard([&] { return at::cumsum(Borrowed(a), dim, optional_dtype(dtype)); });
}

CMP_API Handle cmp_logsumexp(Handle a, const int64_t* dims, int32_t ndim, int32_t keepdim) {
  return cmp::guard([&] { return at::logsumexp(Borrowed(a), cmp::ints(dims, ndim), keepdim != 0); });
}

// ---- extrema -----------------------------------------------------------------------------------
CMP_API Handle cmp_max_all(Handle a) { return cmp::guard([&] { return at::max(Borrowed(a)); }); }
CMP_API Handle cmp_min_all(Handle a) { return cmp::guard([&] { return at::min(Borrowed(a)); }); }

CMP_API int32_t cmp_max_dim(Handle a, int64_t dim, int32_t keepdim, Handle* values, Handle* indices) {
  return cmp::guard_status([&] { give_pair(at::max(Borrowed(a), dim, keepdim != 0), values, indices); });
}
CMP_API int32_t cmp_min_dim(Handle a, int64_t dim, int32_t keepdim, Handle* values, Handle* indices) {
  return cmp::guard_status([&] { give_pair(at::min(Borrowed(a), dim, keepdim != 0), values, indices); });
}

// has_dim == 0: the index into the flattened tensor (keepdim is then ignored, as in PyTorch).
CMP_API Handle cmp_argmax(Handle a, int64_t dim, int32_t has_dim, int32_t keepdim) {
  return cmp::guard([&] {
    return at::argmax(Borrowed(a), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0);
  });
}
CMP_API Handle cmp_argmin(Handle a, int64_t dim, int32_t has_dim, int32_t keepdim) {
  return cmp::guard([&] {
    return at::argmin(Borrowed(a), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0);
  });
}

// ---- spread ------------------------------------------------------------------------------------
CMP_API Handle cmp_norm(Handle a, double p, const int64_t* dims, int32_t ndim, int32_t keepdim) {
  return cmp::guard([&] {
    if (all_elements(ndim)) return at::norm(Borrowed(a), at::Scalar(p));
    return at::norm(Borrowed(a), c10::optional<at::Scalar>(at::Scalar(p)), cmp::ints(dims, ndim), keepdim != 0);
  });
}

namespace {

// libtorch 1.13 takes var's correction as optional<int64_t>, 2.x as optional<Scalar>. Overload
// resolution picks whichever this libtorch has: the Scalar form is tried first (the trailing int
// argument prefers it) and drops out by SFINAE where it does not compile.
template <class T>
auto var_with_correction(const T& t, at::OptionalIntArrayRef dims, int64_t correction, bool keepdim, int)
    -> decltype(at::var(t, dims, c10::optional<at::Scalar>(at::Scalar(correction)), keepdim)) {
  return at::var(t, dims, c10::optional<at::Scalar>(at::Scalar(correction)), keepdim);
}
template <class T>
at::Tensor var_with_correction(const T& t, at::OptionalIntArrayRef dims, int64_t correction, bool keepdim, long) {
  return at::var(t, dims, c10::optional<int64_t>(correction), keepdim);
}

}  // namespace

// correction: the divisor is N - correction (1 = unbiased, 0 = population variance).
CMP_API Handle cmp_var(Handle a, const int64_t* dims, int32_t ndim, int64_t correction, int32_t keepdim) {
  return cmp::guard([&] {
    auto d = all_elements(ndim) ? at::OptionalIntArrayRef(c10::nullopt) : at::OptionalIntArrayRef(cmp::ints(dims, ndim));
    return var_with_correction(*Borrowed(a), d, correction, keepdim != 0, 0);
  });
}

// ---- softmax -----------------------------------------------------------------------------------
CMP_API Handle cmp_softmax(Handle a, int64_t dim, int32_t dtype) {
  return cmp::guard([&] { return at::softmax(Borrowed(a), dim, optional_dtype(dtype)); });
}
CMP_API Handle cmp_log_softmax(Handle a, int64_t dim, int32_t dtype) {
  return cmp::guard([&] { return at::log_softmax(Borrowed(a), dim, optional_dtype(dtype)); });
}

// ---- selections --------------------------------------------------------------------------------
CMP_API int32_t cmp_topk(Handle a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, Handle* values, Handle* indices) {
  return cmp::guard_status([&] {
    Borrowed t(a);
    // libtorch's own message for a bad k ("selected index k out of range") names neither k nor the size.
    int64_t size = t->dim() == 0 ? 1 : t->size(dim);
    TORCH_CHECK(k >= 0 && k <= size, "topk: k = ", k, " is out of range for dimension ", dim, " of size ", size,
                " (expected 0 <= k <= ", size, ")");
    give_pair(at::topk(*t, k, dim, largest != 0, sorted != 0), values, indices);
  });
}

// stable: equal elements keep their original order.
CMP_API int32_t cmp_sort(Handle a, int64_t dim, int32_t descending, int32_t stable, Handle* values, Handle* indices) {
  return cmp::guard_status([&] {
    give_pair(at::sort(Borrowed(a), c10::optional<bool>(stable != 0), dim, descending != 0), values, indices);
  });
}
