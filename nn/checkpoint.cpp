// checkpoint.cpp: parameters <-> safetensors with complete mismatch reports (names, shapes, dtypes, NaNs). Read next: ../io/safetensors.cpp.
#include "nn/checkpoint.h"

#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tg::nn {

namespace {
int64_t first_non_finite(const io::SafeTensor& t) {  // an F32 tensor's first NaN or infinity, or -1
  for (size_t i = 0; i + 4 <= t.bytes.size(); i += 4) {
    float v;
    std::memcpy(&v, t.bytes.data() + i, 4);
    if (!std::isfinite(v)) return static_cast<int64_t>(i / 4);
  }
  return -1;
}
}  // namespace

void put_parameters(io::SafeTensors& file, const std::string& prefix, const Parameters<float>& params) {
  for (const auto& p : params) file.tensors[prefix + p.name] = io::to_safetensor(p.var.value());
}

void take_parameters(const io::SafeTensors& file, const std::string& prefix, const Parameters<float>& params,
                     const std::string& path) {
  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const auto& p : params) {
    const std::string name = prefix + p.name;
    expected.insert(name);
    auto it = file.tensors.find(name);
    if (it == file.tensors.end()) {
      problems.push_back("missing " + name);
      continue;
    }
    const io::SafeTensor& t = it->second;
    std::vector<int64_t> want;
    for (int i = 0; i < p.var.shape().rank; ++i) want.push_back(p.var.shape()[i]);
    if (t.dtype != "F32") problems.push_back(fmt::format("{} is {}, expected F32", name, t.dtype));
    else if (t.shape != want)
      problems.push_back(fmt::format("{} is [{}], expected [{}]", name, fmt::join(t.shape, ", "), fmt::join(want, ", ")));
    else if (const int64_t k = first_non_finite(t); k >= 0)
      problems.push_back(fmt::format("{} holds a non-finite value at element {}", name, k));
  }
  for (const auto& [name, t] : file.tensors)
    if (name.rfind(prefix, 0) == 0 && !expected.count(name)) problems.push_back("unexpected " + name);
  if (!problems.empty())
    throw std::runtime_error(fmt::format("{}: checkpoint does not match the model: {}", path, fmt::join(problems, "; ")));
  for (const auto& p : params) {
    const io::SafeTensor& t = file.tensors.at(prefix + p.name);
    Var<float> v = p.var;
    if (!t.bytes.empty()) std::memcpy(v.value().data(), t.bytes.data(), t.bytes.size());
  }
}

void save_parameters(const std::string& path, const Parameters<float>& params) {
  io::SafeTensors file;
  put_parameters(file, "", params);
  io::save_safetensors(path, file);
}

void load_parameters(const std::string& path, const Parameters<float>& params) {
  take_parameters(io::load_safetensors(path), "", params, path);
}

}  // namespace tg::nn
