// 12_training_a_vae.cpp: chapter 12 of the course (12_training_a_vae.md). The study's model and loop, on data
// small enough to train in a second: 6x6 images of bars. Train with Adam on the ELBO, then measure the test
// images' log p(x) three ways: the ELBO, the importance-weighted bound with K = 10, 100 and 1000 samples, and
// exactly, by summing over a grid of the two latent variables. Run it with `make chapter 12`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <set>
#include <vector>

#include "autograd/autograd.h"
#include "docs/learn/bars.h"
#include "models/vae.h"
#include "optim/optimizer.h"
#include "viz/svg.h"

using namespace tg;

int main() {
  set_num_threads(1);  // the same numbers on any machine with the same CPU type
  Rng rng(1);
  const Tensor<float> train = bar_images(2000, rng), test = bar_images(500, rng);

  // [begin train]
  // The study's model (models/vae.h): 36 pixels -> 64 ReLU units -> a 2-dimensional z -> 64 -> 36 logits.
  const models::Vae<float> vae(36, 64, 2, rng);
  optim::Adam adam(vae.parameters(), 3e-3f);
  const int64_t batch = 50;
  std::vector<int64_t> order(static_cast<size_t>(train.rows()));
  for (int64_t i = 0; i < train.rows(); ++i) order[static_cast<size_t>(i)] = i;
  for (int epoch = 1; epoch <= 100; ++epoch) {
    for (int64_t i = train.rows() - 1; i > 0; --i)  // a fresh order each epoch (Fisher-Yates)
      std::swap(order[static_cast<size_t>(i)], order[rng.below(static_cast<uint64_t>(i + 1))]);
    double total = 0;
    for (int64_t first = 0; first < train.rows(); first += batch) {
      Tensor<float> x(Shape{batch, 36});
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t d = 0; d < 36; ++d) x.at(b, d) = train.at(order[static_cast<size_t>(first + b)], d);
      Tape<float> tape;
      const auto out = vae.neg_elbo(Var<float>(x), models::standard_normal<float>(Shape{batch, 2}, rng));
      tape.backward(out.loss);  // the mean over the batch of -ELBO (chapter 10)
      adam.step();
      adam.zero_grad();
      total += out.loss.item() * double(batch);
    }
    if (epoch == 1 || epoch % 25 == 0) {
      NoGrad no_grad;
      const double test_elbo = -vae.neg_elbo(Var<float>(test), models::standard_normal<float>(Shape{test.rows(), 2}, rng)).loss.item();
      std::printf("epoch %3d  train ELBO %7.3f  test ELBO %7.3f  (nats per image)\n", epoch, -total / double(train.rows()), test_elbo);
    }
  }
  // [end train]

  // [begin bounds]
  // The test set's mean log p(x), estimated with K samples per image: log (1/K) sum_k p(x, z_k) / q(z_k|x).
  // K = 1 is the ELBO; the estimate rises towards log p(x) as K grows (Burda et al. 2015).
  NoGrad no_grad;
  std::vector<double> bounds;  // K = 1, 10, 100, 1000
  for (int64_t K : {1, 10, 100, 1000}) {
    const Tensor<float> eps = models::standard_normal<float>(Shape{test.rows() * K, 2}, rng);
    const double bound = -vae.iwae_loss(Var<float>(test), eps, K).item();
    std::printf("K = %4lld  log p(x) >= %7.3f\n", (long long)K, bound);
    bounds.push_back(bound);
  }
  // [end bounds]

  // [begin exact]
  // With two latent variables, log p(x) = log of the integral of p(z) p(x|z) over z can be summed on a grid:
  // 241 x 241 points on [-6, 6]^2, where the prior N(0, I) has all but 1e-8 of its mass.
  const int64_t n = 241;
  const double h = 12.0 / double(n - 1);
  Tensor<float> grid(Shape{n * n, 2});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) grid.at(i * n + j, 0) = float(-6 + h * double(i)), grid.at(i * n + j, 1) = float(-6 + h * double(j));
  const Tensor<float> logits = vae.decode(Var<float>(grid)).value();  // (n^2, 36): the decoder at every grid point
  // log p(x_d = 1 | z) = -softplus(-logit) and log p(x_d = 0 | z) = -softplus(logit), once per grid point
  auto softplus = [](double v) { return std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v))); };
  Tensor<double> log_on(Shape{n * n, 36}), log_off(Shape{n * n, 36});
  for (int64_t g = 0; g < n * n; ++g)
    for (int64_t d = 0; d < 36; ++d) log_on.at(g, d) = -softplus(-logits.at(g, d)), log_off.at(g, d) = -softplus(logits.at(g, d));
  double total = 0;
  for (int64_t t = 0; t < test.rows(); ++t) {
    std::vector<double> log_terms(static_cast<size_t>(n * n));  // log [p(z) p(x|z) h^2] at each grid point
    for (int64_t g = 0; g < n * n; ++g) {
      const double z0 = grid.at(g, 0), z1 = grid.at(g, 1);
      double log_term = -0.5 * (z0 * z0 + z1 * z1) - std::log(2 * std::numbers::pi) + 2 * std::log(h);
      for (int64_t d = 0; d < 36; ++d) log_term += test.at(t, d) == 1 ? log_on.at(g, d) : log_off.at(g, d);
      log_terms[static_cast<size_t>(g)] = log_term;
    }
    const double mx = *std::max_element(log_terms.begin(), log_terms.end());  // logsumexp
    double s = 0;
    for (double v : log_terms) s += std::exp(v - mx);
    total += mx + std::log(s);
  }
  const double exact = total / double(test.rows());
  std::printf("exactly    log p(x)  = %7.3f   (the ELBO is %.3f below it)\n", exact, exact - bounds[0]);
  // The page's claim, checked here rather than trusted to the printed digits: each bound below the next, all
  // below the exact value.
  bounds.push_back(exact);
  for (size_t i = 1; i < bounds.size(); ++i)
    if (!(bounds[i - 1] < bounds[i])) {
      std::printf("the bounds are out of order: %.4f then %.4f\n", bounds[i - 1], bounds[i]);
      return 1;
    }
  std::printf("checked: ELBO < K = 10 < K = 100 < K = 1000 < exact\n");
  // [end exact]

  // [begin gap]
  // Is the test set new to the model? Count the distinct images, and measure the trained model's ELBO (one
  // sample of z each) on the training images, the test images, and 100,000 fresh images from the same source.
  std::set<std::vector<float>> seen;
  for (int64_t i = 0; i < train.rows(); ++i) seen.insert(std::vector<float>(train.data() + i * 36, train.data() + (i + 1) * 36));
  int64_t test_seen = 0;
  for (int64_t i = 0; i < test.rows(); ++i) test_seen += seen.count(std::vector<float>(test.data() + i * 36, test.data() + (i + 1) * 36));
  std::printf("%zu distinct images among the %lld training images; %lld of the %lld test images are among them\n", seen.size(),
              (long long)train.rows(), (long long)test_seen, (long long)test.rows());
  const Tensor<float> fresh = bar_images(100000, rng);
  for (const auto& [name, images] : {std::pair{"training images", &train}, {"test images", &test}, {"fresh images", &fresh}}) {
    const double e = -vae.neg_elbo(Var<float>(*images), models::standard_normal<float>(Shape{images->rows(), 2}, rng)).loss.item();
    std::printf("ELBO of the trained model on %6lld %-15s %7.3f\n", (long long)images->rows(), name, e);
  }
  // [end gap]

  // [begin picture]
  // The two latent variables as a picture: each test image at its code's mean mu(x), coloured by what the image
  // is. Horizontal and vertical images differ in every pixel; the empty and the full image are both at once.
  auto kind_of = [&](int64_t i) {  // 0 horizontal, 1 vertical, 2 empty or full
    int rows_on = 0, columns_on = 0;
    for (int k = 0; k < 6; ++k) {
      bool row = true, column = true;
      for (int j = 0; j < 6; ++j) row = row && test.at(i, k * 6 + j) == 1, column = column && test.at(i, j * 6 + k) == 1;
      rows_on += row, columns_on += column;
    }
    return rows_on == columns_on ? 2 : rows_on > 0 ? 0 : 1;
  };
  const Tensor<float> mu = vae.encode(Var<float>(test)).mu.value();  // (500, 2)
  std::vector<double> z0, z1;
  std::vector<int> kind;
  for (int64_t i = 0; i < test.rows(); ++i) z0.push_back(mu.at(i, 0)), z1.push_back(mu.at(i, 1)), kind.push_back(kind_of(i));
  viz::write_text_file("latent_space.svg", viz::scatter_svg(z0, z1, kind, {"horizontal bars", "vertical bars", "empty or full"},
                                                           {"the test images' codes mu(x)", "z1", "z2"}, 480, 400));
  // Where each orientation lies: the mean distance of its codes from the prior's centre.
  double distance[2] = {0, 0}, count[2] = {0, 0};
  for (size_t i = 0; i < kind.size(); ++i)
    if (kind[i] < 2) distance[kind[i]] += std::hypot(z0[i], z1[i]), ++count[kind[i]];
  std::printf("wrote latent_space.svg; mean distance of the codes from 0: horizontal %.2f (%.0f images), vertical %.2f (%.0f)\n",
              distance[0] / count[0], count[0], distance[1] / count[1], count[1]);
  // [end picture]
  return 0;
}
