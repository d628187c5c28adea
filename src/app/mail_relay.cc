#include "app/mail_relay.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

namespace cp::app {
namespace {

// Closes the socket when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

Status Unavailable() { return Status::Unavailable("The e-mail relay cannot be reached"); }

Result<int> Connect(const SmtpEndpoint& endpoint, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found) != 0) {
    return Unavailable();
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) return Unavailable();
  return fd;
}

// A line-oriented SMTP conversation on one socket.
class Conversation {
 public:
  explicit Conversation(int fd) : fd_(fd) {}

  Status Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return Unavailable();
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  // Reads one reply (all its lines) and returns its code.
  Result<int> Reply() {
    for (;;) {
      size_t eol = buffer_.find("\r\n");
      while (eol == std::string::npos) {
        if (buffer_.size() > 64 * 1024) return Unavailable();
        char chunk[1024];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return Unavailable();
        buffer_.append(chunk, static_cast<size_t>(n));
        eol = buffer_.find("\r\n");
      }
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 2);
      if (line.size() < 3) return Unavailable();
      int code = 0;
      auto [ptr, ec] = std::from_chars(line.data(), line.data() + 3, code);
      if (ec != std::errc() || ptr != line.data() + 3) return Unavailable();
      if (line.size() > 3 && line[3] == '-') continue;  // More lines of the same reply.
      return code;
    }
  }

  // Sends `command` and checks that the reply's code is one of `expected`.
  Status Command(std::string_view command, std::initializer_list<int> expected) {
    CP_RETURN_IF_ERROR(Write(command));
    CP_ASSIGN_OR_RETURN(int code, Reply());
    if (std::find(expected.begin(), expected.end(), code) == expected.end()) {
      return Status::Unavailable("The e-mail relay refused the message (" + std::to_string(code) +
                                 ")");
    }
    return Status::Ok();
  }

 private:
  int fd_;
  std::string buffer_;
};

// CRLF line ends, and a leading '.' doubled (RFC 5321 section 4.5.2).
std::string DataOf(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') continue;
    if (line_start && c == '.') out += '.';
    if (c == '\n') {
      out += "\r\n";
      line_start = true;
      continue;
    }
    out += c;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  return out;
}

bool IsHeaderSafe(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

bool IsSendableAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : address) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"') {
      return false;
    }
  }
  return true;
}

Result<SmtpEndpoint> ParseSmtpEndpoint(std::string_view text) {
  const Status bad = Status::InvalidArgument("--smtp must be HOST:PORT", "smtp");
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return bad;
  SmtpEndpoint out;
  out.host = std::string(text.substr(0, colon));
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
    return bad;
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

SmtpMailRelay::SmtpMailRelay(SmtpEndpoint endpoint, std::string from, std::string helo_name,
                             std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)),
      from_(std::move(from)),
      helo_name_(std::move(helo_name)),
      timeout_(timeout) {}

Status SmtpMailRelay::Send(const MailMessage& m) {
  if (!IsSendableAddress(m.to) || !IsSendableAddress(from_)) {
    return Status::InvalidArgument("The e-mail address cannot be used", "to");
  }
  if (!IsHeaderSafe(m.subject) || !IsHeaderSafe(helo_name_)) {
    return Status::InvalidArgument("The subject cannot hold a line break", "subject");
  }
  CP_ASSIGN_OR_RETURN(int fd, Connect(endpoint_, timeout_));
  Socket socket(fd);
  Conversation c(socket.fd());
  CP_ASSIGN_OR_RETURN(int greeting, c.Reply());
  if (greeting != 220) return Unavailable();
  CP_RETURN_IF_ERROR(c.Command("HELO " + helo_name_ + "\r\n", {250}));
  CP_RETURN_IF_ERROR(c.Command("MAIL FROM:<" + from_ + ">\r\n", {250}));
  CP_RETURN_IF_ERROR(c.Command("RCPT TO:<" + m.to + ">\r\n", {250, 251}));
  CP_RETURN_IF_ERROR(c.Command("DATA\r\n", {354}));
  std::string data = "From: ContactPoint <" + from_ + ">\r\nTo: <" + m.to +
                     ">\r\nSubject: " + m.subject +
                     "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\n\r\n" +
                     DataOf(m.body) + ".\r\n";
  CP_RETURN_IF_ERROR(c.Command(data, {250}));
  (void)c.Command("QUIT\r\n", {221});  // The message is accepted; a lost QUIT changes nothing.
  return Status::Ok();
}

Status FakeMailRelay::Send(const MailMessage& message) {
  std::lock_guard lock(mu_);
  if (!fail_next_.ok()) {
    Status st = fail_next_;
    fail_next_ = Status::Ok();
    return st;
  }
  sent_.push_back(message);
  return Status::Ok();
}

std::vector<MailMessage> FakeMailRelay::Sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

void FakeMailRelay::FailNext(Status status) {
  std::lock_guard lock(mu_);
  fail_next_ = std::move(status);
}

MailMessage TaskMail(std::string to, std::string_view kind) {
  std::string what = "Something in ContactPoint needs your attention.";
  if (kind == "brokering_request" || kind == "brokering_decision") {
    what = "A brokering request needs your attention.";
  } else if (kind == "brokering_outcome") {
    what = "There is news about a brokering request you made.";
  } else if (kind == "break_glass_used") {
    what = "A Break Glass investigation has been opened for your team.";
  } else if (kind == "review_due") {
    what = "A review of a shield is due.";
  } else if (kind == "request_pending" || kind == "decide_shield") {
    what = "A shielding decision is waiting for you.";
  } else if (kind == "outcome") {
    what = "There is news about a shielding request you made.";
  }
  MailMessage m;
  m.to = std::move(to);
  m.subject = "ContactPoint: a task is waiting for you";
  m.body = "You have a new task in ContactPoint.\n\n" + what +
           "\n\nSign in to ContactPoint to see it. For the children's safety this e-mail holds "
           "no details: do not reply to it.\n";
  return m;
}

TaskMailer::TaskMailer(NoticeFeed& feed, RecipientDirectory& directory, MailRelay& relay)
    : feed_(feed), directory_(directory), relay_(relay) {}

Status TaskMailer::Start() {
  CP_ASSIGN_OR_RETURN(last_id_, feed_.LastId());
  return Status::Ok();
}

Result<size_t> TaskMailer::RunOnce() {
  CP_ASSIGN_OR_RETURN(auto notices, feed_.After(last_id_, 100));
  size_t sent = 0;
  for (const auto& n : notices) {
    CP_ASSIGN_OR_RETURN(auto addresses, directory_.Addresses(n.recipient));
    for (const auto& address : addresses) {
      if (!IsSendableAddress(address)) continue;
      CP_RETURN_IF_ERROR(relay_.Send(TaskMail(address, n.kind)));
      ++sent;
    }
    last_id_ = n.id;
  }
  return sent;
}

TaskMailLoop::TaskMailLoop(TaskMailer& mailer, std::chrono::milliseconds interval)
    : mailer_(mailer), interval_(interval) {}

TaskMailLoop::~TaskMailLoop() { Stop(); }

void TaskMailLoop::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock held(mu_);
    while (!stopping_) {
      held.unlock();
      (void)mailer_.RunOnce();  // Retried next round.
      held.lock();
      wake_.wait_for(held, interval_, [this] { return stopping_; });
    }
  });
}

void TaskMailLoop::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace cp::app
