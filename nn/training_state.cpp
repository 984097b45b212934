// training_state.cpp: one safetensors file per run state; every check names the file and the tensor.
#include "nn/training_state.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "nn/checkpoint.h"

namespace tg::nn {

namespace {
constexpr const char* kFormat = "tapegrad-training-state-1";

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

io::SafeTensor doubles_tensor(const std::vector<double>& v) {
  io::SafeTensor t{"F64", {static_cast<int64_t>(v.size())}, std::vector<uint8_t>(v.size() * 8)};
  if (!v.empty()) std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
  return t;
}

const io::SafeTensor& tensor(const io::SafeTensors& f, const std::string& path, const std::string& name) {
  auto it = f.tensors.find(name);
  if (it == f.tensors.end()) fail(path, fmt::format("no tensor {}; the file is not a complete training state", name));
  return it->second;
}
}  // namespace

size_t epochs_done(const History& h) { return h.empty() ? 0 : h.begin()->second.size(); }

void save_training_state(const std::string& path, const TrainingState& s) {
  io::SafeTensors f;
  put_parameters(f, "model.", s.parameters);
  s.optimizer.save_state(f, "optim");
  const Rng::State st = s.rng.state();
  f.tensors["rng"] = io::to_safetensor_u64(std::vector<uint64_t>(st.begin(), st.end()));
  for (const auto& [name, series] : s.history) {
    if (series.size() != epochs_done(s.history))
      throw std::logic_error(fmt::format("history series {} has {} values, others {}", name, series.size(), epochs_done(s.history)));
    f.tensors["history." + name] = doubles_tensor(series);
  }
  f.metadata = s.identity;
  for (const auto& [k, v] : s.notes) f.metadata["note." + k] = v;
  for (const auto& [k, v] : s.about) f.metadata[k] = v;
  f.metadata["format"] = kFormat;
  f.metadata["epoch"] = std::to_string(epochs_done(s.history));
  io::save_safetensors(path, f);  // atomic: a crash mid-save leaves the previous state intact
}

std::map<std::string, std::string> load_training_state(const std::string& path, const TrainingState& s) {
  return load_training_state(io::load_safetensors(path), path, s);
}

std::map<std::string, std::string> load_training_state(const io::SafeTensors& f, const std::string& path, const TrainingState& s) {
  if (auto it = f.metadata.find("format"); it == f.metadata.end() || it->second != kFormat)
    fail(path, fmt::format("format is {}, expected {}", it == f.metadata.end() ? "(missing)" : it->second, kFormat));
  for (const auto& [key, value] : s.identity) {
    auto it = f.metadata.find(key);
    auto by_default = s.identity_defaults.find(key);
    const std::string made_with = it != f.metadata.end()                ? it->second
                                  : by_default != s.identity_defaults.end() ? by_default->second
                                                                            : "(missing)";
    if (made_with != value)
      fail(path, fmt::format("made with {}={}, but this run asks for {}={}; use another OUT= or drop RESUME", key, made_with, key, value));
  }
  take_parameters(f, "model.", s.parameters, path);  // names, shapes, dtypes and finiteness, all reported at once
  s.optimizer.load_state(f, path, "optim");
  const std::vector<uint64_t> words = io::to_u64_vector(tensor(f, path, "rng"), path + ": rng");
  Rng::State state{};
  if (words.size() != state.size()) fail(path, fmt::format("rng has {} values, expected {}", words.size(), state.size()));
  std::copy(words.begin(), words.end(), state.begin());
  try {
    s.rng.set_state(state);
  } catch (const std::exception& e) {
    fail(path, e.what());
  }
  size_t epochs = 0;
  bool first = true;
  for (auto& [name, series] : s.history) {
    const io::SafeTensor& t = tensor(f, path, "history." + name);
    if (t.dtype != "F64" || t.shape.size() != 1)
      fail(path, fmt::format("history.{} is {} of rank {}, expected an F64 vector", name, t.dtype, t.shape.size()));
    series.assign(static_cast<size_t>(t.shape[0]), 0.0);
    if (!series.empty()) std::memcpy(series.data(), t.bytes.data(), t.bytes.size());
    for (size_t i = 0; i < series.size(); ++i)
      if (!std::isfinite(series[i])) fail(path, fmt::format("history.{} holds a non-finite value at epoch {}", name, i + 1));
    if (!first && series.size() != epochs)
      fail(path, fmt::format("history.{} has {} epochs, other series {}", name, series.size(), epochs));
    epochs = series.size();
    first = false;
  }
  if (auto it = f.metadata.find("epoch"); it != f.metadata.end() && it->second != std::to_string(epochs))
    fail(path, fmt::format("metadata says epoch {}, but the history holds {}", it->second, epochs));
  std::map<std::string, std::string> notes;
  for (const auto& [k, v] : f.metadata)
    if (k.rfind("note.", 0) == 0) notes[k.substr(5)] = v;
  return notes;
}

}  // namespace tg::nn
