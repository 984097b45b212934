// auc.h: how well a score separates anomalies from normal points, independent of any threshold.
//   AUC-ROC: the probability that a random anomaly scores higher than a random normal point (ties count
//            one half) — the Mann-Whitney U statistic, computed from average ranks.
//   AUC-PR:  average precision, sum over anomalies (in descending score) of precision at their rank, with tied
//            scores forming one step (as scikit-learn's average_precision_score).
// Higher score = more anomalous. Read next: corruptions.h.
#pragma once
#include <vector>

namespace tg::analysis {

double auc_roc(const std::vector<double>& score, const std::vector<bool>& is_anomaly);
double auc_pr(const std::vector<double>& score, const std::vector<bool>& is_anomaly);

/// Average rank (1 = lowest; ties share the mean of their ranks) of each value: used to combine scores.
std::vector<double> average_ranks(const std::vector<double>& v);

}  // namespace tg::analysis
