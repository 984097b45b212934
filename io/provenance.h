// provenance.h: where a run's numbers came from, recorded by the run itself so that a results folder is a copy,
// not a transcription. Every time a program works on a run folder it is one Invocation: its whole command line
// (and the make command that started it, when make did), the commit it was built from, when it started, its
// threads and the machine's cores, the BLAS kernels it ran on, and the epochs it took the run from and to. A resumed run holds one
// Invocation per start, in order, inside its checkpoint (so the list is saved atomically with the model it
// describes) and in summary.json under "provenance".
// Read next: ../experiments/vae.cpp (run() records one), ../results/README.md (what is done with them).
#pragma once
#include <string>
#include <vector>

#include "io/json.h"

namespace tg::io {

struct Invocation {
  std::string command;       // the program's argv, quoted for a POSIX shell: what reruns it exactly
  std::string make_command;  // the make command that ran it (the Makefile sets TG_MAKE_COMMAND), or ""
  std::string commit;        // the source's git commit at build time, "+dirty" if files differed from it
  std::string started;       // UTC, ISO 8601
  int threads = 0;           // --threads
  int cores = 0;             // the machine's logical cores
  // OpenBLAS's build and the kernels it chose for this CPU (or OPENBLAS_CORETYPE forced): the same seed and threads
  // repeat a run exactly on the same kernels, and AVX-512 ones round differently from AVX2 ones. "" in a record
  // from before it was kept.
  std::string blas;
  int64_t from_epoch = 0;    // epochs the run held when this invocation started
  int64_t to_epoch = 0;      // epochs it held when this invocation last saved
  double seconds = 0;        // wall-clock time of this invocation so far
};
// JSON both ways, field by field (Debian's nlohmann 3.11.2 macros serve only nlohmann::json, not our ordered_json).
// Reading a field that is missing or of another type throws nlohmann's error, naming the field.
template <typename J>
void to_json(J& j, const Invocation& v) {
  j = J{{"command", v.command}, {"make_command", v.make_command}, {"commit", v.commit}, {"started", v.started},
        {"threads", v.threads}, {"cores", v.cores}, {"blas", v.blas}, {"from_epoch", v.from_epoch}, {"to_epoch", v.to_epoch},
        {"seconds", v.seconds}};
}
template <typename J>
void from_json(const J& j, Invocation& v) {
  j.at("command").get_to(v.command), j.at("make_command").get_to(v.make_command), j.at("commit").get_to(v.commit);
  j.at("started").get_to(v.started), j.at("threads").get_to(v.threads), j.at("cores").get_to(v.cores);
  j.at("from_epoch").get_to(v.from_epoch), j.at("to_epoch").get_to(v.to_epoch), j.at("seconds").get_to(v.seconds);
  if (j.contains("blas")) j.at("blas").get_to(v.blas);
}

/// The commit this binary was built from ("unknown" outside a git checkout).
std::string build_commit();

/// This process's invocation, started now: argv quoted, TG_MAKE_COMMAND read, the clock started.
Invocation start_invocation(int argc, char** argv, int threads, int64_t from_epoch);

/// The invocations of a run: the earlier ones (from its checkpoint's JSON note, "" for a new run) then `now`.
/// Throws naming `where` if the note is not a list of invocations.
std::vector<Invocation> invocations_with(const std::string& earlier_json, const Invocation& now, const std::string& where);

/// summary.json's "provenance": the invocations, how many times the run was resumed, and the newest commit.
/// `complete` = false says that earlier invocations made part of the run but were not recorded (a program that
/// resumes without keeping them); make collect refuses such a run.
Json provenance_json(const std::vector<Invocation>& invocations, bool complete = true);

/// The argv of this process and when it started, kept by io::run_program before it parses the options.
struct CommandLine {
  int argc = 0;
  char** argv = nullptr;
  double started = 0;  // steady clock, seconds
};
CommandLine& command_line();

/// For a program whose run is one process: this invocation, its seconds so far, as summary.json's "provenance".
Json provenance_of_this_process(int threads, bool resumed = false);

}  // namespace tg::io
