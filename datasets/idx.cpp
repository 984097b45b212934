// idx.cpp: read_idx/write_idx. The file is read whole (it must be a regular file under a cap), inflated with
// zlib if it starts with gzip's magic bytes, then its header is validated against what actually arrived. Read next: mnist.cpp.
#include "datasets/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <span>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/atomic_file.h"
#include "io/sha256.h"

namespace tg::data {

namespace {

constexpr size_t kMaxFileBytes = size_t(1) << 30;  // 1 GiB decompressed: MNIST's largest file is 47 MB

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

// gzip (one or more members, as `gzip -c a b > c` makes) or raw bytes, told apart by gzip's magic bytes.
// Anything after the last member that is not another member is refused, as gzip itself refuses it.
// A raw file is returned as it is (moved, not copied: MNIST's training images are 47 MB).
std::string decompress(std::string file, const std::string& path) {
  const auto* in = reinterpret_cast<const uint8_t*>(file.data());
  auto is_gzip = [&](size_t at) { return file.size() - at >= 2 && in[at] == 0x1f && in[at + 1] == 0x8b; };
  if (!is_gzip(0)) {
    if (file.size() > kMaxFileBytes) fail(path, fmt::format("larger than {} bytes, which no IDX file we read should be", kMaxFileBytes));
    return file;
  }
  std::string out;
  std::vector<uint8_t> chunk(1 << 16);
  size_t at = 0;
  while (at < file.size()) {
    if (!is_gzip(at))
      fail(path, fmt::format("{} bytes of trailing garbage after the gzip data (at byte {})", file.size() - at, at));
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) fail(path, "zlib could not start");
    z.next_in = const_cast<Bytef*>(in + at);
    z.avail_in = static_cast<uInt>(std::min<size_t>(file.size() - at, UINT32_MAX));
    int code = Z_OK;
    while (code != Z_STREAM_END) {
      z.next_out = chunk.data();
      z.avail_out = static_cast<uInt>(chunk.size());
      code = inflate(&z, Z_NO_FLUSH);
      if (code != Z_OK && code != Z_STREAM_END) {
        const std::string why = z.msg ? z.msg : code == Z_BUF_ERROR ? "truncated" : std::to_string(code);
        inflateEnd(&z);
        fail(path, "corrupt or truncated gzip data (" + why + ")");
      }
      out.append(reinterpret_cast<const char*>(chunk.data()), static_cast<size_t>(z.next_out - chunk.data()));
      if (out.size() > kMaxFileBytes) {
        inflateEnd(&z);
        fail(path, fmt::format("larger than {} bytes decompressed, which no IDX file we read should be", kMaxFileBytes));
      }
    }
    at += z.total_in;
    inflateEnd(&z);
  }
  return out;
}

std::string read_all(const std::string& path) {
  // read_file refuses folders, devices and files over the cap, naming the path.
  return decompress(io::read_file(path, kMaxFileBytes), path);
}

uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

IdxArray read_idx(const std::string& path, int expected_ndims) {
  return decode_idx(io::read_file(path, kMaxFileBytes), path, expected_ndims);
}

IdxArray decode_idx(std::string file, const std::string& path, int expected_ndims) {
  const std::string text = decompress(std::move(file), path);
  const std::span<const uint8_t> raw(reinterpret_cast<const uint8_t*>(text.data()), text.size());
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
  a.sha256 = io::sha256_hex(raw.data(), raw.size());
  return a;
}

std::string idx_content_sha256(const std::string& path) {
  return io::sha256_hex(read_all(path));
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
