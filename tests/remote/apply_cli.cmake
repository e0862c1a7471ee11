# SPDX-License-Identifier: GPL-3.0-or-later
# The apply and undo command lines on simulated Pis: --dry-run changes nothing and shows a
# redacted diff, apply twice then undo, bad arguments, passwords never as arguments or output.
wmw_add_test(tst_applycli SOURCES tst_applycli.cpp
    LIBS config wmw_testsupport LABELS provisioning simpi TIMEOUT 900 ENV SSH_AUTH_SOCK=)
target_compile_definitions(tst_applycli PRIVATE
    WMW_BINARY="$<TARGET_FILE:weewx-mqtt-wizard>")
add_dependencies(tst_applycli weewx-mqtt-wizard)
