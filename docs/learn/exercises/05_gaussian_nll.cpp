// Exercise 5.1 (docs/learn/05_checking_gradients.md): one line of this op's backward has a planted sign error.
// Run `make exercise 5`, read what the gradient checker reports, and fix the line it points you to.
// Your copy: edit this file. The reference solution is docs/learn/solutions/05_gaussian_nll.cpp (try first).
#include "docs/learn/exercises/05_gaussian_nll.h"

#include <cmath>

using namespace tg;

inline const OpId kGaussianNll = register_op("course_gaussian_nll");

Var<double> gaussian_nll(const Var<double>& x, const Var<double>& mu, const Var<double>& logvar) {
  const Tensor<double> X = x.value(), M = mu.value(), LV = logvar.value();
  Tensor<double> y(X.shape());
  for (int64_t i = 0; i < y.numel(); ++i) y[i] = (LV[i] + (X[i] - M[i]) * (X[i] - M[i]) * std::exp(-LV[i])) / 2;
  return record<double>(kGaussianNll, {x, mu, logvar}, std::move(y), [X, M, LV](const Tensor<double>& dy, InputGrads<double>& dx) {
    Tensor<double> gx(X.shape()), gmu(X.shape()), glv(X.shape());
    for (int64_t i = 0; i < dy.numel(); ++i) {
      const double d = X[i] - M[i], inv_var = std::exp(-LV[i]);
      gx[i] = dy[i] * d * inv_var;                   // df/dx  = (x - mu) e^-logvar
      gmu[i] = dy[i] * d * inv_var;                  // df/dmu
      glv[i] = dy[i] * (1 - d * d * inv_var) / 2;    // df/dlogvar = (1 - (x - mu)^2 e^-logvar) / 2
    }
    dx.add(0, std::move(gx));
    dx.add(1, std::move(gmu));
    dx.add(2, std::move(glv));
  });
}
