// test_training_state.cpp: the state a run resumes from (nn/training_state.h) and the folder it lives in
// (io/run_folder.h). A saved state restores parameters, optimizer, RNG and history exactly; every way a state
// file can be incomplete or wrong (a missing tensor, a NaN weight, an all-zero RNG, another run's settings,
// ragged history) is refused naming the file and the tensor; a folder holding a run, or held by another run,
// is refused before anything is written. The epoch loop (nn/fit.h) saves after every epoch, starts a resumed run
// after the epochs it holds, and refuses an epoch whose values do not match the history's series.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "io/atomic_file.h"
#include "io/run_folder.h"
#include "nn/fit.h"
#include "nn/mlp.h"
#include "nn/training_state.h"
#include "optim/optimizer.h"
#include "tests/programs.h"

namespace tg {
namespace {

namespace fs = std::filesystem;

// A small model with its optimizer, RNG and history, as a program holds them.
struct TrainingRun {
  Rng init{3};
  nn::Mlp<float> model{{3, 4, 2}, nn::Activation::Relu, init};
  Parameters<float> params = model.parameters();
  optim::Adam adam{params, 0.01f};
  Rng rng{5};
  nn::History history{{"loss", {}}, {"seconds", {}}};
  nn::TrainingState state() { return {params, adam, rng, history, {{"seed", "5"}, {"data", "abc"}}, {{"lr", "0.01"}}}; }
  void step() {  // one Adam step on a made-up loss, so the optimizer's moments are not zero
    Tape<float> tape;
    Var<float> x(Tensor<float>::from(Shape{2, 3}, {1, 2, 3, -1, 0.5f, 2}));
    Var<float> loss = sum(square(model(x)));
    adam.zero_grad();
    tape.backward(loss);
    adam.step();
    history["loss"].push_back(loss.value().item());
    history["seconds"].push_back(0.25);
    rng.next_u64();
  }
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Saves a, edits the file with `edit`, and returns what loading it into a fresh Run says.
std::string load_edited(const std::function<void(io::SafeTensors&)>& edit, std::map<std::string, std::string> identity = {}) {
  const std::string path = test::fresh_temp_dir("state-edit") + "/checkpoint.safetensors";
  TrainingRun a;
  a.step();
  nn::save_training_state(path, a.state());
  io::SafeTensors f = io::load_safetensors(path);
  edit(f);
  io::save_safetensors(path, f);
  TrainingRun b;
  nn::TrainingState s = b.state();
  if (!identity.empty()) s.identity = identity;
  return message_of([&] { nn::load_training_state(path, s); });
}

TEST(TrainingState, RoundTripRestoresEverythingExactly) {
  const std::string path = test::fresh_temp_dir("state") + "/checkpoint.safetensors";
  TrainingRun a;
  a.step();
  a.step();
  nn::save_training_state(path, a.state());
  TrainingRun b;
  const auto notes = nn::load_training_state(path, b.state());
  EXPECT_EQ(notes.at("lr"), "0.01");
  EXPECT_EQ(b.history, a.history);
  EXPECT_EQ(nn::epochs_done(b.history), 2u);
  EXPECT_EQ(b.rng.state(), a.rng.state());
  EXPECT_EQ(b.adam.steps(), 2);
  for (size_t i = 0; i < a.params.size(); ++i)
    EXPECT_EQ(b.params[i].var.value().to_vector(), a.params[i].var.value().to_vector()) << a.params[i].name;
  a.step();  // and the next step is the same step: the moments came back too
  b.step();
  for (size_t i = 0; i < a.params.size(); ++i)
    EXPECT_EQ(b.params[i].var.value().to_vector(), a.params[i].var.value().to_vector()) << a.params[i].name;
}

TEST(TrainingState, EveryMissingTensorIsNamed) {
  TrainingRun r;
  r.step();
  const std::string path = test::fresh_temp_dir("state-names") + "/c.safetensors";
  nn::save_training_state(path, r.state());
  const io::SafeTensors f = io::load_safetensors(path);
  ASSERT_GT(f.tensors.size(), 8u);
  for (const auto& [name, t] : f.tensors) {
    const std::string m = load_edited([&](io::SafeTensors& g) { g.tensors.erase(name); });
    EXPECT_NE(m.find("checkpoint.safetensors"), std::string::npos) << name << ": " << m;
    EXPECT_NE(m.find(name), std::string::npos) << name << ": " << m;
    EXPECT_EQ(m.find("map::at"), std::string::npos) << m;
  }
}

TEST(TrainingState, BadValuesAreRefusedByName) {
  const float nan = NAN, inf = INFINITY;
  EXPECT_NE(load_edited([&](io::SafeTensors& f) { std::memcpy(f.tensors.at("model.0.weight").bytes.data(), &nan, 4); })
                .find("model.0.weight holds a non-finite value at element 0"), std::string::npos);
  EXPECT_NE(load_edited([&](io::SafeTensors& f) { std::memcpy(f.tensors.at("optim.v.1.bias").bytes.data(), &inf, 4); })
                .find("optim.v.1.bias holds a non-finite value"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.tensors.at("rng") = io::to_safetensor_u64({0, 0, 0, 0, 0, 0}); })
                .find("rng state: the generator's four words are all zero"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.tensors.at("rng") = io::to_safetensor_u64({1, 2, 3}); })
                .find("rng has 3 values, expected 6"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.tensors.at("history.loss").bytes.resize(0), f.tensors.at("history.loss").shape = {0}; })
                .find("history.seconds has 1 epochs, other series 0"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.tensors.at("model.0.bias") = io::to_safetensor(Tensor<float>::zeros(Shape{1, 7})); })
                .find("model.0.bias is [1, 7], expected [1, 4]"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.metadata["format"] = "something-else"; })
                .find("format is something-else, expected tapegrad-training-state-1"), std::string::npos);
  EXPECT_NE(load_edited([](io::SafeTensors& f) { f.metadata["epoch"] = "7"; })
                .find("metadata says epoch 7, but the history holds 1"), std::string::npos);
}

