# SPDX-License-Identifier: GPL-3.0-or-later
# Loop JSON as the Belchertown page reads it.
wmw_add_test(tst_loopmessage SOURCES tst_loopmessage.cpp LIBS remote)
