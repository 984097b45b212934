// anomaly_settings.h: one run of the anomaly program as one typed value. anomaly.cpp fills it from the command line
// and writes it into summary.json; anomaly_report.cpp reads it back with read_anomaly_settings. The keys are written
// once, here, for both sides. Read next: anomaly.cpp (main() parses the options into it), anomaly_report.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/settings_reader.h"

namespace tg {

struct AnomalySettings {
  std::vector<int64_t> latents = {3, 5, 200};                  // one VAE per latent size
  std::vector<int> digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};    // held out in turn: the anomalies of the first study
  int epochs = 50;
  int64_t batch = 512, hidden = 400;
  int64_t iw_samples = 100, recon_samples = 10;                // K for -log p(x); L for the reconstruction probability
  int64_t svm_points = 2000, artificial_points = 1000;         // normal images per one-class SVM; images per anomaly type
  double nu = 0.1;                                             // the one-class SVMs' nu
  uint64_t seed = 1;
  int threads = 2;
  std::string data, out = "runs/anomaly", fashion = "/usr/share/datasets/fashion-mnist";
};

template <typename J>
void to_json(J& j, const AnomalySettings& s) {
  j = J{{"latents", s.latents}, {"digits", s.digits}, {"epochs", s.epochs}, {"batch", s.batch}, {"hidden", s.hidden},
        {"iw_samples", s.iw_samples}, {"recon_samples", s.recon_samples}, {"svm_points", s.svm_points},
        {"artificial_points", s.artificial_points}, {"nu", s.nu}, {"seed", s.seed}, {"threads", s.threads},
        {"dataset", s.data}, {"out", s.out}, {"fashion", s.fashion}};
}
template <typename J>
void from_json(const J& j, AnomalySettings& s) {
  j.at("latents").get_to(s.latents), j.at("digits").get_to(s.digits), j.at("epochs").get_to(s.epochs);
  j.at("batch").get_to(s.batch), j.at("hidden").get_to(s.hidden), j.at("iw_samples").get_to(s.iw_samples);
  j.at("recon_samples").get_to(s.recon_samples), j.at("svm_points").get_to(s.svm_points);
  j.at("artificial_points").get_to(s.artificial_points), j.at("nu").get_to(s.nu), j.at("seed").get_to(s.seed);
  j.at("threads").get_to(s.threads), j.at("dataset").get_to(s.data), j.at("out").get_to(s.out), j.at("fashion").get_to(s.fashion);
}

/// The settings in an anomaly run's summary.json, key by key, or an error naming `file` and the key (a summary
/// written before the settings were kept whole lacks some: the error names the first).
inline AnomalySettings read_anomaly_settings(const io::Json& summary, const std::string& file) {
  return io::read_settings<AnomalySettings>(summary, file);
}

}  // namespace tg
