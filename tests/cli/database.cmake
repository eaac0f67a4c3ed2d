# A scenario run into a SQLite file, then the one-shot subcommands against that file, execute
# among them.
#
#   cmake -DPROGRAM=path/to/calltrack -DSCENARIO=ctm_tracking_pause.json -DPENDING=pending.json
#         -DVERSIONED=ctm_version_change.json -DBALANCE=ctm_balance_runs_out.json -DWORKDIR=dir
#         -P database.cmake
set(_db "${WORKDIR}/cli_database_test.db")
file(MAKE_DIRECTORY "${WORKDIR}")

# run: exit status, and a regex each stream must match (empty: anything).
function(step name expected_status stdout_regex stderr_regex)
  execute_process(COMMAND "${PROGRAM}" ${ARGN}
    RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  set(_shown "${name}: ${PROGRAM} ${ARGN}\nexit status: ${_status}\n--- stdout\n${_out}--- stderr\n${_err}")
  if(NOT "${_status}" STREQUAL "${expected_status}")
    message(FATAL_ERROR "expected exit status ${expected_status}\n${_shown}")
  endif()
  if(NOT stdout_regex STREQUAL "" AND NOT _out MATCHES "${stdout_regex}")
    message(FATAL_ERROR "stdout does not match ${stdout_regex}\n${_shown}")
  endif()
  if(NOT stderr_regex STREQUAL "" AND NOT _err MATCHES "${stderr_regex}")
    message(FATAL_ERROR "stderr does not match ${stderr_regex}\n${_shown}")
  endif()
endfunction()

step("first run, from nothing" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)
if(NOT EXISTS "${_db}.policy.json")
  message(FATAL_ERROR "run did not record its policy beside the database")
endif()
step("a second run is refused: the file holds the first run" 1 "" "already holds the events"
  run "${SCENARIO}" --db "${_db}")
step("check: refused, with the reason" 1 "refused.*number_not_swappable" ""
  check --db "${_db}" --actor sam
  --command [[{"command":"pause_tracking","account":"solo","number":"billboard","confirmation":{"clicked":true}}]])
step("check: allowed" 0 "^allowed" ""
  check --db "${_db}" --actor sam
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("check as JSON, refused" 1 "\"allowed\": false" ""
  check --db "${_db}" --actor nobody --json
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("preview: the events and effects" 0 "event +tracking_paused account=solo.*effect +stop_swapping" ""
  preview --db "${_db}" --actor sam --at 2024-04-01T00:00:00Z
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("preview wrote nothing: the account-wide pause is still allowed" 0 "^allowed" ""
  check --db "${_db}" --actor sam
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("preview: a refused command shows every reason" 1 "refused.*confirmation_required" ""
  preview --db "${_db}" --actor sam
  --command [[{"command":"pause_tracking","account":"solo"}]])
# execute writes what preview only showed: afterwards the same pause is already in place.
step("execute: a refused command writes nothing and shows every reason" 1 "refused.*confirmation_required" ""
  execute --db "${_db}" --actor sam --at 2024-04-01T00:00:00Z
  --command [[{"command":"pause_tracking","account":"solo"}]])
step("execute: committed, with its events and effects" 0 "^executed\n.*event +tracking_paused account=solo.*effect +stop_swapping" ""
  execute --db "${_db}" --actor sam --at 2024-04-01T00:00:00Z --idempotency-key pause-1
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("execute: the same key and command replay the first receipt" 0 "^already executed.*event +tracking_paused account=solo" ""
  execute --db "${_db}" --actor sam --idempotency-key pause-1
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("execute: the same key with another command is refused" 1 "" "cannot execute: .*idempotency"
  execute --db "${_db}" --actor sam --idempotency-key pause-1
  --command [[{"command":"resume_tracking","account":"solo"}]])
step("what execute committed is stored: the pause is in place" 1 "refused.*already_in_state" ""
  check --db "${_db}" --actor sam
  --command [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("execute before the last event is refused" 1 "" "cannot execute at 2024-03-01T00:00:00Z: it is earlier than the database's last event \\(2024-04-01T00:00:00Z\\); time never goes backwards"
  execute --db "${_db}" --actor sam --at 2024-03-01T00:00:00Z
  --command [[{"command":"resume_tracking","account":"solo"}]])
step("execute as JSON" 0 "\"executed\": true.*\"tracking_resumed\"" ""
  execute --db "${_db}" --actor sam --json --at 2024-04-02T00:00:00Z
  --command [[{"command":"resume_tracking","account":"solo"}]])
step("preview's errors say preview" 1 "" "cannot preview: "
  preview --db "${_db}" --actor sam --at 2024-01-01T00:00:00Z
  --command [[{"command":"resume_tracking","account":"solo"}]])
step("check: a bad command names the field" 1 "" "--command: phone_number: .*\\+"
  check --db "${_db}" --actor support
  --command [[{"command":"add_tracking_number","number":"n","account":"solo","phone_number":"404","forwarding_destination":"+14045550199"}]])
step("advance backwards is refused" 1 "" "earlier than the database's last event"
  advance --db "${_db}" --to 2024-01-01T00:00:00Z)
step("advance forwards" 0 "advanced to 2024-06-01T00:00:00Z" ""
  advance --db "${_db}" --to 2024-06-01T00:00:00Z)
step("--fresh starts over" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)

# advance commits its whole sweep: a later advance earlier than what it fired is refused.
step("a run that leaves deadlines pending" 0 "every expectation met" ""
  run "${PENDING}" --db "${_db}" --fresh)
step("advance fires them" 0 "account_closed.*data_purged" ""
  advance --db "${_db}" --to 2024-12-01T00:00:00Z)
step("what advance fired is stored" 1 "" "earlier than the database's last event"
  advance --db "${_db}" --to 2024-04-01T00:00:00Z)
step("and not fired twice" 0 "no deadline due" ""
  advance --db "${_db}" --to 2024-12-01T00:00:00Z)
step("check needs an existing database" 1 "" "no database at"
  check --db "${_db}.missing" --actor sam --command [[{"command":"pause_tracking","account":"solo"}]])

file(WRITE "${WORKDIR}/not_a_database.txt" "precious notes\n")
step("--fresh never deletes a file that is not a calltrack database" 1 "" "not deleting"
  run "${SCENARIO}" --db "${WORKDIR}/not_a_database.txt" --fresh)
file(READ "${WORKDIR}/not_a_database.txt" _kept)
if(NOT _kept STREQUAL "precious notes\n")
  message(FATAL_ERROR "the file was changed")
endif()

# A history is recorded beside the database as a history: a later preview is judged under the
# version in force then (30 days under ctm-2024-02, where the one-policy ctm gives 60).
step("a run under a history" 0 "every expectation met" ""
  run "${VERSIONED}" --db "${_db}" --fresh)
file(READ "${_db}.policy.json" _recorded)
if(NOT _recorded MATCHES "\"versions\"")
  message(FATAL_ERROR "run did not record the history beside the database:\n${_recorded}")
endif()
step("preview under the recorded history" 0 "account_canceled account=old kind=cancel reactivation_until=2024-04-07T00:00:00Z" ""
  preview --db "${_db}" --actor olga --at 2024-03-08T00:00:00Z
  --command [[{"command":"cancel_account","account":"old","confirmation":{"clicked":true}}]])
file(REMOVE "${_db}" "${_db}.policy.json" "${WORKDIR}/not_a_database.txt")

# history and effects read what the runs and execute committed; effects --ack acknowledges.
step("a run to read back" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)
step("history of an account, with each event's version" 0 "^account:solo: [0-9]+ events\n  #1  v1  ctm  account_opened account=solo" ""
  history solo --db "${_db}")
step("history of a user's grants" 0 "^user:sam: 1 event\n  #[0-9]+  v1  ctm  role_granted user=sam" ""
  history user:sam --db "${_db}")
step("history as JSON" 0 "\"stream\": \"account:solo\".*\"policy_version\": \"ctm\"" ""
  history account:solo --db "${_db}" --json)
step("history of an unknown id" 1 "" "no account or agency has the id nobody"
  history nobody --db "${_db}")
step("history names who acted and what they confirmed" 0 "tracking_paused account=solo[^\n]*\n +by sam \\(administrator on account solo\\), pause_tracking: clicked\n" ""
  history solo --db "${_db}")
step("history names the provisioning support did" 0 "account_opened account=solo[^\n]*\n +by support \\(support on the platform\\), open_account\n" ""
  history solo --db "${_db}")
step("history as JSON carries the audit record and the hash" 0 "\"audit\": {[^}]*\"actor\": \"sam\".*\"hash\": \"[0-9a-f]+\"" ""
  history account:solo --db "${_db}" --json)
step("verify: the log a run wrote is whole" 0 "^verified: [0-9]+ events, each chained to the one before, and their replay gives the stored records\nhead [0-9a-f]+ " ""
  verify --db "${_db}")

# A confirmation bound to what was shown: preview's digest, and execute --impact.
set(_pause [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("preview prints the impact's digest" 0 "\nimpact +[0-9a-f]+  \\(execute --impact: exactly this, or nothing\\)\n$" ""
  preview --db "${_db}" --actor sam --at 2024-06-01T00:00:00Z --command "${_pause}")
execute_process(COMMAND "${PROGRAM}" preview --db "${_db}" --actor sam --json
  --at 2024-06-01T00:00:00Z --command "${_pause}" OUTPUT_VARIABLE _preview RESULT_VARIABLE _status)
if(NOT _status EQUAL 0 OR NOT _preview MATCHES "\"impact\": \"([0-9a-f]+)\"")
  message(FATAL_ERROR "preview --json printed no impact (exit ${_status}):\n${_preview}")
endif()
set(_digest "${CMAKE_MATCH_1}")
step("execute --impact with another digest is refused and writes nothing" 1 "refused\n  reason    impact_changed: the impact shown \\(0+\\) is not what pause_tracking would do now \\(${_digest}\\)" ""
  execute --db "${_db}" --actor sam --at 2024-06-01T00:00:00Z --impact 0000000000000000000000000000000000000000000000000000000000000000
  --command "${_pause}")
step("execute --impact with the digest shown commits it" 0 "^executed\n.*event +tracking_paused account=solo" ""
  execute --db "${_db}" --actor sam --at 2024-06-01T00:00:00Z --impact "${_digest}"
  --command "${_pause}")
step("verify: the log is still whole after execute" 0 "^verified: " ""
  verify --db "${_db}")

# The state as of any instant, replayed from the events.
step("show an account before it existed" 1 "" "no account or agency had the id solo as of 2024-02-01T00:00:00Z"
  show solo --db "${_db}" --at 2024-02-01T00:00:00Z)
step("show an account as it was, a second before a pause" 0 "^as of 2024-03-02T09:59:59Z\n  account solo: active;" ""
  show solo --db "${_db}" --at 2024-03-02T09:59:59Z)
step("show an account as it is now, as JSON" 0 "\"account\": {.*\"numbers\": \\[" ""
  show account:solo --db "${_db}" --json)
step("deadlines as of an instant" 0 "^pending as of 2024-06-01T00:00:00Z, in firing order:\n" ""
  deadlines --db "${_db}" --at 2024-06-01T00:00:00Z)
step("check before the last event: what check would have said then" 0 "^as of 2024-03-02T09:59:59Z, before the last event: judged on the state the events up to then give\nallowed" ""
  check --db "${_db}" --actor sam --at 2024-03-02T09:59:59Z --command "${_pause}")
step("check at the pause: refused, it was paused then" 1 "already_in_state" ""
  check --db "${_db}" --actor sam --at 2024-03-02T10:00:00Z --command "${_pause}")
step("advance --by counts from the last event" 0 "^advanced to 2024-06-15T00:00:00Z" ""
  advance --db "${_db}" --by 14d)
step("advance --by refuses what is not a duration" 2 "" "--by takes a duration"
  advance --db "${_db}" --by 2weeks)
step("effects: the outbox, oldest first" 0 "^not yet acknowledged, oldest first:\n  #1  stop_swapping account=solo.*\n  #2  resume_swapping account=solo" ""
  effects --db "${_db}" --limit 2)
step("effects --ack: acknowledged, and gone from the list" 0 "^acknowledged up to #2\nnot yet acknowledged, oldest first:\n  #3  " ""
  effects --db "${_db}" --ack 2 --limit 1)
step("what --ack acknowledged is stored" 0 "\"acknowledged\": null.*\"sequence\": 3" ""
  effects --db "${_db}" --json --limit 1)
step("effects --ack needs a sequence" 2 "" "--ack takes a sequence number, 1 or more"
  effects --db "${_db}" --ack first)
file(REMOVE "${_db}" "${_db}.policy.json")

# A balance suspension as of the instants around it: a second before the cent that suspended the
# account, at it, and at the recharge that lifted it.
set(_balance_db "${WORKDIR}/cli_balance_test.db")
step("a balance running out, run into a file" 0 "every expectation met" ""
  run "${BALANCE}" --db "${_balance_db}" --fresh)
step("show: a second before the suspending charge, in service" 0 "balance 0.00 USD in_use\n    number" ""
  show solo --db "${_balance_db}" --at 2024-05-11T11:59:59Z)
step("show: at the suspending charge, suspended since then" 0 "balance -0.01 USD in_use; suspended for its balance since 2024-05-11T12:00:00Z\n" ""
  show solo --db "${_balance_db}" --at 2024-05-11T12:00:00Z)
step("show: at the recharge, the suspension is lifted" 0 "balance 20.00 USD in_use\n    number" ""
  show solo --db "${_balance_db}" --at 2024-06-03T09:00:00Z)
step("show as JSON says since when it was suspended" 0 "\"suspended_for_balance_at\": \"2024-05-11T12:00:00Z\"" ""
  show solo --db "${_balance_db}" --at 2024-05-20T00:00:00Z --json)
file(REMOVE "${_balance_db}" "${_balance_db}.policy.json")
