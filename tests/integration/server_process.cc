#include "server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <thread>

namespace cp::testing {

std::string ContactPointBinary() { return CP_BINARY; }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cp-it-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            int* out_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    // The server dies with the test process, even when a failing test aborts it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    std::string binary = ContactPointBinary();
    argv.push_back(binary.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  *out_fd = fds[0];
  return pid;
}

}  // namespace

CommandResult RunContactPoint(const std::vector<std::string>& args) {
  int fd = -1;
  pid_t pid = Spawn(args, {"CP_ARGON2=test"}, &fd);
  CommandResult result;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) result.output.append(buf, static_cast<size_t>(n));
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::string& command,
                                                            const std::string& data_dir,
                                                            std::vector<std::string> extra_args,
                                                            std::vector<std::string> env) {
  std::vector<std::string> args = {command, "--data", data_dir, "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  env.push_back("CP_ARGON2=test");
  int fd = -1;
  pid_t pid = Spawn(args, env, &fd);
  if (pid < 0) return Status::Internal("cannot start contactpoint");
  std::string output;
  static const std::regex kUrl(R"(serving https?://[^:]+:(\d+)/)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) > 0) {
      char buf[4096];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      output.append(buf, static_cast<size_t>(n));
      std::smatch m;
      if (std::regex_search(output, m, kUrl)) {
        // Keep draining the child's output in the background so it never blocks on a pipe.
        std::thread([fd] {
          char sink[4096];
          while (::read(fd, sink, sizeof sink) > 0) {
          }
          ::close(fd);
        }).detach();
        return std::unique_ptr<ServerProcess>(
            new ServerProcess(pid, static_cast<uint16_t>(std::stoi(m[1].str()))));
      }
    }
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(fd);
  return Status::Internal("contactpoint did not start: " + output);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 300; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ::usleep(20'000);
  }
  Kill();
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace cp::testing
