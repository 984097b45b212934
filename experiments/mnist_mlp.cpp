// mnist_mlp.cpp: `make classify` — a 784-400-10 ReLU MLP trained with softmax cross-entropy and Adam on the
// 50,000-image MNIST training split, validated each epoch, tested at the end. It exercises every part of the
// training stack (data, batches, layers, tape, optimizer, summary) in one readable script.
// Read top to bottom: options -> data -> model -> training loop -> test -> summary.json.
// Shapes: B batch, D = 784 pixels, H hidden units, K = 10 classes.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "autograd/autograd.h"
#include "datasets/batches.h"
#include "io/program.h"
#include "io/progress.h"
#include "io/run_folder.h"
#include "experiments/data_summary.h"
#include "io/summary.h"
#include "models/classifier.h"
#include "nn/train_loop.h"
#include "optim/optimizer.h"

using namespace tg;

struct Options {
  std::string data, out = "runs/mnist-mlp";
  int epochs = 10, threads = 2;
  int64_t batch = 128, hidden = 400;
  float lr = 1e-3f;
  uint64_t seed = 1;
};

// Fraction of `d` the model labels correctly.
double accuracy(const models::Classifier& model, const data::Dataset& d) {
  const std::vector<int64_t> order = data::identity_order(d.count);
  const auto rows = [&](int64_t first, int64_t count) {
    Tensor<float> x;
    data::gather(d, data::batch_at(order, first, count), x, nullptr);
    return x;
  };
  const std::vector<int32_t> labels(d.labels.begin(), d.labels.end());
  return double(models::correct_count(models::classifier_logits(model, d.count, rows), labels)) / double(d.count);
}

int run(const Options& o) {
  set_num_threads(o.threads);
  io::require_writable_folder(o.out, "--out");  // before the data and the training, not at the end
  const auto t0 = std::chrono::steady_clock::now();

  // ---- data: 50k train / 10k validation / 10k test, pixels in [0, 1]
  const data::MnistSplits mnist = data::load_mnist(o.data);
  std::printf("data: %s  train %lld  valid %lld  test %lld\n", o.data.c_str(), (long long)mnist.train.count,
              (long long)mnist.valid.count, (long long)mnist.test.count);

  // ---- model: x (B, D) -> Linear(D, H) -> relu -> Linear(H, K) -> logits (B, K)
  Rng rng(o.seed);
  models::Classifier model({mnist.train.dim(), o.hidden, 10}, nn::Activation::Relu, rng, nn::Init::HeUniform);
  optim::Adam adam(model.parameters(), o.lr);

  // ---- training
  io::Progress progress(o.epochs, mnist.train.count);
  Tensor<float> x;
  std::vector<int32_t> labels;
  double valid_accuracy = 0, train_seconds = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    progress.start_epoch(epoch);
    const std::vector<int64_t> order = data::shuffled_indices(mnist.train.count, rng);
    const nn::EpochLoss loss = nn::train_epoch(adam, nn::steps_for(mnist.train.count, o.batch), [&](int64_t step) -> nn::BatchLoss {
      data::gather(mnist.train, data::batch_at(order, step * o.batch, o.batch), x, &labels);
      return {models::classifier_loss(model, x, labels), static_cast<int64_t>(labels.size())};  // a scalar
    }, "classifier", epoch, &progress);
    const double train_loss = loss.per_example;
    const auto v0 = std::chrono::steady_clock::now();
    valid_accuracy = accuracy(model, mnist.valid);
    const double eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    train_seconds += progress.end_epoch(fmt::format("loss {:.4f}  valid acc {:.4f}", train_loss, valid_accuracy), eval_seconds);
  }

  // ---- test and summary
  const double test_accuracy = accuracy(model, mnist.test);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("test accuracy %.4f (%lld images), %.1f s\n", test_accuracy, (long long)mnist.test.count, seconds);
  io::Summary s;
  s.set("experiment", "mnist_mlp");
  set_data_fields(s, o.data, mnist);
  s.set("epochs", o.epochs);
  s.set("batch", o.batch);
  s.set("hidden", o.hidden);
  s.set("lr", double(o.lr));
  s.set("seed", static_cast<int64_t>(o.seed));
  s.set("threads", o.threads);
  s.set("valid_accuracy", valid_accuracy);
  s.set("test_accuracy", test_accuracy);
  s.set("train_seconds", train_seconds);
  s.set("seconds", seconds);
  s.set("provenance", io::provenance_of_this_process(o.threads));
  s.write(o.out + "/summary.json");
  std::printf("wrote %s/summary.json\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"MNIST MLP classifier (784-400-10, ReLU, Adam): proves the training stack"};
  app.add_option("--data", o.data, "folder with the four MNIST IDX files (raw or .gz)")->required();
  app.add_option("--out", o.out, "run folder (summary.json goes here)");
  app.add_option("--epochs", o.epochs, "passes over the 50,000 training images")->check(io::in_range(1, 100000));
  app.add_option("--batch", o.batch, "examples per step")->check(io::in_range(int64_t(1), int64_t(60000)));
  app.add_option("--hidden", o.hidden, "hidden units")->check(io::in_range(int64_t(1), int64_t(100000)));
  app.add_option("--lr", o.lr, "Adam learning rate")->check(io::positive);
  app.add_option("--seed", o.seed, "seed for initialisation and shuffling");
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(io::in_range(1, 256));
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
