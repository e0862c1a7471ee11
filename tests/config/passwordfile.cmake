# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_passwordfile SOURCES tst_passwordfile.cpp LIBS config)
