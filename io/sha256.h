// sha256.h: SHA-256 (FIPS 180-4), so a run's summary.json can name exactly which data it saw.
// Read next: ../datasets/idx.h (idx_content_sha256 hashes a file's decompressed bytes).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tg::io {

class Sha256 {
 public:
  Sha256();
  void update(const uint8_t* data, size_t n);
  void update(std::string_view s) { update(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
  std::string hex();  // finishes the hash

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

}  // namespace tg::io
