// Shape and indexing: views (view, reshape, permute, transpose, squeeze, unsqueeze, expand, narrow,
// select, flatten), copies (contiguous, clone, repeat, flip, roll), joins and splits (cat, stack,
// split, chunk) and index-driven ops (index_select, gather, scatter, scatter_add, masked_select).
// Dimensions may be negative and count from the end, exactly as in PyTorch: libtorch wraps them.
#include "shim.h"

#include <string>

using cmp::Borrowed;
using cmp::ints;
using cmp::scalar;

// ---- views and reshapes ------------------------------------------------------------------------
CMP_API Handle cmp_view(Handle a, const int64_t* dims, int32_t ndim) { return cmp::guard([&] { return Borrowed(a)->view(ints(dims, ndim)); }); }
CMP_API Handle cmp_reshape(Handle a, const int64_t* dims, int32_t ndim) { return cmp::guard([&] { return at::reshape(Borrowed(a), ints(dims, ndim)); }); }
CMP_API Handle cmp_permute(Handle a, const int64_t* dims, int32_t ndim) { return cmp::guard([&] { return at::permute(Borrowed(a), ints(dims, ndim)); }); }
CMP_API Handle cmp_transpose(Handle a, int64_t dim0, int64_t dim1) { return cmp::guard([&] { return at::transpose(Borrowed(a), dim0, dim1); }); }
CMP_API Handle cmp_contiguous(Handle a) { return cmp::guard([&] { return Borrowed(a)->contiguous(); }); }
CMP_API Handle cmp_unsqueeze(Handle a, int64_t dim) { return cmp::guard([&] { return at::unsqueeze(Borrowed(a), dim); }); }
CMP_API Handle cmp_squeeze(Handle a) { return cmp::guard([&] { return at::squeeze(Borrowed(a)); }); }
CMP_API Handle cmp_squeeze_dim(Handle a, int64_t dim) { return cmp::guard([&] { return at::squeeze(Borrowed(a), dim); }); }
CMP_API Handle cmp_expand(Handle a, const int64_t* dims, int32_t ndim) { return cmp::guard([&] { return Borrowed(a)->expand(ints(dims, ndim)); }); }
CMP_API Handle cmp_expand_as(Handle a, Handle other) { return cmp::guard([&] { return Borrowed(a)->expand_as(Borrowed(other)); }); }
CMP_API Handle cmp_flatten(Handle a, int64_t start_dim, int64_t end_dim) { return cmp::guard([&] { return at::flatten(Borrowed(a), start_dim, end_dim); }); }
CMP_API Handle cmp_narrow(Handle a, int64_t dim, int64_t start, int64_t length) { return cmp::guard([&] { return at::narrow(Borrowed(a), dim, start, length); }); }
CMP_API Handle cmp_select(Handle a, int64_t dim, int64_t index) { return cmp::guard([&] { return at::select(Borrowed(a), dim, index); }); }

// ---- copies ------------------------------------------------------------------------------------
CMP_API Handle cmp_clone(Handle a) { return cmp::guard([&] { return at::clone(Borrowed(a)); }); }
CMP_API Handle cmp_repeat(Handle a, const int64_t* repeats, int32_t n) { return cmp::guard([&] { return Borrowed(a)->repeat(ints(repeats, n)); }); }
CMP_API Handle cmp_flip(Handle a, const int64_t* dims, int32_t ndim) { return cmp::guard([&] { return at::flip(Borrowed(a), ints(dims, ndim)); }); }
// An empty `dims` rolls the flattened tensor and restores its shape, as torch.roll(x, shift) does.
CMP_API Handle cmp_roll(Handle a, const int64_t* shifts, int32_t nshifts, const int64_t* dims, int32_t ndims) {
  return cmp::guard([&] { return at::roll(Borrowed(a), ints(shifts, nshifts), ints(dims, ndims)); });
}

// ---- joins and splits --------------------------------------------------------------------------
CMP_API Handle cmp_cat(const Handle* tensors, int32_t count, int64_t dim) { return cmp::guard([&] { return at::cat(cmp::tensor_list(tensors, count), dim); }); }
CMP_API Handle cmp_stack(const Handle* tensors, int32_t count, int64_t dim) { return cmp::guard([&] { return at::stack(cmp::tensor_list(tensors, count), dim); }); }

