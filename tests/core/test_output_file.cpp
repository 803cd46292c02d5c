// Output files (core/output_file.hpp): a file written in pieces appears only when committed, is
// never left half-written under its name, and a failed write is a UserError naming the path.
#include "core/output_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace il2sim::core {
namespace {

namespace fs = std::filesystem;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("il2sim-output-file-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(OutputFileTest, PiecesAppearTogetherOnCommit) {
  const std::string path = dir_ + "/view.csv";
  {
    OutputFile f(path);
    f.append("A,B\n");
    f.append("1,2\n");
    EXPECT_FALSE(fs::exists(path)) << "not under its name before commit";
    EXPECT_TRUE(fs::exists(path + ".partial"));
    f.commit();
  }
  EXPECT_EQ(read(path), "A,B\n1,2\n");
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(OutputFileTest, WithoutCommitNothingIsLeftAndAnOldFileIsKept) {
  const std::string path = dir_ + "/view.csv";
  write_file_atomically(path, "old\n");
  {
    OutputFile f(path);
    f.append("new, unfinished");
  }  // an error or an interrupt before commit
  EXPECT_EQ(read(path), "old\n");
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(OutputFileTest, AMissingDirectoryIsAUserErrorNamingThePath) {
  const std::string path = dir_ + "/no/such/dir/view.csv";
  try {
    OutputFile f(path);
    FAIL() << "opened " << path;
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

// /dev/full accepts the open and fails the flush with ENOSPC (Linux): written in place, the
// failure surfaces at commit at the latest.
TEST_F(OutputFileTest, AFullDeviceIsAUserErrorAtTheLatestOnCommit) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  bool refused = false;
  try {
    OutputFile f("/dev/full");
    f.append(std::string(1 << 16, 'x'));
    f.commit();
  } catch (const UserError& e) {
    refused = true;
    EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace il2sim::core
