# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_listenerconf SOURCES tst_listenerconf.cpp LIBS config)
