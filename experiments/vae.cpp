// vae.cpp: `make experiment LATENT=200` — the 2015 VAE study on MNIST, the computing half:
//   options -> run folder -> data -> model -> for epoch { train; validate; save state } -> score the test set
//   -> t-SNE of the codes -> write what was measured.
// It draws nothing: experiments/vae_report.cpp reads the run folder and draws every picture and report.html
// (`make experiment` runs both; `make report RUN=runs/vae-z200` redraws a finished run in seconds).
// The model is models/vae.h (encoder and decoder of one hidden layer each, Bernoulli decoder, N(0, I) prior);
// the loss is the negative ELBO, trained through the reparameterisation trick with Adam.
// Shapes: N test images, D = 784 pixels, H hidden units, Z latent dimension, K importance samples.
// Read run() at the bottom first: it is the study in about sixty lines; each step it calls is defined above it,
// in the order it calls them.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>

#include "analysis/embedding_quality.h"
#include "analysis/tsne.h"
#include "analysis/tsne_cache.h"
#include "autograd/autograd.h"
#include "datasets/batches.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/program.h"
#include "io/progress.h"
#include "io/provenance.h"
#include "io/run_folder.h"
#include "experiments/data_summary.h"
#include "io/summary.h"
#include "models/vae_training.h"
#include "nn/checkpoint.h"
#include "nn/fit.h"
#include "nn/init.h"
#include "nn/training_state.h"
#include "optim/schedule.h"
#include "experiments/vae_settings.h"

using namespace tg;
namespace fs = std::filesystem;

// The optimizer the options name, with its weight decay.
std::unique_ptr<optim::Optimizer> make_optimizer(const VaeSettings& o, const Parameters<float>& params, double lr) {
  std::unique_ptr<optim::Optimizer> opt;
  if (o.optimizer == "adagrad") opt = std::make_unique<optim::Adagrad>(params, static_cast<float>(lr));
  else opt = std::make_unique<optim::Adam>(params, static_cast<float>(lr), 0.9f, 0.999f, static_cast<float>(o.adam_eps));
  opt->set_weight_decay(static_cast<float>(o.weight_decay));
  return opt;
}

// Kingma & Welling (2013) chose Adagrad's step size from {0.01, 0.02, 0.1} "based on performance on the training
// set in the first few iterations": here, one epoch with each rate, each from a copy of the same initial
// parameters and the same RNG, keeping the rate with the best training ELBO over that epoch.
double choose_learning_rate(const VaeSettings& o, const models::Vae<float>& vae, const data::Dataset& train) {
  const Parameters<float> params = vae.parameters();
  const std::vector<Tensor<float>> start = copy_values(params);
  double best_lr = o.lr_choices.front(), best = -INFINITY;
  for (double lr : o.lr_choices) {
    restore_values(params, start);
    Rng trial_rng(derive_seed(o.seed, "learning-rate trial"));
    std::unique_ptr<optim::Optimizer> opt = make_optimizer(o, params, lr);
    double elbo = -INFINITY;
    try {
      elbo = -models::train_vae_epoch(vae, *opt, train, batches_of(o), objective_at(o, 1), trial_rng, 0).neg_elbo;
    } catch (const std::runtime_error&) {  // a rate that diverges is simply not chosen
    }
    std::printf("learning-rate trial: lr %g  train ELBO over one epoch %.2f\n", lr, elbo);
    if (elbo > best) best = elbo, best_lr = lr;
  }
  restore_values(params, start);  // back to the initial parameters
  std::printf("learning rate: %g (best of %zu over one epoch)\n", best_lr, o.lr_choices.size());
  return best_lr;
}

// ---- the steps of the study, in the order run() takes them

// The data: 50,000 training / 10,000 validation / 10,000 test images. Binarised, the validation and test images are
// drawn once here with a fixed seed and the training images afresh every epoch (data::Binarize::Dynamic).
data::MnistSplits load_data(const VaeSettings& o) {
  data::MnistSplits mnist = load_run_data(o, o.data);
  std::printf("data: %s\n      train %lld  valid %lld  test %lld  pixels %s\n", mnist.description().c_str(), (long long)mnist.train.count,
              (long long)mnist.valid.count, (long long)mnist.test.count,
              o.binarize == "dynamic" ? "binarised (dynamic)" : "grey levels in [0, 1]");
  return mnist;
}

