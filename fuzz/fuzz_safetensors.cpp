// fuzz_safetensors.cpp: libFuzzer target for the safetensors decoder (io/safetensors.h): any bytes must either
// decode to tensors whose byte counts match dtype x shape, exactly covering the data, or be refused with
// std::runtime_error. A decoded file must also encode and decode back to the same tensors.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  tg::io::SafeTensors f;
  try {
    f = tg::io::decode_safetensors(bytes, "fuzz.safetensors");
  } catch (const std::runtime_error&) {
    return 0;
  }
  for (const auto& [name, t] : f.tensors) {
    uint64_t n = static_cast<uint64_t>(tg::io::dtype_size(t.dtype));
    for (int64_t d : t.shape) n *= static_cast<uint64_t>(d);
    if (n != t.bytes.size()) __builtin_trap();
  }
  const tg::io::SafeTensors g = tg::io::decode_safetensors(tg::io::encode_safetensors(f), "re-encoded");
  if (g.tensors.size() != f.tensors.size() || g.metadata != f.metadata) __builtin_trap();
  for (const auto& [name, t] : f.tensors)
    if (g.tensors.at(name).bytes != t.bytes || g.tensors.at(name).shape != t.shape) __builtin_trap();
  return 0;
}
