// Journal integrity (issue 17): an entry carries its replicate number and the run's scenario hash
// and is used on --resume only when both match its file name and the run, and its stages are those
// of the scenario; anything else is a UserError naming the file, the value found and the one
// expected.
#include "trial/journal.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "trial/result_fields.hpp"

namespace il2sim::trial {
namespace {

/// For EXPECT_PRED2, which prints both strings when it fails.
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The built-in programme: dose escalation, single-arm and randomized stages (scenarios/).
const scenario::Scenario& programme() {
  static const auto s = scenario::load_scenario("programme");
  return s;
}

/// A result with the shape of `s`'s stages (no patient run): one result of each stage's type.
ReplicateResult shaped(const scenario::Scenario& s, std::uint32_t replicate) {
  ReplicateResult r;
  r.replicate = replicate;
  for (const auto& st : s.stages) {
    switch (st.type) {
      case scenario::StageType::kDoseEscalation:
        r.stages.emplace_back(EscalationResult{{{7, 0, true}}, 0, 0});
        break;
      case scenario::StageType::kSingleArm:
        r.stages.emplace_back(SingleArmResult{});
        break;
      case scenario::StageType::kRandomized: {
        RandomizedResult z;
        z.randomized.assign(st.arms.size(), 3);
        z.pfs_median_months.assign(st.arms.size(), 12.5);
        z.os_median_months.assign(st.arms.size(), 30.25);
        z.relapse_2y.assign(st.arms.size(), 0.375);
        r.stages.emplace_back(z);
        break;
      }
    }
  }
  return r;
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("il2sim-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  [[nodiscard]] std::string entry(int i) const {
    return dir_ + "/.journal/replicate-000000" + std::to_string(i) + ".json";
  }
  /// The message of the UserError `f` throws (fails the test when it throws none).
  template <class F>
  static std::string user_error(F&& f) {
    try {
      f();
    } catch (const UserError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no UserError";
    return {};
  }
  std::string dir_;
};

TEST_F(JournalTest, AnEntryOfThisRunIsReadBack) {
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  j.save(shaped(programme(), 3));
  j.check_resumable();
  const auto r = j.load(3);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_json(*r), to_json(shaped(programme(), 3)));
  EXPECT_FALSE(j.load(4).has_value());
}

// The example: `cp replicate-0000003.json replicate-0000005.json`.
TEST_F(JournalTest, AnEntryCopiedOverAnotherIsRefused) {
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  j.save(shaped(programme(), 3));
  j.save(shaped(programme(), 5));
  std::filesystem::copy_file(entry(3), entry(5), std::filesystem::copy_options::overwrite_existing);
  for (const auto& message :
       {user_error([&] { (void)j.load(5); }), user_error([&] { j.check_resumable(); })}) {
    EXPECT_PRED2(contains, message, entry(5));
    EXPECT_PRED2(contains, message, "replicate 3 but its file is that of replicate 5");
    EXPECT_PRED2(contains, message, "remove this entry");
  }
}

// Sibling: an entry of the same replicate from a run of another seed (another scenario hash).
TEST_F(JournalTest, AnEntryOfAnotherRunIsRefused) {
  const Journal other(dir_, programme(), "hash-b");
  other.start();
  other.save(shaped(programme(), 2));
  const auto foreign = dir_ + "/other-run.json";
  std::filesystem::rename(entry(2), foreign);
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  std::filesystem::copy_file(foreign, entry(2));
  const auto message = user_error([&] { j.check_resumable(); });
  EXPECT_PRED2(contains, message, entry(2));
  EXPECT_PRED2(contains, message, "scenario hash \"hash-b\", this run's is \"hash-a\"");
}

TEST_F(JournalTest, ATruncatedEntryIsAUserError) {
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  const std::string text = journal_entry(shaped(programme(), 1), "hash-a");
  std::ofstream(entry(1), std::ios::binary) << text.substr(0, text.size() / 2);
  const auto message = user_error([&] { (void)j.load(1); });
  EXPECT_PRED2(contains, message, entry(1));
  EXPECT_PRED2(contains, message, "not valid JSON");
}

TEST_F(JournalTest, ADirectoryAsAnEntryIsAUserError) {
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  std::filesystem::create_directories(entry(4));
  EXPECT_PRED2(contains, user_error([&] { j.check_resumable(); }), "directory");
}

TEST_F(JournalTest, TheTemporaryFileOfAnInterruptedWriteIsIgnored) {
  const Journal j(dir_, programme(), "hash-a");
  j.start();
  std::ofstream(dir_ + "/.journal/replicate-0000001.json.tmp-123") << "{\"repl";
  EXPECT_NO_THROW(j.check_resumable());
}

/// The message of reading `text` as the entry of replicate 1 of the programme with hash "h".
std::string read_error(const std::string& text) {
  try {
    (void)read_journal_entry(text, "entry.json", {1, "h", &programme()});
  } catch (const UserError& e) {
    return e.what();
  }
  return "accepted";
}

nlohmann::json entry_json(const ReplicateResult& r) {
  return nlohmann::json::parse(journal_entry(r, "h"));
}

TEST(JournalEntry, WhatIsNotAnEntryOfTheRunIsAUserError) {
  EXPECT_EQ(read_error(entry_json(shaped(programme(), 1)).dump()), "accepted");
  EXPECT_PRED2(contains, read_error("[1, 2]"), "not a journal entry");
  EXPECT_PRED2(contains, read_error(""), "not valid JSON");
  auto j = entry_json(shaped(programme(), 1));
  j.erase("replicate");
  EXPECT_PRED2(contains, read_error(j.dump()), "replicate (none)");
  j = entry_json(shaped(programme(), 1));
  j["replicate"] = -1;
  EXPECT_PRED2(contains, read_error(j.dump()), "replicate -1 but");
  j = entry_json(shaped(programme(), 1));
  j.erase("scenario_hash");
  EXPECT_PRED2(contains, read_error(j.dump()), "scenario hash (none)");
}

TEST(JournalEntry, StagesThatAreNotTheScenariosAreAUserError) {
  auto r = shaped(programme(), 1);
  r.stages.pop_back();
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "stage results");
  r = shaped(programme(), 1);
  std::swap(r.stages.front(), r.stages.back());
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "not of the type of stage");
  r = shaped(programme(), 1);
  r.skipped = {"no such stage"};
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "'no such stage' is not a stage");
  // Indices the summary uses: an MTD or a dose level beyond the stage's levels, a missing arm.
  r = shaped(programme(), 1);
  std::get<EscalationResult>(r.stages.front()).mtd = 99;
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "MTD level index 99");
  r = shaped(programme(), 1);
  std::get<EscalationResult>(r.stages.front()).patients[0].level = -1;
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "dose level index -1");
  r = shaped(programme(), 1);
  std::get<RandomizedResult>(r.stages.back()).relapse_2y.pop_back();
  EXPECT_PRED2(contains, read_error(entry_json(r).dump()), "per-arm results");
}