TEST(TrainingState, AnotherRunsStateIsRefusedNamingTheSetting) {
  const std::string m = load_edited([](io::SafeTensors&) {}, {{"seed", "5"}, {"data", "def"}});
  EXPECT_NE(m.find("made with data=abc, but this run asks for data=def"), std::string::npos) << m;
}

// A setting added to the identity after checkpoints were first written: a checkpoint without it was made with its
// default, so it resumes when this run asks for the default and is refused, naming the setting, when it asks for
// something else; a setting with no default that the checkpoint lacks is refused as missing.
TEST(TrainingState, AnOlderCheckpointWasMadeWithTheDefaultOfASettingAddedLater) {
  auto load_asking = [](const std::map<std::string, std::string>& identity) {
    const std::string path = test::fresh_temp_dir("state-older") + "/checkpoint.safetensors";
    TrainingRun a;
    a.step();
    nn::save_training_state(path, a.state());  // written before "warmup" was part of the identity
    TrainingRun b;
    nn::TrainingState s = b.state();
    s.identity = identity;
    s.identity_defaults = {{"warmup", "0"}};
    return message_of([&] { nn::load_training_state(path, s); });
  };
  EXPECT_EQ(load_asking({{"seed", "5"}, {"data", "abc"}, {"warmup", "0"}}), "");
  EXPECT_NE(load_asking({{"seed", "5"}, {"data", "abc"}, {"warmup", "10"}}).find("made with warmup=0, but this run asks for warmup=10"),
            std::string::npos);
  EXPECT_NE(load_asking({{"seed", "5"}, {"data", "abc"}, {"other", "1"}}).find("made with other=(missing)"), std::string::npos);
}

TEST(RunFolder, AFolderHoldingARunIsNeverStartedOverSilently) {
  const std::string dir = test::fresh_temp_dir("run-folder");
  { io::RunFolder fresh(dir, "checkpoint.safetensors", false); }  // an empty folder: fine
  TrainingRun r;
  r.step();
  nn::save_training_state(dir + "/checkpoint.safetensors", r.state());
  const std::string before = io::read_file(dir + "/checkpoint.safetensors");
  const std::string m = message_of([&] { io::RunFolder again(dir, "checkpoint.safetensors", false); });
  EXPECT_NE(m.find(dir + " holds a run (checkpoint.safetensors, epoch 1): RESUME=1 (--resume) continues it"), std::string::npos) << m;
  EXPECT_EQ(io::read_file(dir + "/checkpoint.safetensors"), before);
  EXPECT_EQ(message_of([&] { io::RunFolder resume(dir, "checkpoint.safetensors", true); }), "");
}

