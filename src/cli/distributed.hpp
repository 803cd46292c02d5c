#pragma once
/// @file distributed.hpp
/// Process-level parallelism for `il2sim run` under `mpirun -np K`: replicates are split across
/// ranks (replicate i runs on rank i mod K) and their compact results gathered to rank 0, which
/// reduces them in replicate order and writes every output — the same bytes as one process. Built
/// with MPI when the build found it (IL2SIM_HAVE_MPI); without it there is always exactly one rank.

#include <string>
#include <vector>

namespace il2sim::cli {

class Distributed {
 public:
  /// Initializes MPI when the process was started by mpirun (and MPI support was built).
  Distributed(int* argc, char*** argv);
  ~Distributed();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  /// Gathers one string per rank to rank 0 (in rank order); other ranks get an empty vector.
  [[nodiscard]] std::vector<std::string> gather(const std::string& mine) const;
  /// Rank 0's flag to every rank (e.g. "an error happened").
  [[nodiscard]] bool broadcast(bool value) const;

  /// The process-wide instance (set by the constructor).
  [[nodiscard]] static const Distributed& current();

 private:
  int rank_ = 0;
  int size_ = 1;
  bool initialized_ = false;
};

}  // namespace il2sim::cli
