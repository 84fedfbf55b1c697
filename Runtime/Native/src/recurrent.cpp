// Recurrent layers: torch.lstm and torch.gru (what torch.nn.LSTM / torch.nn.GRU call), over a flat
// weight list in torch.nn's order: per layer and direction weight_ih, weight_hh[, bias_ih, bias_hh],
// the reverse direction right after the forward one.
#include "shim.h"

#include <array>

using cmp::Borrowed;

// hx: h0 and c0, each (layers * directions, B, hidden). Writes output, h_n, c_n to out (capacity 3).
CMP_API int32_t cmp_lstm(Handle input, Handle h0, Handle c0, const Handle* params, int32_t count, int32_t has_biases,
                         int64_t num_layers, double dropout, int32_t train, int32_t bidirectional, int32_t batch_first,
                         Handle* out, int32_t capacity) {
  int32_t written = -1;
  if (cmp::guard_status([&] {
        std::vector<at::Tensor> hx = cmp::tensor_list(std::array<Handle, 2>{h0, c0}.data(), 2);
        auto result = at::lstm(Borrowed(input), hx, cmp::tensor_list(params, count), has_biases != 0, num_layers,
                               dropout, train != 0, bidirectional != 0, batch_first != 0);
        written = cmp::give_all({std::get<0>(result), std::get<1>(result), std::get<2>(result)}, out, capacity);
      }) < 0)
    return -1;
  return written;
}

// hx: h0 (layers * directions, B, hidden). Writes output, h_n to out (capacity 2).
CMP_API int32_t cmp_gru(Handle input, Handle h0, const Handle* params, int32_t count, int32_t has_biases,
                        int64_t num_layers, double dropout, int32_t train, int32_t bidirectional, int32_t batch_first,
                        Handle* out, int32_t capacity) {
  int32_t written = -1;
  if (cmp::guard_status([&] {
        auto result = at::gru(Borrowed(input), Borrowed(h0), cmp::tensor_list(params, count), has_biases != 0,
                              num_layers, dropout, train != 0, bidirectional != 0, batch_first != 0);
        written = cmp::give_all({std::get<0>(result), std::get<1>(result)}, out, capacity);
      }) < 0)
    return -1;
  return written;
}
