// The server processes the benchmarks measure, started once per benchmark
// process and shared by every benchmark that needs them: the real
// `sqsim-server` program and `moto_server`, each on a free loopback port
// under `taskset -c 0` when the machine has two CPUs, so that a client
// pinned to CPU 1 (PinThisThreadTo) never competes with the server.

#ifndef SQSIM_BENCH_PEER_PROCESSES_H_
#define SQSIM_BENCH_PEER_PROCESSES_H_

#include <sched.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"

namespace sqsim::bench {

inline bool PinThisThreadTo(int cpu) {
  if (std::thread::hardware_concurrency() < 2) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof(set), &set) == 0;
}

// A server program on a free port, under `taskset -c 0` when possible.
struct PeerProcess {
  std::string url{};
  uint16_t port = 0;
  bool pinned = false;
  std::unique_ptr<test::ChildProcess> process{};
};

inline PeerProcess StartPeer(std::vector<std::string> argv, uint16_t port) {
  PeerProcess peer;
  peer.pinned = test::OnPath("taskset") && std::thread::hardware_concurrency() >= 2;
  if (peer.pinned) argv.insert(argv.begin(), {"taskset", "-c", "0"});
  peer.process = std::make_unique<test::ChildProcess>(argv);
  for (int i = 0; i < 300 && peer.process->running(); ++i) {
    if (test::AcceptsConnections(port)) {
      peer.url = "http://127.0.0.1:" + std::to_string(port);
      peer.port = port;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return peer;
}

inline PeerProcess& SqsimServer() {
  static PeerProcess peer = [] {
    const uint16_t port = test::FreeLoopbackPort();
    return StartPeer({SQSIM_SERVER_BINARY, "--port", std::to_string(port), "--quiet"}, port);
  }();
  return peer;
}

inline PeerProcess& MotoServer() {
  static PeerProcess peer = [] {
    if (!test::OnPath("moto_server")) return PeerProcess{};
    const uint16_t port = test::FreeLoopbackPort();
    return StartPeer({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)}, port);
  }();
  return peer;
}

}  // namespace sqsim::bench

#endif  // SQSIM_BENCH_PEER_PROCESSES_H_
