# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_diagnoser SOURCES tst_diagnoser.cpp LIBS remote LABELS diagnosis)
