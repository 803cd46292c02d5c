// Hostile input, round 2 (issue 17): one test per class of failure, each with the example that was
// reported and a sibling case. Every case runs the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/wait.h>
#include <csignal>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_path(const std::string& name) {
  return testing::temp_path("hostile", name);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// A built-in scenario's TOML with one line replaced (the line must exist).
std::string edited_scenario(const std::string& name, const std::string& line,
                            const std::string& replacement) {
  const auto shown = run_il2sim("scenarios show " + name);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::string text = shown.out;
  const auto at = text.find(line);
  EXPECT_NE(at, std::string::npos) << line;
  if (at != std::string::npos) text.replace(at, line.size(), replacement);
  return text;
}

/// Exit code and stderr of `il2sim <args>` with standard output sent to `stdout_path`.
testing::CommandResult run_with_stdout(const std::string& args, const std::string& stdout_path) {
  const std::string err = temp_path("stderr.txt");
  const std::string command =
      std::string(IL2SIM_BINARY_DIR) + "/il2sim " + args + " >" + stdout_path + " 2>" + err;
  const int status = std::system(command.c_str());
  testing::CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text(err);
  std::filesystem::remove(err);
  return r;
}

}  // namespace

// ---- Seeds: exactly 0..2^63-1 (the TOML integer range of the scenario's `seed`), round-tripped.

TEST(HostileSeeds, OutOfRangeSeedsExitTwoNamingTheRange) {
  const std::string out = temp_path("seed_out");
  // -1 was read as 2^64 - 1, and 2^63 (9223372036854775808) does not fit the scenario's TOML
  // integer; a fraction and a sign are not seeds either.
  for (const std::string seed :
       {"-1", "9223372036854775808", "18446744073709551615", "1.5", "+3"}) {
    for (const std::string command : {"run roche-phase1-autobmt --replicates 1",
                                      "cohort chiron-regimen --arm il2 --patients 1 --days 30"}) {
      const auto r = run_il2sim(command + " --seed " + seed + " --out " + out + " --force");
      EXPECT_EQ(r.exit_code, 2) << command << " --seed " << seed;
      EXPECT_NE(r.err.find("--seed"), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("9223372036854775807"), std::string::npos) << r.err;
      EXPECT_FALSE(std::filesystem::exists(out)) << "nothing written for a refused seed";
    }
  }
}

TEST(HostileSeeds, TheLargestSeedRoundTripsThroughTheResolvedScenario) {
  const std::string first = temp_path("seed_max_1");
  const std::string second = temp_path("seed_max_2");
  const auto r =
      run_il2sim("run roche-phase1-autobmt --replicates 1 --seed 9223372036854775807 --out " +
                 first + " --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string resolved = read_text(first + "/scenario.toml");
  EXPECT_NE(resolved.find("seed = 9223372036854775807\n"), std::string::npos);
  // The resolved scenario runs again and gives the same results.
  const auto again =
      run_il2sim("run " + first + "/scenario.toml --replicates 1 --out " + second + " --force");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_text(first + "/summary.json"), read_text(second + "/summary.json"));
  std::filesystem::remove_all(first);
  std::filesystem::remove_all(second);
}

// ---- Numbers that must be refused: counts are integers, horizons positive, dose-toxicity
// monotone.

