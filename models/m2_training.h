// m2_training.h: what the semi-supervised experiments do with an M2 (models/m2.h) — the data it learns from,
// the weights of the paper's objective, one epoch of training, and the measurements that show whether it works.
// Read next: ../experiments/semisupervised.cpp.
//
// The objective (Kingma et al. 2014, eq. 9), J^alpha = sum_l L(x, y) + sum_u U(x) + alpha E_l[-log q(y|x)], with
// alpha = 0.1 N. The authors' learn_yz_x_ss.py adds the cross-entropy per labelled example with weight
// beta = alpha' N / N_l (alpha' = 0.1), beside that example's L, and divides the whole by N. One step estimates it
// from a labelled batch and an unlabelled batch:
//   Weighting::Paper     (N_l/N) mean_l L + (N_u/N) mean_u U + alpha' mean_l CE
//   Weighting::Balanced  mean_l L + mean_u U + beta mean_l CE      (each labelled example weighs as an unlabelled
//                        one does, and its cross-entropy still beta times its L: as if the labelled set were
//                        repeated until it is as large as the unlabelled set; what most pixel-M2
//                        reimplementations do, because with the paper's weights the labelled L barely counts)
#pragma once
#include <span>
#include <string>
#include <vector>

#include "datasets/mnist.h"
#include "io/progress.h"
#include "models/classifier.h"
#include "models/m2.h"
#include "nn/train_loop.h"
#include "optim/optimizer.h"

namespace tg::models {

/// The rows M2 sees: pixels in [0, 1], or an M1 encoder's q(z|x) per image. With a log-variance, every time a
/// row is gathered for training it is a fresh sample mean + e^(logvar/2) eps (the authors' M1+M2); with
/// `binary_draws`, a fresh binarisation, each pixel 1 with probability its grey level (BINARIZE=dynamic, as the
/// VAE study's). Evaluation uses the means.
struct Features {
  Tensor<float> mean;           // (N, D)
  Tensor<float> logvar;         // (N, D), or empty: the rows are the data themselves
  std::vector<int32_t> labels;  // (N), the true classes (read only for the labelled rows and for measuring)
  bool binary_draws = false;    // training rows are Bernoulli(mean) draws
  int64_t count() const { return mean.rows(); }
  int64_t dim() const { return mean.cols(); }
  /// Rows idx as a (B, D) tensor: drawn when there is a log-variance or binary_draws and rng is given, else the means.
  Tensor<float> rows(std::span<const int64_t> idx, Rng* rng = nullptr) const;
};

/// The images themselves as M2's input: pixels scaled to [0, 1], no log-variance, their labels.
Features pixel_features(const data::Dataset& d);

enum class Weighting { Paper, Balanced };
Weighting parse_weighting(const std::string& name);  // "paper" or "balanced"; throws naming the value otherwise

struct ObjectiveWeights {
  double labelled = 0, unlabelled = 0, classification = 0;  // of mean_l L, mean_u U and mean_l CE in one step
  double per_labelled_example = 0;                          // beta: the cross-entropy's weight beside one L
};
ObjectiveWeights objective_weights(Weighting w, int64_t n_labelled, int64_t n_unlabelled, double alpha);

struct M2Setup {
  int64_t batch = 100, labelled_batch = 100;  // unlabelled and labelled examples per step
  ObjectiveWeights weights;
};

/// One pass over the unlabelled rows (in an order shuffled by rng); the labelled rows are cycled, each pass of
/// them in a fresh order, so an epoch shows every labelled example about steps x labelled_batch / N_l times.
/// classes[i] is the class of labelled[i]. Returns the mean loss per step.
nn::EpochLoss train_m2_epoch(const M2<float>& m2, optim::Optimizer& opt, const Features& data,
                             const std::vector<int64_t>& labelled, const std::vector<int32_t>& classes,
                             const std::vector<int64_t>& unlabelled, const M2Setup& setup, Rng& rng,
                             const std::string& what, int epoch, io::Progress* progress = nullptr);

/// q(y|x) for every row's mean, as (N, K) probabilities.
Tensor<float> class_probabilities(const M2<float>& m2, const Features& data);
/// What shows whether M2 learns, measured on labelled rows it was not trained on (the validation split):
struct M2Diagnostics {
  double error = 0;           // classification error of q(y|x)
  double cross_entropy = 0;   // mean -log q(y*|x), nats
  double entropy = 0;         // mean H(q(y|x)), nats: log K = no idea, 0 = certain
  double class_use_gap = 0;   // mean over x of [mean_{y != y*} L(x, y) - L(x, y*)], nats: ~0 = the decoder ignores y
  double decoder_logvar = 0;  // Gaussian likelihood only: the decoder's mean log-variance at the true class (else 0)
};
/// The gap and log-variance are averaged over the first `gap_rows` rows (they need L for every class).
M2Diagnostics diagnose_m2(const M2<float>& m2, const Features& data, int64_t gap_rows, Rng& rng);

}  // namespace tg::models