// --lr, or with --lr-choices the best of one trial epoch each; chosen once, so a resumed run continues with the
// rate its first part chose (recorded in the checkpoint's notes).
double learning_rate(const VaeSettings& o, bool resume, const std::string& checkpoint, const models::Vae<float>& vae,
                     const data::Dataset& train) {
  if (o.lr_choices.empty()) return o.lr;
  if (resume && fs::exists(checkpoint)) {
    const io::SafeTensors f = io::load_safetensors(checkpoint);
    const auto it = f.metadata.find("note.lr");
    return it != f.metadata.end() ? std::stod(it->second) : o.lr;
  }
  return choose_learning_rate(o, vae, train);
}

// What makes a run this run: resuming with any of these different (or on other training images) is refused.
std::map<std::string, std::string> run_identity(const VaeSettings& o, const data::MnistSplits& mnist) {
  std::map<std::string, std::string> identity = {{"latent", std::to_string(o.latent)}, {"hidden", std::to_string(o.hidden)},
          {"batch", std::to_string(o.batch)}, {"seed", std::to_string(o.seed)},
          {"binarize", o.binarize}, {"activation", o.activation}, {"optimizer", o.optimizer},
          {"init_std", fmt::format("{}", o.init_std)}, {"weight_decay", fmt::format("{}", o.weight_decay)},
          {"hidden_layers", std::to_string(o.hidden_layers)}, {"objective", o.objective},
          {"k", std::to_string(o.k)}, {"lr_schedule", o.lr_schedule},
          {"train_images_sha256", mnist.sha256[0]}};
  if (o.lr_schedule == "cosine") identity["epochs"] = std::to_string(o.epochs);  // the schedule spans them
  identity["kl_warmup"] = std::to_string(o.kl_warmup);  // these three added later: see kIdentityAddedLater
  identity["valid_size"] = std::to_string(o.valid_size);
  identity["output_bias"] = o.output_bias;
  return identity;
}
// The identity keys that older checkpoints lack, with the value those runs were made with.
const std::map<std::string, std::string> kIdentityAddedLater = {{"kl_warmup", "0"}, {"valid_size", "0"}, {"output_bias", "zero"}};

// With --resume, the state in the run folder's checkpoint replaces the fresh one (parameters, optimizer, RNG, history).
// Returns the checkpoint's notes (empty for a new run): the rate it chose, the invocations that made it.
std::map<std::string, std::string> resume_if_asked(const VaeSettings& o, bool resume, const std::string& checkpoint,
                                                   const nn::TrainingState& state) {
  if (!resume) return {};
  if (!fs::exists(checkpoint)) {
    std::printf("RESUME=1 but no %s yet: starting from epoch 1\n", checkpoint.c_str());
    return {};
  }
  auto notes = nn::load_training_state(checkpoint, state);
  if (auto it = notes.find("lr"); it != notes.end() && it->second != fmt::format("{}", o.lr))
    std::printf("note: the checkpoint was trained with lr %s; continuing with lr %g\n", it->second.c_str(), o.lr);
  // Fewer epochs than the checkpoint holds would make summary.json describe a shorter run than the model on disk.
  if (nn::epochs_done(state.history) > static_cast<size_t>(o.epochs))
    throw std::runtime_error(fmt::format("--epochs {}: {} already holds {} epochs; resume with --epochs {} or more (EPOCHS=), "
                                         "or start a new run in another folder (OUT=)", o.epochs, checkpoint,
                                         nn::epochs_done(state.history), nn::epochs_done(state.history)));
  std::printf("resuming from %s after epoch %zu\n", checkpoint.c_str(), nn::epochs_done(state.history));
  return notes;
}

// The bounds measured after each epoch. The noise is the same every epoch, so that the curves compare like with
// like; the test set's bound only with --test-curve (Figure 2 of Kingma & Welling 2013 plots it).
struct EpochBounds {
  double valid_elbo = NAN, test_elbo = NAN;
};
EpochBounds measure_bounds(const VaeSettings& o, const models::Vae<float>& vae, const data::MnistSplits& mnist) {
  EpochBounds b;
  Rng valid_rng(derive_seed(o.seed, "validation ELBO"));
  b.valid_elbo = models::mean(models::score_vae(vae, mnist.valid, 0, valid_rng).elbo);
  if (o.test_curve) {
    Rng test_rng(derive_seed(o.seed, "test curve"));
    b.test_elbo = models::mean(models::score_vae(vae, mnist.test, 0, test_rng).elbo);
  }
  return b;
}

