// The trawling monitor on a synthetic audit trail: a fake audit store and an injected time.
#include "workflow/trawling_monitor.h"

#include <gtest/gtest.h>

#include "audit/testing/memory_audit_store.h"

namespace cp::workflow {
namespace {

TimePoint At(int y, int m, int d, int hour, int minute = 0) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

class TrawlingMonitorTest : public ::testing::Test {
 protected:
  // Sunday 22 November 2026, 16:00 UTC.
  const TimePoint now_ = At(2026, 11, 22, 16);

  void Search(const std::string& user, TimePoint when, const std::string& outcome = "success") {
    audit::AuditEntry e;
    e.sequence = ++sequence_;
    e.time = when;
    e.event.actor = user;
    e.event.organisation = "SCH-1";
    e.event.action = "child.search";
    e.event.target = "directory";
    e.event.outcome = outcome;
    ASSERT_TRUE(store_.AppendBatch({&e, 1}, nullptr).ok());
  }
  // `per_day` searches on each of the 30 days before today, spread over the working day.
  void History(const std::string& user, int per_day) {
    Date today = Date::FromTime(now_);
    for (int d = 1; d <= 30; ++d) {
      for (int i = 0; i < per_day; ++i) {
        Search(user, today.AddDays(-d).StartOfDay() + std::chrono::hours(9) +
                         std::chrono::minutes(i * 7));
      }
    }
  }
  // `count` searches today, `minutes_apart` apart from 09:00.
  void Today(const std::string& user, int count, int minutes_apart) {
    for (int i = 0; i < count; ++i) {
      Search(user, At(2026, 11, 22, 9) + std::chrono::minutes(i * minutes_apart));
    }
  }
  const UserSearchActivity& Find(const TrawlingReport& r, const std::string& user) {
    for (const auto& a : r.users) {
      if (a.username == user) return a;
    }
    ADD_FAILURE() << user;
    static UserSearchActivity none;
    return none;
  }

  audit::testing::MemoryAuditStore store_;
  uint64_t sequence_ = 0;
  const std::vector<MonitoredUser> users_ = {{"normal.one", "SCH-1"},  {"normal.two", "SCH-1"},
                                             {"busy.worker", "SCH-1"}, {"trawler", "SCH-1"},
                                             {"burst", "SCH-1"},       {"refused", "SCH-1"}};
};

TEST_F(TrawlingMonitorTest, FlagsTheTrawlerAndNotNormalUsers) {
  History("normal.one", 6);
  Today("normal.one", 7, 30);
  History("normal.two", 4);
  Today("normal.two", 5, 45);
  // A busy but steady worker: many searches every day is their normal.
  History("busy.worker", 30);
  Today("busy.worker", 35, 10);
  // The trawler: usually 5 a day, today 90 spread over the day (under the hourly ceiling).
  History("trawler", 5);
  Today("trawler", 90, 4);
  auto report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->day, *Date::Parse("2026-11-22"));
  const auto& trawler = Find(*report, "trawler");
  EXPECT_EQ(trawler.today, 90u);
  EXPECT_DOUBLE_EQ(trawler.own_median, 5);
  EXPECT_TRUE(trawler.flagged());
  EXPECT_EQ(trawler.reasons, std::vector<std::string>{"volume"});
  for (const char* normal : {"normal.one", "normal.two", "busy.worker", "burst", "refused"}) {
    EXPECT_FALSE(Find(*report, normal).flagged()) << normal;
  }
  EXPECT_EQ(report->users.front().username, "trawler");  // Flagged first.
}

TEST_F(TrawlingMonitorTest, VolumeNeedsTheMinimumAndToBeUnusualAgainstPeersToo) {
  // 12 searches against a median of 1 is 12x their own history, but under the minimum of 20.
  History("normal.one", 1);
  Today("normal.one", 12, 20);
  auto report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(Find(*report, "normal.one").flagged());
  // Everyone searching 25 today with a history of 5: not unusual against the peers.
  audit::testing::MemoryAuditStore fresh;
  store_.Tamper([](auto& entries, auto&) { entries.clear(); });
  for (const auto& u : users_) {
    History(u.username, 5);
    Today(u.username, 25, 15);
  }
  report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok());
  for (const auto& a : report->users) EXPECT_FALSE(a.flagged()) << a.username;
}

TEST_F(TrawlingMonitorTest, TheHourlyCeiling) {
  History("burst", 50);
  Today("burst", 41, 1);       // 41 within one hour: over the ceiling of 40.
  Today("normal.one", 40, 1);  // 40: at the ceiling, not over it.
  History("normal.one", 50);
  auto report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "burst").reasons, std::vector<std::string>{"hourly_ceiling"});
  EXPECT_EQ(Find(*report, "burst").peak_hour, 41u);
  EXPECT_FALSE(Find(*report, "normal.one").flagged());
}

TEST_F(TrawlingMonitorTest, RefusedSearchesAreCountedAndFlaggedAtTheLimit) {
  for (int i = 0; i < 5; ++i) Search("refused", At(2026, 11, 22, 10, i), "refused");
  for (int i = 0; i < 4; ++i) Search("normal.one", At(2026, 11, 22, 10, i), "refused");
  Search("normal.one", At(2026, 11, 20, 10), "denied");
  auto report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "refused").refused_today, 5u);
  EXPECT_EQ(Find(*report, "refused").reasons, std::vector<std::string>{"refusals"});
  EXPECT_EQ(Find(*report, "normal.one").refused_today, 4u);
  EXPECT_EQ(Find(*report, "normal.one").refused_history, 1u);
  EXPECT_FALSE(Find(*report, "normal.one").flagged());
}

TEST_F(TrawlingMonitorTest, OnlyThePast30DaysCountAndTheFutureIsIgnored) {
  // Searches 31 days ago are outside the history.
  Date today = Date::FromTime(now_);
  for (int i = 0; i < 100; ++i) {
    Search("trawler", today.AddDays(-31).StartOfDay() + std::chrono::minutes(i));
  }
  Search("trawler", now_ + std::chrono::hours(1));  // Not yet happened.
  auto report = RunTrawlingMonitor(store_, users_, now_);
  ASSERT_TRUE(report.ok());
  EXPECT_DOUBLE_EQ(Find(*report, "trawler").own_median, 0);
  EXPECT_EQ(Find(*report, "trawler").today, 0u);
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(Median({}), 0);
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
}

}  // namespace
}  // namespace cp::workflow
