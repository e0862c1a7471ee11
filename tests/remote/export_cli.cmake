# SPDX-License-Identifier: GPL-3.0-or-later
# `weewx-mqtt-wizard export` as a user or a script runs it: passwords from stdin only, the
# archive written private, usage errors that name the option.
wmw_add_test(tst_exportcli SOURCES tst_exportcli.cpp LIBS remote config LABELS export)
target_compile_definitions(tst_exportcli PRIVATE WMW_BINARY="$<TARGET_FILE:weewx-mqtt-wizard>")
add_dependencies(tst_exportcli weewx-mqtt-wizard)
