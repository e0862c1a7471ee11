# SPDX-License-Identifier: GPL-3.0-or-later
# The export bundle applied to a simulated Pi: install.sh over SSH with sudo (dry run, live
# check, second run, restore on failure) and the Ansible play (skipped without ansible-core).
wmw_add_test(tst_exportpi SOURCES tst_exportpi.cpp
    LIBS remote config wmw_testsupport Qt6::WebSockets LABELS export simpi TIMEOUT 900)
