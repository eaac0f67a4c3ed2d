# The program over a PostgreSQL store: a scenario run into a schema of the throwaway server CTest
# started (or CALLTRACK_TEST_POSTGRES_URI's), then the one-shot subcommands against it, and the
# same run into a SQLite file, whose audit chain ends in the same head.
#
#   cmake -DPROGRAM=path/to/calltrack -DSCENARIO=ctm_tracking_pause.json -DSTATE=server-folder
#         -DWORKDIR=dir -P postgres.cmake
file(MAKE_DIRECTORY "${WORKDIR}")
if(DEFINED ENV{CALLTRACK_TEST_POSTGRES_URI} AND NOT "$ENV{CALLTRACK_TEST_POSTGRES_URI}" STREQUAL "")
  set(_uri "$ENV{CALLTRACK_TEST_POSTGRES_URI}")
elseif(EXISTS "${STATE}/uri")
  file(STRINGS "${STATE}/uri" _uri LIMIT_COUNT 1)
else()
  set(_why "")
  if(EXISTS "${STATE}/why")
    file(READ "${STATE}/why" _why)
  endif()
  message(FATAL_ERROR "no PostgreSQL server for the test: the throwaway server did not start "
                      "(${_why}); set CALLTRACK_TEST_POSTGRES_URI to use a server of your own")
endif()
set(_db "${_uri}#calltrack_cli_test")
set(_file "${WORKDIR}/same_run.db")

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
  set(LAST_OUT "${_out}" PARENT_SCOPE)
endfunction()

set(_pause [[{"command":"pause_tracking","account":"solo","confirmation":{"clicked":true}}]])
step("a run into a PostgreSQL schema" 0 "store PostgreSQL schema \"calltrack_cli_test\".*every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)
step("a second run is refused: the schema holds the first" 1 "" "already holds the events"
  run "${SCENARIO}" --db "${_db}")
step("a PostgreSQL database records no policy" 1 "" "a PostgreSQL database records no policy; give --policy"
  check --db "${_db}" --actor sam --command "${_pause}")
step("check with --policy" 0 "^allowed" ""
  check --db "${_db}" --policy ctm --actor sam --command "${_pause}")
step("history names who acted" 0 "tracking_paused account=solo[^\n]*\n +by sam \\(administrator on account solo\\), pause_tracking: clicked" ""
  history solo --db "${_db}")
step("preview, with the impact" 0 "\nimpact +([0-9a-f]+) " ""
  preview --db "${_db}" --policy ctm --actor sam --at 2024-04-01T00:00:00Z --command "${_pause}")
string(REGEX MATCH "\nimpact +([0-9a-f]+) " _ "${LAST_OUT}")
set(_digest "${CMAKE_MATCH_1}")
step("execute --impact commits it" 0 "^executed\n.*event +tracking_paused account=solo" ""
  execute --db "${_db}" --policy ctm --actor sam --at 2024-04-01T00:00:00Z --impact "${_digest}"
  --command "${_pause}")
step("what execute committed is stored" 1 "refused.*already_in_state" ""
  check --db "${_db}" --policy ctm --actor sam --command "${_pause}")
step("advance" 0 "advanced to 2024-06-01T00:00:00Z" ""
  advance --db "${_db}" --policy ctm --to 2024-06-01T00:00:00Z)
step("effects" 0 "^not yet acknowledged, oldest first:\n  #1  stop_swapping account=solo" ""
  effects --db "${_db}" --limit 1)
step("verify after execute" 0 "^verified: 9 events" ""
  verify --db "${_db}")

# The chain is a function of the log alone: the same run in both stores ends in the same head.
step("the same run, from nothing, into PostgreSQL" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)
step("verify the PostgreSQL run" 0 "^verified: 8 events.*\nhead ([0-9a-f]+) " ""
  verify --db "${_db}")
string(REGEX MATCH "\nhead ([0-9a-f]+) " _ "${LAST_OUT}")
set(_pg_head "${CMAKE_MATCH_1}")
file(REMOVE "${_file}" "${_file}.policy.json")
step("the same run into a SQLite file" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_file}")
step("verify the SQLite run" 0 "^verified: 8 events" ""
  verify --db "${_file}")
string(REGEX MATCH "\nhead ([0-9a-f]+) " _ "${LAST_OUT}")
if(NOT CMAKE_MATCH_1 STREQUAL _pg_head OR _pg_head STREQUAL "")
  message(FATAL_ERROR "the two stores' heads differ: PostgreSQL ${_pg_head}, SQLite ${CMAKE_MATCH_1}")
endif()
step("--fresh empties the schema" 0 "every expectation met" ""
  run "${SCENARIO}" --db "${_db}" --fresh)
step("a schema that holds no store is not created by check" 1 "" "holds no calltrack store.*`calltrack run` creates one"
  check --db "${_uri}#calltrack_cli_absent" --policy ctm --actor sam --command "${_pause}")
file(REMOVE "${_file}" "${_file}.policy.json")
