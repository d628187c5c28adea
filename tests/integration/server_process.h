// ServerProcess: runs the real `contactpoint` binary as a child process for integration
// tests, on an ephemeral port, and stops it (SIGTERM, then SIGKILL) when destroyed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace cp::testing {

// A fresh, empty temporary directory, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together.
};

// Runs `contactpoint ARGS...` to completion.
CommandResult RunContactPoint(const std::vector<std::string>& args);

class ServerProcess {
 public:
  // Starts `contactpoint <command> --data DIR --port 0 ...` and waits until it prints the URL
  // it serves. `env` entries are "NAME=value".
  static Result<std::unique_ptr<ServerProcess>> Start(const std::string& command,
                                                      const std::string& data_dir,
                                                      std::vector<std::string> extra_args = {},
                                                      std::vector<std::string> env = {});
  ~ServerProcess();
  uint16_t port() const { return port_; }
  // Stops the server gracefully (SIGTERM) and waits; returns its exit code.
  int Stop();
  // Kills the server with SIGKILL (no chance to flush anything).
  void Kill();

 private:
  ServerProcess(pid_t pid, uint16_t port) : pid_(pid), port_(port) {}
  pid_t pid_;
  uint16_t port_;
};

// The path of the contactpoint binary under test.
std::string ContactPointBinary();

}  // namespace cp::testing
