// test_optim.cpp: two steps of each optimizer on one parameter (p = 1, gradients 0.5 then -1), compared
// with values worked out by hand from the published update rules; and exact continuation after saving and
// restoring optimizer state.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "nn/checkpoint.h"
#include "nn/mlp.h"
#include "optim/optimizer.h"
#include "optim/schedule.h"

#include <cmath>
#include <memory>

namespace tg::optim {
namespace {

// Runs two steps with gradients 0.5 and -1 on p = 1; returns p after each step.
std::pair<float, float> two_steps(const std::function<std::unique_ptr<Optimizer>(Parameters<float>)>& make) {
  Var<float> p(Tensor<float>::scalar(1.0f), true);
  std::unique_ptr<Optimizer> opt = make({{"p", p}});
  p.grad() = Tensor<float>::scalar(0.5f);
  opt->step();
  const float after1 = p.item();
  opt->zero_grad();
  EXPECT_FALSE(p.grad().defined());
  p.grad() = Tensor<float>::scalar(-1.0f);
  opt->step();
  return {after1, p.item()};
}

TEST(Optim, SgdPlain) {
  // p1 = 1 - 0.1 * 0.5 = 0.95;  p2 = 0.95 - 0.1 * (-1) = 1.05
  auto [p1, p2] = two_steps([](auto ps) { return std::make_unique<Sgd>(ps, 0.1f); });
  EXPECT_FLOAT_EQ(p1, 0.95f);
  EXPECT_FLOAT_EQ(p2, 1.05f);
}

TEST(Optim, SgdMomentum) {
  // v1 = 0.5, p1 = 0.95;  v2 = 0.9 * 0.5 - 1 = -0.55, p2 = 0.95 + 0.055 = 1.005
  auto [p1, p2] = two_steps([](auto ps) { return std::make_unique<Sgd>(ps, 0.1f, 0.9f); });
  EXPECT_FLOAT_EQ(p1, 0.95f);
  EXPECT_FLOAT_EQ(p2, 1.005f);
}

TEST(Optim, AdamBiasCorrected) {
  // Step 1: m = 0.05, v = 0.00025; mhat = 0.5, vhat = 0.25; p1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9
  // Step 2: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975;
  //         mhat = -0.055 / 0.19 = -0.2894737, vhat = 0.00124975 / 0.001999 = 0.6251876;
  //         p2 = 0.9 + 0.1 * 0.2894737 / 0.7906881 = 0.9366104
  auto [p1, p2] = two_steps([](auto ps) { return std::make_unique<Adam>(ps, 0.1f); });
  EXPECT_NEAR(p1, 0.9f, 1e-6f);
  EXPECT_NEAR(p2, 0.9366104f, 2e-6f);
}

// The semi-supervised paper's code (dpkingma/nips14-ssl, adam.py): the same moments, no bias correction, eps 0.
TEST(Optim, AdamWithoutBiasCorrectionAsTheSemisupervisedCode) {
  // Step 1: m = 0.05, v = 0.00025; p1 = 1 - 0.1 * 0.05 / 0.0158114 = 1 - 0.1 * sqrt(10) = 0.6837722 (3.2 lr, where
  //         the corrected step above is lr)
  // Step 2: m = -0.055, v = 0.00124975; p2 = 0.6837722 + 0.1 * 0.055 / 0.0353518 = 0.8393513
  // In float 1 - 0.999 is 0.00100005, and no correction divides it back out, so v is 5e-5 off the decimal value
  // (the step 2.3e-5 relative): a tolerance of 1e-5, where the next larger mistake, the corrected step, is 0.2 off.
  auto [p1, p2] = two_steps([](auto ps) { return std::make_unique<Adam>(ps, 0.1f, 0.9f, 0.999f, 0.0f, BiasCorrection::None); });
  EXPECT_NEAR(p1, 0.6837722f, 1e-5f);
  EXPECT_NEAR(p2, 0.8393513f, 1e-5f);
}

TEST(Optim, Adagrad) {
  // s1 = 0.25, p1 = 1 - 0.1 * 0.5 / 0.5 = 0.9;  s2 = 1.25, p2 = 0.9 + 0.1 / sqrt(1.25) = 0.9894427
  auto [p1, p2] = two_steps([](auto ps) { return std::make_unique<Adagrad>(ps, 0.1f); });
  EXPECT_FLOAT_EQ(p1, 0.9f);
  EXPECT_NEAR(p2, 0.9894427f, 1e-6f);
}

TEST(Optim, WeightDecayAddsItsShareToTheGradient) {
  // wd = 0.2: g1 = 0.5 + 0.2 * 1 = 0.7, p1 = 1 - 0.1 * 0.7 = 0.93;  g2 = -1 + 0.2 * 0.93 = -0.814, p2 = 0.93 + 0.0814 = 1.0114
  auto [p1, p2] = two_steps([](auto ps) {
    auto opt = std::make_unique<Sgd>(ps, 0.1f);
    opt->set_weight_decay(0.2f);
    return opt;
  });
  EXPECT_FLOAT_EQ(p1, 0.93f);
  EXPECT_NEAR(p2, 1.0114f, 1e-6f);
  // Adagrad with decay: g1 = 0.7, s1 = 0.49, p1 = 1 - 0.1 * 0.7 / 0.7 = 0.9
  auto [a1, a2] = two_steps([](auto ps) {
    auto opt = std::make_unique<Adagrad>(ps, 0.1f);
    opt->set_weight_decay(0.2f);
    return opt;
  });
  EXPECT_FLOAT_EQ(a1, 0.9f);
  // g2 = -1 + 0.18 = -0.82, s2 = 0.49 + 0.6724 = 1.1624, p2 = 0.9 + 0.082 / sqrt(1.1624)
  EXPECT_NEAR(a2, 0.9f + 0.082f / std::sqrt(1.1624f), 1e-6f);
}

TEST(Optim, SkipsParametersWithoutGradients) {
  Var<float> used(Tensor<float>::scalar(1.0f), true), unused(Tensor<float>::scalar(1.0f), true);
  Adam adam({{"used", used}, {"unused", unused}}, 0.1f);
  used.grad() = Tensor<float>::scalar(1.0f);
  adam.step();
  EXPECT_LT(used.item(), 1.0f);
  EXPECT_EQ(unused.item(), 1.0f);
}

// Train 4 steps straight; separately train 2, save model + optimizer, restore into fresh objects, train 2
// more. The parameters must be bit-identical.
TEST(Optim, SavedAndRestoredStateContinuesExactly) {
  auto make_batch = [](int step) {
    Tensor<float> x(Shape{8, 3});
    for (int64_t i = 0; i < x.numel(); ++i) x[i] = std::sin(float(i + 10 * step));
    return x;
  };
  auto train = [&](nn::Mlp<float>& m, Optimizer& opt, int from, int to) {
    for (int step = from; step < to; ++step) {
      Tape<float> tape;
      tape.backward(sum(square(m(Var<float>(make_batch(step))))));
      opt.step();
      opt.zero_grad();
    }
  };
  for (int which = 0; which < 3; ++which) {
    auto make_opt = [which](Parameters<float> ps) -> std::unique_ptr<Optimizer> {
      if (which == 0) return std::make_unique<Adam>(ps, 0.01f);
      if (which == 1) return std::make_unique<Adagrad>(ps, 0.01f);
      return std::make_unique<Sgd>(ps, 0.01f, 0.9f);
    };
    Rng r1(7), r2(7);
    nn::Mlp<float> straight({3, 4, 2}, nn::Activation::Tanh, r1), resumed({3, 4, 2}, nn::Activation::Tanh, r2);
    auto opt_straight = make_opt(straight.parameters());
    train(straight, *opt_straight, 0, 4);

    auto opt_first = make_opt(resumed.parameters());
    train(resumed, *opt_first, 0, 2);
    io::SafeTensors saved;
    nn::put_parameters(saved, "model.", resumed.parameters());
    opt_first->save_state(saved);

    Rng r3(99);  // different initial values, all overwritten by the load
    nn::Mlp<float> fresh({3, 4, 2}, nn::Activation::Tanh, r3);
    auto opt_fresh = make_opt(fresh.parameters());
    nn::take_parameters(saved, "model.", fresh.parameters(), "saved");
    opt_fresh->load_state(saved, "saved");
    EXPECT_EQ(opt_fresh->steps(), 2);
    train(fresh, *opt_fresh, 2, 4);
    for (size_t i = 0; i < fresh.parameters().size(); ++i)
      EXPECT_EQ(fresh.parameters()[i].var.value().to_vector(), straight.parameters()[i].var.value().to_vector())
          << "optimizer " << which << ", parameter " << i;
  }
}

TEST(Optim, LoadStateFromAnotherOptimizerIsAnError) {
  Var<float> p(Tensor<float>::scalar(1.0f), true);
  Sgd sgd({{"p", p}}, 0.1f);
  io::SafeTensors saved;
  sgd.save_state(saved);
  Adam adam({{"p", p}});
  try {
    adam.load_state(saved, "ckpt.safetensors");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ckpt.safetensors: no tensor optim."), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tg::optim

namespace tg::test {
namespace {

// The schedules' rates at the epochs that define them, and the learning rate every optimizer takes from the base.
TEST(Schedule, RatesAtTheEpochsThatDefineThem) {
  const optim::Schedule constant("constant", 1e-3, 10), iwae("iwae", 1e-3, 3280), cosine("cosine", 2e-3, 4);
  EXPECT_EQ(constant.lr(1), 1e-3);
  EXPECT_EQ(constant.lr(10), 1e-3);
  // stage i lasts 3^i epochs: 1 | 2-4 | 5-13 | 14-40 | ... | 1094-3280 (stage 7)
  for (const auto& [epoch, stage] : std::vector<std::pair<int, int>>{{1, 0}, {2, 1}, {4, 1}, {5, 2}, {13, 2}, {14, 3}, {1093, 6}, {1094, 7}, {3280, 7}}) {
    EXPECT_EQ(optim::iwae_stage(epoch), stage) << "epoch " << epoch;
    EXPECT_DOUBLE_EQ(iwae.lr(epoch), 1e-3 * std::pow(10.0, -stage / 7.0)) << "epoch " << epoch;
  }
  EXPECT_NE(iwae.announcement(5).find("stage 2 of the IWAE schedule, 9 epochs"), std::string::npos) << iwae.announcement(5);
  EXPECT_EQ(iwae.announcement(6), "");
  // cosine over 4 epochs: 1, (1 + cos(pi/4))/2, 1/2, (1 + cos(3pi/4))/2 times lr0
  EXPECT_DOUBLE_EQ(cosine.lr(1), 2e-3);
  EXPECT_DOUBLE_EQ(cosine.lr(2), 2e-3 * (1 + std::sqrt(0.5)) / 2);
  EXPECT_DOUBLE_EQ(cosine.lr(3), 1e-3);
  EXPECT_DOUBLE_EQ(cosine.lr(4), 2e-3 * (1 - std::sqrt(0.5)) / 2);
  EXPECT_THROW(optim::Schedule("linear", 1e-3, 10), std::invalid_argument);
}

TEST(Schedule, EveryOptimizerTakesItsRateFromTheBaseClass) {
  Rng rng(3);
  for (int which = 0; which < 3; ++which) {
    Var<float> w(Tensor<float>::full(Shape{1, 1}, 1.0f), true);
    const Parameters<float> params = {{"w", w}};
    std::unique_ptr<optim::Optimizer> opt;
    if (which == 0) opt = std::make_unique<optim::Sgd>(params, 0.1f);
    if (which == 1) opt = std::make_unique<optim::Adam>(params, 0.1f);
    if (which == 2) opt = std::make_unique<optim::Adagrad>(params, 0.1f);
    opt->set_learning_rate(0.0f);  // a rate of zero: the step moves nothing
    {
      Tape<float> tape;
      tape.backward(sum(square(w)));
    }
    opt->step();
    EXPECT_EQ(w.value()[0], 1.0f) << "optimizer " << which;
    EXPECT_EQ(opt->learning_rate(), 0.0f);
  }
}

}  // namespace
}  // namespace tg::test
