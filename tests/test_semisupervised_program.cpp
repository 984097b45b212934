// test_semisupervised_program.cpp: experiments/semisupervised and its reporter end to end on the tiny dataset —
// both models report test errors and baselines in [0, 1], the anomaly part AUCs; a resumed run is byte-identical
// to an uninterrupted one; odd image sizes and too-rare classes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "experiments/semisupervised_settings.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/safetensors.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

const std::string kSmall = " --labels 20 --m1-epochs 1 --latent 4 --hidden 16 --m1-hidden 16 --batch 64"
                          " --labelled-batch 20 --baseline-epochs 2 --threads 1";

TEST(SemisupervisedProgram, ReportsErrorsBaselinesAndAucs) {
  const std::string data = fresh_temp_dir("semi-data"), out = fresh_temp_dir("semi-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out + " --models both" + kSmall +
                                " --epochs 2 --anomaly-labels 3 --anomaly-digit 2 --anomaly-epochs 1");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  ASSERT_EQ(s.at("runs").size(), 2u);
  for (const io::Json& run : s.at("runs")) {
    for (const char* key : {"test_error", "baseline_test_error", "valid_error", "last_epoch_test_error", "small_valid_test_error"}) {
      EXPECT_GE(run.at(key).get<double>(), 0.0) << key;
      EXPECT_LE(run.at(key).get<double>(), 1.0) << key;
    }
    EXPECT_EQ(run.at("epochs").get<int>(), 2);
    const std::string folder = out + "/" + run.at("folder").get<std::string>();
    EXPECT_TRUE(std::filesystem::exists(folder + "/checkpoint.safetensors")) << folder;
    EXPECT_TRUE(std::filesystem::exists(folder + "/conditional_samples.safetensors")) << folder;
    // the last epoch's confusion counts: every test image once, the diagonal the right answers
    const io::Json& c = run.at("last_epoch_test_confusion");
    ASSERT_EQ(c.size(), 10u);
    int64_t images = 0, right = 0;
    for (size_t t = 0; t < 10; ++t)
      for (size_t k = 0; k < 10; ++k) images += c[t][k].get<int64_t>(), right += t == k ? c[t][k].get<int64_t>() : 0;
    EXPECT_EQ(images, 100);
    EXPECT_NEAR(1.0 - double(right) / 100, run.at("last_epoch_test_error").get<double>(), 1e-12);
  }
  ASSERT_EQ(s.at("m1").size(), 1u);
  EXPECT_EQ(s.at("m1")[0].at("folder"), "m1-seed1");
  EXPECT_TRUE(std::filesystem::exists(out + "/m1-seed1/checkpoint.safetensors"));
  // M1's time, as each M2's: the seconds of its history (training and validation), in minutes
  double m1_seconds = 0;
  for (double sec : io::read_csv(out + "/m1-seed1/history.csv").column("seconds")) m1_seconds += sec;
  EXPECT_GT(m1_seconds, 0.0);
  EXPECT_NEAR(s.at("m1")[0].at("minutes").get<double>(), m1_seconds / 60, 1e-4 * m1_seconds / 60);  // as the csv rounds
  // one invocation, complete, and the seconds written last (make collect takes only a finished run)
  EXPECT_EQ(s.at("provenance").at("invocations").size(), 1u);
  EXPECT_FALSE(s.at("provenance").contains("complete"));
  EXPECT_TRUE(s.contains("seconds"));
  for (const char* key : {"anomaly_auc_unsupervised", "anomaly_auc_m2_3_labels"}) {
    ASSERT_TRUE(s.contains(key)) << key;
    EXPECT_GE(s.at(key).get<double>(), 0.0) << key;
    EXPECT_LE(s.at(key).get<double>(), 1.0) << key;
  }
  // the reporter draws it: the paper's column, the baseline's, the diagnostics and both models' samples
  CommandResult rep = run_command(program("semisupervised_report") + " --run=" + out);
  ASSERT_EQ(rep.status, 0) << rep.output;
  const std::string html = io::read_file(out + "/report.html");
  for (const char* text : {"paper (Table 1)", "supervised only %", "last epoch %", "chosen on 1000 valid. %", "class_use_gap.svg", "decoder_logvar.svg", "m2-20-seed1_samples.png",
                           "m1m2-20-seed1_samples.png", "labelled anomalies", "The most frequent mistakes", " read as "})
    EXPECT_NE(html.find(text), std::string::npos) << text;
  EXPECT_TRUE(std::filesystem::exists(out + "/m2-20-seed1_samples.png"));
  // its protocol names both models' recipes
  for (const char* text : {"M1 is a VAE with two hidden layers", "The pixel M2 (Bernoulli likelihood, the balanced weighting)"})
    EXPECT_NE(html.find(text), std::string::npos) << text;
}

