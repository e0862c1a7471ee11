# SPDX-License-Identifier: GPL-3.0-or-later
# Every cause of the diagnosis catalogue end to end, one named edit per row, on ONE simulated
# Pi that is restored to healthy between rows (so it takes minutes, not a Pi start per row).
wmw_add_test(tst_diagnosiscauses SOURCES tst_diagnosiscauses.cpp diagnosisfixture.h
    LIBS remote wmw_testsupport LABELS diagnosis simpi TIMEOUT 1200)