TEST(HostileNumbers, FractionalCountsInAScenarioAreRefusedNotRounded) {
  const std::string file = temp_path("counts.toml");
  const std::string out = temp_path("counts_out");
  struct Case {
    std::string line, replacement, key;
  };
  // registered = 24.6 was run as 25; the siblings: a count written as a float, a fractional
  // allocation ratio.
  for (const Case& c : {Case{"registered = 394", "registered = 24.6", "registered"},
                        Case{"registered = 394", "registered = 394.0", "registered"},
                        Case{"block_size = 4", "block_size = 4.5", "block_size"},
                        Case{"allocation = [1, 1]", "allocation = [1.5, 1]", "allocation[0]"}}) {
    write_text(file, edited_scenario("phase3-autosct-nhl", c.line, c.replacement));
    const auto r = run_il2sim("run " + file + " --replicates 1 --out " + out + " --force");
    EXPECT_EQ(r.exit_code, 2) << c.replacement;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  std::filesystem::remove(file);
}

TEST(HostileNumbers, RestrictedMeanHorizonMustBePositive) {
  const std::string data = temp_path("km.csv");
  // Times and events of a small made-up sample; only the options are under test.
  write_text(data, "time,status\n1,1\n2,0\n3,1\n4,1\n5,0\n");
  for (const std::string rmean : {"-1", "0", "-inf", "nan"}) {
    const auto r =
        run_il2sim("survival km --data " + data + " --time time --event status --rmean=" + rmean);
    EXPECT_EQ(r.exit_code, 2) << rmean;
    EXPECT_NE(r.err.find("--rmean"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("> 0"), std::string::npos) << r.err;
  }
  const auto ok =
      run_il2sim("survival km --data " + data + " --time time --event status --rmean 4");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  std::filesystem::remove(data);
}

TEST(HostileNumbers, ThreePlusThreeRefusesDecreasingDltProbabilities) {
  for (const std::string p : {"0.3,0.1", "0.1,0.3,0.2"}) {
    const auto r = run_il2sim("design three-plus-three --p " + p);
    EXPECT_EQ(r.exit_code, 2) << p;
    EXPECT_NE(r.err.find("--p"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("do not decrease"), std::string::npos) << r.err;
  }
  // A plateau is a monotone curve.
  EXPECT_EQ(run_il2sim("design three-plus-three --p 0.1,0.1,0.3").exit_code, 0);
}

TEST(HostileNumbers, CoxWithZeroStandardErrorHasNoTest) {
  // A covariate on a scale of 1e165 (40 made-up rows): the coefficient's variance underflows to 0,
  // and z = coef / 0 gave p = 0. R reports z and p as NA; --json writes null.
  std::string csv = "time,status,x\n";
  for (int i = 0; i < 40; ++i) {
    const double x = ((i * 37) % 17 - 8) * 1e165;
    csv += std::to_string(1 + (i * 13) % 29) + "," + std::to_string(i % 3 != 0) + "," +
           nlohmann::json(x).dump() + "\n";
  }
  const std::string data = temp_path("cox.csv");
  write_text(data, csv);
  const auto r = run_il2sim("survival cox --data " + data +
                            " --time time --event status --covariates x --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto js = nlohmann::json::parse(r.out);
  const auto& term = js.at("coefficients").at(0);
  ASSERT_TRUE(term.at("se").is_number());
  EXPECT_EQ(term.at("se").get<double>(), 0.0);
  EXPECT_TRUE(term.at("z").is_null());
  EXPECT_TRUE(term.at("p").is_null());
  std::filesystem::remove(data);
}

// ---- Wide input: the duplicate-name check of a CSV header is one look-up per column.

TEST(HostileWideInput, DuplicateColumnFoundInAVeryWideHeader) {
  // 300,000 columns took over a minute when every name was compared with every other; the
  // duplicate is the last column, so the whole header is checked.
  std::string header;
  for (int i = 0; i < 300000; ++i) header += "c" + std::to_string(i) + ",";
  header += "c17";
  const std::string data = temp_path("wide.csv");
  write_text(data, header + "\n");
  const auto r = run_il2sim("survival km --data " + data + " --time c0 --event c1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'c17' appears twice"), std::string::npos) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find(":1:300001"), std::string::npos) << r.err.substr(0, 300);
  std::filesystem::remove(data);
}

// ---- Writing over what is not ours: only regular files are replaced atomically.

TEST(HostileOutputs, ADeviceIsWrittenInPlaceNotReplaced) {
  // /dev/full was replaced by a regular file (as root, which may rename over /dev); now it is
  // written in place, and its "disk full" is an error naming the path and the reason.
  const auto r = run_il2sim("trajectory --typical --days 5 --out /dev/full");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/dev/full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  struct stat info {};
  ASSERT_EQ(::stat("/dev/full", &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode)) << "/dev/full is still a device";
  EXPECT_FALSE(std::filesystem::exists("/dev/full.partial"));
}

TEST(HostileOutputs, ASymbolicLinkIsKeptAndItsTargetWritten) {
  const std::string target = temp_path("target.csv");
  const std::string link = temp_path("link.csv");
  const std::string dangling_target = temp_path("later.csv");
  const std::string dangling = temp_path("dangling.csv");
  write_text(target, "old\n");
  std::filesystem::remove(link);
  std::filesystem::remove(dangling);
  std::filesystem::create_symlink(target, link);
  std::filesystem::create_symlink(dangling_target, dangling);  // its target does not exist yet
  for (const auto& [path, written] :
       {std::pair{link, target}, std::pair{dangling, dangling_target}}) {
    const auto r = run_il2sim("trajectory --typical --days 5 --out " + path);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::is_symlink(path)) << path << " is still a link";
    EXPECT_EQ(read_text(written).rfind("day,", 0), 0U) << written << " holds the trajectory";
  }
  for (const auto& p : {target, link, dangling, dangling_target}) std::filesystem::remove(p);
}

// ---- Write errors are checked, standard output included.

TEST(HostileOutputs, AFullStandardOutputIsAnError) {
  // params --json > /dev/full exited 0; the sibling: a survival table as JSON.
  const std::string data = temp_path("full.csv");
  write_text(data, "time,status\n1,1\n2,0\n3,1\n");
  for (const std::string& args : std::vector<std::string>{
           "params --json", "survival km --data " + data + " --time time --event status --json",
           "params --help"}) {
    const auto r = run_with_stdout(args, "/dev/full");
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("standard output"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  }
  std::filesystem::remove(data);
}

// ---- User mistakes are user errors (exit 2 naming the file), never internal errors (exit 1).

TEST(HostileUserErrors, ADirectoryWhereAFileIsExpected) {
  const std::string dir = temp_path("a_directory");
  std::filesystem::create_directories(dir);
  for (const std::string& args :
       std::vector<std::string>{"run " + dir + " --out " + dir + "_out",
                                "survival km --data " + dir + " --time a --event b",
                                "trajectory --typical --days 5 --out " + dir}) {
    const auto r = run_il2sim(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(dir), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("directory"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(std::filesystem::is_directory(dir)) << "the directory is left as it was";
  std::filesystem::remove_all(dir);
}

TEST(HostileUserErrors, NonUtf8CsvTextIsRefusedWhereItIs) {
  // A Latin-1 group label (0xE9, e acute) made --json fail with an internal error; the sibling: a
  // byte that cannot start a UTF-8 character in a column name.
  const std::string data = temp_path("latin1.csv");
  for (const auto& [text, where] :
       {std::pair<std::string, std::string>{"time,status,grp\n1,1,a\xE9\n2,0,b\n", ":2:6:"},
        std::pair<std::string, std::string>{"time,status,\xFFgrp\n1,1,a\n2,0,b\n", ":1:13:"}}) {
    write_text(data, text);
    const auto r =
        run_il2sim("survival km --data " + data + " --time time --event status --group grp --json");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(data + where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  }
  std::filesystem::remove(data);
}

// ---- Two runs into one directory: the directory is locked for the whole command.

TEST(HostileOutputs, ALockedOutputDirectoryIsRefused) {
  // Two `run --force` into one --out mixed the outputs of two seeds. The test holds the lock the
  // way a running il2sim does (flock on the directory), so the refusal is deterministic.
  const std::string dir = temp_path("locked_out");
  std::filesystem::create_directories(dir);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  for (const std::string& args : std::vector<std::string>{
           "run roche-phase1-autobmt --replicates 1 --force --out " + dir,
           "cohort chiron-regimen --arm il2 --patients 2 --days 30 --force --out " + dir}) {
    const auto r = run_il2sim(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("another il2sim process is writing into this directory"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "nothing written into a locked directory";
  }
  ::close(fd);  // released: the same command now runs
  const auto r = run_il2sim("run roche-phase1-autobmt --replicates 1 --force --out " + dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::filesystem::remove_all(dir);
}

// ---- Contract drift: interfaces.md's `trajectory --patient K` exists.

namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    std::vector<std::string> cells;
    std::size_t a = 0;
    while (true) {  // the files under test have no quoted fields
      const auto b = line.find(',', a);
      cells.push_back(line.substr(a, b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    rows.push_back(std::move(cells));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return rows;
}

std::size_t column_of(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  EXPECT_NE(it, header.end()) << name;
  return static_cast<std::size_t>(it - header.begin());
}

}  // namespace

TEST(HostileContract, TrajectoryOfPatientKIsTheCohortsPatientK) {
  // Patient K of `trajectory --patient K` is patient K of `cohort` (same seed, replicate 0): its
  // infusion rate is positive exactly inside the EX rows the cohort lists for that patient
  // (boundaries excluded: an output at a rate change shows the rate before it).
  const std::string dir = temp_path("patient_k");
  const auto cohort = run_il2sim(
      "cohort chiron-regimen --arm il2 --patients 3 --days 150 --seed 11 --force --out " + dir);
  ASSERT_EQ(cohort.exit_code, 0) << cohort.err;
  const auto ex = csv_rows(read_text(dir + "/ex.csv"));
  const std::size_t subject = column_of(ex[0], "USUBJID");
  const std::size_t from = column_of(ex[0], "EXSTDY");
  const std::size_t to = column_of(ex[0], "EXENDY");
  std::size_t checked_on = 0;
  for (const std::uint32_t k : {1U, 2U, 3U}) {
    const std::string file = dir + "/patient.csv";
    const auto r = run_il2sim("trajectory chiron-regimen --arm il2 --patient " + std::to_string(k) +
                              " --seed 11 --days 150 --step 0.5 --out " + file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto traj = csv_rows(read_text(file));
    const std::size_t rate = column_of(traj[0], "rate");
    const std::string id = "chiron-regimen-00000" + std::to_string(k);
    for (std::size_t i = 1; i < traj.size(); ++i) {
      if (traj[i].size() <= rate) continue;
      const double day = std::stod(traj[i][0]);
      bool inside = false, boundary = false;
      for (std::size_t j = 1; j < ex.size(); ++j) {
        if (ex[j].size() <= to || ex[j][subject] != id) continue;
        const double a = std::stod(ex[j][from]), b = std::stod(ex[j][to]);
        inside = inside || (day > a && day < b);
        boundary = boundary || day == a || day == b;
      }
      if (boundary) continue;
      EXPECT_EQ(std::stod(traj[i][rate]) > 0.0, inside) << id << " day " << day;
      checked_on += inside ? 1 : 0;
    }
  }
  EXPECT_GT(checked_on, 20U) << "the patients were treated";
  // --typical and --patient exclude each other; a seed is refused for the typical patient.
  EXPECT_EQ(run_il2sim("trajectory --typical --patient 1 --out " + dir + "/x.csv").exit_code, 2);
  EXPECT_EQ(run_il2sim("trajectory --patient 0 --out " + dir + "/x.csv").exit_code, 2);
  EXPECT_EQ(run_il2sim("trajectory --seed 3 --out " + dir + "/x.csv").exit_code, 2);
  std::filesystem::remove_all(dir);
}

TEST(HostileContract, ScenariosShowResolvedPrintsEveryField) {
  // The README said `scenarios show NAME` prints every clinic field with its default; it prints
  // the scenario as written. --resolved prints every field, and running that text is running the
  // scenario.
  const auto r = run_il2sim("scenarios show chiron-regimen --resolved");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string key : {"[protocol]", "[toxicity]", "[events]", "[assays]", "[solver]",
                                "start_platelets = ", "dlt_window_roles = "}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  }
  const std::string file = temp_path("resolved.toml");
  write_text(file, r.out);
  const std::string a = temp_path("resolved_a");
  const std::string b = temp_path("resolved_b");
  ASSERT_EQ(run_il2sim("cohort chiron-regimen --arm il2 --patients 3 --days 120 --force --out " + a)
                .exit_code,
            0);
  ASSERT_EQ(run_il2sim("cohort " + file + " --arm il2 --patients 3 --days 120 --force --out " + b)
                .exit_code,
            0);
  EXPECT_EQ(read_text(a + "/adsl.csv"), read_text(b + "/adsl.csv"));
  for (const auto& p : {a, b}) std::filesystem::remove_all(p);
  std::filesystem::remove(file);
}

// ---- Signals and partial files: a stopped or failed cohort leaves nothing half-written.

TEST(HostileSignals, InterruptedCohortLeavesNoPartialFileAndExitsWithTheSignal) {
  // SIGINT/SIGTERM left *.partial files and printed nothing; SIGTERM exited 130, not 143.
  for (const auto& [signal, code] : {std::pair{SIGTERM, 143}, std::pair{SIGINT, 130}}) {
    const std::string dir = temp_path("signal_out");
    std::filesystem::remove_all(dir);
    const std::string err = temp_path("signal_err.txt");
    const std::string command = std::string(IL2SIM_BINARY_DIR) +
                                "/il2sim cohort chiron-regimen --arm il2 --patients 200000 " +
                                "--days 730 --force --out " + dir + " 2>" + err;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Signal once the views are open (their temporary files exist): the cohort is under way.
    while (!std::filesystem::exists(dir + "/adlb.csv.partial")) ::usleep(10000);
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), code);
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "no partial or finished file left";
    EXPECT_NE(read_text(err).find("cohort interrupted; no output was written"), std::string::npos)
        << read_text(err);
    std::filesystem::remove_all(dir);
    std::filesystem::remove(err);
  }
}

TEST(HostileSignals, AFullDiskDuringACohortNamesTheFileAndLeavesNothing) {
  // A file-size limit (with SIGXFSZ ignored, so the write fails with EFBIG) stands in for a full
  // disk: the error names the view and the reason, and no partial file is left.
  const std::string dir = temp_path("full_disk_out");
  std::filesystem::remove_all(dir);
  const std::string err = temp_path("full_disk_err.txt");
  const std::string command = "sh -c \"trap '' XFSZ; ulimit -f 200; exec " +
                              std::string(IL2SIM_BINARY_DIR) +
                              "/il2sim cohort chiron-regimen --arm il2 --patients 300 --days 730 "
                              "--force --out " +
                              dir + "\" 2>" + err;
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string message = read_text(err);
  EXPECT_NE(message.find(dir + "/adlb.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
  std::filesystem::remove(err);
}

}  // namespace il2sim