// make collect copies the history.csv of every model the summary names, as the run wrote it, so the curves that
// results.md describes are committed with the numbers; a folder the summary does not name stays behind, and a
// summary whose folder would lead outside the run is refused.
TEST(SemisupervisedProgram, CollectTakesTheHistoryOfEveryModelTheSummaryNames) {
  const std::string data = fresh_temp_dir("semi-data-collect"), out = fresh_temp_dir("semi-collect-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out + kSmall + " --models both --epochs 1");
  ASSERT_EQ(r.status, 0) << r.output;
  std::filesystem::create_directories(out + "/stray");
  io::write_file_atomically(out + "/stray/history.csv", "epoch\n1\n");
  const std::string results = fresh_temp_dir("semi-collect-results") + "/run";
  r = run_command(program("collect_result") + " --run=" + out + " --to=" + results);
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* model : {"m1-seed1", "m1m2-20-seed1", "m2-20-seed1"}) {
    const std::string history = std::string("/") + model + "/history.csv";
    ASSERT_TRUE(std::filesystem::exists(results + history)) << model;
    EXPECT_EQ(io::read_file(results + history), io::read_file(out + history)) << model;
  }
  EXPECT_FALSE(std::filesystem::exists(results + "/stray"));
  EXPECT_NE(r.output.find("the history.csv of 3 models"), std::string::npos) << r.output;
  io::Json summary = io::read_json_file(out + "/summary.json");
  summary["runs"][0]["folder"] = "../elsewhere";
  io::write_file_atomically(out + "/summary.json", summary.dump());
  r = run_command(program("collect_result") + " --run=" + out + " --to=" + fresh_temp_dir("semi-collect-escape") + "/run");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("folder '../elsewhere': expected a sub-folder's name"), std::string::npos) << r.output;
}

// make semisupervised-curves draws one measure of every M2 of several runs on one plot, each named by its run (and
// its model where a run has several), from a run folder or its collected results folder alike; a results folder
// without the models' histories is named, as is a measure the histories do not have; runs that differ only in their
// seed share a colour.
TEST(SemisupervisedProgram, CurvesOfSeveralRunsOnOnePlot) {
  const std::string data = fresh_temp_dir("semi-data-curves"), both = fresh_temp_dir("semi-curves-both"),
                    one = fresh_temp_dir("semi-curves-one");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall + " --epochs 2";
  ASSERT_EQ(run_command(base + " --models both --out=" + both).status, 0);
  ASSERT_EQ(run_command(base + " --models m2 --pixel-weighting balanced --out=" + one).status, 0);
  const std::string results = fresh_temp_dir("semi-curves-results") + "/balanced";
  ASSERT_EQ(run_command(program("collect_result") + " --run=" + one + " --to=" + results).status, 0);
  const std::string svg = fresh_temp_dir("semi-curves-out") + "/valid_error.svg";
  CommandResult r = run_command(program("semisupervised_curves") + " --runs " + both + " " + results + " --title 'two runs' --to=" + svg);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("(3 models)"), std::string::npos) << r.output;
  const std::string text = io::read_file(svg);
  const std::string both_name = std::filesystem::path(both).filename().string();
  for (const std::string& name : {both_name + "/m1m2-20-seed1", both_name + "/m2-20-seed1", std::string(">balanced<"), std::string("two runs")})
    EXPECT_NE(text.find(name), std::string::npos) << name;
  // one label count's models, against Adam steps (runs with other batch sizes side by side); a count no model has
  r = run_command(program("semisupervised_curves") + " --runs " + both + " --labels 20 --axis steps --y-max 50 --to=" + svg);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(io::read_file(svg).find(">Adam steps<"), std::string::npos);
  r = run_command(program("semisupervised_curves") + " --runs " + both + " --labels 30 --to=" + svg);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--labels 30: no model of the runs has that label count"), std::string::npos) << r.output;
  // runs that differ only in their seed share a colour: two seeds of one setting and another setting, two colours
  const std::string seeds = fresh_temp_dir("semi-curves-seeds");
  for (const char* seed : {"/balanced-seed1", "/balanced-seed2"})
    ASSERT_EQ(run_command(program("collect_result") + " --run=" + one + " --to=" + seeds + seed).status, 0);
  r = run_command(program("semisupervised_curves") + " --runs " + seeds + "/balanced-seed1 " + seeds + "/balanced-seed2 " +
                  both + " --labels 20 --to=" + svg);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string drawn = io::read_file(svg);
  const std::string line = "<polyline fill=\"none\" stroke=\"";
  std::vector<std::string> colours;  // each line's stroke, in the order drawn
  for (size_t at = drawn.find(line); at != std::string::npos; at = drawn.find(line, at + 1))
    colours.push_back(drawn.substr(at + line.size(), 7));
  ASSERT_EQ(colours.size(), 4u) << drawn;  // the two seeds' M2s, then the other run's M1+M2 and M2
  EXPECT_EQ(colours[0], colours[1]);
  EXPECT_NE(colours[1], colours[2]);
  EXPECT_NE(colours[2], colours[3]);
  std::filesystem::remove(results + "/m2-20-seed1/history.csv");
  r = run_command(program("semisupervised_curves") + " --runs " + results + " --to=" + svg);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(results + "/m2-20-seed1/history.csv: not found"), std::string::npos) << r.output;
  r = run_command(program("semisupervised_curves") + " --runs " + both + " --measure valid_elbo --to=" + svg);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--measure"), std::string::npos) << r.output;
}

// Two checkpoints hold the same training state, byte for byte, but for the seconds each epoch took: every measured
// series, every parameter, optimizer slot and the RNG.
void expect_same_training_state(const std::string& checkpoint_a, const std::string& checkpoint_b) {
  const io::SafeTensors a = io::load_safetensors(checkpoint_a), b = io::load_safetensors(checkpoint_b);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (const auto& [name, t] : a.tensors)
    if (name != "history.seconds") {
      ASSERT_TRUE(b.tensors.count(name)) << name;
      EXPECT_TRUE(t.bytes == b.tensors.at(name).bytes) << name;
    }
}

