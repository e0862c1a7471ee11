# SPDX-License-Identifier: GPL-3.0-or-later
# The apply protocol's pure parts: the manifest, the progress lines and the read script's
# output, with hostile and malformed input.
wmw_add_test(tst_applyprotocol SOURCES tst_applyprotocol.cpp LIBS remote LABELS provisioning)
