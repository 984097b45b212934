// checkpoint.h: model parameters to and from safetensors, by name. Loading checks every name, shape and
// dtype against the model and reports all mismatches at once ("missing 0.weight; 1.bias is [1, 10],
// expected [1, 20]"), so a checkpoint from another architecture fails clearly. Saves are atomic.
// Read next: ../optim/optimizer.h for the optimizer's half of a checkpoint.
#pragma once
#include <string>

#include "io/safetensors.h"
#include "autograd/parameters.h"

namespace tg::nn {

/// Adds each parameter as an F32 tensor named prefix + name ("model.0.weight" for prefix "model.").
void put_parameters(io::SafeTensors& file, const std::string& prefix, const Parameters<float>& params);
/// Copies tensors back into the parameters' values; throws naming `path` and every mismatch.
void take_parameters(const io::SafeTensors& file, const std::string& prefix, const Parameters<float>& params,
                     const std::string& path);

void save_parameters(const std::string& path, const Parameters<float>& params);
void load_parameters(const std::string& path, const Parameters<float>& params);

}  // namespace tg::nn
