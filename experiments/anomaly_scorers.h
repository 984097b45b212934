// anomaly_scorers.h: the anomaly study's scorers in one table: the key each is written under in auc.csv and
// artificial.csv, and what it is in words for the report. anomaly.cpp writes only these keys (it checks), the
// report names them and orders its tables by them, and the tests expect every one. Read next: anomaly.cpp: score_all.
#pragma once
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tg {

struct AnomalyScorer {
  std::string_view key, words;
};

// In the order the tables list them: the VAE's own scores, the methods built on its codes, then the baselines that
// need no VAE.
inline constexpr std::array<AnomalyScorer, 11> kAnomalyScorers = {{
    {"vae_neg_log_px", "VAE: -log p(x)"},
    {"vae_neg_elbo", "VAE: -ELBO"},
    {"vae_neg_recon_prob", "VAE: -reconstruction probability"},
    {"ocsvm_latent", "OC-SVM on latent means"},
    {"ocsvm_posterior", "OC-SVM on [mu, log var]"},
    {"ocsvm_posterior_log_px", "OC-SVM on [mu, log var, log p(x)]"},
    {"combined_rank", "rank average: -log p(x) and OC-SVM on means"},
    {"autoencoder_error", "autoencoder: reconstruction error"},
    {"pca_error", "PCA: reconstruction error"},
    {"ocsvm_pca", "OC-SVM on PCA of pixels"},
    {"ocsvm_pixels", "OC-SVM on pixels (the same for every Z)"},
}};

/// A scorer's place in the table; kAnomalyScorers.size() for a key that is not there (a newer program's).
inline size_t anomaly_scorer_rank(std::string_view key) {
  for (size_t i = 0; i < kAnomalyScorers.size(); ++i)
    if (kAnomalyScorers[i].key == key) return i;
  return kAnomalyScorers.size();
}
/// What a scorer is, in words; the key itself for one that is not in the table.
inline std::string anomaly_scorer_words(std::string_view key) {
  const size_t i = anomaly_scorer_rank(key);
  return std::string(i < kAnomalyScorers.size() ? kAnomalyScorers[i].words : key);
}
/// `key`, if the table has it; otherwise a logic_error naming it (a typo in the program would add a scorer).
inline const std::string& known_anomaly_scorer(const std::string& key) {
  if (anomaly_scorer_rank(key) == kAnomalyScorers.size())
    throw std::logic_error("anomaly scorer " + key + " is not in experiments/anomaly_scorers.h");
  return key;
}

}  // namespace tg
