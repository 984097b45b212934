// test_crash.cpp: crash-consistency, tested the way SQLite and LMDB test theirs. A tiny run of the vae program is
// killed with SIGKILL at random instants (during an epoch, while a checkpoint is being written, during the test
// set's evaluation, while summary.json is written), then resumed with --resume; every resumed run must end
// byte-identical to one that was never interrupted: the checkpoint's tensors, scores.csv, the latent means, and
// history.csv but for its column of wall-clock times. `make test` does a handful of kills; `make crash-test` does a
// hundred (TG_CRASH_KILLS=100).
// A failed write is the other half: with a file-size limit (ulimit -f) the checkpoint's write fails midway, and
// the previous checkpoint must survive intact, with an error that names the file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// Everything a finished run wrote that must not depend on interruptions, part by part (each checkpoint tensor,
// scores.csv, the latent means, and history.csv but for its column of wall-clock times).
using Fingerprint = std::map<std::string, std::string>;
Fingerprint run_fingerprint(const std::string& out) {
  Fingerprint print;
  const io::SafeTensors f = io::load_safetensors(out + "/checkpoint.safetensors");
  for (const auto& [name, t] : f.tensors)
    if (name.rfind("history.seconds", 0) != 0) print["checkpoint.safetensors: " + name] = std::string(t.bytes.begin(), t.bytes.end());
  print["scores.csv"] = io::read_file(out + "/scores.csv");
  print["latent_means.safetensors"] = io::read_file(out + "/latent_means.safetensors");
  std::istringstream history(io::read_file(out + "/history.csv"));
  for (std::string line; std::getline(history, line);) print["history.csv"] += line.substr(0, line.rfind(',')) + "\n";
  return print;
}

// The parts in which two runs differ, by name ("" when none): a failure names them instead of printing the bytes.
std::string differing_parts(const Fingerprint& a, const Fingerprint& b) {
  std::string parts;
  for (const auto& [name, bytes] : a)
    if (!b.count(name) || b.at(name) != bytes) parts += name + "; ";
  for (const auto& [name, bytes] : b)
    if (!a.count(name)) parts += name + " (only in the second); ";
  return parts;
}

class CrashConsistency : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = fresh_temp_dir("crash-data");
    write_tiny_mnist(data_, 600, 300);
  }
  static std::string vae(const std::string& out, int epochs = 6) {
    return program("vae") + " --data=" + data_ + " --latent=2 --hidden=32 --batch=32 --epochs=" + std::to_string(epochs) +
           " --iw-samples=40 --threads=1 --tsne=0 --out=" + out;
  }
  static std::string data_;
};
std::string CrashConsistency::data_;

TEST_F(CrashConsistency, RunsKilledAtRandomInstantsResumeToTheSameBytes) {
  const std::string root = fresh_temp_dir("crash");
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_command(vae(root + "/straight")).status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Fingerprint expected = run_fingerprint(root + "/straight");
  const char* env = std::getenv("TG_CRASH_KILLS");
  const int kills = env ? std::atoi(env) : 5;
  std::mt19937 gen(12345);
  std::uniform_real_distribution<double> when(0.02, 1.0);
  int killed_mid_run = 0;
  for (int i = 0; i < kills; ++i) {
    const std::string out = root + "/killed" + std::to_string(i);
    // Kill it once or twice (a kill while resuming, too), then let it finish.
    const int times = 1 + i % 2;
    for (int k = 0; k < times; ++k) {
      const double at = when(gen) * seconds;
      const std::string resume = k > 0 ? " --resume" : "";
      const CommandResult r = run_command("sh -c '" + vae(out) + resume + " > /dev/null 2>&1 & p=$!; sleep " + std::to_string(at) +
                                          "; kill -9 $p 2>/dev/null && echo killed; wait $p; true'");
      if (r.output.find("killed") != std::string::npos && !fs::exists(out + "/summary.json")) ++killed_mid_run;
    }
    const CommandResult r = run_command(vae(out) + " --resume");
    ASSERT_EQ(r.status, 0) << "kill " << i << ": the resume failed\n" << r.output;
    EXPECT_EQ(differing_parts(run_fingerprint(out), expected), "") << "kill " << i << ": the resumed run differs from the uninterrupted one";
  }
  // The kills must have landed inside runs, not only after them, or the test proves nothing.
  EXPECT_GE(killed_mid_run, kills / 2) << "of " << kills << " runs, " << killed_mid_run << " were killed before they finished";
}

