// sha256.cpp: one call into libcrypto's EVP interface.
#include "io/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include <fmt/format.h>

namespace tg::io {

std::string sha256_hex(const uint8_t* data, size_t n) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data, n, digest, &length, EVP_sha256(), nullptr) != 1 || length != 32)
    throw std::runtime_error("libcrypto: SHA-256 failed");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace tg::io
