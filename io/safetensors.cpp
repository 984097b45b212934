// safetensors.cpp: encode/decode with the spec's checks (offsets in bounds, contiguous, sizes matching
// dtype x shape, header length sane). Read next: nn/checkpoint.cpp.
#include "io/safetensors.h"

#include <algorithm>
#include <climits>
#include <bit>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/atomic_file.h"
#include "io/json.h"

static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian machine");

namespace tg::io {

namespace {
constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // the spec's own limit

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

// The number of bytes a tensor of this shape and dtype holds, or nullopt if the product overflows 64 bits.
std::optional<uint64_t> byte_count(const std::vector<int64_t>& shape, int64_t dtype_bytes) {
  uint64_t n = static_cast<uint64_t>(dtype_bytes);
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return std::nullopt;
  return n;
}

// A shape dimension or a data offset: the spec's JSON numbers are unsigned integers; 1.5, -1, 1e3 and NaN are not.
uint64_t unsigned_field(const Json& v, const std::string& path, const std::string& what) {
  if (!v.is_number_unsigned()) fail(path, fmt::format("{} is {}, expected an unsigned integer", what, v.dump()));
  return v.get<uint64_t>();
}
}  // namespace

int64_t dtype_size(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "U8") return 1;
  return 0;
}

std::string encode_safetensors(const SafeTensors& file) {
  Json header = Json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    const std::optional<uint64_t> n = byte_count(t.shape, dtype_size(t.dtype));
    require(dtype_size(t.dtype) > 0 && n && *n == t.bytes.size(), "safetensors: tensor {} has {} bytes, expected {} x shape",
            name, t.bytes.size(), t.dtype);
    header[name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0) text += ' ';  // align the data start to 8 bytes, as the spec suggests
  std::string out(8, '\0');
  const uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  out += text;
  for (const auto& [name, t] : file.tensors) out.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  return out;
}

SafeTensors decode_safetensors(const std::string& bytes, const std::string& path) {
  if (bytes.size() < 8) fail(path, fmt::format("file is {} bytes, expected at least the 8-byte header length", bytes.size()));
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  if (n > kMaxHeaderBytes || n > bytes.size() - 8)
    fail(path, fmt::format("header length {} does not fit a file of {} bytes", n, bytes.size()));
  // parse_json refuses duplicate keys, invalid UTF-8 and deep nesting.
  const Json header = parse_json(std::string_view(bytes).substr(8, n), path + " (safetensors header)");
  if (!header.is_object()) fail(path, "header is not a JSON object");
  const uint64_t data_start = 8 + n, data_size = bytes.size() - data_start;
  SafeTensors file;
  std::vector<std::pair<uint64_t, uint64_t>> spans;
  for (const auto& item : header.items()) {  // (not a structured binding: clang 14's lambdas cannot capture one)
    const std::string& name = item.key();
    const Json& entry = item.value();
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(path, "__metadata__ is not an object");
      for (const auto& [k, v] : entry.items()) {
        if (!v.is_string()) fail(path, fmt::format("__metadata__.{} is {}, expected a string", k, v.dump()));
        file.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    auto field = [&](const char* key) -> const Json& {
      if (!entry.is_object() || !entry.contains(key)) fail(path, fmt::format("tensor {} has no field {}", name, key));
      return entry.at(key);
    };
    SafeTensor t;
    if (!field("dtype").is_string()) fail(path, fmt::format("tensor {}: dtype is not a string", name));
    t.dtype = field("dtype").get<std::string>();
    if (dtype_size(t.dtype) == 0) fail(path, fmt::format("tensor {}: dtype {} is not supported (F32 F64 I64 U64 U8)", name, t.dtype));
    if (!field("shape").is_array()) fail(path, fmt::format("tensor {}: shape is not an array", name));
    for (const Json& d : field("shape")) {
      const uint64_t dim = unsigned_field(d, path, fmt::format("tensor {}: a shape dimension", name));
      if (dim > static_cast<uint64_t>(INT64_MAX)) fail(path, fmt::format("tensor {}: shape dimension {} is too large", name, dim));
      t.shape.push_back(static_cast<int64_t>(dim));
    }
    const Json& offsets = field("data_offsets");
    if (!offsets.is_array() || offsets.size() != 2) fail(path, fmt::format("tensor {}: data_offsets must be [begin, end]", name));
    const uint64_t begin = unsigned_field(offsets[0], path, fmt::format("tensor {}: data_offsets[0]", name));
    const uint64_t end = unsigned_field(offsets[1], path, fmt::format("tensor {}: data_offsets[1]", name));
    const std::optional<uint64_t> expected = byte_count(t.shape, dtype_size(t.dtype));
    if (begin > end || end > data_size)
      fail(path, fmt::format("tensor {}: data_offsets [{}, {}] outside the {} data bytes", name, begin, end, data_size));
    if (!expected || end - begin != *expected)
      fail(path, fmt::format("tensor {}: {} bytes, but {} of shape [{}] needs {}", name, end - begin, t.dtype,
                             fmt::join(t.shape, ", "), expected ? std::to_string(*expected) : "more than 2^64"));
    t.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(data_start + begin),
                   bytes.begin() + static_cast<std::ptrdiff_t>(data_start + end));
    spans.emplace_back(begin, end);
    file.tensors[name] = std::move(t);
  }
  // The spec requires the byte buffer to be covered exactly, with no holes or overlaps.
  std::sort(spans.begin(), spans.end());
  uint64_t at = 0;
  for (const auto& [b, e] : spans) {
    if (b != at) fail(path, fmt::format("tensor data is not contiguous at byte {} (next tensor starts at {})", at, b));
    at = e;
  }
  if (at != data_size) fail(path, fmt::format("{} data bytes, but tensors cover {}", data_size, at));
  return file;
}

