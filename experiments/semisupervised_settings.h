// semisupervised_settings.h: one run of the semisupervised program as one typed value. semisupervised.cpp fills it
// from the command line and writes it into summary.json; semisupervised_report.cpp reads it back with
// read_semisupervised_settings. The keys are written once, here, for both sides. Read next: semisupervised.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/settings_reader.h"
#include "nn/linear.h"

namespace tg {

struct SemisupervisedSettings {
  // what is run
  std::string models = "m1m2";                  // m1m2 | m2 | both
  std::vector<int64_t> labels = {100};          // labelled examples, balanced over the classes: one M2 per count
  std::vector<uint64_t> seeds = {1};            // per seed its own M1 and its M2s
  // M2
  int epochs = 500;                             // passes over the unlabelled images
  int64_t batch = 100, labelled_batch = 100;    // unlabelled and labelled examples per step
  int64_t hidden = 0, latent = 50;              // hidden 0: the authors' (300 with 100 labels, else 500)
  std::string activation = "softplus";
  // The objective's weighting (models/m2_training.h). M1+M2's M2 (and the anomaly study's): the paper's, the
  // protocol reproduced (the balanced one did worse in an early run, docs/earlier_results.md). The pixel M2's: the
  // balanced one, which had the lower validation error on each of three seeds at 100 labels (docs/results.md).
  std::string weighting = "paper", pixel_weighting = "balanced";
  // The pixel M2's images: dynamic (a fresh binarisation each time an image is used, the papers' benchmark) or none
  // (grey levels as Bernoulli means, as most reimplementations).
  std::string binarize = "dynamic";
  double lr = 3e-4, alpha = 0.1;                // Adam; alpha x N weighs the classification term
  double init_std = 0, weight_prior_sd = 0;     // the authors' N(0, 0.001^2) initialisation and N(0, 1) weight prior
  std::string adam = "corrected";               // or uncorrected: the authors' adam.py (optim::BiasCorrection::None)
  // The layers that output log-variances start at 0 (M2::zero_logvar_heads): the default since it was chosen on
  // validation over three seeds at 100 and 600 labels (docs/results.md); not with init_std > 0 unless asked for.
  bool zero_logvar = true;
  // M1, the VAE whose codes M1+M2's M2 learns from
  int m1_epochs = 100;
  int64_t m1_hidden = 500, m1_latent = 50, m1_batch = 100;
  double m1_lr = 1e-3;
  double m1_init_std = 0, m1_weight_prior_sd = 0;  // as M2's; the authors' M1: 0.001 and 1, batch 1000, lr 3e-4
  // the measuring
  int baseline_epochs = 100;                    // the supervised-only classifier
  int64_t small_valid = 1000;                   // a validation set as small as practice allows chooses a second epoch
  std::vector<int64_t> anomaly_labels = {};     // the anomaly study's labelled anomalies; none: no study
  int anomaly_digit = 9, anomaly_epochs = 20;
  int threads = 2;
  // where
  std::string data, out = "runs/semisupervised";
  // how this invocation starts, not a setting of the run (the provenance records each invocation): not in summary.json
  bool resume = false;
};

template <typename J>
void to_json(J& j, const SemisupervisedSettings& s) {
  j = J{{"models", s.models}, {"labels", s.labels}, {"seeds", s.seeds}, {"epochs", s.epochs}, {"batch", s.batch},
        {"labelled_batch", s.labelled_batch}, {"hidden", s.hidden}, {"latent", s.latent}, {"activation", s.activation},
        {"weighting", s.weighting}, {"pixel_weighting", s.pixel_weighting}, {"binarize", s.binarize}, {"lr", s.lr}, {"alpha", s.alpha}, {"init_std", s.init_std},
        {"adam", s.adam}, {"zero_logvar", s.zero_logvar}, {"weight_prior_sd", s.weight_prior_sd}, {"m1_epochs", s.m1_epochs}, {"m1_hidden", s.m1_hidden},
        {"m1_latent", s.m1_latent}, {"m1_batch", s.m1_batch}, {"m1_lr", s.m1_lr}, {"m1_init_std", s.m1_init_std},
        {"m1_weight_prior_sd", s.m1_weight_prior_sd}, {"baseline_epochs", s.baseline_epochs},
        {"small_valid", s.small_valid}, {"anomaly_labels", s.anomaly_labels}, {"anomaly_digit", s.anomaly_digit},
        {"anomaly_epochs", s.anomaly_epochs}, {"threads", s.threads}, {"dataset", s.data}, {"out", s.out}};
}
template <typename J>
void from_json(const J& j, SemisupervisedSettings& s) {
  j.at("models").get_to(s.models), j.at("labels").get_to(s.labels), j.at("seeds").get_to(s.seeds);
  j.at("epochs").get_to(s.epochs), j.at("batch").get_to(s.batch), j.at("labelled_batch").get_to(s.labelled_batch);
  j.at("hidden").get_to(s.hidden), j.at("latent").get_to(s.latent), j.at("activation").get_to(s.activation);
  j.at("weighting").get_to(s.weighting), j.at("pixel_weighting").get_to(s.pixel_weighting);
  j.at("binarize").get_to(s.binarize), j.at("lr").get_to(s.lr);
  j.at("alpha").get_to(s.alpha), j.at("init_std").get_to(s.init_std), j.at("weight_prior_sd").get_to(s.weight_prior_sd);
  j.at("zero_logvar").get_to(s.zero_logvar), j.at("adam").get_to(s.adam);
  j.at("m1_epochs").get_to(s.m1_epochs), j.at("m1_hidden").get_to(s.m1_hidden), j.at("m1_latent").get_to(s.m1_latent);
  j.at("m1_batch").get_to(s.m1_batch), j.at("m1_lr").get_to(s.m1_lr), j.at("baseline_epochs").get_to(s.baseline_epochs);
  j.at("m1_init_std").get_to(s.m1_init_std), j.at("m1_weight_prior_sd").get_to(s.m1_weight_prior_sd);
  j.at("small_valid").get_to(s.small_valid), j.at("anomaly_labels").get_to(s.anomaly_labels);
  j.at("anomaly_digit").get_to(s.anomaly_digit), j.at("anomaly_epochs").get_to(s.anomaly_epochs);
  j.at("threads").get_to(s.threads), j.at("dataset").get_to(s.data), j.at("out").get_to(s.out);
}

/// The hidden units these settings name (softplus, the paper's, or relu), for every model of the run.
inline nn::Activation activation_of(const SemisupervisedSettings& s) {
  return s.activation == "relu" ? nn::Activation::Relu : nn::Activation::Softplus;
}

/// The settings in a semi-supervised run's summary.json, key by key, or an error naming `file` and the key (a
/// summary written before the settings were kept whole, with its learning rates as text, is refused by name).
inline SemisupervisedSettings read_semisupervised_settings(const io::Json& summary, const std::string& file) {
  // A run from before a setting was recorded ran as it was then, whatever today's default: before binarize, on grey
  // levels; before zero_logvar, without it; before M1's start and prior were options, with neither (their defaults);
  // before the pixel M2 had a weighting of its own, with the one weighting of every M2; before --adam, corrected.
  io::Json used_before = {{"binarize", "none"}, {"zero_logvar", false}, {"adam", "corrected"}};
  if (summary.is_object() && summary.contains("weighting")) used_before["pixel_weighting"] = summary.at("weighting");
  return io::read_settings<SemisupervisedSettings>(
      summary, file, {"binarize", "zero_logvar", "m1_init_std", "m1_weight_prior_sd", "pixel_weighting", "adam"}, used_before);
}

}  // namespace tg
