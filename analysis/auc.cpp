// auc.cpp: ranks, the U statistic, and the precision-recall steps.
#include "analysis/auc.h"

#include <algorithm>
#include <numeric>

#include "autograd/check.h"

namespace tg::analysis {

std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean_rank = (double(i + 1) + double(j + 1)) / 2;  // ranks i+1 .. j+1 share their mean
    for (size_t k = i; k <= j; ++k) rank[order[k]] = mean_rank;
    i = j + 1;
  }
  return rank;
}

double auc_roc(const std::vector<double>& score, const std::vector<bool>& is_anomaly) {
  require(score.size() == is_anomaly.size(), "auc_roc: {} scores, {} labels", score.size(), is_anomaly.size());
  const std::vector<double> rank = average_ranks(score);
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < score.size(); ++i)
    if (is_anomaly[i]) positives += 1, rank_sum += rank[i];
  const double negatives = double(score.size()) - positives;
  require(positives > 0 && negatives > 0, "auc_roc: needs both anomalies and normal points, got {} and {}", positives, negatives);
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);  // U / (n+ n-)
}

double auc_pr(const std::vector<double>& score, const std::vector<bool>& is_anomaly) {
  require(score.size() == is_anomaly.size(), "auc_pr: {} scores, {} labels", score.size(), is_anomaly.size());
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  double positives = 0;
  for (bool a : is_anomaly) positives += a;
  require(positives > 0, "auc_pr: no anomalies among {} points", score.size());
  double tp = 0, seen = 0, ap = 0, last_recall = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;  // a block of tied scores is one threshold
    while (j < order.size() && score[order[j]] == score[order[i]]) {
      tp += is_anomaly[order[j]];
      ++seen;
      ++j;
    }
    const double recall = tp / positives, precision = tp / seen;
    ap += (recall - last_recall) * precision;
    last_recall = recall;
    i = j;
  }
  return ap;
}

}  // namespace tg::analysis