// A checkpoint write that fails midway (the file-size limit stands in for a full disk) leaves the previous
// checkpoint intact, names the file, and the run resumes from that checkpoint once there is room again.
TEST_F(CrashConsistency, AFailedCheckpointWriteKeepsThePreviousOne) {
  const std::string out = fresh_temp_dir("crash-full");
  ASSERT_EQ(run_command(program("vae") + " --data=" + data_ + " --latent=2 --hidden=32 --batch=32 --epochs=1 --iw-samples=0 --threads=1 --tsne=0 --out=" + out).status, 0);
  const std::string before = io::read_file(out + "/checkpoint.safetensors");
  // A limit of 16 KB (ulimit -f counts 1024-byte blocks) is smaller than the checkpoint: its next write fails.
  ASSERT_GT(before.size(), 16u * 1024);
  const CommandResult r = run_command("sh -c 'ulimit -f 16; " + vae(out) + " --resume'");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("checkpoint.safetensors"), std::string::npos) << r.output;
  EXPECT_EQ(io::read_file(out + "/checkpoint.safetensors"), before) << "the previous checkpoint was damaged";
  for (const auto& e : fs::directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "a half-written file was left: " << e.path();
  const CommandResult resumed = run_command(vae(out) + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("after epoch 1"), std::string::npos) << resumed.output;
}

// The run folder turns read-only while the run trains: once a checkpoint is saved, a read-only tmpfs is mounted over
// the folder (this needs root, as the machines that run make test have), so the next checkpoint write fails, at its
// start or at its rename, whichever the mount meets. The error names the checkpoint and the cause and the run stops;
// when the mount goes, the folder holds the last checkpoint saved before it, and the resumed run ends byte for byte
// like one never interrupted. The run is held (SIGSTOP) while the mount is made: an epoch of this tiny run takes a
// few milliseconds, about as long as a mount, and a run let go on finished its training before the mount landed.
TEST_F(CrashConsistency, AFolderTurningReadOnlyMidRunStopsTheRunNamingTheFile) {
  const std::string root = fresh_temp_dir("crash-readonly"), out = root + "/run";
  const int epochs = 60;  // enough that the run is still training when it is held, a few epochs after its first save
  ASSERT_EQ(run_command(vae(root + "/straight", epochs)).status, 0);
  const CommandResult r = run_command("sh -c '" + vae(out, epochs) + " > " + root + "/log 2>&1 & p=$!; while [ ! -f " + out +
                                      "/checkpoint.safetensors ] && kill -0 $p 2>/dev/null; do sleep 0.002; done; kill -STOP $p; " +
                                      "mount -t tmpfs -o ro,size=1m tmpfs " + out + " && echo mounted; kill -CONT $p; wait $p; echo status $?'");
  ASSERT_NE(r.output.find("mounted"), std::string::npos) << "this test mounts a tmpfs, which needs root: " << r.output;
  EXPECT_EQ(run_command("umount " + out).status, 0);
  const std::string log = io::read_file(root + "/log");
  EXPECT_EQ(r.output.find("status 0"), std::string::npos) << r.output << log;
  EXPECT_NE(log.find("checkpoint.safetensors: could not be written"), std::string::npos) << log;
  EXPECT_NE(log.find("Read-only file system"), std::string::npos) << log;
  const CommandResult resumed = run_command(vae(out, epochs) + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming from"), std::string::npos) << resumed.output;
  EXPECT_EQ(differing_parts(run_fingerprint(out), run_fingerprint(root + "/straight")), "");
}

// Ctrl-C (SIGINT) during training stops after the epoch in progress is saved, says how to resume, and exits 130;
// the resumed run ends like an uninterrupted one.
TEST_F(CrashConsistency, CtrlCStopsAtTheNextSavedEpochAndSaysHowToResume) {
  const std::string root = fresh_temp_dir("ctrl-c");
  ASSERT_EQ(run_command(vae(root + "/straight")).status, 0);
  const std::string out = root + "/interrupted";
  const CommandResult r = run_command("sh -c '" + vae(out) + " & p=$!; while [ ! -f " + out +
                                      "/checkpoint.safetensors ]; do sleep 0.01; done; kill -INT $p; wait $p; echo status $?'");
  EXPECT_NE(r.output.find("Ctrl-C: stopping once this epoch is saved"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("RESUME=1 (--resume) continues the run"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("status 130"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out + "/summary.json")) << "it stopped before the end";
  ASSERT_EQ(run_command(vae(out) + " --resume").status, 0);
  EXPECT_EQ(differing_parts(run_fingerprint(out), run_fingerprint(root + "/straight")), "");
}

}  // namespace
}  // namespace tg::test
