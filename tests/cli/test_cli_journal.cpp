// Issue 17, journal integrity: on `il2sim run --resume`, a journal entry copied over another, or
// one from a run with another seed, is refused with exit 2 naming the entry, the value found and
// the one expected (it was accepted and reduced as the replicate of its file name).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

const std::string kScenario = "phase3-autosct-nhl";
/// Enough replicates that the kill lands before the run ends (as in test_cli_run.cpp).
const std::string kRun = " run " + kScenario + " --replicates 16 --threads 2";

std::string temp_dir(const std::string& name) {
  return testing::temp_path("journal", name);
}

/// Starts `il2sim run` into `dir` and kills it (-9) as soon as a replicate is journalled; returns
/// the file name of the first journal entry.
std::string interrupted_run(const std::string& dir, const std::string& options) {
  std::filesystem::remove_all(dir);
  const std::string bin = std::string(IL2SIM_BINARY_DIR) + "/il2sim";
  const std::string script = bin + kRun + options + " --out " + dir +
                             " 2>/dev/null & pid=$!; for i in $(seq 6000); do ls " + dir +
                             "/.journal/replicate-*.json >/dev/null 2>&1 && break; sleep 0.01; "
                             "done; kill -KILL $pid; wait $pid; true";
  EXPECT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
  for (const auto& e : std::filesystem::directory_iterator(dir + "/.journal")) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("replicate-") && name.ends_with(".json")) return name;
  }
  ADD_FAILURE() << "no journal entry in " << dir;
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The example, `cp journal/replicate-0000000.json journal/replicate-0000039.json`, on a
// run of 16 replicates (its last, 15, in place of the 39 of 40).
TEST(CliJournal, AnEntryCopiedOverAnotherIsRefusedOnResume) {
  const std::string dir = temp_dir("copied");
  const std::string first = interrupted_run(dir, "");
  ASSERT_FALSE(first.empty());
  const std::string target = dir + "/.journal/replicate-0000015.json";
  ASSERT_NE(dir + "/.journal/" + first, target) << "the run journalled its last replicate first";
  std::filesystem::copy_file(dir + "/.journal/" + first, target,
                             std::filesystem::copy_options::overwrite_existing);
  const auto r = run_il2sim(kRun + " --out " + dir + " --resume");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_PRED2(contains, r.err, target);
  EXPECT_PRED2(contains, r.err, "but its file is that of replicate 15");
  EXPECT_PRED2(contains, r.err, "remove this entry");
  // Removing the entry, as the message says, lets the run resume (its replicate runs again).
  std::filesystem::remove(target);
  const auto resumed = run_il2sim(kRun + " --out " + dir + " --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/.journal"));
  std::filesystem::remove_all(dir);
}

// Sibling: the same replicate's entry from an interrupted run with another seed, copied in (the
// journal's own scenario-hash file still matches the resumed run).
TEST(CliJournal, AnEntryFromAnotherSeedIsRefusedOnResume) {
  const std::string dir = temp_dir("seed-1");
  const std::string other = temp_dir("seed-2");
  const std::string first = interrupted_run(dir, " --seed 1");
  const std::string foreign = interrupted_run(other, " --seed 2");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(foreign.empty());
  const std::string target = dir + "/.journal/" + foreign;
  std::filesystem::copy_file(other + "/.journal/" + foreign, target,
                             std::filesystem::copy_options::overwrite_existing);
  const auto r = run_il2sim(kRun + " --seed 1 --out " + dir + " --resume");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_PRED2(contains, r.err, target);
  EXPECT_PRED2(contains, r.err, "another scenario, seed or replicate count");
  EXPECT_PRED2(contains, r.err, read_text(dir + "/.journal/scenario-hash"));
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(other);
}

// A truncated entry (a file cut short by hand or by a full disk outside il2sim's atomic writes) is
// a user error naming the file, not an internal error.
TEST(CliJournal, ATruncatedEntryIsAUserErrorOnResume) {
  const std::string dir = temp_dir("truncated");
  const std::string first = interrupted_run(dir, "");
  ASSERT_FALSE(first.empty());
  const std::string entry = dir + "/.journal/" + first;
  std::filesystem::resize_file(entry, std::filesystem::file_size(entry) / 2);
  const auto r = run_il2sim(kRun + " --out " + dir + " --resume");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_PRED2(contains, r.err, entry);
  EXPECT_PRED2(contains, r.err, "not valid JSON");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace il2sim
