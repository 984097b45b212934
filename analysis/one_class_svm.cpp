// one_class_svm.cpp: standardisation and the libsvm calls (dense rows as libsvm's index/value nodes).
#include "analysis/one_class_svm.h"

#include <libsvm/svm.h>

#include <cmath>
#include <stdexcept>

#include "autograd/check.h"
#include "autograd/shape.h"

namespace tg::analysis {

struct OneClassSvm::Nodes {
  std::vector<std::vector<svm_node>> rows;
  std::vector<svm_node*> pointers;
  std::vector<double> labels;
};

namespace {
void quiet(const char*) {}  // libsvm prints its optimiser's progress to stdout otherwise

std::vector<svm_node> to_nodes(const float* row, int64_t d, const std::vector<double>& mean, const std::vector<double>& inv_std) {
  std::vector<svm_node> nodes(static_cast<size_t>(d + 1));
  for (int64_t j = 0; j < d; ++j) nodes[j] = {static_cast<int>(j + 1), (row[j] - mean[j]) * inv_std[j]};
  nodes[d] = {-1, 0.0};  // terminator
  return nodes;
}
}  // namespace

OneClassSvm::OneClassSvm(const Tensor<float>& x, Options o)
    : d_(x.shape().rank == 2 ? x.cols() : 0), nodes_(std::make_unique<Nodes>()) {
  require(x.shape().rank == 2 && x.rows() >= 2, "OneClassSvm: points of shape {}, expected (n, features) with n >= 2",
          to_string(x.shape()));
  const int64_t n = x.rows(), d = d_;
  require(o.nu > 0 && o.nu <= 1, "OneClassSvm: nu = {}, expected 0 < nu <= 1", o.nu);
  mean_.assign(static_cast<size_t>(d), 0.0);
  inv_std_.assign(static_cast<size_t>(d), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) mean_[j] += x[i * d + j] / double(n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) inv_std_[j] += (x[i * d + j] - mean_[j]) * (x[i * d + j] - mean_[j]) / double(n);
  for (double& v : inv_std_) v = v > 1e-12 ? 1.0 / std::sqrt(v) : 0.0;  // a constant feature carries no information
  gamma_ = o.gamma > 0 ? o.gamma : 1.0 / double(d);
  for (int64_t i = 0; i < n; ++i) nodes_->rows.push_back(to_nodes(x.data() + i * d, d, mean_, inv_std_));
  for (auto& r : nodes_->rows) nodes_->pointers.push_back(r.data());
  nodes_->labels.assign(static_cast<size_t>(n), 1.0);
  svm_problem problem{static_cast<int>(n), nodes_->labels.data(), nodes_->pointers.data()};
  svm_parameter p{};
  p.svm_type = ONE_CLASS;
  p.kernel_type = RBF;
  p.gamma = gamma_;
  p.nu = o.nu;
  p.cache_size = 200;
  p.eps = 1e-3;
  p.shrinking = 1;
  svm_set_print_string_function(quiet);
  if (const char* err = svm_check_parameter(&problem, &p)) throw std::invalid_argument(std::string("OneClassSvm: libsvm: ") + err);
  model_ = svm_train(&problem, &p);
}

OneClassSvm::~OneClassSvm() {
  if (model_) svm_free_and_destroy_model(&model_);
}

int OneClassSvm::support_vectors() const { return svm_get_nr_sv(model_); }

std::vector<double> OneClassSvm::score(const Tensor<float>& x) const {
  require(x.shape().rank == 2 && x.cols() == d_, "OneClassSvm::score: points of shape {}, expected (n, {})", to_string(x.shape()), d_);
  const int64_t n = x.rows();
  std::vector<double> s(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<svm_node> nodes = to_nodes(x.data() + i * d_, d_, mean_, inv_std_);
    double decision = 0;
    svm_predict_values(model_, nodes.data(), &decision);
    s[i] = -decision;  // libsvm: positive inside the learned region
  }
  return s;
}

}  // namespace tg::analysis
