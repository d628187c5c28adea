// RespondWhenAudited: answers a read without parking a worker thread in the audit trail's
// group commit, while keeping the rule that nothing leaves before its audit entry is durable.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/status.h"
#include "http/response.h"

namespace cp::api {

// Runs `respond()` with the audit events whose action is in `actions` queued for the group
// commit instead of waited for (audit::DeferredDurability), and returns its response held
// until those entries are durable. If one of them cannot be written, the server sends
// `on_failure(Unavailable)` instead, by default 503 {"error":"unavailable"}, and nothing of the
// held response leaves (fail closed).
//
// Use it only for handlers whose sole effect resting on those entries is the response itself
// (searches and record views): a handler that commits other state must record synchronously,
// so that a failed audit write refuses the change too. Events with other actions recorded by
// `respond` stay synchronous.
template <typename Fn>
http::Response RespondWhenAudited(std::vector<std::string> actions, Fn&& respond,
                                  http::Response::FailureResponder on_failure = nullptr) {
  auto durability = std::make_shared<audit::DeferredDurability>(std::move(actions));
  http::Response response;
  {
    audit::DeferredDurability::Scope scope(durability);
    response = std::forward<Fn>(respond)();
  }
  // Always held: even when every entry is already settled, Await reports whether one failed.
  response.HoldUntil(
      [durability](std::function<void(Status)> done) {
        durability->Await([done = std::move(done)](Status durable) {
          done(durable.ok() ? Status::Ok()
                            : Status::Unavailable("The audit trail cannot be written"));
        });
      },
      std::move(on_failure));
  return response;
}

// The audit actions of the directory's reads.
inline const std::vector<std::string>& SearchAuditActions() {
  static const std::vector<std::string> kActions{"child.search"};
  return kActions;
}
inline const std::vector<std::string>& RecordViewAuditActions() {
  static const std::vector<std::string> kActions{"child.view"};
  return kActions;
}

}  // namespace cp::api
