// DemoServer: a `contactpoint demo` server in a temporary data directory, with signed-in
// sessions for its demo users, shared by the integration suites.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/testing/test_client.h"
#include "server_process.h"

namespace cp::testing {

// What the demo's shielded child Ruby Stone has behind her shield (see app/demo.cc): none of
// it may reach a user who cannot see the full record.
extern const std::vector<std::string> kRubysHiddenDetails;

struct DemoSession {
  std::unique_ptr<http::testing::TestClient> client;
  http::HeaderMap headers;  // Carries X-CSRF-Token.
  std::string totp_secret;  // Raw key, for step-up codes.

  // POSTs `body` as JSON with the session's cookie and CSRF token.
  http::testing::TestResponse PostJson(const std::string& target, const boost::json::value& body);
  // A TOTP code the account has not used yet: the next step's (the server accepts one ahead).
  std::string NextStepCode() const;
};

class DemoServer {
 public:
  // Starts `contactpoint demo --children N` and reads DIR/demo-accounts.json.
  static Result<std::unique_ptr<DemoServer>> Start(size_t children);

  uint16_t port() const { return server_->port(); }
  const std::string& data_dir() const { return dir_.path(); }
  ServerProcess& process() { return *server_; }

  // Signs in as the demo user once per server and returns the same session afterwards (a
  // TOTP code works only once per account). Adds a test failure if sign-in fails.
  DemoSession& SignIn(const std::string& username);

 private:
  DemoServer() = default;
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  boost::json::array accounts_;
  std::map<std::string, DemoSession> sessions_;
};

}  // namespace cp::testing
