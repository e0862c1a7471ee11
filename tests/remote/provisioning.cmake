# SPDX-License-Identifier: GPL-3.0-or-later
# Provisioning: the apply protocol's pure parts, and the Provisioner end to end on simulated Pis
# (apply, re-apply, refusal, rollback, connection cuts, undo).
wmw_add_test(tst_provisioner SOURCES tst_provisioner.cpp LIBS remote wmw_testsupport
    LABELS provisioning simpi TIMEOUT 900 ENV SSH_AUTH_SOCK=)
