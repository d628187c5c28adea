// E-mail about tasks (policy: the management desk's notifications; docs/break-glass.md).
//
// ContactPoint tells users in the app what needs them (the `notification` table). When an
// e-mail relay is configured (`serve --smtp HOST:PORT` or CP_SMTP_RELAY), TaskMailer also
// sends each recipient an e-mail that says only that there is a task waiting: a fixed subject
// and body chosen by the notification's kind, never its text, a UIN, a name, an address or
// anything else about a child. The e-mail is a prompt to sign in, nothing more.
//
//   MailRelay      the interface: deliver one message.
//   SmtpMailRelay  plain SMTP over TCP (HELO, MAIL FROM, RCPT TO, DATA, QUIT), for a relay on
//                  the server's own network (no TLS, no authentication: put it on loopback or
//                  a trusted segment).
//   FakeMailRelay  records messages, for tests.
//   TaskMailer     turns new notifications into task e-mails.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace cp::app {

struct MailMessage {
  std::string to;  // One address: local@domain, no spaces, CR, LF, '<' or '>'.
  std::string subject;
  std::string body;  // Lines end with "\n"; sent as CRLF.
};

class MailRelay {
 public:
  virtual ~MailRelay() = default;
  // Delivers `message` to the relay. Unavailable when the relay cannot be reached or refuses;
  // InvalidArgument for an address that cannot be sent. Messages name no address.
  virtual Status Send(const MailMessage& message) = 0;
};

// "host:port" -> its parts; InvalidArgument (field "smtp") otherwise.
struct SmtpEndpoint {
  std::string host;
  uint16_t port = 25;
};
Result<SmtpEndpoint> ParseSmtpEndpoint(std::string_view text);

// One connection per message. Thread-safe (no shared state).
class SmtpMailRelay final : public MailRelay {
 public:
  SmtpMailRelay(SmtpEndpoint endpoint, std::string from, std::string helo_name = "contactpoint",
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Status Send(const MailMessage& message) override;

 private:
  SmtpEndpoint endpoint_;
  std::string from_;
  std::string helo_name_;
  std::chrono::milliseconds timeout_;
};

// Thread-safe.
class FakeMailRelay final : public MailRelay {
 public:
  Status Send(const MailMessage& message) override;
  std::vector<MailMessage> Sent() const;
  void FailNext(Status status);

 private:
  mutable std::mutex mu_;
  std::vector<MailMessage> sent_;
  Status fail_next_;
};

// True for an address SmtpMailRelay can put in an envelope.
bool IsSendableAddress(std::string_view address);

// A notification as the mailer sees it: no text, no UIN.
struct TaskNotice {
  int64_t id = 0;
  std::string recipient;  // "user:<username>", "management:<authority>", "shielders:<org>".
  std::string kind;
};

// The new notifications, in id order.
class NoticeFeed {
 public:
  virtual ~NoticeFeed() = default;
  virtual Result<std::vector<TaskNotice>> After(int64_t id, size_t limit) = 0;
  virtual Result<int64_t> LastId() = 0;
};

// The e-mail addresses of a recipient group's active users.
class RecipientDirectory {
 public:
  virtual ~RecipientDirectory() = default;
  virtual Result<std::vector<std::string>> Addresses(std::string_view recipient) = 0;
};

// The task e-mail for a notification of `kind`: fixed text only.
MailMessage TaskMail(std::string to, std::string_view kind);

// Sends a task e-mail for each new notification. Not thread-safe: call from one thread (the
// app's maintenance thread).
class TaskMailer {
 public:
  TaskMailer(NoticeFeed& feed, RecipientDirectory& directory, MailRelay& relay);
  // Skips notifications made before now (called at start-up).
  Status Start();
  // Sends the e-mails for notifications made since the last call; returns how many were
  // sent. A relay failure stops the round and the same notifications are tried next time
  // (the cursor moves only past notifications whose e-mails went).
  Result<size_t> RunOnce();

 private:
  NoticeFeed& feed_;
  RecipientDirectory& directory_;
  MailRelay& relay_;
  int64_t last_id_ = 0;
};

// Runs TaskMailer::RunOnce every `interval` on a background thread (and once at Start). A
// failed round (relay down) is retried at the next. Stop (or the destructor) joins the thread.
class TaskMailLoop {
 public:
  TaskMailLoop(TaskMailer& mailer, std::chrono::milliseconds interval);
  ~TaskMailLoop();
  void Start();
  void Stop();

 private:
  TaskMailer& mailer_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cp::app
