// Compiled by the layering tests: with CP_PRESENTATION_LAYER defined (as it is for the http,
// api and web libraries) this must NOT compile, because the raw child record may not reach
// the presentation layers. Without the definition it must compile (the control), so the test
// fails for the right reason only.
#include "domain/child_record.h"

int main() {
  cp::domain::ChildRecord record;
  return record.address.postcode.empty() ? 0 : 1;
}