// A run stopped after epoch 1 and resumed to epoch 2 ends with the same history and the same training state,
// byte for byte, as a run of 2 epochs; re-running over it without --resume is refused, naming the model's folder.
TEST(SemisupervisedProgram, ResumesExactlyAndRefusesToOverwrite) {
  const std::string data = fresh_temp_dir("semi-data-resume"), once = fresh_temp_dir("semi-once"), twice = fresh_temp_dir("semi-twice");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + " --models m2" + kSmall;
  ASSERT_EQ(run_command(base + " --out=" + once + " --epochs 2").status, 0);
  CommandResult first = run_command(base + " --out=" + twice + " --epochs 1");
  ASSERT_EQ(first.status, 0) << first.output;
  CommandResult again = run_command(base + " --out=" + twice + " --epochs 2");
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.output.find("m2-20-seed1 holds a run (checkpoint.safetensors, epoch 1)"), std::string::npos) << again.output;
  CommandResult resumed = run_command(base + " --out=" + twice + " --epochs 2 --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("after epoch 1"), std::string::npos) << resumed.output;
  // Everything but the seconds each epoch took: every measured series, every parameter, optimizer slot and the RNG.
  const io::Csv a = io::read_csv(once + "/m2-20-seed1/history.csv"), b = io::read_csv(twice + "/m2-20-seed1/history.csv");
  ASSERT_EQ(a.header, b.header);
  for (const std::string& column : a.header)
    if (column != "seconds") {
      EXPECT_EQ(a.column(column), b.column(column)) << column;
    }
  // both invocations are recorded, in order, with the epochs each trained: a resumed run can be collected
  const io::Json p = io::read_json_file(twice + "/summary.json").at("provenance");
  EXPECT_FALSE(p.contains("complete"));
  ASSERT_EQ(p.at("invocations").size(), 2u);
  EXPECT_EQ(p.at("resumed"), 1);
  EXPECT_EQ(p.at("invocations")[0].at("to_epoch"), 1);
  EXPECT_EQ(p.at("invocations")[1].at("from_epoch"), 1);
  EXPECT_EQ(p.at("invocations")[1].at("to_epoch"), 2);
  EXPECT_NE(p.at("invocations")[1].at("command").get<std::string>().find("--resume"), std::string::npos);
  expect_same_training_state(once + "/m2-20-seed1/checkpoint.safetensors", twice + "/m2-20-seed1/checkpoint.safetensors");
}

