# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_aclfile SOURCES tst_aclfile.cpp LIBS config)
