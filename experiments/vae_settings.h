// vae_settings.h: one run of the vae program as one typed value. vae.cpp fills it from the command line and
// writes it into summary.json (to_json); vae_report.cpp reads it back (from_json) and builds the same model with
// make_vae. The keys are written once, here, for both sides: a key the reporter looks for is a key the program
// wrote, and one that is missing is an error naming the file and the key, never a silent default.
// Read next: vae.cpp (main() parses the options into it), vae_report.cpp (reads it).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/batches.h"
#include "datasets/mnist.h"
#include "io/settings_reader.h"
#include "models/vae.h"
#include "models/vae_training.h"

namespace tg {

struct VaeSettings {
  // the model
  int64_t latent = 200, hidden = 400;
  int hidden_layers = 1;
  std::string activation = "relu";  // relu | tanh
  double init_std = 0;              // > 0: every parameter from N(0, init_std^2); 0: He-uniform weights, zero biases
  // the training
  std::string objective = "elbo";  // elbo | iwae
  int64_t k = 1;                   // samples per example of the iwae objective
  int epochs = 200, kl_warmup = 0;
  int64_t batch = 512;
  std::string optimizer = "adam", lr_schedule = "constant";
  double lr = 1e-3, weight_decay = 0, adam_eps = 1e-8;
  std::vector<double> lr_choices;  // tried for one epoch each when not empty; lr is then the one chosen
  std::string binarize = "none";   // none | dynamic
  int64_t valid_size = 0;           // images held out of the training file for validation; 0: the last 10,000
  std::string output_bias = "zero";  // zero | data-mean: the decoder's output bias starts at the logit of the mean image
  uint64_t seed = 1;
  int threads = 2;
  // the measuring
  int64_t iw_samples = 1000, valid_iw_samples = 0;
  uint64_t test_draw = 0;  // binarised test images: 0 the fixed draw every run is scored on; > 0 another draw
  bool test_curve = false, compute_tsne = true;
  // where
  std::string data, out, cache = "runs/cache";
};

// Field by field (Debian's nlohmann 3.11.2 type macros serve only nlohmann::json, not the ordered_json we write).
template <typename J>
void to_json(J& j, const VaeSettings& s) {
  j = J{{"latent", s.latent}, {"hidden", s.hidden}, {"hidden_layers", s.hidden_layers}, {"activation", s.activation},
        {"init_std", s.init_std}, {"objective", s.objective}, {"k", s.k}, {"epochs", s.epochs}, {"kl_warmup", s.kl_warmup},
        {"batch", s.batch}, {"optimizer", s.optimizer}, {"lr_schedule", s.lr_schedule}, {"lr", s.lr},
        {"weight_decay", s.weight_decay}, {"adam_eps", s.adam_eps}, {"lr_choices", s.lr_choices}, {"binarize", s.binarize},
        {"valid_size", s.valid_size}, {"output_bias", s.output_bias},
        {"seed", s.seed}, {"threads", s.threads}, {"iw_samples", s.iw_samples}, {"valid_iw_samples", s.valid_iw_samples},
        {"test_draw", s.test_draw},         {"test_curve", s.test_curve}, {"compute_tsne", s.compute_tsne}, {"dataset", s.data}, {"out", s.out}, {"cache", s.cache}};
}
template <typename J>
void from_json(const J& j, VaeSettings& s) {
  j.at("latent").get_to(s.latent), j.at("hidden").get_to(s.hidden), j.at("hidden_layers").get_to(s.hidden_layers);
  j.at("activation").get_to(s.activation), j.at("init_std").get_to(s.init_std), j.at("objective").get_to(s.objective);
  j.at("k").get_to(s.k), j.at("epochs").get_to(s.epochs), j.at("kl_warmup").get_to(s.kl_warmup), j.at("batch").get_to(s.batch);
  j.at("optimizer").get_to(s.optimizer), j.at("lr_schedule").get_to(s.lr_schedule), j.at("lr").get_to(s.lr);
  j.at("weight_decay").get_to(s.weight_decay), j.at("adam_eps").get_to(s.adam_eps), j.at("lr_choices").get_to(s.lr_choices);
  j.at("binarize").get_to(s.binarize), j.at("seed").get_to(s.seed), j.at("threads").get_to(s.threads);
  j.at("valid_size").get_to(s.valid_size), j.at("output_bias").get_to(s.output_bias);
  j.at("iw_samples").get_to(s.iw_samples), j.at("valid_iw_samples").get_to(s.valid_iw_samples);
  j.at("test_draw").get_to(s.test_draw);
  j.at("test_curve").get_to(s.test_curve), j.at("compute_tsne").get_to(s.compute_tsne), j.at("dataset").get_to(s.data);
  j.at("out").get_to(s.out), j.at("cache").get_to(s.cache);
}

/// The settings in a run's summary.json, checked key by key (io/settings_reader.h). Run folders from before
/// summary.json held every setting lack the keys added since: those, and only those, take the program's defaults,
/// which those runs used.
inline VaeSettings read_vae_settings(const io::Json& summary, const std::string& file) {
  return io::read_settings<VaeSettings>(summary, file, {"adam_eps", "lr_choices", "test_curve", "compute_tsne", "out", "cache", "valid_size", "output_bias", "test_draw"});
}

inline nn::Activation activation_of(const VaeSettings& s) {
  return s.activation == "tanh" ? nn::Activation::Tanh : nn::Activation::Relu;
}
inline data::Binarize binarize_of(const VaeSettings& s) {
  return s.binarize == "dynamic" ? data::Binarize::Dynamic : data::Binarize::None;
}
/// The objective these settings train with in `epoch` (KL warm-up: the KL term's weight rises linearly, 1/N in
/// epoch 1, to 1 from epoch N on).
inline models::VaeObjective objective_at(const VaeSettings& s, int epoch) {
  if (s.objective == "iwae") return models::iwae_objective(s.k);
  return models::elbo_objective(s.kl_warmup > 0 ? std::min(1.0, double(epoch) / s.kl_warmup) : 1.0);
}
inline models::VaeBatches batches_of(const VaeSettings& s) { return {s.batch, binarize_of(s)}; }

/// The images a run with these settings trains and is scored on, read from `folder`: its split (valid_size) and,
/// binarised, its fixed draw of the validation and test images (test_draw). The program and the reporter both load
/// through here, so the reporter ranks and draws the very images the run scored.
inline data::MnistSplits load_run_data(const VaeSettings& s, const std::string& folder) {
  data::MnistSplits mnist = data::load_mnist(folder, s.valid_size);
  if (binarize_of(s) == data::Binarize::Dynamic) data::binarize_for_evaluation(mnist.valid, mnist.test, s.test_draw);
  return mnist;
}

/// The model these settings describe, for images of `pixels` pixels: the one place it is built, by the program
/// that trains it and by the reporter that loads its checkpoint.
inline models::Vae<float> make_vae(const VaeSettings& s, int64_t pixels, Rng& rng) {
  return models::Vae<float>(pixels, s.hidden, s.latent, rng, s.hidden_layers, activation_of(s));
}

}  // namespace tg