// Ctrl-C (SIGINT) during M2's training stops once the epoch in progress is saved, says which file holds it and how to
// resume, and exits 130 without a summary; the resumed run ends with the training state of a run never stopped.
TEST(SemisupervisedProgram, CtrlCStopsAtASavedEpochAndTheResumeEndsAsIfUninterrupted) {
  const std::string data = fresh_temp_dir("semi-data-ctrl-c"), root = fresh_temp_dir("semi-ctrl-c");
  write_tiny_mnist(data, 300, 100);
  // enough epochs that the run is still training when the signal lands, a few milliseconds after the first save
  const std::string base = program("semisupervised") + " --data=" + data + " --models m2" + kSmall + " --epochs 60";
  ASSERT_EQ(run_command(base + " --out=" + root + "/straight").status, 0);
  const std::string out = root + "/interrupted";
  const CommandResult r = run_command("sh -c '" + base + " --out=" + out + " & p=$!; while [ ! -f " + out +
                                      "/m2-20-seed1/checkpoint.safetensors ]; do sleep 0.01; done; kill -INT $p; wait $p; echo status $?'");
  EXPECT_NE(r.output.find("Ctrl-C: stopping once this epoch is saved"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("m2-20-seed1/checkpoint.safetensors holds epoch"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("RESUME=1 (--resume) continues the run"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("status 130"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out + "/summary.json")) << "it stopped before the end";
  const CommandResult resumed = run_command(base + " --out=" + out + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  expect_same_training_state(root + "/straight/m2-20-seed1/checkpoint.safetensors", out + "/m2-20-seed1/checkpoint.safetensors");
  EXPECT_EQ(io::read_json_file(out + "/summary.json").at("runs")[0].at("test_error"),
            io::read_json_file(root + "/straight/summary.json").at("runs")[0].at("test_error"));
}

// The anomaly study records each model's AUC in anomaly.json as it is measured. A resume without --anomaly-labels
// keeps the study (read back, nothing trained again); one with other counts trains only the new ones, whose AUCs are
// those of a run that did them all at once; one with another digit is refused before any model, naming the record.
TEST(SemisupervisedProgram, AResumeReadsTheAnomalyStudyBackAndAddsOnlyNewCounts) {
  const std::string data = fresh_temp_dir("semi-data-anomaly-resume"), out = fresh_temp_dir("semi-anomaly-resume");
  const std::string whole = fresh_temp_dir("semi-anomaly-whole");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall + " --epochs 1";
  const std::string study = " --anomaly-digit 2 --anomaly-epochs 1";
  CommandResult first = run_command(base + " --out=" + out + " --anomaly-labels 3" + study);
  ASSERT_EQ(first.status, 0) << first.output;
  const io::Json before = io::read_json_file(out + "/summary.json");
  ASSERT_TRUE(before.contains("anomaly_auc_m2_3_labels")) << before.dump();

  CommandResult kept = run_command(base + " --out=" + out + " --resume");
  ASSERT_EQ(kept.status, 0) << kept.output;
  EXPECT_EQ(kept.output.find("VAE of the normal digits"), std::string::npos) << kept.output;  // nothing trained again
  EXPECT_NE(kept.output.find("3 labelled, AUC"), std::string::npos) << kept.output;
  io::Json after = io::read_json_file(out + "/summary.json");
  for (const char* key : {"anomaly_auc_unsupervised", "anomaly_auc_m2_3_labels"}) EXPECT_EQ(after.at(key), before.at(key)) << key;
  EXPECT_EQ(after.at("anomaly_digit"), 2);
  EXPECT_EQ(after.at("anomaly_labels"), io::Json::array({3}));

  CommandResult more = run_command(base + " --out=" + out + " --resume --anomaly-labels 4" + study);
  ASSERT_EQ(more.status, 0) << more.output;
  EXPECT_EQ(more.output.find("VAE of the normal digits"), std::string::npos) << more.output;
  after = io::read_json_file(out + "/summary.json");
  EXPECT_EQ(after.at("anomaly_auc_m2_3_labels"), before.at("anomaly_auc_m2_3_labels"));
  CommandResult at_once = run_command(base + " --out=" + whole + " --anomaly-labels 3 4" + study);
  ASSERT_EQ(at_once.status, 0) << at_once.output;
  const io::Json all = io::read_json_file(whole + "/summary.json");
  for (const char* key : {"anomaly_auc_unsupervised", "anomaly_auc_m2_3_labels", "anomaly_auc_m2_4_labels"})
    EXPECT_EQ(after.at(key), all.at(key)) << key;

  const std::string record = io::read_file(out + "/anomaly.json");
  CommandResult other = run_command(base + " --out=" + out + " --resume --anomaly-labels 3 --anomaly-digit 3 --anomaly-epochs 1");
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.output.find(out + "/anomaly.json: the anomaly study was made with digit 2, but this resume has 3"),
            std::string::npos) << other.output;
  EXPECT_EQ(other.output.find("epoch 1/"), std::string::npos) << other.output;  // refused before any model
  EXPECT_EQ(io::read_file(out + "/anomaly.json"), record);

  io::write_file_atomically(out + "/anomaly.json", R"({"settings": {}, "auc_m2": [{"labels": 3, "auc": 7}]})");
  CommandResult damaged = run_command(base + " --out=" + out + " --resume");
  EXPECT_NE(damaged.status, 0);
  EXPECT_NE(damaged.output.find(out + "/anomaly.json: expected the anomaly study's record"), std::string::npos) << damaged.output;
}

// A folder from before anomaly.json existed holds the study only in summary.json: a resume without
// --anomaly-labels makes the record from the summary and keeps the study.
TEST(SemisupervisedProgram, AnAnomalyStudyFromBeforeTheRecordIsKept) {
  const std::string data = fresh_temp_dir("semi-data-anomaly-old"), out = fresh_temp_dir("semi-anomaly-old");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + " --out=" + out + kSmall + " --epochs 1";
  CommandResult first = run_command(base + " --anomaly-labels 3 --anomaly-digit 2 --anomaly-epochs 1");
  ASSERT_EQ(first.status, 0) << first.output;
  const io::Json before = io::read_json_file(out + "/summary.json");
  std::filesystem::remove(out + "/anomaly.json");
  CommandResult kept = run_command(base + " --resume");
  ASSERT_EQ(kept.status, 0) << kept.output;
  EXPECT_EQ(kept.output.find("VAE of the normal digits"), std::string::npos) << kept.output;
  const io::Json after = io::read_json_file(out + "/summary.json");
  EXPECT_EQ(after.at("anomaly_auc_m2_3_labels"), before.at("anomaly_auc_m2_3_labels"));
  EXPECT_TRUE(std::filesystem::exists(out + "/anomaly.json"));
}

// Each seed trains its own M1 (seeds are independent repeats), named by its seed, with its own result.
TEST(SemisupervisedProgram, EachSeedHasItsOwnM1) {
  const std::string data = fresh_temp_dir("semi-data-seeds"), out = fresh_temp_dir("semi-seeds");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out + kSmall + " --epochs 1 --seeds 1 2");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json m1 = io::read_json_file(out + "/summary.json").at("m1");
  ASSERT_EQ(m1.size(), 2u);
  EXPECT_EQ(m1[0].at("folder"), "m1-seed1");
  EXPECT_EQ(m1[1].at("folder"), "m1-seed2");
  EXPECT_NE(m1[0].at("test_elbo").get<double>(), m1[1].at("test_elbo").get<double>());
  EXPECT_NE(io::read_file(out + "/m1-seed1/checkpoint.safetensors"), io::read_file(out + "/m1-seed2/checkpoint.safetensors"));
}

// The sum of squares and the count of the model's parameters in a checkpoint.
std::pair<double, int64_t> parameter_squares(const std::string& checkpoint) {
  const io::SafeTensors f = io::load_safetensors(checkpoint);
  double ss = 0;
  int64_t n = 0;
  for (const auto& [name, t] : f.tensors)
    if (name.rfind("model.", 0) == 0) {
      const Tensor<float> v = io::to_float_tensor(t, checkpoint);
      for (int64_t i = 0; i < v.numel(); ++i) ss += double(v[i]) * v[i];
      n += v.numel();
    }
  return {ss, n};
}

// The authors' protocol as options: their initialisation N(0, 0.001^2) (with a learning rate too small to move
// the parameters, the checkpoint's spread is that), and their Gaussian prior on the weights (a tight one pulls
// every parameter towards 0: far smaller weights than the same run without it; with Adam, whose steps are about lr
// in size whatever the gradient, at a rate of about lr per step). Both are recorded.
TEST(SemisupervisedProgram, TheAuthorsInitialisationAndWeightPrior) {
  const std::string data = fresh_temp_dir("semi-data-protocol");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + " --models m2" + kSmall + " --epochs 2";
  const std::string init = fresh_temp_dir("semi-init"), plain = fresh_temp_dir("semi-plain"), prior = fresh_temp_dir("semi-prior");
  CommandResult r = run_command(base + " --out=" + init + " --init-std 0.001 --lr 1e-8");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto [ss, n] = parameter_squares(init + "/m2-20-seed1/checkpoint.safetensors");
  EXPECT_NEAR(std::sqrt(ss / double(n)), 0.001, 0.0002);
  EXPECT_EQ(io::read_json_file(init + "/summary.json").at("init_std").get<double>(), 0.001);
  // Adam takes steps of about lr whatever the gradient's size, so the prior's pull shows over steps of a large lr
  ASSERT_EQ(run_command(base + " --out=" + plain + " --lr 0.02").status, 0);
  r = run_command(base + " --out=" + prior + " --lr 0.02 --weight-prior-sd 0.01");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_LT(parameter_squares(prior + "/m2-20-seed1/checkpoint.safetensors").first,
            0.5 * parameter_squares(plain + "/m2-20-seed1/checkpoint.safetensors").first);
  EXPECT_EQ(io::read_json_file(prior + "/summary.json").at("weight_prior_sd").get<double>(), 0.01);
}

// The pixel M2 learns from dynamically binarised images by default (the papers' pixels; --binarize none: grey
// levels): the setting reaches summary.json and the checkpoint's identity (a resume with the other is refused),
// changes what M2 learns from (other parameters than on grey levels), and is refused before any training where no
// pixel M2 runs. A summary from before the setting was recorded ran on grey levels and reads so.
TEST(SemisupervisedProgram, ThePixelM2OnDynamicallyBinarisedImages) {
  const std::string data = fresh_temp_dir("semi-data-binary");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall;
  const std::string grey = fresh_temp_dir("semi-grey"), binary = fresh_temp_dir("semi-binary");
  ASSERT_EQ(run_command(base + " --epochs 1 --models m2 --binarize none --out=" + grey).status, 0);
  CommandResult r = run_command(base + " --epochs 1 --models m2 --out=" + binary);
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json summary = io::read_json_file(binary + "/summary.json");
  EXPECT_EQ(summary.at("binarize").get<std::string>(), "dynamic");
  EXPECT_EQ(io::read_json_file(grey + "/summary.json").at("binarize").get<std::string>(), "none");
  EXPECT_NE(parameter_squares(binary + "/m2-20-seed1/checkpoint.safetensors").first,
            parameter_squares(grey + "/m2-20-seed1/checkpoint.safetensors").first);
  CommandResult resumed = run_command(base + " --models m2 --epochs 2 --resume --binarize none --out=" + binary);
  EXPECT_NE(resumed.status, 0);
  EXPECT_NE(resumed.output.find("made with binarize=dynamic, but this run asks for binarize=none"), std::string::npos) << resumed.output;
  CommandResult m1m2 = run_command(base + " --epochs 1 --models m1m2 --binarize dynamic --out=" + fresh_temp_dir("semi-binary-m1m2"));
  EXPECT_NE(m1m2.status, 0);
  EXPECT_NE(m1m2.output.find("--binarize: applies to the pixel M2"), std::string::npos) << m1m2.output;
  EXPECT_EQ(m1m2.output.find("epoch 1/"), std::string::npos) << m1m2.output;
  io::Json older = summary;
  older.erase("binarize");
  EXPECT_EQ(read_semisupervised_settings(older, "older/summary.json").binarize, "none");
}

// Each M2 has its weighting: --weighting M1+M2's (and the anomaly study's), by default the paper's, and
// --pixel-weighting the pixel M2's, by default the balanced one (chosen on validation, docs/results.md). Each
// reaches its own model (printed with the model; its checkpoint's identity, so that a resume with the other
// weighting is refused) and summary.json. --weighting alone still names every M2's, as in the committed commands;
// --pixel-weighting where no pixel M2 runs is refused before any training. A summary from before the pixel M2 had
// its own reads the one weighting then used by every M2.
TEST(SemisupervisedProgram, EachM2HasItsOwnWeighting) {
  const std::string data = fresh_temp_dir("semi-data-weightings");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall + " --epochs 1";
  const std::string both = fresh_temp_dir("semi-weightings-both");
  CommandResult r = run_command(base + " --models both --out=" + both);  // the defaults
  ASSERT_EQ(r.status, 0) << r.output;
  const size_t m1m2_line = r.output.find("-- M1+M2, 20 labels"), m2_line = r.output.find("-- M2, 20 labels");
  ASSERT_NE(m1m2_line, std::string::npos);
  ASSERT_NE(m2_line, std::string::npos);
  EXPECT_NE(r.output.substr(m1m2_line, r.output.find('\n', m1m2_line) - m1m2_line).find("paper weighting"), std::string::npos) << r.output;
  EXPECT_NE(r.output.substr(m2_line, r.output.find('\n', m2_line) - m2_line).find("balanced weighting"), std::string::npos) << r.output;
  EXPECT_EQ(io::load_safetensors(both + "/m1m2-20-seed1/checkpoint.safetensors").metadata.at("weighting"), "paper");
  EXPECT_EQ(io::load_safetensors(both + "/m2-20-seed1/checkpoint.safetensors").metadata.at("weighting"), "balanced");
  const io::Json summary = io::read_json_file(both + "/summary.json");
  EXPECT_EQ(summary.at("weighting").get<std::string>(), "paper");
  EXPECT_EQ(summary.at("pixel_weighting").get<std::string>(), "balanced");

  CommandResult resumed = run_command(base + " --models m2 --pixel-weighting paper --resume --out=" + both);
  EXPECT_NE(resumed.status, 0);
  EXPECT_NE(resumed.output.find("made with weighting=balanced, but this run asks for weighting=paper"), std::string::npos)
      << resumed.output;
  const std::string every = fresh_temp_dir("semi-weightings-every");
  ASSERT_EQ(run_command(base + " --models both --weighting balanced --out=" + every).status, 0);
  EXPECT_EQ(io::load_safetensors(every + "/m1m2-20-seed1/checkpoint.safetensors").metadata.at("weighting"), "balanced");
  EXPECT_EQ(io::load_safetensors(every + "/m2-20-seed1/checkpoint.safetensors").metadata.at("weighting"), "balanced");
  CommandResult codes_only = run_command(base + " --models m1m2 --pixel-weighting balanced --out=" + fresh_temp_dir("semi-weightings-m1m2"));
  EXPECT_NE(codes_only.status, 0);
  EXPECT_NE(codes_only.output.find("--pixel-weighting: applies to the pixel M2"), std::string::npos) << codes_only.output;
  EXPECT_EQ(codes_only.output.find("epoch 1/"), std::string::npos) << codes_only.output;

  io::Json older = summary;
  older.erase("pixel_weighting");
  older["weighting"] = "balanced";
  const SemisupervisedSettings read = read_semisupervised_settings(older, "older/summary.json");
  EXPECT_EQ(read.weighting, "balanced");
  EXPECT_EQ(read.pixel_weighting, "balanced");
}

// The zeroed log-variance layers are the default (chosen on validation, docs/results.md) and reach summary.json and
// each M2's checkpoint identity: a resume with --zero-logvar=0 is refused by name. The authors' start (--init-std)
// stays theirs unless the zeroing is asked for; a summary from before the setting was recorded reads as without it.
TEST(SemisupervisedProgram, TheZeroedLogVarianceStartIsTheDefaultAndIsRecorded) {
  const std::string data = fresh_temp_dir("semi-data-zero-logvar"), out = fresh_temp_dir("semi-zero-logvar");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall + " --models m2";
  CommandResult r = run_command(base + " --epochs 1 --out=" + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json summary = io::read_json_file(out + "/summary.json");
  EXPECT_TRUE(summary.at("zero_logvar").get<bool>());
  CommandResult resumed = run_command(base + " --out=" + out + " --epochs 2 --resume --zero-logvar=0");
  EXPECT_NE(resumed.status, 0);
  EXPECT_NE(resumed.output.find("made with zero_logvar=yes, but this run asks for zero_logvar=no"), std::string::npos) << resumed.output;
  for (const auto& [options, zeroed] : std::vector<std::pair<std::string, bool>>{
           {" --init-std=0.001", false}, {" --init-std=0.001 --zero-logvar", true}, {" --zero-logvar=0", false}}) {
    const std::string other = fresh_temp_dir("semi-zero-logvar-other");
    r = run_command(base + " --epochs 1" + options + " --out=" + other);
    ASSERT_EQ(r.status, 0) << options << "\n" << r.output;
    EXPECT_EQ(io::read_json_file(other + "/summary.json").at("zero_logvar").get<bool>(), zeroed) << options;
  }
  io::Json older = summary;
  older.erase("zero_logvar");
  EXPECT_FALSE(read_semisupervised_settings(older, "older/summary.json").zero_logvar);
  EXPECT_TRUE(read_semisupervised_settings(summary, "summary.json").zero_logvar);
}

// The authors' Adam as an option (--adam uncorrected: adam.py's update, no bias correction or epsilon; the update
// itself is tested in test_optim.cpp): it changes what M2 learns, reaches summary.json, the report's protocol and each
// M2's checkpoint identity (a resume with the other is refused by name); a summary from before it reads as corrected.
TEST(SemisupervisedProgram, TheAuthorsAdamIsAnOptionAndIsRecorded) {
  const std::string data = fresh_temp_dir("semi-data-adam");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + kSmall + " --models m2";
  const std::string ours = fresh_temp_dir("semi-adam-corrected"), theirs = fresh_temp_dir("semi-adam-uncorrected");
  ASSERT_EQ(run_command(base + " --epochs 1 --out=" + ours).status, 0);
  CommandResult r = run_command(base + " --epochs 1 --adam uncorrected --out=" + theirs);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string checkpoint = "/m2-20-seed1/checkpoint.safetensors";
  EXPECT_NE(parameter_squares(ours + checkpoint).first, parameter_squares(theirs + checkpoint).first);
  const io::Json summary = io::read_json_file(theirs + "/summary.json");
  EXPECT_EQ(summary.at("adam"), "uncorrected");
  EXPECT_EQ(io::read_json_file(ours + "/summary.json").at("adam"), "corrected");
  for (const std::string& run : {ours, theirs}) ASSERT_EQ(run_command(program("semisupervised_report") + " --run=" + run).status, 0);
  EXPECT_NE(io::read_file(theirs + "/report.html").find("without bias correction or epsilon"), std::string::npos);
  EXPECT_EQ(io::read_file(ours + "/report.html").find("without bias correction"), std::string::npos);
  CommandResult resumed = run_command(base + " --out=" + theirs + " --epochs 2 --resume");
  EXPECT_NE(resumed.status, 0);
  EXPECT_NE(resumed.output.find("made with adam=uncorrected, but this run asks for adam=corrected"), std::string::npos) << resumed.output;
  const CommandResult bad = run_command(base + " --epochs 1 --adam=authors --out=" + fresh_temp_dir("semi-adam-bad"));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("--adam"), std::string::npos) << bad.output;
  io::Json older = summary;
  older.erase("adam");
  EXPECT_EQ(read_semisupervised_settings(older, "older/summary.json").adam, "corrected");
  EXPECT_EQ(read_semisupervised_settings(summary, "summary.json").adam, "uncorrected");
}

// The authors' M1 recipe as options: --m1-batch and --m1-lr are what M1 trains with (its optimizer took one step per
// batch of that size, and its checkpoint notes them), and the summary records them; M2's --labelled-batch is
// recorded likewise (kSmall sets it).
TEST(SemisupervisedProgram, TheM1RecipeAndTheBatchMakeUpReachTheirModels) {
  const std::string data = fresh_temp_dir("semi-data-m1");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + " --models m1m2" + kSmall + " --epochs 1";
  const auto m1_steps = [](const std::string& out) {
    const std::string path = out + "/m1-seed1/checkpoint.safetensors";
    return io::to_u64_vector(io::load_safetensors(path).tensors.at("optim.steps"), path).at(0);
  };
  const std::string plain = fresh_temp_dir("semi-m1-plain"), theirs = fresh_temp_dir("semi-m1-theirs");
  CommandResult p = run_command(base + " --out=" + plain + " --m1-batch 100");
  ASSERT_EQ(p.status, 0) << p.output;
  CommandResult r = run_command(base + " --out=" + theirs + " --m1-batch 50 --m1-lr 0.0005");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(theirs + "/summary.json");
  const int64_t n = s.at("train_images").get<int64_t>();
  EXPECT_EQ(m1_steps(plain), uint64_t((n + 99) / 100));
  EXPECT_EQ(m1_steps(theirs), uint64_t((n + 49) / 50));
  const io::SafeTensors m1 = io::load_safetensors(theirs + "/m1-seed1/checkpoint.safetensors");
  EXPECT_EQ(m1.metadata.at("note.batch"), "50");
  EXPECT_EQ(m1.metadata.at("note.lr"), "0.0005");
  EXPECT_EQ(s.at("m1_batch").get<int64_t>(), 50);
  EXPECT_EQ(s.at("m1_lr").get<double>(), 0.0005);
  EXPECT_EQ(s.at("labelled_batch").get<int64_t>(), 20);  // kSmall's
}

// The authors' M1 start and weight prior as options, as M2's above. N(0, 0.001^2) is the start: a learning rate too
// small to move the parameters leaves the checkpoint's spread at that (and the untrained M1 has no active latent
// dimension, which stops the run by name before M2). A tight prior pulls M1's parameters towards 0 (so far that
// none of its latent dimensions is active either). Both are recorded in M1's checkpoint identity and in
// summary.json: a resume without the prior is refused by name, not trained on from the other recipe's M1, and a
// summary from before they were options reads as without them.
TEST(SemisupervisedProgram, TheAuthorsM1StartAndWeightPrior) {
  const std::string data = fresh_temp_dir("semi-data-m1-protocol");
  write_tiny_mnist(data, 300, 100);
  const std::string base = program("semisupervised") + " --data=" + data + " --models m1m2" + kSmall + " --epochs 1";
  const auto m1_checkpoint = [](const std::string& out) { return out + "/m1-seed1/checkpoint.safetensors"; };
  const std::string init = fresh_temp_dir("semi-m1-init");
  CommandResult r = run_command(base + " --out=" + init + " --m1-init-std 0.001 --m1-lr 1e-8");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("M1: no latent dimension is active"), std::string::npos) << r.output;
  const auto [ss, n] = parameter_squares(m1_checkpoint(init));
  EXPECT_NEAR(std::sqrt(ss / double(n)), 0.001, 0.0002);
  EXPECT_EQ(io::load_safetensors(m1_checkpoint(init)).metadata.at("init_std"), "0.001");

  const std::string steps = " --m1-batch 25 --m1-lr 0.02";  // 10 steps
  const std::string plain = fresh_temp_dir("semi-m1-plain-prior"), tight = fresh_temp_dir("semi-m1-tight-prior");
  ASSERT_EQ(run_command(base + steps + " --out=" + plain).status, 0);
  r = run_command(base + steps + " --out=" + tight + " --m1-weight-prior-sd 0.01");
  EXPECT_NE(r.output.find("M1: no latent dimension is active"), std::string::npos) << r.output;
  EXPECT_LT(parameter_squares(m1_checkpoint(tight)).first, 0.5 * parameter_squares(m1_checkpoint(plain)).first);

  const std::string loose = fresh_temp_dir("semi-m1-loose-prior");
  r = run_command(base + steps + " --out=" + loose + " --m1-weight-prior-sd 100");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(io::load_safetensors(m1_checkpoint(loose)).metadata.at("weight_prior_sd"), "100");
  const io::Json summary = io::read_json_file(loose + "/summary.json");
  EXPECT_EQ(summary.at("m1_weight_prior_sd").get<double>(), 100);
  EXPECT_EQ(summary.at("m1_init_std").get<double>(), 0);
  CommandResult resumed = run_command(base + steps + " --out=" + loose + " --resume");
  EXPECT_NE(resumed.status, 0);
  EXPECT_NE(resumed.output.find("made with weight_prior_sd=100, but this run asks for weight_prior_sd=0"), std::string::npos)
      << resumed.output;
  io::Json older = summary;
  older.erase("m1_init_std");
  older.erase("m1_weight_prior_sd");
  const SemisupervisedSettings read = read_semisupervised_settings(older, "older/summary.json");
  EXPECT_EQ(read.m1_init_std, 0);
  EXPECT_EQ(read.m1_weight_prior_sd, 0);
  EXPECT_EQ(read_semisupervised_settings(summary, "summary.json").m1_weight_prior_sd, 100);
}

// More labelled anomalies than the training split holds is refused before any training, naming the option and
// the counts (it used to be skipped without a word after the other models had trained).
TEST(SemisupervisedProgram, AnAnomalyLabelCountTheDataCannotGiveIsRefusedFirst) {
  const std::string data = fresh_temp_dir("semi-data-anomaly");
  write_tiny_mnist(data, 300, 100);  // 25 images per digit after the validation split
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + fresh_temp_dir("semi-anomaly-run") + kSmall +
                                " --epochs 1 --anomaly-labels 3 500 --anomaly-digit 2");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--anomaly-labels 500: the training split has 25 images of digit 2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 1/"), std::string::npos) << r.output;
}