// Integers beyond the members' range or with a fraction were converted (a double cast to int is
// undefined behaviour out of range).
TEST(JournalEntry, AnIntegerOutOfRangeIsAUserError) {
  for (const auto* value : {"1e300", "2.5", "4294967296", "-2147483649"}) {
    auto j = entry_json(shaped(programme(), 1));
    const std::string text = j.dump();
    const std::string key = "\"mtd_index\":0";
    const auto at = text.find(key);
    ASSERT_NE(at, std::string::npos);
    const std::string edited =
        text.substr(0, at) + "\"mtd_index\":" + value + text.substr(at + key.size());
    EXPECT_PRED2(contains, read_error(edited), "not a journal entry of this il2sim") << value;
  }
}

// A null where the member is a plain count (not an optional one) was read as NaN and cast to int
// (undefined behaviour: found by fuzz_journal in CI). It is refused like any other non-integer.
TEST(JournalEntry, ANullCountIsAUserError) {
  for (const std::string key : {"\"not_evaluable\":0", "\"level_index\":0", "\"patient_id\":7"}) {
    const std::string text = entry_json(shaped(programme(), 1)).dump();
    const auto at = text.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    const std::string name = key.substr(0, key.find(':') + 1);
    const std::string edited = text.substr(0, at) + name + "null" + text.substr(at + key.size());
    EXPECT_PRED2(contains, read_error(edited), "not a journal entry of this il2sim") << key;
  }
}

}  // namespace
}  // namespace il2sim::trial
