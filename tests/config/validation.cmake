# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_validation SOURCES tst_validation.cpp LIBS config)