void write_history(const VaeSettings& o, const io::RunFolder& out, const nn::History& history, int64_t train_count) {
  io::CsvTable table(fmt::format("epoch,examples,train_elbo,valid_elbo,seconds{}", o.test_curve ? ",test_elbo" : ""));
  for (size_t i = 0; i < nn::epochs_done(history); ++i)
    table.add_row(fmt::format("{},{},{:.6f},{:.6f},{:.4f}{}", i + 1, int64_t(i + 1) * train_count, history.at("train_elbo")[i],
                              history.at("valid_elbo")[i], history.at("seconds")[i],
                              o.test_curve ? fmt::format(",{:.6f}", history.at("test_elbo")[i]) : ""));
  table.write(out.path("history.csv"));
}

// The test set scored once, after training: per image the ELBO, log p(x) with K importance samples, and the
// latent means, written as scores.csv and latent_means.safetensors.
struct TestScores {
  models::VaeScores scores;
  double seconds = 0;  // scoring only, not writing
};
TestScores score_test_set(const VaeSettings& o, const models::Vae<float>& vae, const data::MnistSplits& mnist, const io::RunFolder& out) {
  std::printf("evaluating the test set (ELBO, and log p(x) with K = %lld importance samples)...\n", (long long)o.iw_samples);
  const auto e0 = std::chrono::steady_clock::now();
  Rng test_rng(derive_seed(o.seed, "test scores"));
  TestScores t{models::score_vae(vae, mnist.test, o.iw_samples, test_rng), 0};
  const models::VaeScores& scores = t.scores;
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
  const double test_elbo = models::mean(scores.elbo);
  if (!std::isfinite(test_elbo))
    throw std::runtime_error(fmt::format("the test ELBO is {}: the model in {} is broken", test_elbo, out.path("checkpoint.safetensors")));
  std::printf("test ELBO %.2f   test log p(x) %s   %.1f s\n", test_elbo,
              o.iw_samples > 0 ? fmt::format("{:.2f} (K = {})", models::mean(scores.log_px), o.iw_samples).c_str() : "not measured (K = 0)",
              t.seconds);
  if (!mnist.standard_mnist) std::printf("data: %s\n", mnist.description().c_str());  // again, beside the numbers
  io::CsvTable table("index,label,elbo,log_px,reconstruction_ll,kl");
  for (int64_t i = 0; i < mnist.test.count; ++i)
    table.add_row(fmt::format("{},{},{:.4f},{},{:.4f},{:.4f}", i, mnist.test.labels[i], scores.elbo[i],
                              o.iw_samples > 0 ? fmt::format("{:.4f}", scores.log_px[i]) : "", scores.reconstruction_ll[i], scores.kl[i]));
  table.write(out.path("scores.csv"));
  io::save_safetensors(out.path("latent_means.safetensors"), {{{"latent_means", io::to_safetensor(scores.latent_mean)}}, {}});
  return t;
}

// The validation set's log p(x) with --valid-iw-samples K (0: not measured): what a choice between recipes,
// epochs or step sizes is made on, so that the test set is looked at once, for what was chosen.
double validation_log_px(const VaeSettings& o, const models::Vae<float>& vae, const data::MnistSplits& mnist) {
  if (o.valid_iw_samples == 0) return NAN;
  std::printf("evaluating the validation set (log p(x) with K = %lld importance samples)...\n", (long long)o.valid_iw_samples);
  Rng valid_rng(derive_seed(o.seed, "validation log p(x)"));
  const double log_px = models::mean(models::score_vae(vae, mnist.valid, o.valid_iw_samples, valid_rng).log_px);
  std::printf("validation log p(x) %.2f (K = %lld)\n", log_px, (long long)o.valid_iw_samples);
  return log_px;
}