void save_safetensors(const std::string& path, const SafeTensors& file) {
  write_file_atomically(path, encode_safetensors(file));
}

SafeTensors load_safetensors(const std::string& path) { return decode_safetensors(read_file(path), path); }

SafeTensor to_safetensor(const Tensor<float>& t) {
  SafeTensor s;
  s.dtype = "F32";
  for (int i = 0; i < t.shape().rank; ++i) s.shape.push_back(t.shape()[i]);
  s.bytes.resize(static_cast<size_t>(t.numel()) * 4);
  if (t.numel() > 0) std::memcpy(s.bytes.data(), t.data(), s.bytes.size());
  return s;
}

Tensor<float> to_float_tensor(const SafeTensor& s, const std::string& what) {
  if (s.dtype != "F32") throw std::runtime_error(fmt::format("{}: dtype {}, expected F32", what, s.dtype));
  if (s.shape.size() > 2) throw std::runtime_error(fmt::format("{}: rank {}, expected at most 2", what, s.shape.size()));
  Shape shape = s.shape.empty() ? Shape{} : s.shape.size() == 1 ? Shape{s.shape[0]} : Shape{s.shape[0], s.shape[1]};
  Tensor<float> t(shape);
  if (t.numel() > 0) std::memcpy(t.data(), s.bytes.data(), s.bytes.size());
  return t;
}

SafeTensor to_safetensor_u64(const std::vector<uint64_t>& v) {
  SafeTensor s{"U64", {static_cast<int64_t>(v.size())}, std::vector<uint8_t>(v.size() * 8)};
  if (!v.empty()) std::memcpy(s.bytes.data(), v.data(), s.bytes.size());
  return s;
}

std::vector<uint64_t> to_u64_vector(const SafeTensor& s, const std::string& what) {
  if (s.dtype != "U64" || s.shape.size() != 1)
    throw std::runtime_error(fmt::format("{}: dtype {} rank {}, expected a U64 vector", what, s.dtype, s.shape.size()));
  std::vector<uint64_t> v(static_cast<size_t>(s.shape[0]));
  if (!v.empty()) std::memcpy(v.data(), s.bytes.data(), s.bytes.size());
  return v;
}

}  // namespace tg::io
