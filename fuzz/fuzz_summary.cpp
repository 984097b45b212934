// fuzz_summary.cpp: libFuzzer target for what a reporter reads first from a run folder it cannot trust: any bytes
// as summary.json, parsed, read back as each program's settings (experiments/vae_settings.h, anomaly_settings.h,
// semisupervised_settings.h; io/settings_reader.h does the checking) and its provenance's invocations decoded
// (io/provenance.h). Each must either succeed or be refused with
// std::runtime_error naming the file; nothing may crash, hang or run out of memory.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "experiments/anomaly_settings.h"
#include "experiments/semisupervised_settings.h"
#include "experiments/vae_settings.h"
#include "io/json.h"
#include "io/provenance.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz-run/summary.json";
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Runs one read: it succeeds, or it is refused with std::runtime_error naming the file; anything else is a bug.
  const auto read_or_refuse = [&](auto read) {
    try {
      read();
      return true;
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()).find(path) == std::string::npos) __builtin_trap();
      return false;
    }
  };
  tg::io::Json summary;
  if (!read_or_refuse([&] { summary = tg::io::parse_json(text, path); })) return 0;
  // Each program's reader on the same bytes: a mutation that one accepts is still a test for the others.
  volatile int64_t sink = 0;  // keeps the reads from being optimised away
  read_or_refuse([&] { sink = tg::read_vae_settings(summary, path).latent; });
  read_or_refuse([&] { sink = static_cast<int64_t>(tg::read_anomaly_settings(summary, path).latents.size()); });
  read_or_refuse([&] { sink = static_cast<int64_t>(tg::read_semisupervised_settings(summary, path).seeds.size()); });
  read_or_refuse([&] {
    if (summary.contains("provenance") && summary.at("provenance").is_object() && summary.at("provenance").contains("invocations"))
      tg::io::invocations_with(summary.at("provenance").at("invocations").dump(), tg::io::Invocation{}, path);
  });
  (void)sink;
  return 0;
}