// summary.json: the configuration, the data, what was measured, and how the run was made (io/provenance.h).
io::Summary make_summary(const VaeSettings& o, const data::MnistSplits& mnist, const nn::History& history,
                         const TestScores& test, double valid_log_px, const std::vector<io::Invocation>& invocations) {
  const models::VaeScores& scores = test.scores;
  std::vector<double> sorted_seconds = history.at("seconds");
  std::sort(sorted_seconds.begin(), sorted_seconds.end());
  const auto last = [&](const char* series) { return history.at(series).empty() ? NAN : history.at(series).back(); };
  io::Summary s;
  s.set("experiment", "vae");
  const io::Json settings = o;  // the settings (vae_settings.h), then the results
  for (const auto& [key, value] : settings.items()) s.set(key, value);
  // Burda et al. (2015)'s count of active latent units, over the test images
  s.set("active_units", static_cast<int64_t>(models::active_dimensions(scores.latent_mean, mnist.test.count).size()));
  set_data_fields(s, o.data, mnist);
  s.set("train_elbo", last("train_elbo"));
  s.set("valid_elbo", last("valid_elbo"));
  s.set("valid_log_px", valid_log_px);
  s.set("test_elbo", models::mean(scores.elbo));
  s.set("test_log_px", o.iw_samples > 0 ? models::mean(scores.log_px) : NAN);
  s.set("train_seconds", std::accumulate(sorted_seconds.begin(), sorted_seconds.end(), 0.0));
  s.set("seconds_per_epoch", sorted_seconds.empty() ? NAN : sorted_seconds[sorted_seconds.size() / 2]);  // median
  s.set("eval_seconds", test.seconds);
  s.set("tsne", false);  // until tsne_of_the_codes has run
  for (const char* key : {"tsne_latent_knn_accuracy", "tsne_latent_trustworthiness", "tsne_original_knn_accuracy", "tsne_original_trustworthiness"})
    s.set(key, NAN);
  s.set("provenance", io::provenance_json(invocations));
  return s;
}

// t-SNE of the latent means beside t-SNE of the raw pixels (which does not depend on the model: cached), written
// as tsne_latent.csv and tsne_original.csv, with how well each keeps the classes apart (10-NN accuracy) and the
// pixels' neighbourhoods (trustworthiness). Small test sets get a lower perplexity, or none at all.
void tsne_of_the_codes(const VaeSettings& o, const data::MnistSplits& mnist, const Tensor<float>& latent_means,
                       const io::RunFolder& out, io::Summary& s) {
  analysis::TsneOptions opt;
  opt.verbose = true;  // opt.threads stays 2 whatever THREADS is: the embedding depends on how its sums are split
  if (mnist.test.count <= 50) {  // the 10-NN accuracy needs more than 5 x 10 points
    std::printf("t-SNE skipped: %lld test images are too few to embed and score (more than 50 needed)\n", (long long)mnist.test.count);
    return;
  }
  if (mnist.test.count <= 3 * opt.perplexity) {  // t-SNE needs more than 3 x perplexity points
    opt.perplexity = (mnist.test.count - 1) / 3.0;
    std::printf("t-SNE: perplexity %.1f instead of 30, for %lld test images\n", opt.perplexity, (long long)mnist.test.count);
  }
  const std::vector<int> labels(mnist.test.labels.begin(), mnist.test.labels.end());
  const Tensor<float> pixels = data::scaled_pixels(mnist.test);
  std::printf("t-SNE of the %lld latent means (Z = %lld)\n", (long long)mnist.test.count, (long long)o.latent);
  const std::vector<double> y_latent = analysis::tsne(latent_means, opt).y;
  const std::vector<double> y_original = analysis::cached_tsne(o.cache, "pixels-" + mnist.sha256[2] + "-" + o.binarize, pixels, opt);
  for (const auto& [name, y] : {std::pair{"tsne_latent.csv", &y_latent}, std::pair{"tsne_original.csv", &y_original}}) {
    io::CsvTable table("x,y");
    for (int64_t i = 0; i < mnist.test.count; ++i) table.add_row(fmt::format("{:.6f},{:.6f}", (*y)[2 * i], (*y)[2 * i + 1]));
    table.write(out.path(name));
  }
  const double latent_knn = analysis::knn_accuracy(y_latent, labels), latent_trust = analysis::trustworthiness(pixels, y_latent);
  const double original_knn = analysis::knn_accuracy(y_original, labels), original_trust = analysis::trustworthiness(pixels, y_original);
  std::printf("t-SNE 10-NN accuracy: latent %.3f, pixels %.3f; trustworthiness: latent %.3f, pixels %.3f\n", latent_knn,
              original_knn, latent_trust, original_trust);
  s.set("tsne", true);
  s.set("tsne_latent_knn_accuracy", latent_knn);
  s.set("tsne_latent_trustworthiness", latent_trust);
  s.set("tsne_original_knn_accuracy", original_knn);
  s.set("tsne_original_trustworthiness", original_trust);
}

