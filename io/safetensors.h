// safetensors.h: the safetensors format (Hugging Face): 8-byte little-endian header length N, N bytes of
// JSON {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the raw little-endian bytes. A file written here opens in PyTorch, NumPy or JAX; a file from them
// loads here. Reading checks every offset, size and dtype before trusting it. Read next: nn/checkpoint.h.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace tg::io {

struct SafeTensor {
  std::string dtype;           // "F32", "F64", "I64", "U64", "U8"
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;  // little-endian, row-major
};

struct SafeTensors {
  std::map<std::string, SafeTensor> tensors;
  std::map<std::string, std::string> metadata;
};

std::string encode_safetensors(const SafeTensors& file);
SafeTensors decode_safetensors(const std::string& bytes, const std::string& path_for_errors);
void save_safetensors(const std::string& path, const SafeTensors& file);  // atomic
SafeTensors load_safetensors(const std::string& path);

int64_t dtype_size(const std::string& dtype);  // 0 when unknown

// Conversions for the tensors we use (this machine is little-endian, as safetensors is).
SafeTensor to_safetensor(const Tensor<float>& t);
Tensor<float> to_float_tensor(const SafeTensor& s, const std::string& what);
SafeTensor to_safetensor_u64(const std::vector<uint64_t>& v);
std::vector<uint64_t> to_u64_vector(const SafeTensor& s, const std::string& what);

}  // namespace tg::io