// Every model's class-conditional samples are drawn, each label count's and each seed's: a model that came to use
// one class for two digits shows it only in its own samples (the report used to draw the first of each kind).
TEST(SemisupervisedProgram, TheReportDrawsEveryModelsSamples) {
  const std::string data = fresh_temp_dir("semi-data-samples"), out = fresh_temp_dir("semi-samples-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out +
                                " --models m2 --labels 20 30 --seeds 1 2 --epochs 1 --latent 4 --hidden 16 --batch 64"
                                " --labelled-batch 20 --baseline-epochs 1 --threads 1");
  ASSERT_EQ(r.status, 0) << r.output;
  CommandResult rep = run_command(program("semisupervised_report") + " --run=" + out);
  ASSERT_EQ(rep.status, 0) << rep.output;
  const std::string html = io::read_file(out + "/report.html");
  for (const char* name : {"m2-20-seed1", "m2-30-seed1", "m2-20-seed2", "m2-30-seed2"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + name + "_samples.png")) << name;
    EXPECT_NE(html.find(std::string(name) + "_samples.png"), std::string::npos) << name;
  }
  // a run of the pixel M2 alone: its protocol describes no M1, which it never trained
  EXPECT_EQ(html.find("M1 is a VAE"), std::string::npos);
  EXPECT_NE(html.find("The pixel M2 (Bernoulli likelihood"), std::string::npos);
  // A run folder from before the confusion counts were recorded: the report says so for that model.
  io::Json s = io::read_json_file(out + "/summary.json");
  s["runs"][1].erase("last_epoch_test_confusion");
  io::write_file_atomically(out + "/summary.json", s.dump(1));
  CommandResult older = run_command(program("semisupervised_report") + " --run=" + out);
  ASSERT_EQ(older.status, 0) << older.output;
  EXPECT_NE(io::read_file(out + "/report.html").find("not recorded (a run from before the confusion counts)"), std::string::npos);
}

