// fuzz_idx.cpp: libFuzzer target for the IDX reader (datasets/idx.h), raw and gzip: any bytes must either
// decode to an array whose dims multiply to its byte count, or be refused with std::runtime_error. A crash,
// a hang, a sanitizer report or another exception is a finding. `make fuzz` runs it.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "datasets/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int ndims : {1, 3}) {
    try {
      const tg::data::IdxArray a = tg::data::decode_idx(bytes, "fuzz.idx", ndims);
      uint64_t n = 1;
      for (int64_t d : a.dims) n *= static_cast<uint64_t>(d);
      if (a.dims.size() != static_cast<size_t>(ndims) || n != a.bytes.size()) __builtin_trap();  // accepted but inconsistent
    } catch (const std::runtime_error&) {
    }
  }
  return 0;
}
