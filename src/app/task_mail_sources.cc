#include "app/task_mail_sources.h"

#include <map>

#include "domain/role.h"
#include "store/sqlite/database.h"

namespace cp::app {

using store::sqlite::Database;
using store::sqlite::Statement;

Result<std::vector<TaskNotice>> SqliteNoticeFeed::After(int64_t id, size_t limit) {
  return conn_->With([&](Database& db) -> Result<std::vector<TaskNotice>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT id, recipient, kind FROM notification WHERE id>?"
                                  " ORDER BY id LIMIT ?"));
    s->Reset();
    s->Bind(1, id).Bind(2, static_cast<int64_t>(limit));
    std::vector<TaskNotice> out;
    for (;;) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back({s->ColumnInt(0), s->ColumnText(1), s->ColumnText(2)});
    }
    s->Reset();
    return out;
  });
}

Result<int64_t> SqliteNoticeFeed::LastId() {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT COALESCE(MAX(id), 0) FROM notification"));
    s->Reset();
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    int64_t last = row ? s->ColumnInt(0) : 0;
    s->Reset();
    return last;
  });
}

Result<std::vector<std::string>> UserRecipientDirectory::Addresses(std::string_view recipient) {
  const size_t colon = recipient.find(':');
  if (colon == std::string_view::npos) return std::vector<std::string>{};
  const std::string_view group = recipient.substr(0, colon);
  const std::string_view name = recipient.substr(colon + 1);
  CP_ASSIGN_OR_RETURN(auto users, users_.List());
  std::map<int64_t, domain::Organisation> orgs;
  if (group != "user") {
    CP_ASSIGN_OR_RETURN(auto list, orgs_.List());
    for (auto& o : list) orgs[o.id] = std::move(o);
  }
  std::vector<std::string> out;
  for (const auto& u : users) {
    if (u.status != domain::AccountStatus::kActive || u.email.empty()) continue;
    bool match = false;
    if (group == "user") {
      match = u.username == name;
    } else if (auto it = orgs.find(u.organisation_id); it != orgs.end() && it->second.active) {
      if (group == "management") {
        match = u.roles.Has(domain::Role::kManagement) && it->second.local_authority_code == name;
      } else if (group == "shielders") {
        match = u.roles.Has(domain::Role::kShielder) && it->second.code == name;
      }
    }
    if (match) out.push_back(u.email);
  }
  return out;
}

}  // namespace cp::app
