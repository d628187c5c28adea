// A gmock AuditSink:  EXPECT_CALL(sink, Record(Field(&AuditEvent::action, "auth.sign_in")))
//                          .WillOnce(Return(Status::Ok()));
#pragma once

#include <gmock/gmock.h>

#include "audit/audit_sink.h"

namespace cp::audit::testing {

class MockAuditSink : public AuditSink {
 public:
  MOCK_METHOD(Status, Record, (const AuditEvent& event), (override));
};

}  // namespace cp::audit::testing
