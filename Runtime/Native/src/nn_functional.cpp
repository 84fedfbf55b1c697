// torch.nn.functional: conv1d, pad, layer_norm, embedding, dropout, cross_entropy, nll_loss (linear: linear.cpp);
// and Tensor.unfold (sliding windows), the building block of hand-written convolutions.
#include "shim.h"

using cmp::Borrowed;

// padding is an int (the same on both sides).
CMP_API Handle cmp_conv1d(Handle input, Handle weight, Handle bias, int64_t stride, int64_t padding, int64_t dilation,
                          int64_t groups) {
  return cmp::guard([&] {
    return at::conv1d(Borrowed(input), Borrowed(weight), cmp::optional_tensor(bias), at::IntArrayRef(stride),
                      at::IntArrayRef(padding), at::IntArrayRef(dilation), groups);
  });
}

// padding: 0 = "valid", 1 = "same" (libtorch checks the constraints of "same", such as stride 1).
CMP_API Handle cmp_conv1d_padding_mode(Handle input, Handle weight, Handle bias, int64_t stride, int32_t padding,
                                       int64_t dilation, int64_t groups) {
  return cmp::guard([&] {
    TORCH_CHECK(padding == 0 || padding == 1, "internal: unknown conv padding mode ", padding);
    return at::conv1d(Borrowed(input), Borrowed(weight), cmp::optional_tensor(bias), at::IntArrayRef(stride),
                      c10::string_view(padding == 1 ? "same" : "valid"), at::IntArrayRef(dilation), groups);
  });
}

CMP_API Handle cmp_unfold(Handle a, int64_t dim, int64_t size, int64_t step) {
  return cmp::guard([&] { return Borrowed(a)->unfold(dim, size, step); });
}

// mode: 0 = "constant", 1 = "reflect", 2 = "replicate", 3 = "circular". The value is passed for
// "constant" only, because at::pad refuses a value with the other modes.
CMP_API Handle cmp_pad(Handle a, const int64_t* pad, int32_t count, int32_t mode, double value) {
  static const char* const modes[] = {"constant", "reflect", "replicate", "circular"};
  return cmp::guard([&] {
    TORCH_CHECK(mode >= 0 && mode < 4, "internal: unknown pad mode ", mode);
    return at::pad(Borrowed(a), cmp::ints(pad, count), c10::string_view(modes[mode]),
                   mode == 0 ? c10::optional<double>(value) : c10::nullopt);
  });
}

CMP_API Handle cmp_layer_norm(Handle input, const int64_t* normalized_shape, int32_t count, Handle weight, Handle bias,
                              double eps) {
  return cmp::guard([&] {
    return at::layer_norm(Borrowed(input), cmp::ints(normalized_shape, count), cmp::optional_tensor(weight),
                          cmp::optional_tensor(bias), eps, /*cudnn_enable=*/true);
  });
}

// padding_idx: -1 for none, otherwise a non-negative row (the managed side resolves negative rows).
CMP_API Handle cmp_embedding(Handle weight, Handle indices, int64_t padding_idx) {
  return cmp::guard([&] { return at::embedding(Borrowed(weight), Borrowed(indices), padding_idx); });
}

CMP_API Handle cmp_dropout(Handle input, double p, int32_t training) {
  return cmp::guard([&] { return at::dropout(Borrowed(input), p, training != 0); });
}

// reduction: at::Reduction codes (0 none, 1 mean, 2 sum). Targets may be class indices (int64) or,
// for cross_entropy, class probabilities of the input's shape.
CMP_API Handle cmp_cross_entropy(Handle input, Handle target, Handle weight, int32_t reduction, int64_t ignore_index,
                                 double label_smoothing) {
  return cmp::guard([&] {
    return at::cross_entropy_loss(Borrowed(input), Borrowed(target), cmp::optional_tensor(weight), reduction,
                                  ignore_index, label_smoothing);
  });
}

// nll_loss_nd (not nll_loss) so that inputs of shape (N, C, d1, ...) work, as in F.nll_loss.
CMP_API Handle cmp_nll_loss(Handle input, Handle target, Handle weight, int32_t reduction, int64_t ignore_index) {
  return cmp::guard([&] {
    return at::nll_loss_nd(Borrowed(input), Borrowed(target), cmp::optional_tensor(weight), reduction, ignore_index);
  });
}
