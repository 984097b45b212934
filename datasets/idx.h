// idx.h: reader for IDX files (the MNIST format), raw or gzip-compressed, with every field checked.
// Layout: magic (0x00 0x00 type ndims), ndims big-endian uint32 sizes, then the bytes. We accept type
// 0x08 (unsigned byte) only, and check magic, dims, the length against the header, and trailing bytes.
// The file is decompressed in chunks under a cap, so neither a header that lies about sizes nor a gzip bomb can
// trigger a huge allocation; bytes after the gzip data are refused. Every failure names the file, the field, what was expected and what was found.
// Read next: mnist.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tg::data {

struct IdxArray {
  std::vector<int64_t> dims;   // e.g. {60000, 28, 28} for images, {60000} for labels
  std::vector<uint8_t> bytes;  // product(dims) values, row-major
  std::string sha256;          // of the whole decompressed file, header included (what idx_content_sha256 gives)
};

/// Reads `path` (gzip detected from its first bytes, not its name) and checks it holds `expected_ndims`
/// dimensions of unsigned bytes (magic 0x00000803 for images, 0x00000801 for labels).
IdxArray read_idx(const std::string& path, int expected_ndims);
/// The same from a file's bytes already in memory (`path` only names it in errors); the fuzz target's entry.
IdxArray decode_idx(std::string file, const std::string& path, int expected_ndims);

/// SHA-256 of the file's decompressed bytes (so a recompressed .gz of the same data hashes the same).
std::string idx_content_sha256(const std::string& path);

/// Writes an uncompressed IDX file of unsigned bytes (tests and data conversion use it).
void write_idx(const std::string& path, const std::vector<int64_t>& dims, const std::vector<uint8_t>& bytes);

}  // namespace tg::data
