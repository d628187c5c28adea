#include "workflow/trawling_monitor.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>

namespace cp::workflow {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Result<TrawlingReport> RunTrawlingMonitor(audit::AuditStore& audit,
                                          const std::vector<MonitoredUser>& users, TimePoint now,
                                          const TrawlingRule& rule) {
  TrawlingReport report;
  report.day = Date::FromTime(now);
  report.rule = rule;
  const TimePoint day_start = report.day.StartOfDay();
  const TimePoint history_start = report.day.AddDays(-rule.history_days).StartOfDay();
  std::vector<double> today_counts;
  for (const MonitoredUser& user : users) {
    audit::AuditQuery query;
    query.actor = user.username;
    query.action_prefix = "child.search";
    query.from = history_start;
    query.to = now + std::chrono::microseconds(1);
    query.limit = 10000;
    CP_ASSIGN_OR_RETURN(auto entries, audit.Query(query));
    UserSearchActivity a;
    a.username = user.username;
    a.organisation = user.organisation;
    std::map<int64_t, size_t> per_day;   // Days since epoch -> searches (history only).
    std::map<int64_t, size_t> per_hour;  // Hour of today -> searches.
    for (const auto& e : entries) {
      if (e.event.action != "child.search") continue;
      const bool refused = e.event.outcome == "refused" || e.event.outcome == "denied";
      if (e.time >= day_start) {
        ++a.today;
        ++per_hour[std::chrono::duration_cast<std::chrono::hours>(e.time - day_start).count()];
        if (refused) ++a.refused_today;
      } else {
        ++per_day[Date::FromTime(e.time).days()];
        if (refused) ++a.refused_history;
      }
    }
    std::vector<double> daily(static_cast<size_t>(rule.history_days), 0.0);
    for (auto [day, count] : per_day) {
      int64_t index = report.day.days() - day - 1;
      if (index >= 0 && index < rule.history_days) {
        daily[static_cast<size_t>(index)] = static_cast<double>(count);
      }
    }
    a.own_median = Median(daily);
    for (auto [hour, count] : per_hour) a.peak_hour = std::max(a.peak_hour, count);
    today_counts.push_back(static_cast<double>(a.today));
    report.users.push_back(std::move(a));
  }
  report.peer_median = Median(today_counts);
  for (size_t i = 0; i < report.users.size(); ++i) {
    UserSearchActivity& a = report.users[i];
    const double today = static_cast<double>(a.today);
    // The peers: everyone else listed (a trawler must not raise their own yardstick).
    std::vector<double> others = today_counts;
    others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
    a.peer_median = Median(std::move(others));
    if (a.today >= rule.minimum_today && today > rule.multiple * std::max(a.own_median, 1.0) &&
        today > rule.multiple * std::max(a.peer_median, 1.0)) {
      a.reasons.push_back("volume");
    }
    if (a.peak_hour > rule.hourly_ceiling) a.reasons.push_back("hourly_ceiling");
    if (a.refused_today >= rule.refused_limit) a.reasons.push_back("refusals");
  }
  std::stable_sort(report.users.begin(), report.users.end(),
                   [](const UserSearchActivity& x, const UserSearchActivity& y) {
                     if (x.flagged() != y.flagged()) return x.flagged();
                     return x.today > y.today;
                   });
  return report;
}

}  // namespace cp::workflow
