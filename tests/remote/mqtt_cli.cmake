# SPDX-License-Identifier: GPL-3.0-or-later
# The live-check command line against a real mosquitto: exit codes, --json, password on stdin.
wmw_add_test(tst_livecheckcli SOURCES tst_livecheckcli.cpp LIBS wmw_testsupport Qt6::Network
    LABELS broker)
target_compile_definitions(tst_livecheckcli PRIVATE
    WMW_BINARY="$<TARGET_FILE:weewx-mqtt-wizard>")
add_dependencies(tst_livecheckcli weewx-mqtt-wizard)
