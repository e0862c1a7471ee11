# SPDX-License-Identifier: GPL-3.0-or-later
# HostFacts: the parser on recorded probe outputs, and the probe end to end on a simulated Pi.
wmw_add_test(tst_hostfacts SOURCES tst_hostfacts.cpp LIBS remote wmw_testsupport
    LABELS hostfacts simpi TIMEOUT 300)
