# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_mosquittobroker SOURCES tst_mosquittobroker.cpp LIBS wmw_testsupport
    LABELS broker)