TEST(RunFolder, OneRunAtATime) {
  const std::string dir = test::fresh_temp_dir("run-folder-lock");
  io::RunFolder first(dir, "checkpoint.safetensors", false);
  // The second holder is another process, as a second `make experiment` would be (flock is per open file).
  const test::CommandResult r = test::run_command("flock --nonblock --conflict-exit-code 9 " + dir + "/.lock true");
  EXPECT_EQ(r.status, 9) << r.output;
  const std::string m = message_of([&] { io::RunFolder second(dir, "checkpoint.safetensors", true); });
  EXPECT_NE(m.find("run folder " + dir + " is in use by another run (pid " + std::to_string(::getpid()) + ")"), std::string::npos) << m;
}

TEST(RunFolder, AnUnwritableOrBlockedPathFailsAtOnce) {
  const std::string dir = test::fresh_temp_dir("run-folder-blocked");
  io::write_file_atomically(dir + "/file", "x");
  const std::string m = message_of([&] { io::RunFolder r(dir + "/file/run", "checkpoint.safetensors", false); });
  EXPECT_NE(m.find("run folder " + dir + "/file/run: cannot create the folder"), std::string::npos) << m;
  EXPECT_NE(message_of([&] { io::require_writable_folder(dir + "/file", "--cache"); }).find("--cache " + dir + "/file"), std::string::npos);
}

// fit runs the epochs the history lacks, saving each: three epochs, stopped after the second by an exception from
// after_save (as Ctrl-C stops a program: io::stop_here_if_requested throws there); loaded back, the state holds two,
// and fit on it runs only the third; an epoch that forgets a series is refused.
TEST(Fit, SavesEachEpochStopsWhenAskedAndResumesAfterTheSavedOnes) {
  const std::string path = test::fresh_temp_dir("fit") + "/checkpoint.safetensors";
  io::Progress progress(3, 1);
  std::vector<int> ran;
  const auto epoch = [&](TrainingRun& r) {
    return [&](int e) -> nn::EpochValues {
      ran.push_back(e);
      r.step();  // pushes its own values: take them back out, fit appends what we return
      r.history["loss"].pop_back(), r.history["seconds"].pop_back();
      return {{"loss", 10.0 * e}, {"seconds", 0.5}};
    };
  };
  TrainingRun a;
  std::vector<int> saved;
  const auto stop_after_second = [&](int e) {
    saved.push_back(e);
    if (e == 2) throw std::runtime_error("stopped");
  };
  EXPECT_EQ(message_of([&] { nn::fit(3, a.state(), path, progress, epoch(a), stop_after_second); }), "stopped");
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_EQ(saved, (std::vector<int>{1, 2}));
  TrainingRun b;
  nn::load_training_state(path, b.state());
  EXPECT_EQ(b.history["loss"], (std::vector<double>{10, 20}));
  ran.clear();
  nn::fit(3, b.state(), path, progress, epoch(b));
  EXPECT_EQ(ran, (std::vector<int>{3}));
  EXPECT_EQ(b.history["loss"], (std::vector<double>{10, 20, 30}));
  nn::fit(3, b.state(), path, progress, epoch(b));  // nothing left to run
  EXPECT_EQ(ran, (std::vector<int>{3}));
  TrainingRun c;
  const std::string missing = message_of([&] { nn::fit(1, c.state(), path + ".c", progress, [](int) { return nn::EpochValues{{"loss", 1}}; }); });
  EXPECT_NE(missing.find("gave 1 values for a history of 2 series"), std::string::npos) << missing;
  const std::string unknown = message_of([&] {
    nn::fit(1, c.state(), path + ".c", progress, [](int) { return nn::EpochValues{{"loss", 1}, {"secs", 2}}; });
  });
  EXPECT_NE(unknown.find("'secs', which is no series"), std::string::npos) << unknown;
  EXPECT_FALSE(fs::exists(path + ".c"));  // refused before saving
}

}  // namespace
}  // namespace tg
