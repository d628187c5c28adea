// The concrete sources of TaskMailer (mail_relay.h): the `notification` table of the main
// database, and the users' e-mail addresses. Wired by Application when a relay is configured.
#pragma once

#include <memory>

#include "app/mail_relay.h"
#include "store/organisation_store.h"
#include "store/sqlite/connection.h"
#include "store/user_store.h"

namespace cp::app {

// Reads ids, recipients and kinds only: never the notification's text or UIN.
class SqliteNoticeFeed final : public NoticeFeed {
 public:
  explicit SqliteNoticeFeed(std::shared_ptr<store::sqlite::SharedConnection> conn)
      : conn_(std::move(conn)) {}
  Result<std::vector<TaskNotice>> After(int64_t id, size_t limit) override;
  Result<int64_t> LastId() override;

 private:
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
};

// "user:<username>" -> that user; "management:<authority>" -> active users with the management
// role in organisations of that local authority area; "shielders:<organisation code>" -> the
// organisation's active shielders. Only active accounts with an address.
class UserRecipientDirectory final : public RecipientDirectory {
 public:
  UserRecipientDirectory(store::UserStore& users, store::OrganisationStore& orgs)
      : users_(users), orgs_(orgs) {}
  Result<std::vector<std::string>> Addresses(std::string_view recipient) override;

 private:
  store::UserStore& users_;
  store::OrganisationStore& orgs_;
};

}  // namespace cp::app
