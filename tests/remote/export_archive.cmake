# SPDX-License-Identifier: GPL-3.0-or-later
# The export bundle written as .tar.gz and .zip: modes, manifest, reproducible bytes, and what
# the system's tar and unzip extract.
wmw_add_test(tst_exportarchive SOURCES tst_exportarchive.cpp LIBS remote config LABELS export)
