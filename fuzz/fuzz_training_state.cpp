// fuzz_training_state.cpp: libFuzzer target for the training-state loader (nn/training_state.h), the file a
// resumed run trusts: any bytes, decoded and loaded into a small model with Adam, must either load or be refused
// with std::runtime_error naming the file. A loaded state must hold finite parameters and a working generator.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "io/safetensors.h"
#include "nn/mlp.h"
#include "nn/training_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz-state.safetensors";
  tg::Rng init(1);
  tg::nn::Mlp<float> model({3, 4, 2}, tg::nn::Activation::Relu, init);
  const tg::Parameters<float> params = model.parameters();
  tg::optim::Adam adam(params, 0.01f);
  tg::Rng rng(2);
  tg::nn::History history{{"loss", {}}};
  try {
    const tg::io::SafeTensors f = tg::io::decode_safetensors(std::string(reinterpret_cast<const char*>(data), size), path);
    tg::nn::load_training_state(f, path, {params, adam, rng, history, {{"seed", "2"}}, {}});
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find(path) == std::string::npos) __builtin_trap();  // every refusal names the file
    return 0;
  }
  for (const auto& p : params)
    for (int64_t i = 0; i < p.var.value().numel(); ++i)
      if (!std::isfinite(p.var.value().data()[i])) __builtin_trap();
  rng.below(10);  // a loaded generator must not be stuck
  return 0;
}
