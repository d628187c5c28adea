#include "app/mail_relay.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <thread>

namespace cp::app {
namespace {

// A one-connection SMTP server on 127.0.0.1 and an ephemeral port, speaking just enough of
// RFC 5321 to accept one message. Records the commands and the DATA it received.
class TinySmtpServer {
 public:
  explicit TinySmtpServer(bool refuse_recipient = false) : refuse_(refuse_recipient) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinySmtpServer() {
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  // Waits for the conversation to end and returns what was received.
  std::string Transcript() {
    if (thread_.joinable()) thread_.join();
    return transcript_;
  }
  std::string Data() {
    if (thread_.joinable()) thread_.join();
    return data_;
  }

 private:
  void Send(int fd, std::string_view line) { ::send(fd, line.data(), line.size(), MSG_NOSIGNAL); }
  bool ReadLine(int fd, std::string& line) {
    line.clear();
    char c;
    while (::recv(fd, &c, 1, 0) == 1) {
      line += c;
      if (line.ends_with("\r\n")) {
        line.resize(line.size() - 2);
        return true;
      }
    }
    return false;
  }
  void Serve() {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    Send(fd, "220 test.invalid ESMTP ready\r\n");
    std::string line;
    bool in_data = false;
    while (ReadLine(fd, line)) {
      if (in_data) {
        if (line == ".") {
          in_data = false;
          Send(fd, "250 queued\r\n");
        } else {
          data_ += line + "\n";
        }
        continue;
      }
      transcript_ += line + "\n";
      if (line.starts_with("HELO")) {
        Send(fd, "250-test.invalid\r\n250 HELP\r\n");  // A multi-line reply.
      } else if (line.starts_with("MAIL FROM:")) {
        Send(fd, "250 ok\r\n");
      } else if (line.starts_with("RCPT TO:")) {
        Send(fd, refuse_ ? "550 no such user\r\n" : "250 ok\r\n");
      } else if (line == "DATA") {
        Send(fd, "354 go ahead\r\n");
        in_data = true;
      } else if (line == "QUIT") {
        Send(fd, "221 bye\r\n");
        break;
      } else {
        Send(fd, "500 unknown\r\n");
      }
    }
    ::close(fd);
  }

  bool refuse_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::string transcript_;
  std::string data_;
};

// What a real notification carries, all of which must stay out of e-mail.
constexpr std::string_view kChildData[] = {"AB12345678",      "Ruby",    "Stone",
                                           "12 Larch Avenue", "NT4 7QP", "2015-04-03"};

class MemoryFeed final : public NoticeFeed {
 public:
  Result<std::vector<TaskNotice>> After(int64_t id, size_t limit) override {
    std::vector<TaskNotice> out;
    for (const auto& n : notices) {
      if (n.id > id && out.size() < limit) out.push_back(n);
    }
    return out;
  }
  Result<int64_t> LastId() override { return notices.empty() ? 0 : notices.back().id; }
  std::vector<TaskNotice> notices;
};

class MapDirectory final : public RecipientDirectory {
 public:
  Result<std::vector<std::string>> Addresses(std::string_view recipient) override {
    auto it = addresses.find(std::string(recipient));
    if (it == addresses.end()) return std::vector<std::string>{};
    return it->second;
  }
  std::map<std::string, std::vector<std::string>> addresses;
};

void ExpectNoChildData(const std::string& text) {
  for (std::string_view item : kChildData) {
    EXPECT_EQ(text.find(item), std::string::npos) << "e-mail holds " << item;
  }
}

TEST(SmtpMailRelayTest, SpeaksSmtpAndTheTaskMailHoldsNoChildData) {
  TinySmtpServer server;
  SmtpMailRelay relay({"127.0.0.1", server.port()}, "noreply@contactpoint.example");
  MemoryFeed feed;
  MapDirectory directory;
  directory.addresses["management:LA-NORTHSHIRE"] = {"morgan@example.org.uk"};
  TaskMailer mailer(feed, directory, relay);
  ASSERT_TRUE(mailer.Start().ok());
  // The notification's text (with the UIN, names and address) is not even read by the feed;
  // only the kind chooses the fixed wording.
  feed.notices.push_back({1, "management:LA-NORTHSHIRE", "break_glass_used"});
  auto sent = mailer.RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(*sent, 1u);

  const std::string transcript = server.Transcript();
  EXPECT_NE(transcript.find("HELO contactpoint\n"), std::string::npos);
  EXPECT_NE(transcript.find("MAIL FROM:<noreply@contactpoint.example>\n"), std::string::npos);
  EXPECT_NE(transcript.find("RCPT TO:<morgan@example.org.uk>\n"), std::string::npos);
  EXPECT_NE(transcript.find("DATA\n"), std::string::npos);
  EXPECT_NE(transcript.find("QUIT\n"), std::string::npos);
  const std::string data = server.Data();
  EXPECT_NE(data.find("Subject: ContactPoint: a task is waiting for you\n"), std::string::npos);
  EXPECT_NE(data.find("Sign in to ContactPoint"), std::string::npos);
  ExpectNoChildData(data);
}

TEST(SmtpMailRelayTest, ARefusedRecipientIsUnavailableAndRetriedNextTime) {
  TinySmtpServer server(/*refuse_recipient=*/true);
  SmtpMailRelay relay({"127.0.0.1", server.port()}, "noreply@contactpoint.example");
  MemoryFeed feed;
  MapDirectory directory;
  directory.addresses["user:pat.teacher"] = {"pat@example.org.uk"};
  TaskMailer mailer(feed, directory, relay);
  ASSERT_TRUE(mailer.Start().ok());
  feed.notices.push_back({1, "user:pat.teacher", "brokering_outcome"});
  auto sent = mailer.RunOnce();
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(sent.status().message().find("pat@"), std::string::npos);  // No address in errors.
  server.Transcript();
  // Not lost: the next round tries the same notification again.
  FakeMailRelay fake;
  TaskMailer again(feed, directory, fake);
  auto retried = again.RunOnce();
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(*retried, 1u);
}

TEST(SmtpMailRelayTest, NoRelayListeningIsUnavailable) {
  uint16_t port = 0;
  {
    TinySmtpServer server;  // Take a free port, then close it.
    port = server.port();
    SmtpMailRelay relay({"127.0.0.1", port}, "noreply@contactpoint.example");
    ASSERT_TRUE(relay.Send(TaskMail("a@example.org", "review_due")).ok());
  }
  SmtpMailRelay relay({"127.0.0.1", port}, "noreply@contactpoint.example");
  EXPECT_EQ(relay.Send(TaskMail("a@example.org", "review_due")).code(), StatusCode::kUnavailable);
}

TEST(SmtpMailRelayTest, RefusesAddressesThatCouldInjectCommands) {
  SmtpMailRelay relay({"127.0.0.1", 9}, "noreply@contactpoint.example");
  for (std::string bad : {"a@b\r\nRCPT TO:<x@y>", "<a@b>", "no-at-sign", "a b@c", "@b", "a@"}) {
    EXPECT_EQ(relay.Send(TaskMail(bad, "review_due")).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(TaskMailerTest, SendsOneMailPerAddressAndSkipsWhatCameBeforeStart) {
  MemoryFeed feed;
  feed.notices.push_back({1, "user:old", "outcome"});
  MapDirectory directory;
  directory.addresses["user:old"] = {"old@example.org"};
  directory.addresses["management:LA-X"] = {"m1@example.org", "m2@example.org", "bad address"};
  FakeMailRelay relay;
  TaskMailer mailer(feed, directory, relay);
  ASSERT_TRUE(mailer.Start().ok());
  feed.notices.push_back({2, "management:LA-X", "brokering_request"});
  auto sent = mailer.RunOnce();
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, 2u);
  auto mails = relay.Sent();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].to, "m1@example.org");
  EXPECT_EQ(mails[1].to, "m2@example.org");
  for (const auto& m : mails) ExpectNoChildData(m.subject + m.body);
  EXPECT_EQ(*mailer.RunOnce(), 0u);  // Nothing new.
}

TEST(TaskMailerTest, EveryKindGivesFixedWordsOnly) {
  for (std::string_view kind :
       {"brokering_request", "brokering_decision", "brokering_outcome", "break_glass_used",
        "review_due", "request_pending", "decide_shield", "outcome", "unknown"}) {
    MailMessage m = TaskMail("x@example.org", kind);
    EXPECT_EQ(m.subject, "ContactPoint: a task is waiting for you");
    EXPECT_NE(m.body.find("Sign in to ContactPoint"), std::string::npos);
    ExpectNoChildData(m.body);
  }
}

TEST(SmtpEndpointTest, Parses) {
  auto ok = ParseSmtpEndpoint("mail.internal:2525");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->host, "mail.internal");
  EXPECT_EQ(ok->port, 2525);
  auto v6 = ParseSmtpEndpoint("[::1]:25");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  for (std::string_view bad : {"", "host", ":25", "host:", "host:0", "host:70000", "host:2x"}) {
    EXPECT_FALSE(ParseSmtpEndpoint(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace cp::app
