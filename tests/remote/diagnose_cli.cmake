# SPDX-License-Identifier: GPL-3.0-or-later
# The diagnose command line on simulated Pis: exit codes, text and --json output, --report
# files without passwords, host keys, bad arguments.
wmw_add_test(tst_diagnosecli SOURCES tst_diagnosecli.cpp diagnosisfixture.h
    LIBS config wmw_testsupport LABELS diagnosis simpi TIMEOUT 900 ENV SSH_AUTH_SOCK=)
target_compile_definitions(tst_diagnosecli PRIVATE
    WMW_BINARY="$<TARGET_FILE:weewx-mqtt-wizard>")
add_dependencies(tst_diagnosecli weewx-mqtt-wizard)