TEST(SemisupervisedProgram, UnevenLabelCountIsRefused) {
  const std::string data = fresh_temp_dir("semi-data-2");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --labels 25 --epochs 1 --threads 1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("25 labels cannot be split evenly over 10 classes"), std::string::npos) << r.output;
}

// Valid data the paper's setup never meets: non-square images, and a class too rare for the label count
// (refused before any training, naming the labels file). Run under the sanitizers by `make sanitize`.
TEST(SemisupervisedProgram, NonSquareImagesAndARareClass) {
  for (const auto& [h, w] : {std::pair{20, 28}, std::pair{28, 20}}) {
    const std::string data = fresh_temp_dir("semi-odd-data"), out = fresh_temp_dir("semi-odd-run");
    write_tiny_mnist(data, 300, 60, 1, h, w);
    CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out + " --models both" + kSmall +
                                  " --epochs 1 --anomaly-labels 3 --anomaly-digit 2 --anomaly-epochs 1");
    ASSERT_EQ(r.status, 0) << h << "x" << w << ": " << r.output;
    CommandResult rep = run_command(program("semisupervised_report") + " --run=" + out);
    ASSERT_EQ(rep.status, 0) << h << "x" << w << ": " << rep.output;
    EXPECT_TRUE(std::filesystem::exists(out + "/m2-20-seed1_samples.png"));
  }
  const std::string data = fresh_temp_dir("semi-rare-data");
  write_tiny_mnist(data, 300, 60);  // 25 training images per class after the validation split
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --labels 300 --epochs 1 --threads 1 --out=" +
                                fresh_temp_dir("semi-rare-run"));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("train-labels-idx1-ubyte: class 0 has 25 training images, but --labels 300 needs 30 of each class"),
            std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 1/1"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace tg::test
