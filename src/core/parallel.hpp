#pragma once
/// @file parallel.hpp
/// Runs independent work items on a pool of threads (dynamic scheduling from a shared counter) and
/// hands their results to a consumer in index order, so outputs never depend on scheduling.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace il2sim::core {

/// Computes `produce(i)` for i in [0, n) on `threads` threads and calls `consume(i, result)` on the
/// calling thread in increasing i. At most `window` results wait out of order (bounded memory). The
/// first exception thrown by a producer is rethrown after all threads have stopped.
template <typename Result>
void ordered_parallel_for(std::size_t n, unsigned threads,
                          const std::function<Result(std::size_t)>& produce,
                          const std::function<void(std::size_t, Result&)>& consume,
                          std::size_t window = 0) {
  threads = std::max(1U, threads);
  if (window == 0) window = 64 * static_cast<std::size_t>(threads);
  if (threads == 1) {
    for (std::size_t i = 0; i < n; ++i) {
      Result r = produce(i);
      consume(i, r);
    }
    return;
  }
  std::mutex mutex;
  std::condition_variable ready;      // a result arrived
  std::condition_variable has_space;  // the consumer made room
  std::map<std::size_t, Result> done;
  std::atomic<std::size_t> next{0};
  std::size_t consumed = 0;
  std::exception_ptr error;
  bool stop = false;
  auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        has_space.wait(lock, [&] { return stop || next.load() < consumed + window; });
        if (stop) return;
        i = next++;
      }
      if (i >= n) return;
      try {
        Result r = produce(i);
        std::lock_guard lock(mutex);
        done.emplace(i, std::move(r));
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      ready.notify_one();
      has_space.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned k = 0; k < threads; ++k) pool.emplace_back(worker);
  while (consumed < n) {
    std::unique_lock lock(mutex);
    ready.wait(lock, [&] { return stop || done.count(consumed) > 0; });
    if (stop) break;
    auto node = done.extract(consumed);
    lock.unlock();
    try {
      consume(consumed, node.mapped());
    } catch (...) {
      std::lock_guard relock(mutex);
      if (!error) error = std::current_exception();
      stop = true;
      break;
    }
    {
      std::lock_guard relock(mutex);
      ++consumed;
    }
    has_space.notify_all();
  }
  {
    std::lock_guard lock(mutex);
    stop = stop || consumed < n;
  }
  has_space.notify_all();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace il2sim::core
