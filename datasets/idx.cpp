// idx.cpp: read_idx/write_idx. zlib's gzread reads gzip and plain files alike; we read everything (up to
// a cap), then validate the header against what actually arrived. Read next: mnist.cpp.
#include "datasets/idx.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/sha256.h"

namespace tg::data {

namespace {

constexpr size_t kMaxFileBytes = size_t(1) << 30;  // 1 GiB decompressed: MNIST's largest file is 47 MB

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

std::vector<uint8_t> read_all(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) fail(path, "cannot open (missing or unreadable)");
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int n = gzread(f, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int code = 0;
      std::string message = gzerror(f, &code);
      gzclose(f);
      fail(path, "corrupt gzip data (" + message + ")");
    }
    if (n == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    if (out.size() > kMaxFileBytes) {
      gzclose(f);
      fail(path, fmt::format("larger than {} bytes decompressed, which no IDX file we read should be", kMaxFileBytes));
    }
  }
  int code = 0;
  std::string message = gzerror(f, &code);
  const int close_code = gzclose(f);
  // A truncated .gz reads as a short stream: zlib reports it here or on close.
  if (code != Z_OK && code != Z_STREAM_END) fail(path, "corrupt gzip data (" + message + ")");
  if (close_code != Z_OK) fail(path, "corrupt or truncated gzip data (gzclose code " + std::to_string(close_code) + ")");
  return out;
}

uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

IdxArray read_idx(const std::string& path, int expected_ndims) {
  const std::vector<uint8_t> raw = read_all(path);
  const uint32_t expected_magic = 0x00000800u | uint32_t(expected_ndims);
  if (raw.size() < 4) fail(path, fmt::format("file is {} bytes, expected at least a 4-byte magic number", raw.size()));
  const uint32_t magic = big_endian_u32(raw.data());
  if (magic != expected_magic)
    fail(path, fmt::format("magic 0x{:08x}, expected 0x{:08x} ({} of unsigned bytes)", magic, expected_magic,
                           expected_ndims == 1 ? "labels, 1 dimension" : fmt::format("{} dimensions", expected_ndims)));
  const size_t header = 4 + 4 * size_t(expected_ndims);
  if (raw.size() < header)
    fail(path, fmt::format("file is {} bytes, expected a header of {} bytes (magic + {} sizes)", raw.size(), header,
                           expected_ndims));
  IdxArray a;
  uint64_t count = 1;
  for (int i = 0; i < expected_ndims; ++i) {
    const uint32_t d = big_endian_u32(raw.data() + 4 + 4 * i);
    if (d == 0) fail(path, fmt::format("dimension {} is 0, expected at least 1", i));
    a.dims.push_back(d);
    count *= d;
    if (count > kMaxFileBytes) fail(path, fmt::format("header sizes multiply past {} values", kMaxFileBytes));
  }
  const uint64_t have = raw.size() - header;
  if (have != count)
    fail(path, fmt::format("header promises {} data bytes ({}), found {} ({})", count,
                           fmt::join(a.dims, " x "), have, have < count ? "truncated" : "trailing bytes"));
  a.bytes.assign(raw.begin() + static_cast<std::ptrdiff_t>(header), raw.end());
  return a;
}

std::string idx_content_sha256(const std::string& path) {
  const std::vector<uint8_t> raw = read_all(path);
  io::Sha256 h;
  h.update(raw.data(), raw.size());
  return h.hex();
}

void write_idx(const std::string& path, const std::vector<int64_t>& dims, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error(path + ": cannot open for writing");
  auto put_u32 = [&](uint32_t v) {
    const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.write(b, 4);
  };
  put_u32(0x00000800u | uint32_t(dims.size()));
  for (int64_t d : dims) put_u32(static_cast<uint32_t>(d));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error(path + ": write failed");
}

}  // namespace tg::data
