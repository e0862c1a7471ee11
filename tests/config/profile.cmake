# SPDX-License-Identifier: GPL-3.0-or-later
wmw_add_test(tst_stationprofile SOURCES tst_stationprofile.cpp LIBS config)
