// classifier.cpp: a classifier's loss, its logits in chunks, and the counts of its answers.
#include "models/classifier.h"

#include <algorithm>
#include <cmath>

#include "autograd/autograd.h"

namespace tg::models {

Var<float> classifier_loss(const Classifier& classifier, const Tensor<float>& x, const std::vector<int32_t>& labels) {
  return mean(cross_entropy(classifier(Var<float>(x)), labels));
}

Tensor<float> classifier_logits(const Classifier& classifier, int64_t n,
                                const std::function<Tensor<float>(int64_t first, int64_t count)>& rows, int64_t chunk) {
  NoGrad no_grad;  // evaluation records nothing
  Tensor<float> logits(Shape{n, classifier.outputs()});
  for (int64_t first = 0; first < n; first += chunk) {
    const Tensor<float> part = classifier(Var<float>(rows(first, std::min(chunk, n - first)))).value();
    std::copy(part.data(), part.data() + part.numel(), logits.data() + first * part.cols());
  }
  return logits;
}

int64_t correct_count(const Tensor<float>& scores, const std::vector<int32_t>& labels) {
  require(static_cast<int64_t>(labels.size()) == scores.rows(), "correct_count: {} labels for {} rows of scores", labels.size(),
          scores.rows());
  const std::vector<int64_t> given = argmax_rows(scores);
  int64_t correct = 0;
  for (size_t r = 0; r < given.size(); ++r) correct += given[r] == labels[r];
  return correct;
}

double classification_error(const Tensor<float>& scores, const std::vector<int32_t>& labels) {
  const int64_t n = scores.rows();
  return n > 0 ? double(n - correct_count(scores, labels)) / double(n) : NAN;
}

std::vector<std::vector<int64_t>> confusion_counts(const Tensor<float>& scores, const std::vector<int32_t>& labels) {
  const int64_t K = scores.cols();
  std::vector<std::vector<int64_t>> counts(static_cast<size_t>(K), std::vector<int64_t>(static_cast<size_t>(K), 0));
  const std::vector<int64_t> given = argmax_rows(scores);
  for (int64_t r = 0; r < scores.rows(); ++r) {
    require(labels[r] >= 0 && labels[r] < K, "confusion_counts: row {} has label {}, expected 0 to {}", r, labels[r], K - 1);
    ++counts[static_cast<size_t>(labels[r])][static_cast<size_t>(given[static_cast<size_t>(r)])];
  }
  return counts;
}

}  // namespace tg::models