// The split family writes its pieces into `out` (room for `capacity`, which the managed side sizes
// from the shape) and returns how many there are, or -1 with the message parked.
template <class F>
static int32_t give_pieces(F&& split, Handle* out, int32_t capacity) noexcept {
  int32_t count = -1;
  if (cmp::guard_status([&] { count = cmp::give_all(split(), out, capacity); }) < 0) return -1;
  return count;
}
CMP_API int32_t cmp_split(Handle a, int64_t split_size, int64_t dim, Handle* out, int32_t capacity) {
  return give_pieces([&] { return Borrowed(a)->split(split_size, dim); }, out, capacity);
}
CMP_API int32_t cmp_split_sizes(Handle a, const int64_t* sizes, int32_t count, int64_t dim, Handle* out, int32_t capacity) {
  return give_pieces([&] { return Borrowed(a)->split_with_sizes(ints(sizes, count), dim); }, out, capacity);
}
CMP_API int32_t cmp_chunk(Handle a, int64_t chunks, int64_t dim, Handle* out, int32_t capacity) {
  return give_pieces([&] { return Borrowed(a)->chunk(chunks, dim); }, out, capacity);
}

// ---- indexing ----------------------------------------------------------------------------------
// libtorch's CPU message for an out-of-range index_select names neither the dimension nor its size
// ("index out of range in self"), so after a failure the indices are checked and, when one of them is
// the cause, the failure is restated with the bad index and the valid range. Success pays nothing.
static c10::optional<std::string> index_select_range_error(const at::Tensor& self, int64_t dim, const at::Tensor& index) {
  try {
    if (!at::isIntegralType(index.scalar_type(), /*includeBool=*/false)) return c10::nullopt;
    int64_t d = c10::maybe_wrap_dim(dim, self.dim());
    int64_t size = self.dim() == 0 ? 1 : self.size(d);
    auto bad = index.lt(0).logical_or(index.ge(size));
    if (!bad.any().item<bool>()) return c10::nullopt;
    int64_t first = index.masked_select(bad).select(0, 0).item<int64_t>();
    return "index_select(): index " + std::to_string(first) + " is out of range for dimension " + std::to_string(dim) +
           " of size " + std::to_string(size) + " (valid indices are 0.." + std::to_string(size - 1) +
           "; negative indices are not allowed)";
  } catch (...) {
    return c10::nullopt;  // the original failure stands
  }
}
CMP_API Handle cmp_index_select(Handle a, int64_t dim, Handle index) {
  return cmp::guard([&] {
    Borrowed self(a);
    Borrowed idx(index);
    try {
      return at::index_select(self, dim, idx);
    } catch (const c10::Error&) {
      auto clearer = index_select_range_error(self, dim, idx);
      if (!clearer) throw;
      throw std::out_of_range(*clearer);
    }
  });
}
CMP_API Handle cmp_gather(Handle a, int64_t dim, Handle index) { return cmp::guard([&] { return at::gather(Borrowed(a), dim, Borrowed(index)); }); }
CMP_API Handle cmp_scatter(Handle a, int64_t dim, Handle index, Handle src) { return cmp::guard([&] { return at::scatter(Borrowed(a), dim, Borrowed(index), Borrowed(src)); }); }
CMP_API Handle cmp_scatter_value(Handle a, int64_t dim, Handle index, cmp_scalar value) { return cmp::guard([&] { return at::scatter(Borrowed(a), dim, Borrowed(index), scalar(value)); }); }
CMP_API Handle cmp_scatter_add(Handle a, int64_t dim, Handle index, Handle src) { return cmp::guard([&] { return at::scatter_add(Borrowed(a), dim, Borrowed(index), Borrowed(src)); }); }
CMP_API int32_t cmp_scatter_(Handle a, int64_t dim, Handle index, Handle src) { return cmp::guard_status([&] { Borrowed(a)->scatter_(dim, Borrowed(index), Borrowed(src)); }); }
CMP_API int32_t cmp_scatter_value_(Handle a, int64_t dim, Handle index, cmp_scalar value) { return cmp::guard_status([&] { Borrowed(a)->scatter_(dim, Borrowed(index), scalar(value)); }); }
CMP_API int32_t cmp_scatter_add_(Handle a, int64_t dim, Handle index, Handle src) { return cmp::guard_status([&] { Borrowed(a)->scatter_add_(dim, Borrowed(index), Borrowed(src)); }); }
CMP_API Handle cmp_masked_select(Handle a, Handle mask) { return cmp::guard([&] { return at::masked_select(Borrowed(a), Borrowed(mask)); }); }
