// sha256.h: the SHA-256 of some bytes, as 64 hex digits, from OpenSSL's libcrypto (Debian's libssl-dev), so a
// run's summary.json and its checkpoint can name exactly which data they saw.
// Read next: ../datasets/idx.h (idx_content_sha256 hashes a file's decompressed bytes).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tg::io {

std::string sha256_hex(const uint8_t* data, size_t n);
inline std::string sha256_hex(std::string_view s) { return sha256_hex(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

}  // namespace tg::io
