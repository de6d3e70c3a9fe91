#include "aws/process_provider.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "aws/credential_document.h"

extern char** environ;

namespace sqsim::internal {
namespace {

// Output beyond this is dropped (a credential document is a few KiB).
constexpr size_t kMaxOutputBytes = 1024 * 1024;

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int* Address() { return &fd_; }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct ProcessOutput {
  int wait_status = 0;
  std::string out;
  std::string err;
};

// Drains both pipes until both reach EOF; reading them together keeps a
// child that writes a lot to one from blocking while this waits on the other.
void Drain(Fd& out_fd, Fd& err_fd, ProcessOutput& output) {
  Fd* fds[] = {&out_fd, &err_fd};
  std::string* sinks[] = {&output.out, &output.err};
  while (out_fd.get() >= 0 || err_fd.get() >= 0) {
    pollfd polled[2];
    int count = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (fds[i]->get() < 0) continue;
      polled[count] = {.fd = fds[i]->get(), .events = POLLIN, .revents = 0};
      which[count++] = i;
    }
    if (::poll(polled, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int k = 0; k < count; ++k) {
      if (polled[k].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(polled[k].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[which[k]]->Close();
        continue;
      }
      std::string& sink = *sinks[which[k]];
      if (sink.size() < kMaxOutputBytes) sink.append(buffer, static_cast<size_t>(n));
    }
  }
}

Result<ProcessOutput> Run(const std::string& command) {
  Fd out_read, out_write, err_read, err_write;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return Status(ErrorCode::kMissingAuthenticationToken,
                  std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  *out_read.Address() = out_pipe[0];
  *out_write.Address() = out_pipe[1];
  *err_read.Address() = err_pipe[0];
  *err_write.Address() = err_pipe[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  std::string sh = "sh", dash_c = "-c", command_copy = command;
  char* argv[] = {sh.data(), dash_c.data(), command_copy.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Status(ErrorCode::kMissingAuthenticationToken,
                  std::string("cannot start /bin/sh: ") + std::strerror(spawned));
  }
  out_write.Close();  // the child holds the write ends now; EOF comes when it exits
  err_write.Close();
  ProcessOutput output;
  Drain(out_read, err_read, output);
  while (::waitpid(pid, &output.wait_status, 0) < 0) {
    if (errno != EINTR) {
      return Status(ErrorCode::kMissingAuthenticationToken,
                    std::string("cannot wait for the process: ") + std::strerror(errno));
    }
  }
  return output;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

class ProcessProvider final : public aws::CredentialsProvider {
 public:
  explicit ProcessProvider(std::string command)
      : command_(std::move(command)), name_("credential_process '" + command_ + "'") {}

  Result<aws::AwsCredentials> Fetch() override {
    Result<ProcessOutput> ran = Run(command_);
    if (!ran.ok()) return Status(ran.status().code(), name_ + ": " + ran.status().message());
    const int status = ran->wait_status;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      const std::string how = WIFEXITED(status)
                                  ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                  : "was killed by signal " + std::to_string(WTERMSIG(status));
      const std::string err = Trimmed(ran->err);
      return Status(ErrorCode::kMissingAuthenticationToken,
                    name_ + " " + how + (err.empty() ? std::string() : ": " + err));
    }
    return ParseCredentialDocument(
        ran->out, {.token_key = "SessionToken", .temporary = false, .version_1 = true}, name_);
  }

 private:
  const std::string command_;
  const std::string name_;
};

}  // namespace

std::shared_ptr<aws::CredentialsProvider> NewProcessProvider(std::string command) {
  return std::make_shared<ProcessProvider>(std::move(command));
}

}  // namespace sqsim::internal
