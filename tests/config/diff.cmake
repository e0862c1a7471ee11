# SPDX-License-Identifier: GPL-3.0-or-later
# Unified diffs, compared with GNU diff -u and applied with patch.
wmw_add_test(tst_unifieddiff SOURCES tst_unifieddiff.cpp LIBS config LABELS config)
