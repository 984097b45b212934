// test_vae_program.cpp: experiments/vae as a user runs it, on a tiny dataset — the run folder's files, an
// interrupted-and-resumed run that ends bit-identical to an uninterrupted one, a NaN that stops the run
// but keeps the last good checkpoint, and bad options that fail with a message naming them.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/json.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "tests/programs.h"
#include "viz/image.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

class VaeProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = fresh_temp_dir("vae-data");
    write_tiny_mnist(data_, 120, 120);
  }
  std::string vae(const std::string& args) const {
    const std::string batch = args.find("--batch") == std::string::npos ? " --batch=32" : "";
    return program("vae") + " --data=" + data_ + batch + " --latent=2 --hidden=16 --iw-samples=5 --threads=1 " + args;
  }
  static std::string data_;
};
std::string VaeProgram::data_;

TEST_F(VaeProgram, WritesTheWholeRunFolder) {
  const std::string out = fresh_temp_dir("vae-run");
  CommandResult r = run_command(vae("--epochs=2 --out=" + out + " --cache=" + out + "/cache"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("epoch 2/2"), std::string::npos) << r.output;
  for (const char* f : {"summary.json", "scores.csv", "report.html", "curves.svg", "samples.png", "reconstructions.png",
                        "ranked_global.png", "ranked_conditional.png", "tsne_latent.svg", "tsne_original.svg",
                        "latent_z1_z2.svg", "checkpoint.safetensors"})
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  const io::JsonValue s = io::parse_json(io::read_file(out + "/summary.json"), "summary.json");
  for (const char* key : {"latent", "hidden", "epochs", "batch", "seed", "threads", "dataset", "dataset_sha256", "test_elbo",
                          "test_log_px", "iw_samples", "train_seconds", "seconds_per_epoch"})
    EXPECT_TRUE(s.object().count(key)) << key;
  EXPECT_EQ(s.object().at("latent").number(), 2);
  EXPECT_LT(s.object().at("test_elbo").number(), 0);
  EXPECT_EQ(viz::read_png(out + "/samples.png").width > 0, true);
  EXPECT_NE(io::read_file(out + "/report.html").find("ranked_global.png"), std::string::npos);
  // scores.csv: a header and one row per test image
  const std::string csv = io::read_file(out + "/scores.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 121);
}

TEST_F(VaeProgram, InterruptedAndResumedRunEndsWithTheSameParameters) {
  const std::string straight = fresh_temp_dir("vae-straight"), resumed = fresh_temp_dir("vae-resumed");
  const std::string common = " --tsne=0 --binarize=dynamic";
  ASSERT_EQ(run_command(vae("--epochs=3 --out=" + straight + common)).status, 0);
  ASSERT_EQ(run_command(vae("--epochs=1 --out=" + resumed + common)).status, 0);  // "interrupted" after epoch 1
  CommandResult r = run_command(vae("--epochs=3 --resume --out=" + resumed + common));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resuming from"), std::string::npos) << r.output;
  const io::SafeTensors a = io::load_safetensors(straight + "/checkpoint.safetensors");
  const io::SafeTensors b = io::load_safetensors(resumed + "/checkpoint.safetensors");
  int compared = 0;
  for (const auto& [name, t] : a.tensors) {
    if (name.rfind("history.seconds", 0) == 0) continue;  // wall-clock times differ, nothing else may
    ASSERT_TRUE(b.tensors.count(name)) << name;
    EXPECT_EQ(t.bytes, b.tensors.at(name).bytes) << name;
    ++compared;
  }
  EXPECT_GT(compared, 10);
  EXPECT_EQ(io::read_file(straight + "/scores.csv"), io::read_file(resumed + "/scores.csv"));
}

TEST_F(VaeProgram, ResumingWithOtherSettingsIsRefused) {
  const std::string out = fresh_temp_dir("vae-mismatch");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  CommandResult r = run_command(vae("--epochs=2 --tsne=0 --resume --seed=7 --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("made with seed=1, but this run asks for seed=7"), std::string::npos) << r.output;
}

TEST_F(VaeProgram, NonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint) {
  const std::string out = fresh_temp_dir("vae-nan");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  const std::string before = io::read_file(out + "/checkpoint.safetensors");
  // Resume with an absurd learning rate: the first step of epoch 2 blows the weights up.
  CommandResult r = run_command(vae("--epochs=3 --resume --lr=1e30 --tsne=0 --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("continuing with lr 1e+30"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("non-finite"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("epoch 2"), std::string::npos) << r.output;
  EXPECT_EQ(io::read_file(out + "/checkpoint.safetensors"), before);
}

TEST_F(VaeProgram, BadOptionsAndMissingDataAreExplained) {
  CommandResult r = run_command(program("vae") + " --data=" + data_ + " --latent=abc");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--latent"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("abc"), std::string::npos) << r.output;
  r = run_command(program("vae") + " --data=" + data_ + " --binarize=sometimes");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--binarize"), std::string::npos) << r.output;
  r = run_command(program("vae") + " --data=/nonexistent-mnist --epochs=1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("data folder /nonexistent-mnist does not exist"), std::string::npos) << r.output;
}

TEST(ClassifierProgram, TrainsAndWritesItsSummary) {
  const std::string data = fresh_temp_dir("mlp-data"), out = fresh_temp_dir("mlp-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("mnist_mlp") + " --data=" + data + " --out=" + out + " --epochs=3 --hidden=32 --threads=1");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::JsonValue s = io::parse_json(io::read_file(out + "/summary.json"), "summary.json");
  EXPECT_GT(s.object().at("test_accuracy").number(), 0.9);  // the tiny classes are easy: bars at distinct places
}

}  // namespace
}  // namespace tg::test
