#include "cli/distributed.hpp"

#include <cstdlib>

#include "core/error.hpp"

#ifdef IL2SIM_HAVE_MPI
#include <mpi.h>
#endif

namespace il2sim::cli {
namespace {

const Distributed* g_current = nullptr;

bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

}  // namespace

Distributed::Distributed(int* argc, char*** argv) {
#ifdef IL2SIM_HAVE_MPI
  if (launched_by_mpirun()) {
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    initialized_ = true;
  }
#else
  (void)argc;
  (void)argv;
  (void)launched_by_mpirun;
#endif
  g_current = this;
}

Distributed::~Distributed() {
#ifdef IL2SIM_HAVE_MPI
  if (initialized_) MPI_Finalize();
#endif
  g_current = nullptr;
}

const Distributed& Distributed::current() {
  IL2SIM_ASSERT(g_current != nullptr, "Distributed constructed in main");
  return *g_current;
}

std::vector<std::string> Distributed::gather(const std::string& mine) const {
  if (size_ == 1) return {mine};
#ifdef IL2SIM_HAVE_MPI
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(static_cast<std::size_t>(size_));
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(static_cast<std::size_t>(size_), 0);
  std::string all;
  if (rank_ == 0) {
    long total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
      total += lengths[static_cast<std::size_t>(r)];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (rank_ == 0) {
    for (int r = 0; r < size_; ++r) {
      out.push_back(all.substr(static_cast<std::size_t>(offsets[static_cast<std::size_t>(r)]),
                               static_cast<std::size_t>(lengths[static_cast<std::size_t>(r)])));
    }
  }
  return out;
#else
  return {mine};
#endif
}

bool Distributed::broadcast(bool value) const {
  if (size_ == 1) return value;
#ifdef IL2SIM_HAVE_MPI
  int v = value ? 1 : 0;
  MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return v != 0;
#else
  return value;
#endif
}

}  // namespace il2sim::cli
