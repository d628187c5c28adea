#include "store/sqlite/main_schema.h"

#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

const std::vector<Migration>& MainSchemaMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "organisations, users, sessions", R"sql(
CREATE TABLE organisation (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  local_authority_code TEXT NOT NULL,
  allowed_networks TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisation(id),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  roles INTEGER NOT NULL,
  crb_check_date TEXT,
  isa_registered INTEGER NOT NULL DEFAULT 0,
  training_completed TEXT,
  agreement_signed TEXT,
  status INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX app_user_organisation ON app_user(organisation_id);

CREATE TABLE credential (
  user_id INTEGER PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL DEFAULT '',
  must_change_password INTEGER NOT NULL DEFAULT 0,
  totp_secret_sealed BLOB NOT NULL DEFAULT x'',
  totp_enrolled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT -1
) STRICT;

CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  step_up_at INTEGER,
  client_address TEXT NOT NULL DEFAULT '',
  stage INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX session_user ON session(user_id);
CREATE INDEX session_last_seen ON session(last_seen_at);
)sql"},
      // The directory. `protected` is the SecretBox-sealed serialisation of every item a
      // shielded view hides (sealed for every record, bound to "child:" + uin);
      // `address_key` is a keyed hash of the current or last known address (co-residence),
      // NULL without one. `child_change` is the change feed, written in the same transaction
      // as every insert and update.
      {2, "children and their change feed", R"sql(
CREATE TABLE child (
  id INTEGER PRIMARY KEY,
  uin TEXT NOT NULL UNIQUE,
  given_names TEXT NOT NULL,
  family_name TEXT NOT NULL,
  gender TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  responsible_authority TEXT NOT NULL,
  shielded INTEGER NOT NULL DEFAULT 0,
  extended_with_consent INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  core_source TEXT NOT NULL,
  core_updated_at INTEGER NOT NULL,
  name_source TEXT NOT NULL,
  name_updated_at INTEGER NOT NULL,
  protected BLOB NOT NULL,
  address_key TEXT
) STRICT;
CREATE INDEX child_address_key ON child(address_key) WHERE address_key IS NOT NULL;

CREATE TABLE child_change (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  child_id INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
) STRICT;
)sql"},
      // Shielding (docs/shielding.md). Person details (requester, comments, the request form,
      // appeal details, documents) are sealed with the field key into `sealed` columns bound
      // to "<table>:<id>"; only codes, dates, states and UINs are in clear. One open review
      // per child (the partial unique index).
      {3, "shielding: requests, log, reviews, notifications, appeals, documents", R"sql(
CREATE TABLE shield_request (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES child(id),
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  criteria TEXT NOT NULL,
  category TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requester_org TEXT NOT NULL,
  routed_to TEXT NOT NULL DEFAULT '',
  origin_request_id INTEGER,
  linked_uin TEXT NOT NULL DEFAULT '',
  telephone INTEGER NOT NULL DEFAULT 0,
  form_due TEXT,
  form_received TEXT,
  pre_go_live INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT NOT NULL DEFAULT '',
  sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX shield_request_child ON shield_request(child_id, status);
CREATE INDEX shield_request_by ON shield_request(requested_by);
CREATE INDEX shield_request_routed ON shield_request(routed_to, status);
CREATE INDEX shield_request_authority ON shield_request(authority);
CREATE INDEX shield_request_form_due ON shield_request(form_due)
  WHERE telephone = 1 AND form_received IS NULL;

CREATE TABLE shield_log (
  id INTEGER PRIMARY KEY,
  authority TEXT NOT NULL,
  request_id INTEGER REFERENCES shield_request(id),
  uin TEXT NOT NULL,
  action INTEGER NOT NULL CHECK (action BETWEEN 1 AND 5),
  category TEXT NOT NULL,
  action_date TEXT NOT NULL,
  confirmation_sent TEXT,
  sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX shield_log_authority ON shield_log(authority, id);

CREATE TABLE shield_review (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES child(id),
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  due TEXT NOT NULL,
  completed_at INTEGER,
  reviewer TEXT NOT NULL DEFAULT '',
  outcome TEXT,
  sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE UNIQUE INDEX shield_review_one_open ON shield_review(child_id) WHERE completed_at IS NULL;
CREATE INDEX shield_review_authority ON shield_review(authority, due);

CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  child_uin TEXT NOT NULL DEFAULT '',
  request_id INTEGER,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX notification_recipient ON notification(recipient, id);

CREATE TABLE shield_appeal (
  id INTEGER PRIMARY KEY,
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT NOT NULL DEFAULT '',
  sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX shield_appeal_authority ON shield_appeal(authority, id);

CREATE TABLE shield_document (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES shield_request(id),
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX shield_document_request ON shield_document(request_id);
)sql"},
      // Break Glass and brokering (docs/break-glass.md). Free text (reasons, notes, the
      // practitioner contacted, the released text, decline reasons) is sealed with the field
      // key, bound to "<table>.<column>:<id>"; codes, states, dates, usernames and UINs are in
      // clear. In-app notifications go to the `notification` table of migration 3.
      {4, "break glass: holders, grants, investigations; brokering requests", R"sql(
CREATE TABLE break_glass_holder (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  authority TEXT NOT NULL,
  nominated_by TEXT NOT NULL,
  nominated_at INTEGER NOT NULL,
  approved_by TEXT NOT NULL DEFAULT '',
  approved_on TEXT,
  approval_reference TEXT NOT NULL DEFAULT '',
  approval_recorded_by TEXT NOT NULL DEFAULT '',
  revoked_at INTEGER,
  revoked_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX break_glass_holder_current ON break_glass_holder(username)
  WHERE revoked_at IS NULL;
CREATE INDEX break_glass_holder_authority ON break_glass_holder(authority, username);

CREATE TABLE break_glass_grant (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  child_id INTEGER NOT NULL REFERENCES child(id),
  child_uin TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX break_glass_grant_open ON break_glass_grant(username) WHERE ended_at IS NULL;

CREATE TABLE break_glass_investigation (
  id INTEGER PRIMARY KEY,
  grant_id INTEGER NOT NULL REFERENCES break_glass_grant(id),
  username TEXT NOT NULL,
  user_organisation TEXT NOT NULL,
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  due TEXT NOT NULL,
  status TEXT NOT NULL,
  finding TEXT NOT NULL DEFAULT '',
  concluded_at INTEGER,
  reason_sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX break_glass_investigation_authority ON break_glass_investigation(authority, id);

CREATE TABLE break_glass_investigation_note (
  id INTEGER PRIMARY KEY,
  investigation_id INTEGER NOT NULL REFERENCES break_glass_investigation(id),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  text_sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX break_glass_investigation_note_of
  ON break_glass_investigation_note(investigation_id, id);

CREATE TABLE brokering_request (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES child(id),
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  requester TEXT NOT NULL,
  requester_organisation TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  involvement_id INTEGER NOT NULL DEFAULT 0,
  practitioner_username TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  acknowledged_at INTEGER,
  reason_sealed BLOB NOT NULL DEFAULT x'',
  practitioner_sealed BLOB NOT NULL DEFAULT x'',
  released_sealed BLOB NOT NULL DEFAULT x'',
  decline_sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX brokering_request_requester ON brokering_request(requester, id);
CREATE INDEX brokering_request_authority ON brokering_request(authority, id);

CREATE TABLE brokering_step (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES brokering_request(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  note_sealed BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX brokering_step_of ON brokering_step(request_id, id);
)sql"},
      // Possible duplicates and merges (docs/duplicates.md). The matcher queues a pair in
      // `possible_duplicate`; management confirms (a merge) or rejects it (a `do_not_match` pair,
      // child_a < child_b, that the matcher never proposes again). A merge marks the absorbed
      // record `merged_into` the survivor (the child store then no longer returns it) and keeps
      // in `child_merge` everything an unmerge needs: both records as they were, sealed with the
      // field key (bound to "child_merge:<id>:survivor|absorbed"), the shield requests and source
      // references that moved.
      {5, "possible duplicates, do-not-match pairs, merges", R"sql(
CREATE TABLE possible_duplicate (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES child(id),
  other_child_id INTEGER NOT NULL REFERENCES child(id),
  weight REAL NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'rejected')),
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  CHECK (child_id <> other_child_id)
) STRICT;
CREATE UNIQUE INDEX possible_duplicate_open_pair
  ON possible_duplicate(min(child_id, other_child_id), max(child_id, other_child_id))
  WHERE status = 'open';
CREATE INDEX possible_duplicate_status ON possible_duplicate(status, id);

CREATE TABLE do_not_match (
  child_a INTEGER NOT NULL,
  child_b INTEGER NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER NOT NULL DEFAULT 0,
  duplicate_id INTEGER,
  PRIMARY KEY (child_a, child_b),
  CHECK (child_a < child_b)
) STRICT;
CREATE INDEX do_not_match_b ON do_not_match(child_b);

ALTER TABLE child ADD COLUMN merged_into INTEGER;

CREATE TABLE child_merge (
  id INTEGER PRIMARY KEY,
  duplicate_id INTEGER REFERENCES possible_duplicate(id),
  survivor_id INTEGER NOT NULL REFERENCES child(id),
  absorbed_id INTEGER NOT NULL REFERENCES child(id),
  survivor_uin TEXT NOT NULL,
  absorbed_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  merged_by TEXT NOT NULL,
  merged_at INTEGER NOT NULL,
  undone_by TEXT NOT NULL DEFAULT '',
  undone_at INTEGER,
  moved_requests TEXT NOT NULL DEFAULT '',
  survivor_snapshot BLOB NOT NULL DEFAULT x'',
  absorbed_snapshot BLOB NOT NULL DEFAULT x''
) STRICT;
CREATE UNIQUE INDEX child_merge_absorbed_live ON child_merge(absorbed_id) WHERE undone_at IS NULL;
CREATE INDEX child_merge_authority ON child_merge(authority, id);

CREATE TABLE child_merge_source_ref (
  merge_id INTEGER NOT NULL REFERENCES child_merge(id),
  source TEXT NOT NULL,
  ref TEXT NOT NULL
) STRICT;
CREATE INDEX child_merge_source_ref_of ON child_merge_source_ref(merge_id);
)sql"},
      // Feeds (docs/feeds.md): each data source's references to children (`row_digest` is a
      // keyed digest of the row last sent, so an unchanged row is recognised without opening
      // the record), the items a feed superseded (sealed with the field key, bound to
      // "source_item:<source>:<ref>:<child_id>") and the data sources' API tokens (SHA-256
      // only; the token itself is shown once and never stored).
      {6, "feeds: source references, superseded source items, API tokens", R"sql(
CREATE TABLE source_ref (
  source TEXT NOT NULL,
  ref TEXT NOT NULL,
  child_id INTEGER NOT NULL REFERENCES child(id),
  row_digest TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (source, ref)
) STRICT, WITHOUT ROWID;
CREATE INDEX source_ref_child ON source_ref(child_id);
CREATE INDEX possible_duplicate_child ON possible_duplicate(child_id);
CREATE INDEX possible_duplicate_other ON possible_duplicate(other_child_id);

CREATE TABLE source_item_history (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  ref TEXT NOT NULL,
  child_id INTEGER NOT NULL,
  superseded_at INTEGER NOT NULL,
  sealed BLOB NOT NULL
) STRICT;
CREATE INDEX source_item_history_child ON source_item_history(child_id, id);

CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX api_token_source ON api_token(source, id);
)sql"},
      // Retention (docs/retention.md): the lifecycle of each record (0 live, 1 archived,
      // 2 purged) with its dates, written only by the RetentionStore; and the restricted link
      // between a former and a new identity (principle 13), read only by the management of
      // `authority`: UINs only, never searched, never in a disclosure of the new identity.
      {7, "child lifecycle and identity links", R"sql(
ALTER TABLE child ADD COLUMN record_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE child ADD COLUMN archive_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE child ADD COLUMN archived_on TEXT;
ALTER TABLE child ADD COLUMN death_notified_on TEXT;
ALTER TABLE child ADD COLUMN date_of_death TEXT;
ALTER TABLE child ADD COLUMN purged_on TEXT;

CREATE TABLE identity_link (
  id INTEGER PRIMARY KEY,
  former_child_id INTEGER NOT NULL REFERENCES child(id),
  former_uin TEXT NOT NULL,
  new_child_id INTEGER NOT NULL REFERENCES child(id),
  new_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('witness_protection', 'adoption')),
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX identity_link_former ON identity_link(former_uin);
CREATE INDEX identity_link_new ON identity_link(new_uin);
)sql"},
      // Subject access requests (docs/disclosure-and-reports.md): the DPO's cases, received to
      // completed. UINs, codes and dates only.
      {8, "subject access request cases", R"sql(
CREATE TABLE dsar_case (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL DEFAULT '',
  child_uin TEXT NOT NULL,
  authority TEXT NOT NULL,
  requester_kind TEXT NOT NULL,
  received_on TEXT NOT NULL,
  identity_verified_on TEXT,
  due TEXT NOT NULL,
  extended_on TEXT,
  completed_on TEXT,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX dsar_case_authority ON dsar_case(authority, id);
CREATE INDEX dsar_case_reference ON dsar_case(reference);
)sql"},
      // Per-source singular items and what a merge did besides the records (docs/feeds.md,
      // docs/duplicates.md): `source_ref.items` holds the source's own singular items for that
      // reference (name, gender and date of birth, address, school, GP practice, each with its
      // time), sealed with the field key bound to "source_ref:<source>:<ref>" (NULL: written
      // before this migration). `possible_duplicate.closed_reason` says why a merge closed a
      // pair; `child_merge_pair` keeps which pairs a merge re-pointed or closed, and
      // `child_merge_moved` which brokering requests it moved, so an unmerge can put them back.
      {9, "per-source singular items; merge follow-ups", R"sql(
ALTER TABLE source_ref ADD COLUMN items BLOB;
ALTER TABLE possible_duplicate ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE child_merge_pair (
  merge_id INTEGER NOT NULL REFERENCES child_merge(id),
  duplicate_id INTEGER NOT NULL REFERENCES possible_duplicate(id),
  action TEXT NOT NULL CHECK (action IN ('repointed', 'closed')),
  child_id INTEGER NOT NULL,
  other_child_id INTEGER NOT NULL
) STRICT;
CREATE INDEX child_merge_pair_of ON child_merge_pair(merge_id);

CREATE TABLE child_merge_moved (
  merge_id INTEGER NOT NULL REFERENCES child_merge(id),
  kind TEXT NOT NULL CHECK (kind IN ('brokering_request')),
  row_id INTEGER NOT NULL
) STRICT;
CREATE INDEX child_merge_moved_of ON child_merge_moved(merge_id);
)sql"},
  };
  return kMigrations;
}

Result<std::shared_ptr<SharedConnection>> OpenMainDatabase(const std::string& path,
                                                           const OpenOptions& options) {
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  CP_RETURN_IF_ERROR(Migrate(*db, MainSchemaMigrations()));
  return std::make_shared<SharedConnection>(std::move(db));
}

}  // namespace cp::store::sqlite