// ---- the study
// Options that are each valid alone but not together; refused before anything is read.
void check_option_pairs(const VaeSettings& o) {
  if (o.lr_schedule != "constant" && o.optimizer != "adam")
    throw std::runtime_error(fmt::format("--lr-schedule {} is a schedule for Adam, but --optimizer is {}", o.lr_schedule, o.optimizer));
  if (o.test_draw > 0 && o.binarize != "dynamic")
    throw std::runtime_error(fmt::format("--test-draw {} draws another binarisation of the test images, but --binarize is {}", o.test_draw, o.binarize));
  if (o.kl_warmup > 0 && o.objective != "elbo")
    throw std::runtime_error(fmt::format("--kl-warmup weights the ELBO's KL term, but --objective is {}", o.objective));
}

// The papers' starts, when asked for, over make_vae's He-uniform one: every parameter from N(0, init_std^2)
// (Kingma & Welling 2013), and the decoder's output bias at the logit of the mean training image (the IWAE code).
void initialise(const VaeSettings& o, const models::Vae<float>& vae, const data::Dataset& train, Rng& rng) {
  if (o.init_std > 0) nn::draw_all_from_normal(vae.parameters(), o.init_std, rng);
  if (o.output_bias == "data-mean") models::set_output_bias_to_data_mean(vae, train);
}

// The epoch's line after the progress counter: the training bound (the IWAE bound with --objective iwae) and the
// validation ELBO.
std::string epoch_line(const VaeSettings& o, const models::VaeEpoch& e, const EpochBounds& bounds) {
  if (o.objective == "iwae")
    return fmt::format("train IWAE bound (k = {}) {:.2f}  valid ELBO {:.2f}", o.k, -e.neg_elbo, bounds.valid_elbo);
  return fmt::format("train ELBO {:.2f} (rec {:.2f}, KL {:.2f})  valid ELBO {:.2f}", -e.neg_elbo, e.reconstruction, e.kl, bounds.valid_elbo);
}

// The series history.csv holds, one value per epoch (the test ELBO too with --test-curve).
nn::History empty_history(bool test_curve) {
  nn::History history{{"train_elbo", {}}, {"valid_elbo", {}}, {"seconds", {}}};
  if (test_curve) history["test_elbo"] = {};
  return history;
}

nn::EpochValues epoch_values(const models::VaeEpoch& e, const EpochBounds& bounds, double seconds, bool test_curve) {
  nn::EpochValues v = {{"train_elbo", -e.neg_elbo}, {"valid_elbo", bounds.valid_elbo}, {"seconds", seconds}};
  if (test_curve) v["test_elbo"] = bounds.test_elbo;
  return v;
}

