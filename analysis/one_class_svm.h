// one_class_svm.h: a one-class SVM (Schoelkopf et al. 2001) with an RBF kernel, through Debian's libsvm.
// Inputs are standardised (per-feature mean and standard deviation of the training set) before libsvm sees
// them; gamma defaults to 1 / (features x mean variance), which after standardising is 1 / features
// (scikit-learn's gamma="scale"). score() is an anomaly score: higher = more anomalous (the negated decision
// value). Read next: ../experiments/anomaly.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/tensor.h"

struct svm_model;

namespace tg::analysis {

class OneClassSvm {
 public:
  struct Options {
    double nu = 0.1;      // an upper bound on the fraction of training points outside the boundary
    double gamma = 0;     // RBF width; 0 = 1 / features
  };
  /// x: n training points (rows) of d features.
  OneClassSvm(const Tensor<float>& x, Options options);
  ~OneClassSvm();
  OneClassSvm(const OneClassSvm&) = delete;
  OneClassSvm& operator=(const OneClassSvm&) = delete;

  std::vector<double> score(const Tensor<float>& x) const;
  double gamma() const { return gamma_; }
  int support_vectors() const;

 private:
  int64_t d_;
  double gamma_;
  std::vector<double> mean_, inv_std_;
  std::vector<std::vector<double>> train_rows_;  // libsvm keeps pointers into these nodes
  struct Nodes;
  std::unique_ptr<Nodes> nodes_;
  svm_model* model_ = nullptr;
};

}  // namespace tg::analysis
