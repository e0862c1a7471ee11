# SPDX-License-Identifier: GPL-3.0-or-later
# The live check against a real mosquitto and real misbehaving peers on loopback.
wmw_add_test(tst_livecheck SOURCES tst_livecheck.cpp LIBS remote wmw_testsupport Qt6::WebSockets
    LABELS broker)
