# SPDX-License-Identifier: GPL-3.0-or-later
# The simulated Pi itself: sshd, users and sudo in a private namespace; mosquitto, the WeeWX
# stand-in and the named faults.
wmw_add_test(tst_simpi SOURCES tst_simpi.cpp LIBS wmw_testsupport LABELS simpi TIMEOUT 600)
