# SPDX-License-Identifier: GPL-3.0-or-later
# Diagnosis: the rules on recorded HostFacts (one cause per row), the report generators, and
# the whole job end to end on simulated Pis, healthy and with each named fault.
wmw_add_test(tst_diagnosisrules SOURCES tst_diagnosisrules.cpp LIBS remote LABELS diagnosis)
wmw_add_test(tst_diagnosissimpi SOURCES tst_diagnosissimpi.cpp diagnosisfixture.h
    LIBS remote wmw_testsupport LABELS diagnosis simpi TIMEOUT 900)