int run(VaeSettings o, bool resume) {
  const auto t_start = std::chrono::steady_clock::now();
  if (o.out.empty()) o.out = fmt::format("runs/vae-z{}", o.latent);
  check_option_pairs(o);
  set_num_threads(o.threads);
  const data::MnistSplits mnist = load_data(o);
  // Refuses, before any training, a folder that another run holds or that holds a run we were not asked to resume.
  const io::RunFolder out(o.out, "checkpoint.safetensors", resume);
  const std::string checkpoint = out.path("checkpoint.safetensors");
  if (o.compute_tsne) io::require_writable_folder(o.cache, "--cache");

  // ---- model VAE(D, H, Z), optimizer, and the state that makes the run resumable
  Rng rng(o.seed);
  models::Vae<float> vae = make_vae(o, mnist.train.dim(), rng);
  const Parameters<float> params = vae.parameters();
  initialise(o, vae, mnist.train, rng);
  o.lr = learning_rate(o, resume, checkpoint, vae, mnist.train);
  const std::unique_ptr<optim::Optimizer> optimizer = make_optimizer(o, params, o.lr);
  nn::History history = empty_history(o.test_curve);
  nn::TrainingState state{params, *optimizer, rng, history, run_identity(o, mnist),
                          {{"lr", fmt::format("{}", o.lr)}}, {{"layout", models::kVaeCheckpointLayout}}, kIdentityAddedLater};
  const auto notes = resume_if_asked(o, resume, checkpoint, state);
  // This invocation, after the ones that made the checkpoint: saved with every epoch's state, and in summary.json.
  std::vector<io::Invocation> invocations = io::invocations_with(
      notes.count("invocations") ? notes.at("invocations") : "",
      io::start_invocation(io::command_line().argc, io::command_line().argv, o.threads, nn::epochs_done(history)),
      checkpoint + " (metadata note.invocations)");
  const auto record_invocation = [&](size_t to_epoch) {
    invocations.back().to_epoch = static_cast<int64_t>(to_epoch);
    invocations.back().seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    state.notes["invocations"] = io::Json(invocations).dump();
  };

  // ---- training: one line per epoch; the state saved after each (nn/fit.h)
  io::stop_at_safe_points();  // Ctrl-C: stop after the epoch in progress is saved (checked below)
  const optim::Schedule schedule(o.lr_schedule, o.lr, o.epochs);
  io::Progress progress(o.epochs, mnist.train.count);
  nn::fit(o.epochs, state, checkpoint, progress, [&](int epoch) {
    if (o.lr_schedule != "constant") {  // optim/schedule.h; a constant rate is left as the optimizer was made
      optimizer->set_learning_rate(static_cast<float>(schedule.lr(epoch)));
      if (const std::string line = schedule.announcement(epoch); !line.empty()) std::printf("%s\n", line.c_str());
    }
    const models::VaeEpoch e = models::train_vae_epoch(vae, *optimizer, mnist.train, batches_of(o), objective_at(o, epoch), rng, epoch, &progress);
    const auto v0 = std::chrono::steady_clock::now();
    const EpochBounds bounds = measure_bounds(o, vae, mnist);
    if (!std::isfinite(bounds.valid_elbo))  // the model broke during this epoch: keep the previous state
      throw std::runtime_error(fmt::format("non-finite validation ELBO ({}) after epoch {}; {} still holds epoch {}",
                                           bounds.valid_elbo, epoch, checkpoint, epoch - 1));
    const double seconds =
        progress.end_epoch(epoch_line(o, e, bounds), std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count());
    record_invocation(epoch);  // saved with this epoch's state
    return epoch_values(e, bounds, seconds, o.test_curve);
  }, [&](int epoch) {
    // Ctrl-C: the epoch is saved, stop here (after the last one: before evaluating; io/program.h says how to resume)
    io::stop_here_if_requested(fmt::format("{} holds epoch {} of {}", checkpoint, epoch, o.epochs));
  });
  write_history(o, out, history, mnist.train.count);

  // ---- the test set, then summary.json — written before the optional t-SNE, so that a failure there loses
  // nothing, and again with the t-SNE's measures after it
  const double valid_log_px = validation_log_px(o, vae, mnist);
  const TestScores test = score_test_set(o, vae, mnist, out);
  record_invocation(nn::epochs_done(history));
  io::Summary summary = make_summary(o, mnist, history, test, valid_log_px, invocations);
  summary.write(out.path("summary.json"));
  if (o.compute_tsne) tsne_of_the_codes(o, mnist, test.scores.latent_mean, out, summary);
  record_invocation(nn::epochs_done(history));
  summary.set("provenance", io::provenance_json(invocations));
  summary.set("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());
  summary.write(out.path("summary.json"));
  std::printf("wrote %s/{summary.json,scores.csv,history.csv,latent_means.safetensors,checkpoint.safetensors}\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  VaeSettings o;
  bool resume = false;
  CLI::App app{"The 2015 VAE study on MNIST: train, evaluate, write the run folder (vae_report draws it)"};
  app.add_option("--latent", o.latent, "latent dimension Z (the study: 3, 5, 200)")->check(io::in_range(int64_t(1), int64_t(10000)))->capture_default_str();
  app.add_option("--epochs", o.epochs, "passes over the training set")->check(io::in_range(1, 100000))->capture_default_str();
  app.add_option("--batch", o.batch, "examples per step")->check(io::in_range(int64_t(1), int64_t(60000)))->capture_default_str();
  app.add_option("--hidden", o.hidden, "hidden units in encoder and decoder")->check(io::in_range(int64_t(1), int64_t(100000)))->capture_default_str();
  app.add_option("--lr", o.lr, "Adam learning rate")->check(io::positive)->capture_default_str();
  app.add_option("--seed", o.seed, "seed: initialisation, shuffling, sampling")->capture_default_str();
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->required();
  app.add_option("--out", o.out, "run folder (default runs/vae-z<latent>)");
  app.add_option("--iw-samples", o.iw_samples, "importance samples K for test log p(x); 0 skips it")->check(io::in_range(int64_t(0), int64_t(100000)))->capture_default_str();
  app.add_option("--valid-iw-samples", o.valid_iw_samples, "importance samples K for the validation set's log p(x), what choices are made on; 0 skips it")
      ->check(io::in_range(int64_t(0), int64_t(100000)))->capture_default_str();
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(io::in_range(1, 256))->capture_default_str();
  app.add_option("--binarize", o.binarize, "none (grey levels) or dynamic (fresh Bernoulli draw each epoch)")
      ->check(CLI::IsMember({"none", "dynamic"}))->capture_default_str();
  app.add_option("--activation", o.activation, "hidden units: relu (the study) or tanh (Kingma & Welling 2013)")
      ->check(CLI::IsMember({"relu", "tanh"}))->capture_default_str();
  app.add_option("--optimizer", o.optimizer, "adam (the study) or adagrad (Kingma & Welling 2013)")
      ->check(CLI::IsMember({"adam", "adagrad"}))->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay, "L2 weight decay added to the per-example loss's gradient (0: none)")
      ->check(io::in_range(0.0, 1.0))->capture_default_str();
  app.add_option("--init-std", o.init_std, "if > 0, draw every parameter from N(0, init_std^2) (0: He-uniform weights, zero biases)")
      ->check(io::in_range(0.0, 10.0))->capture_default_str();
  app.add_option("--lr-choices", o.lr_choices, "learning rates to try for one epoch each from the same start; the best training ELBO is kept")
      ->check(io::positive);
  app.add_option("--hidden-layers", o.hidden_layers, "hidden layers in the encoder and again in the decoder (IWAE's: 2)")
      ->check(io::in_range(1, 10))->capture_default_str();
  app.add_option("--objective", o.objective, "elbo, or iwae: the importance-weighted bound with --k samples (Burda et al. 2015)")
      ->check(CLI::IsMember({"elbo", "iwae"}))->capture_default_str();
  app.add_option("--k", o.k, "samples per example of the iwae objective (1: the ELBO with a sampled KL)")
      ->check(io::in_range(int64_t(1), int64_t(5000)))->capture_default_str();
  app.add_option("--lr-schedule", o.lr_schedule, "constant; iwae: 3^i epochs at lr x 10^(-i/7), i = 0..7 (3,280 epochs in all); cosine: from lr to 0 over --epochs")
      ->check(CLI::IsMember({"constant", "iwae", "cosine"}))->capture_default_str();
  app.add_option("--kl-warmup", o.kl_warmup, "epochs over which the KL term's weight rises linearly to 1 (Sonderby et al. 2016; 0: none)")
      ->check(io::in_range(0, 100000))->capture_default_str();
  app.add_option("--valid-size", o.valid_size, "images of the training file held out for validation (0: the last 10,000; the IWAE authors' code: 400)")
      ->check(io::in_range(int64_t(0), int64_t(1000000)))->capture_default_str();
  app.add_option("--test-draw", o.test_draw, "with --binarize dynamic: 0 scores the fixed binarisation of the test images every run is scored on, N > 0 another draw (to measure how much the number depends on it)")
      ->check(io::in_range(uint64_t(0), uint64_t(1000000)))->capture_default_str();
  app.add_option("--output-bias", o.output_bias, "zero, or data-mean: the decoder's output bias starts at the logit of each pixel's mean training value (the IWAE authors' code)")
      ->check(CLI::IsMember({"zero", "data-mean"}))->capture_default_str();
  app.add_option("--adam-eps", o.adam_eps, "Adam's epsilon (the IWAE paper: 1e-4)")->check(io::in_range(1e-12, 1.0))->capture_default_str();
  app.add_flag("--test-curve", o.test_curve, "also record the test set's ELBO after every epoch (for Figure 2 of the 2013 paper)");
  app.add_option("--cache", o.cache, "folder for results that do not depend on the model (t-SNE of the pixels)")->capture_default_str();
  app.add_flag("--resume", resume, "continue the run in --out (without it, a folder holding a run is refused)");
  app.add_option("--tsne", o.compute_tsne, "compute the t-SNE embeddings (1) or not (0)")->capture_default_str();
  return io::run_program(app, argc, argv, [&] { return run(o, resume); });
}
