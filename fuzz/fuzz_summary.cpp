// fuzz_summary.cpp: libFuzzer target for what a reporter reads first from a run folder it cannot trust: any bytes
// as summary.json, parsed, its settings read back (experiments/vae_settings.h: read_vae_settings) and its
// provenance's invocations decoded (io/provenance.h). Each must either succeed or be refused with
// std::runtime_error naming the file; nothing may crash, hang or run out of memory.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "experiments/vae_settings.h"
#include "io/json.h"
#include "io/provenance.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz-run/summary.json";
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const tg::io::Json summary = tg::io::parse_json(text, path);
    const tg::VaeSettings settings = tg::read_vae_settings(summary, path);
    if (settings.latent == -12345) return 0;  // keeps the read from being optimised away
    if (summary.contains("provenance") && summary.at("provenance").is_object() && summary.at("provenance").contains("invocations"))
      tg::io::invocations_with(summary.at("provenance").at("invocations").dump(), tg::io::Invocation{}, path);
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find(path) == std::string::npos) __builtin_trap();  // every refusal names the file
  }
  return 0;
}
